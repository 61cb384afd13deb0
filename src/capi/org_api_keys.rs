//! `atlas_delete_org_api_key` and its flags.

use super::client::atlas_client;
use super::error::atlas_error;
use super::panic::call;
use super::status::atlas_status;
use super::strings::arg;
use crate::DeleteOptions;
use std::ffi::c_char;

/// atlas_delete_org_api_key flag: ask Atlas for a pretty-printed body (`pretty=true`).
pub const ATLAS_DELETE_PRETTY: u32 = 1 << 0;
/// atlas_delete_org_api_key flag: ask Atlas to wrap its answer in an
/// envelope (`envelope=true`); the envelope's status decides the outcome.
pub const ATLAS_DELETE_ENVELOPE: u32 = 1 << 1;

/// atlas_delete_org_api_key flag: a key that does not exist is success
/// (like `rm -f`), e.g. when a retried delete finds that its lost first
/// attempt already did it. Only Atlas' own API_KEY_NOT_FOUND counts: a bare
/// 404 from a proxy or a wrong base URL, or an unknown organization, is
/// still an error.
pub const ATLAS_DELETE_MISSING_OK: u32 = 1 << 2;

const KNOWN_FLAGS: u32 = ATLAS_DELETE_PRETTY | ATLAS_DELETE_ENVELOPE | ATLAS_DELETE_MISSING_OK;

/// Deletes API key `api_key_id` from organization `org_id`
/// (DELETE {base}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}).
///
/// `flags` is 0 or a combination of ATLAS_DELETE_* flags; unknown bits are
/// refused. Both IDs must be 24 lowercase hex characters, or the call fails
/// with ATLAS_STATUS_INVALID_ARGUMENT before anything is sent. A key that
/// does not exist gives ATLAS_STATUS_NOT_FOUND, although Atlas answers it
/// with HTTP 400 API_KEY_NOT_FOUND (success with ATLAS_DELETE_MISSING_OK).
/// Failures are retried as the client's options allow (by default up to 3
/// retries within 60 s for connection failures, timeouts, 429 and 5xx).
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
    call(out_error, || {
        let client = client
            .as_ref()
            .ok_or_else(|| atlas_error::invalid("client", "must not be NULL"))?;
        let org_id = arg("org_id", org_id)?;
        let api_key_id = arg("api_key_id", api_key_id)?;
        if flags & !KNOWN_FLAGS != 0 {
            return Err(atlas_error::invalid(
                "flags",
                &format!("has unknown bits {:#x}", flags & !KNOWN_FLAGS),
            ));
        }
        let options = DeleteOptions::new()
            .pretty(flags & ATLAS_DELETE_PRETTY != 0)
            .envelope(flags & ATLAS_DELETE_ENVELOPE != 0)
            .missing_ok(flags & ATLAS_DELETE_MISSING_OK != 0);
        client
            .inner
            .delete_org_api_key(org_id, api_key_id, &options)
            .map_err(atlas_error::from)
    })
}
