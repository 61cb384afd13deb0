//! The stable C ABI, `include/atlas_admin.h`.
//!
//! Modelled on rustls-ffi: opaque handles, a status enum whose numbers never
//! change, a panic boundary around every export, NULL-safe `*_free`. These
//! functions only convert between C and the core; all behaviour lives there.
#![allow(non_camel_case_types)]

mod client;
mod error;
mod log;
mod org_api_keys;
mod panic;
mod status;
mod strings;
mod version;
