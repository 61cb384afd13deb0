//! `atlas_version`.

use super::panic::catch;
use std::ffi::c_char;

/// The library version as a static string, e.g. "0.1.0". Never free it.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn atlas_version() -> *const c_char {
    catch(std::ptr::null(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}
