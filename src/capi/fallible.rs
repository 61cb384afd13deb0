//! Running a fallible export: the panic boundary, `*out_error`, and the
//! status returned.

use super::error::atlas_error;
use super::panic::catch_or_else;
use super::status::atlas_status;
use std::ptr;

/// Runs a fallible `body` for an export with an `out_error` parameter:
/// clears `*out_error`, and on failure (a caught panic included) stores a
/// new error there (when `out_error` is not NULL) and returns its status.
///
/// # Safety
/// `out_error` is NULL or valid for writing one pointer.
pub(crate) unsafe fn fallible(
    out_error: *mut *mut atlas_error,
    body: impl FnOnce() -> Result<(), atlas_error>,
) -> atlas_status {
    if !out_error.is_null() {
        *out_error = ptr::null_mut();
    }
    let outcome = catch_or_else(
        || {
            Err(atlas_error::internal(
                "a panic inside atlas-admin was caught; this is a bug, please report it",
            ))
        },
        body,
    );
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

/// Runs a fallible export that hands back a new handle in `*out`: `out`
/// must not be NULL; `*out` is NULL until `body` succeeds, then holds its
/// value, boxed, for the caller to free.
///
/// # Safety
/// `out` and `out_error` are NULL or valid for writing one pointer.
pub(crate) unsafe fn returning<T>(
    out: *mut *mut T,
    out_error: *mut *mut atlas_error,
    body: impl FnOnce() -> Result<T, atlas_error>,
) -> atlas_status {
    returning_maybe(out, out_error, || body().map(Some))
}

/// [`returning`] for a body that may find nothing: `*out` stays NULL, and
/// the export succeeds, when it gives `None`.
///
/// # Safety
/// `out` and `out_error` are NULL or valid for writing one pointer.
pub(crate) unsafe fn returning_maybe<T>(
    out: *mut *mut T,
    out_error: *mut *mut atlas_error,
    body: impl FnOnce() -> Result<Option<T>, atlas_error>,
) -> atlas_status {
    fallible(out_error, || {
        if out.is_null() {
            return Err(atlas_error::invalid("out", "must not be NULL"));
        }
        *out = ptr::null_mut();
        if let Some(value) = body()? {
            *out = Box::into_raw(Box::new(value));
        }
        Ok(())
    })
}
