//! `atlas_client_options` and `atlas_client`.

use super::error::atlas_error;
use super::panic::{call, catch};
use super::status::atlas_status;
use super::strings::arg;
use crate::{Client, ClientBuilder, ProxyConfig, RetryPolicy};
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

/// Changes one setting of the retry policy of `options`.
///
/// # Safety
/// `options` is NULL or a live atlas_client_options.
unsafe fn change_retry(
    options: *mut atlas_client_options,
    change: impl FnOnce(RetryPolicy) -> RetryPolicy,
) -> Result<(), atlas_error> {
    let builder = options_mut(options)?;
    builder.retry(change(builder.retry_policy()));
    Ok(())
}

/// Creates options with the defaults: base URL
/// https://cloud.mongodb.com/api/atlas/v1.0, no API key, 10 s connect
/// timeout, 30 s overall timeout, up to 3 retries within 60 s, the bundled
/// Mozilla root certificates, proxies from the environment.
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

/// Sets how many times a failed attempt may be repeated (0 turns retries
/// off). Retried: connection failures and timeouts before any answer, HTTP
/// 429, 500, 502, 503, 504, with exponential backoff and full jitter, or
/// the server's Retry-After. Never 400, 401, 403 or 404.
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_max_retries(
    options: *mut atlas_client_options,
    max_retries: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        change_retry(options, |r| r.max_retries(max_retries))
    })
}

/// Sets the most time one call may take, all attempts and waits included,
/// in milliseconds. Must be greater than zero (checked by atlas_client_new).
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_retry_budget_ms(
    options: *mut atlas_client_options,
    budget_ms: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        change_retry(options, |r| {
            r.budget(Duration::from_millis(budget_ms.into()))
        })
    })
}

/// Trusts the CA certificates in the PEM file at `path` instead of the
/// bundled Mozilla roots (as curl --cacert does), e.g. for Ops Manager
/// behind a private CA. The file is read by atlas_client_new. Certificate
/// verification cannot be turned off.
///
/// # Safety
/// `options` is NULL or live options; `path` is NULL or a NUL-terminated
/// string; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_ca_bundle(
    options: *mut atlas_client_options,
    path: *const c_char,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        let path = arg("path", path)?;
        options_mut(options)?.ca_bundle(path);
        Ok(())
    })
}

/// Allows (true) a plain http:// base URL to a host that is not loopback.
/// By default such URLs are refused; loopback hosts are always allowed.
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_allow_insecure_http(
    options: *mut atlas_client_options,
    allow: bool,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        options_mut(options)?.allow_insecure_http(allow);
        Ok(())
    })
}

/// Sends requests through the proxy at `url` (e.g.
/// "http://proxy.example.com:3128"), whatever the environment says. By
/// default HTTPS_PROXY / ALL_PROXY / NO_PROXY decide.
///
/// # Safety
/// `options` is NULL or live options; `url` is NULL or a NUL-terminated
/// string; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_proxy(
    options: *mut atlas_client_options,
    url: *const c_char,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        let url = arg("url", url)?;
        options_mut(options)?.proxy(ProxyConfig::Url(url.to_owned()));
        Ok(())
    })
}

/// Uses no proxy at all, whatever the environment says.
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_disable_proxy(
    options: *mut atlas_client_options,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    call(out_error, || {
        options_mut(options)?.proxy(ProxyConfig::Disabled);
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
