//! The panic boundary: unwinding into C is undefined behaviour, so every
//! export runs its body through one of these.

use super::error::atlas_error;
use super::status::atlas_status;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// Runs `body`, returning `on_panic` if it panics.
pub(crate) fn catch<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// Runs a fallible `body` for an export with an `out_error` parameter:
/// clears `*out_error`, and on failure stores a new error there (when
/// `out_error` is not NULL) and returns its status.
///
/// # Safety
/// `out_error` is NULL or valid for writing one pointer.
pub(crate) unsafe fn call(
    out_error: *mut *mut atlas_error,
    body: impl FnOnce() -> Result<(), atlas_error>,
) -> atlas_status {
    if !out_error.is_null() {
        *out_error = ptr::null_mut();
    }
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        Err(atlas_error::internal(
            "a panic inside atlas-admin was caught; this is a bug, please report it",
        ))
    });
    match outcome {
        Ok(()) => atlas_status::Ok,
        Err(error) => {
            let status = error.status();
            if !out_error.is_null() {
                *out_error = Box::into_raw(Box::new(error));
            }
            status
        }
    }
}
