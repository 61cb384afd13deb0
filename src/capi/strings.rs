//! Borrowing C string arguments, refusing NULL and invalid UTF-8 by name.

use super::error::atlas_error;
use std::ffi::{c_char, CStr};

/// Borrows the NUL-terminated argument `name` as UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn arg<'a>(
    name: &'static str,
    ptr: *const c_char,
) -> Result<&'a str, atlas_error> {
    if ptr.is_null() {
        return Err(atlas_error::invalid(name, "must not be NULL"));
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|_| atlas_error::invalid(name, "is not valid UTF-8"))
}
