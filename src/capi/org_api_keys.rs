//! `atlas_delete_org_api_key` and `atlas_delete_org_api_key_with_accept`.

use super::call_options::{decode, Export, ATLAS_DELETE_MISSING_OK};
use super::client::atlas_client;
use super::error::atlas_error;
use super::fallible::fallible;
use super::status::atlas_status;
use super::strings::arg;
use crate::DeleteOptions;
use std::ffi::c_char;
use std::ptr;

/// Deletes API key `api_key_id` from organization `org_id`
/// (DELETE {base}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}).
///
/// `flags` is 0 or a combination of the flags of every call
/// (ATLAS_CALL_PRETTY, ATLAS_CALL_ENVELOPE, or their aliases
/// ATLAS_DELETE_PRETTY, ATLAS_DELETE_ENVELOPE) and ATLAS_DELETE_MISSING_OK;
/// unknown bits are refused. Both IDs must be 24 lowercase hex characters,
/// or the call fails with ATLAS_STATUS_INVALID_ARGUMENT before anything is
/// sent. A key that does not exist gives ATLAS_STATUS_NOT_FOUND, although
/// Atlas answers it with HTTP 400 API_KEY_NOT_FOUND (success with
/// ATLAS_DELETE_MISSING_OK). Failures are retried as the client's options
/// allow (by default up to 3 retries within 60 s for connection failures,
/// timeouts, 429 and 5xx).
///
/// The strings are only read during the call. On failure, if `out_error`
/// is not NULL, `*out_error` receives a new error the caller must release
/// with atlas_error_free; on success it is set to NULL.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the IDs are NULL or NUL-terminated
/// strings; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_delete_org_api_key(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    flags: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_delete_org_api_key_with_accept(client, org_id, api_key_id, ptr::null(), flags, out_error)
}

/// atlas_delete_org_api_key with the Accept media type `accept` instead of
/// the client's, e.g. "application/vnd.atlas.2023-01-01+json" (Atlas v2
/// versions each resource by date); NULL keeps the client's. A media type
/// that cannot be a header value, or an Atlas version that is not a date
/// (YYYY-MM-DD), is refused with ATLAS_STATUS_INVALID_ARGUMENT, naming
/// `accept`, before anything is sent. Everything else, ownership and
/// thread-safety included, is as for atlas_delete_org_api_key.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_delete_org_api_key_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    accept: *const c_char,
    flags: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let client = client
            .as_ref()
            .ok_or_else(|| atlas_error::invalid("client", "must not be NULL"))?;
        let org_id = arg("org_id", org_id)?;
        let api_key_id = arg("api_key_id", api_key_id)?;
        let decoded = decode(Export::DeleteOrgApiKey, flags, accept)?;
        let missing_ok = decoded.has(ATLAS_DELETE_MISSING_OK);
        let options = DeleteOptions::from(decoded.options).missing_ok(missing_ok);
        client
            .inner
            .delete_org_api_key(org_id, api_key_id, &options)
            .map_err(atlas_error::from)
    })
}
