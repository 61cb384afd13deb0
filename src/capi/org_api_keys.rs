//! The organization API key calls: list, get, find, create, update and
//! delete, each with its `*_with_accept` variant. Each converts C's
//! arguments, calls the core, and converts the answer; the core checks
//! every argument.

use super::api_key_list::atlas_api_key_list;
use super::api_keys::atlas_api_key;
use super::call_options::{call_wide, decode, Export, ATLAS_DELETE_MISSING_OK};
use super::client::{atlas_client, live};
use super::error::atlas_error;
use super::fallible::{fallible, returning, returning_maybe};
use super::status::atlas_status;
use super::strings::{arg, array_arg, optional_arg, optional_array_arg};
use crate::DeleteOptions;
use std::ffi::c_char;
use std::ptr;

/// Lists every API key of organization `org_id`
/// (GET {base}/orgs/{ORG-ID}/apiKeys), all pages (500 keys to a page).
///
/// `org_id` is 24 lowercase hex characters. `flags` is 0 or a combination
/// of ATLAS_CALL_PRETTY and ATLAS_CALL_ENVELOPE; other bits are refused.
/// An unknown organization is ATLAS_STATUS_NOT_FOUND. A refused argument
/// (NULL, invalid UTF-8, a malformed ID, `out` NULL) is
/// ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent. Each page
/// is retried as the client's options allow.
///
/// On success `*out` receives a new list the caller owns and releases with
/// atlas_api_key_list_free; its keys belong to it. On failure `*out` is
/// set to NULL (when `out` is not NULL) and, if `out_error` is not NULL,
/// `*out_error` receives a new error the caller releases with
/// atlas_error_free; on success it is set to NULL. The strings are only
/// read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until every page has arrived or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; `org_id` is NULL or NUL-terminated;
/// `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_list_org_api_keys(
    client: *const atlas_client,
    org_id: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key_list,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_list_org_api_keys_with_accept(client, org_id, ptr::null(), flags, out, out_error)
}

/// atlas_list_org_api_keys with the Accept media type `accept` instead of
/// the client's, e.g. "application/vnd.atlas.2023-01-01+json"; NULL keeps
/// the client's. A media type that cannot be a header value, or an Atlas
/// version that is not a date, is refused with
/// ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`, before anything is
/// sent. Everything else, ownership and thread-safety included, is as for
/// atlas_list_org_api_keys.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_list_org_api_keys_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key_list,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning(out, out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let options = call_wide("atlas_list_org_api_keys", flags, accept)?;
        let keys = client.list_org_api_keys(org_id, &options)?;
        Ok(keys
            .map(|key| key.map(atlas_api_key::from))
            .collect::<Result<_, _>>()?)
    })
}

/// Gets API key `api_key_id` of organization `org_id`
/// (GET {base}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}). Its private key is
/// not shown (atlas_api_key_private_key gives NULL).
///
/// Both IDs are 24 lowercase hex characters. `flags` is 0 or a
/// combination of ATLAS_CALL_PRETTY and ATLAS_CALL_ENVELOPE; other bits
/// are refused. A key that does not exist is ATLAS_STATUS_NOT_FOUND
/// (Atlas v1.0 answers HTTP 400 API_KEY_NOT_FOUND, v2 HTTP 404). A refused
/// argument is ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent.
///
/// On success `*out` receives a new key the caller owns and releases with
/// atlas_api_key_free. On failure `*out` is set to NULL (when `out` is not
/// NULL) and, if `out_error` is not NULL, `*out_error` receives a new
/// error the caller releases with atlas_error_free; on success it is set
/// to NULL. The strings are only read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the IDs are NULL or NUL-terminated;
/// `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_get_org_api_key(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_get_org_api_key_with_accept(
        client,
        org_id,
        api_key_id,
        ptr::null(),
        flags,
        out,
        out_error,
    )
}

/// atlas_get_org_api_key with the Accept media type `accept` instead of
/// the client's; NULL keeps the client's. A malformed media type is
/// refused with ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`, before
/// anything is sent. Everything else, ownership and thread-safety
/// included, is as for atlas_get_org_api_key.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_get_org_api_key_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning(out, out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let api_key_id = arg("api_key_id", api_key_id)?;
        let options = call_wide("atlas_get_org_api_key", flags, accept)?;
        Ok(client.get_org_api_key(org_id, api_key_id, &options)?.into())
    })
}

