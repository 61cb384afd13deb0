//! `atlas_status`: the outcome of every fallible call.

use super::panic::catch;
use crate::ErrorKind;
use std::ffi::c_char;

/// The outcome of an atlas_* call. The numbers are part of the ABI: they
/// never change and are never reused; new outcomes get new numbers.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum atlas_status {
    /// Success.
    Ok = 0,
    /// An argument was refused before any request was sent (NULL pointer,
    /// invalid UTF-8, malformed ID, bad URL or option).
    InvalidArgument = 1,
    /// HTTP 401: the API key pair was not accepted.
    Unauthorized = 2,
    /// HTTP 403: not allowed (missing role, or IP not on the key's access list).
    Forbidden = 3,
    /// HTTP 404, or Atlas' API_KEY_NOT_FOUND (which Atlas sends as HTTP 400).
    NotFound = 4,
    /// HTTP 429: rate limited; see atlas_error_retry_after_ms.
    RateLimited = 5,
    /// Any other HTTP 3xx or 4xx status.
    HttpError = 6,
    /// HTTP 5xx.
    ServerError = 7,
    /// The connect or overall timeout expired.
    Timeout = 8,
    /// No HTTP answer: connection refused, DNS, TLS, or the connection broke.
    Transport = 9,
    /// The server's answer could not be understood (bad Digest challenge,
    /// bad envelope, malformed HTTP).
    Protocol = 10,
    /// A bug inside atlas-admin was caught (a Rust panic); please report it.
    Internal = 11,
}

impl From<ErrorKind> for atlas_status {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => atlas_status::InvalidArgument,
            ErrorKind::Unauthorized => atlas_status::Unauthorized,
            ErrorKind::Forbidden => atlas_status::Forbidden,
            ErrorKind::NotFound => atlas_status::NotFound,
            ErrorKind::RateLimited => atlas_status::RateLimited,
            ErrorKind::HttpError => atlas_status::HttpError,
            ErrorKind::ServerError => atlas_status::ServerError,
            ErrorKind::Timeout => atlas_status::Timeout,
            ErrorKind::Transport => atlas_status::Transport,
            ErrorKind::Protocol => atlas_status::Protocol,
        }
    }
}

/// A short, static, English description of an atlas_status value, e.g.
/// "not found". Unknown numbers give "unknown status".
///
/// Takes the number rather than the enum so that any integer is safe to pass.
/// The returned string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn atlas_status_str(status: u32) -> *const c_char {
    catch(c"internal error".as_ptr(), || {
        let text = match status {
            0 => c"ok",
            1 => c"invalid argument",
            2 => c"unauthorized",
            3 => c"forbidden",
            4 => c"not found",
            5 => c"rate limited",
            6 => c"HTTP error",
            7 => c"server error",
            8 => c"timeout",
            9 => c"transport error",
            10 => c"protocol error",
            11 => c"internal error",
            _ => c"unknown status",
        };
        text.as_ptr()
    })
}
