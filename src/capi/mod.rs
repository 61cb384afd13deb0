//! The stable C ABI, `include/atlas_admin.h`.
//!
//! Modelled on rustls-ffi: opaque handles, a status enum whose numbers never
//! change, a panic boundary around every export, NULL-safe `*_free`. These
//! functions only convert between C and the core; all behaviour lives there.
//!
//! The modules import one another in one direction only (`panic` is a leaf,
//! `fallible` sits above `error` and `status`); `scripts/check-module-cycles`,
//! run by `make lint`, fails on any import circle.
#![allow(non_camel_case_types)]

mod access_list;
mod api_key_list;
mod api_keys;
mod call_options;
mod cancel;
mod client;
mod error;
mod fallible;
mod generic;
mod json;
mod log;
mod org_api_key_access_list;
mod org_api_keys;
mod panic;
mod response;
mod status;
mod strings;
mod text;
mod version;