/// Finds the API key of organization `org_id` whose public key (its
/// Digest user name, what a leak report shows) is `public_key`: one
/// listing of the organization, stopping at the match. Success with
/// `*out` NULL when no key has it.
///
/// `org_id` is 24 lowercase hex characters; `public_key` 8 lowercase
/// letters or digits. `flags` is 0 or a combination of ATLAS_CALL_PRETTY
/// and ATLAS_CALL_ENVELOPE; other bits are refused. An unknown
/// organization is ATLAS_STATUS_NOT_FOUND. A refused argument is
/// ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent.
///
/// On success `*out` receives a new key the caller owns and releases with
/// atlas_api_key_free, or NULL when there is none. On failure `*out` is
/// set to NULL (when `out` is not NULL) and, if `out_error` is not NULL,
/// `*out_error` receives a new error the caller releases with
/// atlas_error_free; on success it is set to NULL. The strings are only
/// read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_find_org_api_key(
    client: *const atlas_client,
    org_id: *const c_char,
    public_key: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_find_org_api_key_with_accept(
        client,
        org_id,
        public_key,
        ptr::null(),
        flags,
        out,
        out_error,
    )
}

/// atlas_find_org_api_key with the Accept media type `accept` instead of
/// the client's; NULL keeps the client's. A malformed media type is
/// refused with ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`, before
/// anything is sent. Everything else, ownership and thread-safety
/// included, is as for atlas_find_org_api_key.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_find_org_api_key_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    public_key: *const c_char,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning_maybe(out, out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let public_key = arg("public_key", public_key)?;
        let options = call_wide("atlas_find_org_api_key", flags, accept)?;
        let found = client.find_org_api_key(org_id, public_key, &options)?;
        Ok(found.map(atlas_api_key::from))
    })
}

/// Creates an API key in organization `org_id`
/// (POST {base}/orgs/{ORG-ID}/apiKeys) with `description` (1 to 250
/// characters, no control characters) and the `role_count` organization
/// roles in `roles` (at least one of "ORG_OWNER", "ORG_MEMBER",
/// "ORG_GROUP_CREATOR", "ORG_BILLING_ADMIN", "ORG_BILLING_READ_ONLY",
/// "ORG_READ_ONLY"). The new key's private key is in the answer, and only
/// there: read it with atlas_api_key_private_key, store it at once, never
/// print it.
///
/// `roles` may be NULL only with `role_count` 0, which (like any empty
/// list) is refused: a key needs a role. A NULL or invalid role is refused
/// as `roles[i]`. `flags` is 0 or a combination of ATLAS_CALL_PRETTY and
/// ATLAS_CALL_ENVELOPE; other bits are refused. A refused argument is
/// ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent. The
/// request is retried only when it surely was not sent (connection
/// refused, HTTP 429): a retry could create a second key.
///
/// On success `*out` receives a new key the caller owns and releases with
/// atlas_api_key_free, which wipes the library's copy of the private key.
/// On failure `*out` is set to NULL (when `out` is not NULL) and, if
/// `out_error` is not NULL, `*out_error` receives a new error the caller
/// releases with atlas_error_free; on success it is set to NULL. The
/// strings and the array are only read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `roles` is NULL or points to `role_count` pointers,
/// each NULL or NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_create_org_api_key(
    client: *const atlas_client,
    org_id: *const c_char,
    description: *const c_char,
    roles: *const *const c_char,
    role_count: usize,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_create_org_api_key_with_accept(
        client,
        org_id,
        description,
        roles,
        role_count,
        ptr::null(),
        flags,
        out,
        out_error,
    )
}

