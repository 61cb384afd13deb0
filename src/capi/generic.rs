//! `atlas_call` and `atlas_call_with_accept`: any endpoint, with the typed
//! calls' authentication, retries, errors and secrets hygiene (the core's
//! `Client::call`); here only C's strings become the core's types.

use super::call_options::call_wide;
use super::client::{atlas_client, live};
use super::error::atlas_error;
use super::fallible::returning;
use super::json::wipe;
use super::response::atlas_response;
use super::status::atlas_status;
use super::strings::arg;
use crate::{parse_query, Method};
use serde_json::Value;
use std::ffi::c_char;
use std::ptr;

/// Calls `method` on `path` below the client's API base, e.g.
/// atlas_call(client, "GET", "/orgs/5f1a2b3c4d5e6f7a8b9c0d1e/apiKeys",
/// "pageNum=2&itemsPerPage=100", NULL, 0, &response, &error): the escape
/// hatch for endpoints that have no function of their own, with the same
/// authentication, retries, errors and secrets hygiene as the typed calls.
/// The request's media type is the client's (see atlas_call_with_accept).
///
/// - `method`: "GET", "POST", "PUT", "PATCH" or "DELETE", in any case.
/// - `path`: relative to the client's API base URL, starting with "/".
///   Refused: a URL (scheme or host), a path repeating the API's own base
///   ("/api/atlas/v1.0/..."), a query or fragment ("?", "#"), control
///   characters, empty, "." or ".." segments, a malformed %-escape.
///   Characters a path may not hold are %-escaped.
/// - `query`: NULL, or "name=value&name=value" with %-escapes decoded
///   ("a%26b" is "a&b"); "+" is a plus sign.
/// - `json_body`: NULL for none, or a JSON text, sent with
///   Content-Type: application/json. Text that is not JSON is refused.
/// - `flags`: 0 or a combination of ATLAS_CALL_PRETTY and
///   ATLAS_CALL_ENVELOPE; other bits (ATLAS_DELETE_MISSING_OK among them)
///   are refused.
///
/// Any 2xx (with ATLAS_CALL_ENVELOPE, an envelope saying 2xx) is success:
/// `*out` receives a new response, which the caller owns and releases with
/// atlas_response_free. Other answers are errors with the statuses of the
/// typed calls (a 404 for a wrong path is ATLAS_STATUS_HTTP_ERROR; Atlas'
/// own *_NOT_FOUND codes are ATLAS_STATUS_NOT_FOUND); a 2xx whose body is
/// not JSON is ATLAS_STATUS_PROTOCOL. A NULL or invalid argument, `out`
/// included, is ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing
/// sent. Retries follow the client's options, but a POST or PATCH is
/// retried only when it surely was not sent (connection refused, HTTP 429).
///
/// On failure `*out` is set to NULL (when `out` is not NULL) and, if
/// `out_error` is not NULL, `*out_error` receives a new error the caller
/// releases with atlas_error_free; on success `*out_error` is set to NULL.
/// The strings are only read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_call(
    client: *const atlas_client,
    method: *const c_char,
    path: *const c_char,
    query: *const c_char,
    json_body: *const c_char,
    flags: u32,
    out: *mut *mut atlas_response,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_call_with_accept(
        client,
        method,
        path,
        query,
        json_body,
        ptr::null(),
        flags,
        out,
        out_error,
    )
}

/// atlas_call with the Accept media type `accept` instead of the client's:
/// Atlas v2 versions each resource by date, e.g.
/// "application/vnd.atlas.2024-08-05+json". NULL keeps the client's
/// (application/json, or application/vnd.atlas.2023-01-01+json for
/// ATLAS_API_ATLAS_V2). A media type that cannot be a header value, or an
/// Atlas version that is not a date (YYYY-MM-DD), is refused with
/// ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`, before anything is
/// sent. Everything else, ownership and thread-safety included, is as for
/// atlas_call.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_call_with_accept(
    client: *const atlas_client,
    method: *const c_char,
    path: *const c_char,
    query: *const c_char,
    json_body: *const c_char,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_response,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning(out, out_error, || {
        let client = live(client)?;
        let method: Method = arg("method", method)?.parse()?;
        let path = arg("path", path)?;
        let query = if query.is_null() {
            Vec::new()
        } else {
            parse_query(arg("query", query)?)?
        };
        let mut body = if json_body.is_null() {
            None
        } else {
            Some(
                serde_json::from_str::<Value>(arg("json_body", json_body)?).map_err(|e| {
                    atlas_error::invalid("json_body", &format!("is not JSON ({e})"))
                })?,
            )
        };
        let options = call_wide("atlas_call", flags, accept)?;
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let answer = client.call(method, path, &pairs, body.as_ref(), &options);
        if let Some(body) = &mut body {
            wipe(body);
        }
        Ok(atlas_response::from(answer?))
    })
}
