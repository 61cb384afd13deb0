//! `atlas_client_options` and `atlas_client`.

use super::error::atlas_error;
use super::panic::{call, catch};
use super::status::atlas_status;
use super::strings::arg;
use crate::{Client, ClientBuilder};
use std::ffi::c_char;
use std::ptr;
use std::time::Duration;

/// Settings for a new client: base URL, API key, timeouts. Opaque; create
/// with atlas_client_options_new, release with atlas_client_options_free.
/// Not thread-safe: use one options object from one thread at a time.
pub struct atlas_client_options {
    builder: ClientBuilder,
}

/// A client for the Atlas Administration API. Opaque; create with
/// atlas_client_new, release with atlas_client_free.
///
/// Thread-safe: one client may be used by many threads at once, and should
/// be, since it pools connections and reuses the Digest challenge.
pub struct atlas_client {
    pub(crate) inner: Client,
}

/// Borrows the options mutably, refusing NULL.
///
/// # Safety
/// `options` is NULL or a live atlas_client_options.
unsafe fn options_mut<'a>(
    options: *mut atlas_client_options,
) -> Result<&'a mut ClientBuilder, atlas_error> {
    options
        .as_mut()
        .map(|o| &mut o.builder)
        .ok_or_else(|| atlas_error::invalid("options", "must not be NULL"))
}

/// Creates options with the defaults: base URL
/// https://cloud.mongodb.com/api/atlas/v1.0, no API key, 10 s connect
/// timeout, 30 s overall timeout.
///
/// The caller owns the result and releases it with atlas_client_options_free.
/// Returns NULL only if an internal error occurred.
#[no_mangle]
pub extern "C" fn atlas_client_options_new() -> *mut atlas_client_options {
    catch(ptr::null_mut(), || {
        Box::into_raw(Box::new(atlas_client_options {
            builder: ClientBuilder::new(),
        }))
    })
}

/// Sets the API base URL, e.g. "https://cloud.mongodb.com/api/public/v1.0"
/// for Cloud Manager or "https://ops.example.com:8443/api/public/v1.0" for
/// Ops Manager. The string is copied. It is checked by atlas_client_new.
///
/// # Safety
/// `options` is NULL or live options; `base_url` is NULL or a NUL-terminated
/// string; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_base_url(
    options: *mut atlas_client_options,
    base_url: *const c_char,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        let url = arg("base_url", base_url)?;
        options_mut(options)?.base_url(url);
        Ok(())
    })
}

/// Sets the programmatic API key used for HTTP Digest authentication: the
/// public key is the user name, the private key the password. Both strings
/// are copied; the library's copy of the private key is wiped from memory
/// when the options and every client built from them are freed. The private
/// key never appears in any message.
///
/// # Safety
/// `options` is NULL or live options; the keys are NULL or NUL-terminated
/// strings; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_digest_credentials(
    options: *mut atlas_client_options,
    public_key: *const c_char,
    private_key: *const c_char,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        let public_key = arg("public_key", public_key)?;
        let private_key = arg("private_key", private_key)?;
        options_mut(options)?.digest_credentials(public_key, private_key);
        Ok(())
    })
}

/// Sets how long establishing a connection (TCP and TLS) may take, in
/// milliseconds. Must be greater than zero (checked by atlas_client_new).
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_connect_timeout_ms(
    options: *mut atlas_client_options,
    timeout_ms: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        options_mut(options)?.connect_timeout(Duration::from_millis(timeout_ms.into()));
        Ok(())
    })
}

/// Sets how long one HTTP exchange, from connecting to the end of the
/// response body, may take, in milliseconds. Must be greater than zero
/// (checked by atlas_client_new).
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_timeout_ms(
    options: *mut atlas_client_options,
    timeout_ms: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        options_mut(options)?.timeout(Duration::from_millis(timeout_ms.into()));
        Ok(())
    })
}

/// Releases options. NULL is ignored. Clients built from them are unaffected.
///
/// # Safety
/// `options` is NULL or options from atlas_client_options_new, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_free(options: *mut atlas_client_options) {
    if !options.is_null() {
        catch((), || drop(Box::from_raw(options)));
    }
}

/// Checks `options` and creates a client; sends nothing yet.
///
/// On success stores the new client in `*out_client`; the caller owns it
/// and releases it with atlas_client_free. On failure `*out_client` is set
/// to NULL. `options` stays owned by the caller and may be freed at once.
///
/// # Safety
/// `options` is NULL or live options; `out_client` is NULL or writable;
/// `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_new(
    options: *const atlas_client_options,
    out_client: *mut *mut atlas_client,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        if out_client.is_null() {
            return Err(atlas_error::invalid("out_client", "must not be NULL"));
        }
        *out_client = ptr::null_mut();
        let options = options
            .as_ref()
            .ok_or_else(|| atlas_error::invalid("options", "must not be NULL"))?;
        let inner = options.builder.build()?;
        *out_client = Box::into_raw(Box::new(atlas_client { inner }));
        Ok(())
    })
}

/// Releases a client, closing its pooled connections. NULL is ignored.
/// No other thread may be using the client.
///
/// # Safety
/// `client` is NULL or a client from atlas_client_new, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_free(client: *mut atlas_client) {
    if !client.is_null() {
        catch((), || drop(Box::from_raw(client)));
    }
}
