//! The panic boundary: unwinding into C is undefined behaviour, so every
//! export runs its body through one of these, directly or through
//! `fallible::fallible`. A leaf: it imports no other capi module, so every
//! one of them may use it.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `body`, returning `on_panic` if it panics.
pub(crate) fn catch<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_or_else(|| on_panic, body)
}

/// Runs `body`, returning what `on_panic` makes if it panics (made only
/// then, so the usual path allocates nothing for it).
pub(crate) fn catch_or_else<T>(on_panic: impl FnOnce() -> T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| on_panic())
}

/// Reads a field of a possibly-NULL handle behind the panic boundary:
/// `absent` for NULL (or a panic), else what `field` gives.
///
/// # Safety
/// `handle` is NULL or points to a live `H`.
pub(crate) unsafe fn read<H, T>(handle: *const H, absent: T, field: impl FnOnce(&H) -> T) -> T {
    match handle.as_ref() {
        Some(handle) => catch(absent, || field(handle)),
        None => absent,
    }
}

/// Releases a boxed handle; NULL is ignored.
///
/// # Safety
/// `handle` is NULL or came from `Box::into_raw` and is released at most once.
pub(crate) unsafe fn release<H>(handle: *mut H) {
    if !handle.is_null() {
        catch((), || drop(Box::from_raw(handle)));
    }
}
