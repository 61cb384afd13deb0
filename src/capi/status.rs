//! `atlas_status`: the outcome of every fallible call.

use super::panic::catch;
use crate::ErrorKind;
use std::ffi::{c_char, CStr};

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
    /// Atlas said the resource does not exist: a *_NOT_FOUND errorCode in
    /// its JSON error body, e.g. API_KEY_NOT_FOUND (which Atlas v1.0 sends
    /// as HTTP 400) or ORG_NOT_FOUND. A 404 for a path Atlas does not serve
    /// (RESOURCE_NOT_FOUND) or from a server that is not Atlas is
    /// ATLAS_STATUS_HTTP_ERROR.
    NotFound = 4,
    /// Refused for its rate: HTTP 429, or Atlas' rate-limit errorCode
    /// (RATE_LIMITED, *_RATE_LIMITED, *RATE_LIMITED_*) with another status,
    /// e.g. 400 INVITATIONS_RATE_LIMITED_IP; see atlas_error_retry_after_ms.
    RateLimited = 5,
    /// Any other HTTP 3xx or 4xx status, including a 404 that is not Atlas
    /// saying a resource does not exist (a wrong base URL or path, a proxy).
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
    /// The call was cancelled by atlas_client_cancel_all while it was in
    /// flight. A request already sent may have taken effect.
    Cancelled = 12,
}

/// The C status of each error kind. Exhaustive: a kind added to the core's
/// table (`error_kinds!` in src/error.rs) does not compile until it has one.
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
            ErrorKind::Cancelled => atlas_status::Cancelled,
        }
    }
}

/// The text of status number `status`: the core's description of its error
/// kind, or one of C's own outcomes, which are no error kind.
fn text(status: u32) -> Option<&'static CStr> {
    match status {
        s if s == atlas_status::Ok as u32 => Some(c"ok"),
        s if s == atlas_status::Internal as u32 => Some(c"internal error"),
        s => ErrorKind::ALL
            .iter()
            .find(|&&kind| atlas_status::from(kind) as u32 == s)
            .map(|kind| kind.c_description()),
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
        text(status).unwrap_or(c"unknown status").as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every `ATLAS_STATUS_*` number in the header cbindgen generated: the
    /// enum as C sees it, so a status added without a text is caught here.
    fn header_statuses() -> Vec<(String, u32)> {
        let header = std::fs::read_to_string(env!("ATLAS_ADMIN_GENERATED_HEADER")).unwrap();
        header
            .lines()
            .filter_map(|line| {
                let (name, number) = line
                    .trim()
                    .strip_prefix("ATLAS_STATUS_")?
                    .split_once(" = ")?;
                Some((name.to_owned(), number.trim_end_matches(',').parse().ok()?))
            })
            .collect()
    }

    #[test]
    fn every_status_has_its_own_text() {
        let statuses = header_statuses();
        assert!(statuses.len() > ErrorKind::ALL.len(), "{statuses:?}");
        let texts: HashSet<_> = statuses
            .iter()
            .map(|(name, number)| {
                text(*number).unwrap_or_else(|| panic!("ATLAS_STATUS_{name} has no text"))
            })
            .collect();
        assert_eq!(texts.len(), statuses.len(), "texts are distinct");
        let unknown = statuses.iter().map(|(_, n)| n).max().unwrap() + 1;
        assert_eq!(text(unknown), None);
    }

    #[test]
    fn every_error_kind_has_its_own_status_text_and_exception() {
        let kinds = ErrorKind::ALL;
        let distinct = |values: Vec<String>| values.into_iter().collect::<HashSet<_>>().len();
        let statuses: Vec<_> = kinds.iter().map(|&k| atlas_status::from(k)).collect();
        assert!(
            !statuses.contains(&atlas_status::Ok) && !statuses.contains(&atlas_status::Internal)
        );
        assert_eq!(
            distinct(statuses.iter().map(|s| format!("{s:?}")).collect()),
            kinds.len()
        );
        assert_eq!(
            distinct(kinds.iter().map(|k| k.description().to_owned()).collect()),
            kinds.len()
        );
        assert_eq!(
            distinct(
                kinds
                    .iter()
                    .map(|k| k.python_exception().to_owned())
                    .collect()
            ),
            kinds.len()
        );
        for &kind in kinds {
            assert_eq!(
                text(atlas_status::from(kind) as u32).unwrap().to_str(),
                Ok(kind.description())
            );
        }
    }
}
