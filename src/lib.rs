//! A client for the MongoDB Atlas Administration API, with a stable C ABI
//! (`include/atlas_admin.h`) and Python bindings built on this same core.
//!
//! ```no_run
//! use atlas_admin::{Client, DeleteOptions};
//!
//! let client = Client::new("abcdefgh", "private-key-uuid")?;
//! client.delete_org_api_key(
//!     "5f1a2b3c4d5e6f7a8b9c0d1e",
//!     "6a1b2c3d4e5f6a7b8c9d0e1f",
//!     &DeleteOptions::new(),
//! )?;
//! # Ok::<(), atlas_admin::Error>(())
//! ```

#![warn(missing_docs)]

mod api;
mod auth;
#[cfg(feature = "capi")]
mod capi;
mod client;
mod clock;
mod credentials;
mod endpoints;
mod error;
mod ids;
#[cfg(test)]
mod properties;
mod proxy;
mod response;
mod retry;
mod secret;
mod tls;
mod transport;

pub use api::{Api, DEFAULT_HOST};
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_TIMEOUT,
};
pub use credentials::Credentials;
pub use endpoints::org_api_keys::DeleteOptions;
pub use error::{ApiError, Error, ErrorKind, ProtocolError, TimeoutError, TransportKind};
pub use proxy::ProxyConfig;
pub use retry::RetryPolicy;
pub use secret::Secret;

/// This library's version, also sent in the `User-Agent` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
