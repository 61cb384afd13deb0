//! `atlas_error`: everything known about a failed call, with accessors.

use super::panic::{catch, read, release};
use super::status::atlas_status;
use super::text::{c_string, optional};
use crate::Error;
use std::ffi::{c_char, CString};
use std::ptr;

/// The details of a failed call. Opaque; read it with the atlas_error_*
/// accessors and release it with atlas_error_free. Immutable, so it may be
/// read from any thread.
pub struct atlas_error {
    status: atlas_status,
    message: CString,
    attempts: u32,
    /// Present when the server answered.
    answer: Option<Box<Answer>>,
}

/// What the server said, as C strings.
struct Answer {
    http_status: u16,
    error_code: Option<CString>,
    detail: Option<CString>,
    reason: Option<CString>,
    body: CString,
    parameters: Vec<CString>,
    retry_after_ms: i64,
    location: Option<CString>,
}

impl atlas_error {
    fn plain(status: atlas_status, message: &str) -> Self {
        atlas_error {
            status,
            message: c_string(message),
            attempts: 0,
            answer: None,
        }
    }

    pub(crate) fn invalid(name: &str, reason: &str) -> Self {
        Self::plain(
            atlas_status::InvalidArgument,
            &format!("invalid argument `{name}`: {reason}"),
        )
    }

    pub(crate) fn internal(message: &str) -> Self {
        Self::plain(atlas_status::Internal, message)
    }

    pub(crate) fn status(&self) -> atlas_status {
        self.status
    }

    /// The message, for tests of the messages the skin writes itself.
    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        self.message.to_str().unwrap_or_default()
    }
}

impl From<Error> for atlas_error {
    fn from(error: Error) -> Self {
        let mut converted = Self::plain(error.kind().into(), &error.to_string());
        converted.attempts = error.attempts();
        converted.answer = error.api().map(|api| {
            Box::new(Answer {
                http_status: api.status,
                error_code: api.error_code.as_deref().map(c_string),
                detail: api.detail.as_deref().map(c_string),
                reason: api.reason.as_deref().map(c_string),
                body: c_string(&api.body),
                parameters: api.parameters.iter().map(|p| c_string(p)).collect(),
                retry_after_ms: api
                    .retry_after
                    .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
                location: api.location.as_deref().map(c_string),
            })
        });
        converted
    }
}

/// Reads a field of the server's answer in a possibly-NULL error.
///
/// # Safety
/// `error` is NULL or a live atlas_error.
unsafe fn read_answer<T>(
    error: *const atlas_error,
    absent: T,
    field: impl FnOnce(&Answer) -> T,
) -> T {
    match error.as_ref().and_then(|e| e.answer.as_deref()) {
        Some(answer) => catch(absent, || field(answer)),
        None => absent,
    }
}

/// The status of the failed call. A NULL error means no error: ATLAS_STATUS_OK.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_status(error: *const atlas_error) -> atlas_status {
    read(error, atlas_status::Ok, |e| e.status)
}

/// A sentence describing what went wrong and, where it helps, what to do.
/// Never contains the private key. Owned by `error`: valid until
/// atlas_error_free. NULL when `error` is NULL.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_message(error: *const atlas_error) -> *const c_char {
    read(error, ptr::null(), |e| e.message.as_ptr())
}

/// The HTTP status of the server's answer (the envelope's status when
/// envelope was requested), or 0 when there was no answer.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_http_status(error: *const atlas_error) -> u16 {
    read_answer(error, 0, |a| a.http_status)
}

/// Atlas' errorCode (e.g. "API_KEY_NOT_FOUND"), or NULL when the answer had
/// none. Owned by `error`: valid until atlas_error_free.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_code(error: *const atlas_error) -> *const c_char {
    read_answer(error, ptr::null(), |a| optional(&a.error_code))
}

/// Atlas' human-readable detail, or NULL. Owned by `error`: valid until
/// atlas_error_free.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_detail(error: *const atlas_error) -> *const c_char {
    read_answer(error, ptr::null(), |a| optional(&a.detail))
}

/// Atlas' reason (e.g. "Bad Request"), or NULL. Owned by `error`: valid
/// until atlas_error_free.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_reason(error: *const atlas_error) -> *const c_char {
    read_answer(error, ptr::null(), |a| optional(&a.reason))
}

/// The raw response body (at most 1 MiB, NUL bytes replaced), or NULL when
/// there was no answer. Owned by `error`: valid until atlas_error_free.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_body(error: *const atlas_error) -> *const c_char {
    read_answer(error, ptr::null(), |a| a.body.as_ptr())
}

/// The number of entries in Atlas' parameters list (0 when none).
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_parameter_count(error: *const atlas_error) -> usize {
    read_answer(error, 0, |a| a.parameters.len())
}

/// Entry `index` of Atlas' parameters list, or NULL when out of range.
/// Owned by `error`: valid until atlas_error_free.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_parameter(
    error: *const atlas_error,
    index: usize,
) -> *const c_char {
    read_answer(error, ptr::null(), |a| {
        a.parameters.get(index).map_or(ptr::null(), |p| p.as_ptr())
    })
}

/// The server's Retry-After in milliseconds, or -1 when it sent none.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_retry_after_ms(error: *const atlas_error) -> i64 {
    read_answer(error, -1, |a| a.retry_after_ms)
}

/// The Location of a redirect (redirects are reported, never followed), or
/// NULL. Owned by `error`: valid until atlas_error_free.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_location(error: *const atlas_error) -> *const c_char {
    read_answer(error, ptr::null(), |a| optional(&a.location))
}

/// How many attempts the failed call made, answered or not (more than 1
/// after retries); 0 only when it made none (an invalid argument, a caught
/// panic) or `error` is NULL.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_attempts(error: *const atlas_error) -> u32 {
    read(error, 0, |e| e.attempts)
}

/// Releases an error and every string it handed out. NULL is ignored.
///
/// # Safety
/// `error` is NULL or an error from this library, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_error_free(error: *mut atlas_error) {
    release(error);
}