/// atlas_create_org_api_key with the Accept media type `accept` instead
/// of the client's; NULL keeps the client's. A malformed media type is
/// refused with ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`, before
/// anything is sent. Everything else, ownership and thread-safety
/// included, is as for atlas_create_org_api_key.
///
/// # Safety
/// As for atlas_create_org_api_key; `accept` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn atlas_create_org_api_key_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    description: *const c_char,
    roles: *const *const c_char,
    role_count: usize,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning(out, out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let description = arg("description", description)?;
        let roles = array_arg("roles", roles, role_count)?;
        let options = call_wide("atlas_create_org_api_key", flags, accept)?;
        Ok(client
            .create_org_api_key(org_id, description, &roles, &options)?
            .into())
    })
}

/// Changes the description and/or the roles of API key `api_key_id` of
/// organization `org_id` (PATCH {base}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID});
/// returns the key as it now is (without its private key).
///
/// - `description`: NULL leaves it unchanged; else 1 to 250 characters,
///   no control characters.
/// - `roles`, `role_count`: NULL with 0 leaves the roles unchanged; else
///   the key's new organization roles (as for atlas_create_org_api_key),
///   replacing the old. A non-NULL `roles` with `role_count` 0 is an empty
///   list, which is refused: a key keeps at least one role. NULL with a
///   count above 0, or a NULL or invalid role (`roles[i]`), is refused.
/// - At least one of the two must be given.
///
/// `flags` is 0 or a combination of ATLAS_CALL_PRETTY and
/// ATLAS_CALL_ENVELOPE; other bits are refused. A key that does not exist
/// is ATLAS_STATUS_NOT_FOUND. A refused argument is
/// ATLAS_STATUS_INVALID_ARGUMENT, naming it, with nothing sent. The
/// request is retried only when it surely was not sent.
///
/// On success `*out` receives a new key the caller owns and releases with
/// atlas_api_key_free. On failure `*out` is set to NULL (when `out` is not
/// NULL) and, if `out_error` is not NULL, `*out_error` receives a new
/// error the caller releases with atlas_error_free; on success it is set
/// to NULL. The strings and the array are only read during the call.
///
/// Thread-safe: many threads may call this with the same client at once.
/// Blocks until the answer arrives or a timeout expires.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or
/// NUL-terminated; `roles` is NULL or points to `role_count` pointers,
/// each NULL or NUL-terminated; `out` and `out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_update_org_api_key(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    description: *const c_char,
    roles: *const *const c_char,
    role_count: usize,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    atlas_update_org_api_key_with_accept(
        client,
        org_id,
        api_key_id,
        description,
        roles,
        role_count,
        ptr::null(),
        flags,
        out,
        out_error,
    )
}

/// atlas_update_org_api_key with the Accept media type `accept` instead
/// of the client's; NULL keeps the client's. A malformed media type is
/// refused with ATLAS_STATUS_INVALID_ARGUMENT, naming `accept`, before
/// anything is sent. Everything else, ownership and thread-safety
/// included, is as for atlas_update_org_api_key.
///
/// # Safety
/// As for atlas_update_org_api_key; `accept` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn atlas_update_org_api_key_with_accept(
    client: *const atlas_client,
    org_id: *const c_char,
    api_key_id: *const c_char,
    description: *const c_char,
    roles: *const *const c_char,
    role_count: usize,
    accept: *const c_char,
    flags: u32,
    out: *mut *mut atlas_api_key,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    returning(out, out_error, || {
        let (client, org_id) = (live(client)?, arg("org_id", org_id)?);
        let api_key_id = arg("api_key_id", api_key_id)?;
        let description = optional_arg("description", description)?;
        let roles = optional_array_arg("roles", roles, role_count)?;
        let options = call_wide("atlas_update_org_api_key", flags, accept)?;
        let key = client.update_org_api_key(
            org_id,
            api_key_id,
            description,
            roles.as_deref(),
            &options,
        )?;
        Ok(key.into())
    })
}

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
        let client = live(client)?;
        let org_id = arg("org_id", org_id)?;
        let api_key_id = arg("api_key_id", api_key_id)?;
        let decoded = decode(Export::DeleteOrgApiKey, flags, accept)?;
        let missing_ok = decoded.has(ATLAS_DELETE_MISSING_OK);
        let options = DeleteOptions::from(decoded.options).missing_ok(missing_ok);
        client
            .delete_org_api_key(org_id, api_key_id, &options)
            .map(|_| ())
            .map_err(atlas_error::from)
    })
}
