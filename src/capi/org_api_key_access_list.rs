//! The calls on an organization API key's access list: list, add and
//! delete an entry, each with its `*_with_accept` variant. Each converts
//! C's arguments, calls the core, and converts the answer; the core checks
//! every argument.

use super::access_list::atlas_access_list;
use super::call_options::call_wide;
use super::client::{atlas_client, live};
use super::error::atlas_error;
use super::fallible::{fallible, returning};
use super::status::atlas_status;
use super::strings::{arg, array_arg};
use std::ffi::c_char;
use std::ptr;

/// Lists the access list of API key `api_key_id` of organization `org_id`
/// (GET {base}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}/accessList), all pages.
///
/// Both IDs are 24 lowercase hex characters. `flags` is 0 or a
/// combination of ATLAS_CALL_PRETTY and ATLAS_CALL_ENVELOPE; other bits
/// are refused. A key that does not exist is ATLAS_STATUS_NOT_FOUND. A
/// refused argument (NULL, invalid UTF-8, a malformed ID, `out` NULL) is
/// ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent.
///
/// On success `*out` receives a new list the caller owns and releases with
/// atlas_access_list_free. On failure `*out` is set to NULL (when `out` is
/// not NULL) and, if `out_error` is not NULL, `*out_error` receives a new
/// error the caller releases with atlas_error_free; on success it is set
/// to NULL. The strings are only read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until every page has arrived or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the IDs are NULL or NUL-terminated;
/// `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_list_org_api_key_access_list(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    flags: u32,
    out: *mut *mut atlas_access_list,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_list_org_api_key_access_list_with_accept(
        client,
        org_id,
        api_key_id,
        ptr::null(),
        flags,
        out,
        out_error,
    )
}

/// atlas_list_org_api_key_access_list with the Accept media type `accept`
/// instead of the client's; NULL keeps the client's. A malformed media
/// type is refused with ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`,
/// before anything is sent. Everything else, ownership and thread-safety
/// included, is as for atlas_list_org_api_key_access_list.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_list_org_api_key_access_list_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_access_list,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning(out, out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let api_key_id = arg("api_key_id", api_key_id)?;
        let options = call_wide("atlas_list_org_api_key_access_list", flags, accept)?;
        let entries = client.list_org_api_key_access_list(org_id, api_key_id, &options)?;
        Ok(entries.into_iter().collect())
    })
}

/// Adds the `count` entries in `entries` to the access list of API key
/// `api_key_id` of organization `org_id`
/// (POST {base}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}/accessList): each an
/// IPv4 or IPv6 address ("192.0.2.1") or a CIDR block ("10.0.0.0/24").
/// Returns the access list as Atlas answers (its first page).
///
/// At least one entry is needed: an empty list (`entries` NULL with
/// `count` 0 included) is refused, as is NULL with a count above 0, a NULL
/// or invalid element (`entries[i]`), or text that is no address or block.
/// `flags` is 0 or a combination of ATLAS_CALL_PRETTY and
/// ATLAS_CALL_ENVELOPE; other bits are refused. A key that does not exist
/// is ATLAS_STATUS_NOT_FOUND. A refused argument is
/// ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent. The request
/// is retried only when it surely was not sent.
///
/// On success `*out` receives a new list the caller owns and releases with
/// atlas_access_list_free. On failure `*out` is set to NULL (when `out` is
/// not NULL) and, if `out_error` is not NULL, `*out_error` receives a new
/// error the caller releases with atlas_error_free; on success it is set
/// to NULL. The strings and the array are only read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `entries` is NULL or points to `count` pointers, each
/// NULL or NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_add_org_api_key_access_list(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    entries: *const *const c_char,
    count: usize,
    flags: u32,
    out: *mut *mut atlas_access_list,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_add_org_api_key_access_list_with_accept(
        client,
        org_id,
        api_key_id,
        entries,
        count,
        ptr::null(),
        flags,
        out,
        out_error,
    )
}

/// atlas_add_org_api_key_access_list with the Accept media type `accept`
/// instead of the client's; NULL keeps the client's. A malformed media
/// type is refused with ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`,
/// before anything is sent. Everything else, ownership and thread-safety
/// included, is as for atlas_add_org_api_key_access_list.
///
/// # Safety
/// As for atlas_add_org_api_key_access_list; `accept` is NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn atlas_add_org_api_key_access_list_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    entries: *const *const c_char,
    count: usize,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_access_list,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning(out, out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let api_key_id = arg("api_key_id", api_key_id)?;
        let entries = array_arg("entries", entries, count)?;
        let options = call_wide("atlas_add_org_api_key_access_list", flags, accept)?;
        let answer = client.add_org_api_key_access_list(org_id, api_key_id, &entries, &options)?;
        Ok(answer.into_iter().collect())
    })
}

/// Removes `entry` (an IP address or CIDR block, as listed) from the
/// access list of API key `api_key_id` of organization `org_id`
/// (DELETE {base}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}/accessList/{ENTRY},
/// a CIDR block's "/" sent as "%2F").
///
/// `flags` is 0 or a combination of ATLAS_CALL_PRETTY and
/// ATLAS_CALL_ENVELOPE; other bits (ATLAS_DELETE_MISSING_OK among them)
/// are refused. An entry or key that does not exist is
/// ATLAS_STATUS_NOT_FOUND. A refused argument (NULL, invalid UTF-8, a
/// malformed ID, an entry that is no address or block) is
/// ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent.
///
/// On failure, if `out_error` is not NULL, `*out_error` receives a new
/// error the caller releases with atlas_error_free; on success it is set
/// to NULL. The strings are only read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_delete_org_api_key_access_list_entry(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    entry: *const c_char,
    flags: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_delete_org_api_key_access_list_entry_with_accept(
        client,
        org_id,
        api_key_id,
        entry,
        ptr::null(),
        flags,
        out_error,
    )
}

/// atlas_delete_org_api_key_access_list_entry with the Accept media type
/// `accept` instead of the client's; NULL keeps the client's. A malformed
/// media type is refused with ATLAS_STATUS_INVALID_ARGUMENT, naming
/// `accept`, before anything is sent. Everything else, ownership and
/// thread-safety included, is as for
/// atlas_delete_org_api_key_access_list_entry.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_delete_org_api_key_access_list_entry_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    entry: *const c_char,
    accept: *const c_char,
    flags: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let (api_key_id, entry) = (arg("api_key_id", api_key_id)?, arg("entry", entry)?);
        let options = call_wide("atlas_delete_org_api_key_access_list_entry", flags, accept)?;
        Ok(client.delete_org_api_key_access_list_entry(org_id, api_key_id, entry, &options)?)
    })
}
