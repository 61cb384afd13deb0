//! A client for the MongoDB Atlas Administration API, with a stable C ABI
//! (`include/atlas_admin.h`) and Python bindings built on this same core.
//!
//! ```
//! use atlas_admin::{Client, DeleteOptions, ErrorKind};
//! # use atlas_admin_mock::{Credential, MockAtlas, MockConfig};
//! # let mut config = MockConfig::default();
//! # config.credentials.push(Credential::new("abcdefgh", "private-key-uuid"));
//! # config.keys.insert("5f1a2b3c4d5e6f7a8b9c0d1e".into(), vec!["6a1b2c3d4e5f6a7b8c9d0e1f".into()]);
//! # let atlas = MockAtlas::start(config).unwrap();
//!
//! let base_url = "https://cloud.mongodb.com/api/atlas/v1.0"; // the default
//! # let base_url = atlas.base_url(); // this example runs against the bundled mock Atlas
//! let client = Client::builder()
//!     .base_url(base_url)
//!     .digest_credentials("abcdefgh", "private-key-uuid")
//!     .build()?;
//! client.delete_org_api_key(
//!     "5f1a2b3c4d5e6f7a8b9c0d1e",
//!     "6a1b2c3d4e5f6a7b8c9d0e1f",
//!     &DeleteOptions::new(),
//! )?;
//! # assert!(!atlas.has_key("5f1a2b3c4d5e6f7a8b9c0d1e", "6a1b2c3d4e5f6a7b8c9d0e1f"));
//!
//! // Deleting it again: Atlas answers 400 API_KEY_NOT_FOUND, reported as not found.
//! let err = client
//!     .delete_org_api_key("5f1a2b3c4d5e6f7a8b9c0d1e", "6a1b2c3d4e5f6a7b8c9d0e1f", &DeleteOptions::new())
//!     .unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::NotFound);
//! # Ok::<(), atlas_admin::Error>(())
//! ```
//!
//! [`Client::new`] is the short form for Atlas' default host;
//! [`Client::from_env`] finds the credentials where the Atlas CLI and
//! Terraform keep them ([`ClientBuilder::load_env`]).

#![warn(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod api;
mod auth;
mod call;
#[cfg(feature = "capi")]
mod capi;
mod client;
mod clock;
mod credentials;
mod endpoints;
mod error;
mod http;
mod ids;
mod method;
mod model;
#[cfg(test)]
mod properties;
mod proxy;
mod response;
mod retry;
mod secret;
mod tls;
mod transport;

pub use api::{Api, DEFAULT_HOST};
pub use call::{parse_query, CallOptions, Listing, Response, MAX_ITEMS_PER_PAGE};
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS,
    DEFAULT_REVOKE_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use clock::{Clock, SystemClock};
pub use credentials::Credentials;
pub use endpoints::org_api_keys::{DeleteOptions, Deleted, API_KEY_NOT_FOUND};
pub use error::{ApiError, Error, ErrorKind, ProtocolError, TimeoutError, TransportKind};
pub use method::Method;
pub use model::access_list::{check_access_list_entry, AccessListEntry};
pub use model::api_key::{is_public_key, ApiKey, MAX_DESCRIPTION_CHARS, ORG_ROLES};
pub use proxy::ProxyConfig;
pub use retry::RetryPolicy;
pub use secret::Secret;

/// This library's version, also sent in the `User-Agent` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
