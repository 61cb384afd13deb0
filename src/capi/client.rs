//! `atlas_client_options` and `atlas_client`.

use super::error::atlas_error;
use super::fallible::fallible;
use super::panic::catch;
use super::status::atlas_status;
use super::strings::arg;
use crate::{Api, Client, ClientBuilder, ProxyConfig};
use std::ffi::c_char;
use std::ptr;
use std::time::Duration;

/// Settings for a new client: host or base URL, API flavour, credentials,
/// timeouts. Opaque; create
/// with atlas_client_options_new, release with atlas_client_options_free.
/// Not thread-safe: use one options object from one thread at a time.
pub struct atlas_client_options {
    builder: ClientBuilder,
}

/// A client for the Atlas Administration API. Opaque; create with
/// atlas_client_new, close with atlas_client_close (which revokes a service
/// account's token), release with atlas_client_free.
///
/// Thread-safe: one client may be used by many threads at once, and should
/// be, since it pools connections and reuses the Digest challenge.
pub struct atlas_client {
    inner: Client,
}

/// Borrows the client an export was given, refusing NULL.
///
/// # Safety
/// `client` is NULL or a live atlas_client.
pub(crate) unsafe fn live<'a>(client: *const atlas_client) -> Result<&'a Client, atlas_error> {
    client
        .as_ref()
        .map(|c| &c.inner)
        .ok_or_else(|| atlas_error::invalid("client", "must not be NULL"))
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

/// The API flavour, for atlas_client_options_set_api. The numbers are part
/// of the ABI: they never change and are never reused.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum atlas_api {
    /// Atlas Administration API v1.0, {host}/api/atlas/v1.0 (the default).
    AtlasV1 = 1,
    /// Atlas Administration API v2, {host}/api/atlas/v2, with
    /// Accept: application/vnd.atlas.2023-01-01+json.
    AtlasV2 = 2,
    /// Cloud Manager or Ops Manager, {host}/api/public/v1.0.
    OpsManager = 3,
}

impl From<atlas_api> for Api {
    fn from(api: atlas_api) -> Self {
        match api {
            atlas_api::AtlasV1 => Api::AtlasV1,
            atlas_api::AtlasV2 => Api::AtlasV2,
            atlas_api::OpsManager => Api::OpsManager,
        }
    }
}

impl TryFrom<u32> for atlas_api {
    type Error = atlas_error;

    fn try_from(number: u32) -> Result<Self, atlas_error> {
        [
            atlas_api::AtlasV1,
            atlas_api::AtlasV2,
            atlas_api::OpsManager,
        ]
        .into_iter()
        .find(|api| *api as u32 == number)
        .ok_or_else(|| {
            atlas_error::invalid(
                "api",
                &format!(
                    "{number} is not an atlas_api (ATLAS_API_ATLAS_V1, ATLAS_API_ATLAS_V2 \
                         or ATLAS_API_OPS_MANAGER)"
                ),
            )
        })
    }
}

/// Creates options with the defaults: Atlas v1.0 at
/// https://cloud.mongodb.com, no credentials, 10 s connect
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

/// Sets the full API base URL, e.g. "https://cloud.mongodb.com/api/public/v1.0"
/// for Cloud Manager or "https://ops.example.com:8443/api/public/v1.0" for
/// Ops Manager. It wins over atlas_client_options_set_host; the API flavour
/// is recognised from its path unless atlas_client_options_set_api is used.
/// A service account's token endpoint is at its origin. The string is
/// copied. It is checked by atlas_client_new.
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
    fallible(out_error, || {
        let url = arg("base_url", base_url)?;
        options_mut(options)?.base_url(url);
        Ok(())
    })
}

/// Sets the host the API lives on, e.g. "https://cloud.mongodb.com" (the
/// default) or "https://ops.example.com:8443"; the API flavour's path
/// (atlas_client_options_set_api) goes below it. A base URL set with
/// atlas_client_options_set_base_url wins over it. The string is copied and
/// checked by atlas_client_new.
///
/// # Safety
/// `options` is NULL or live options; `host` is NULL or a NUL-terminated
/// string; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_host(
    options: *mut atlas_client_options,
    host: *const c_char,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let host = arg("host", host)?;
        options_mut(options)?.host(host);
        Ok(())
    })
}

/// Sets the API flavour: an atlas_api value (ATLAS_API_ATLAS_V1 by default;
/// ATLAS_API_ATLAS_V2; ATLAS_API_OPS_MANAGER). Other numbers are refused
/// with ATLAS_STATUS_INVALID_ARGUMENT and change nothing. Takes the number
/// rather than the enum so that any integer is safe to pass.
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_api(
    options: *mut atlas_client_options,
    api: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let api = atlas_api::try_from(api)?;
        options_mut(options)?.api(api.into());
        Ok(())
    })
}

/// Sets a service account (OAuth 2.0 client credentials) to authenticate
/// with: the client ID and secret are exchanged at {host}/api/oauth/token
/// for an access token that the client caches and renews. Both strings are
/// copied; the library's copies of the secret and of every token are wiped
/// from memory when released, and never appear in any message. Setting
/// both a service account and an API key makes atlas_client_new fail with
/// ATLAS_STATUS_INVALID_ARGUMENT.
///
/// # Safety
/// `options` is NULL or live options; the strings are NULL or NUL-terminated;
/// `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_service_account(
    options: *mut atlas_client_options,
    client_id: *const c_char,
    client_secret: *const c_char,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let client_id = arg("client_id", client_id)?;
        let client_secret = arg("client_secret", client_secret)?;
        options_mut(options)?.service_account(client_id, client_secret);
        Ok(())
    })
}

/// Reads credentials and the host from where the MongoDB tools keep them,
/// for use where `options` has none set explicitly (before or after this
/// call): first the environment (MONGODB_ATLAS_PUBLIC_API_KEY and
/// MONGODB_ATLAS_PRIVATE_API_KEY, else MONGODB_ATLAS_PUBLIC_KEY and
/// MONGODB_ATLAS_PRIVATE_KEY; MONGODB_ATLAS_CLIENT_ID and
/// MONGODB_ATLAS_CLIENT_SECRET; MONGODB_ATLAS_OPS_MANAGER_URL, which implies
/// ATLAS_API_OPS_MANAGER, else MONGODB_ATLAS_BASE_URL), then the Atlas CLI
/// profile `profile` (NULL: "default") in $XDG_CONFIG_HOME/atlascli/config.toml,
/// else ~/.config/atlascli/config.toml.
///
/// Fails, changing nothing, when a profile named here does not exist, the
/// file is not valid TOML, or half a key pair is found. Finding no
/// credentials at all is reported by atlas_client_new, with every source
/// tried. Messages name variables and files, never their values.
///
/// # Safety
/// `options` is NULL or live options; `profile` is NULL or a NUL-terminated
/// string; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_load_env(
    options: *mut atlas_client_options,
    profile: *const c_char,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let profile = if profile.is_null() {
            None
        } else {
            Some(arg("profile", profile)?)
        };
        let builder = options_mut(options)?;
        builder.load_env(profile)?;
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
    fallible(out_error, || {
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
    fallible(out_error, || {
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
    fallible(out_error, || {
        options_mut(options)?.timeout(Duration::from_millis(timeout_ms.into()));
        Ok(())
    })
}

/// Sets how many kept-alive connections the client keeps for reuse (32 by
/// default, enough for a thread pool sharing one client); 0 closes each
/// connection after its request.
///
/// # Safety
/// `options` is NULL or live options; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_options_set_max_idle_connections(
    options: *mut atlas_client_options,
    connections: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let connections = usize::try_from(connections).unwrap_or(usize::MAX);
        options_mut(options)?.max_idle_connections(connections);
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
    fallible(out_error, || {
        options_mut(options)?.max_retries(max_retries);
        Ok(())
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
    fallible(out_error, || {
        options_mut(options)?.retry_budget(Duration::from_millis(budget_ms.into()));
        Ok(())
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
    fallible(out_error, || {
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
    fallible(out_error, || {
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
    fallible(out_error, || {
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
    fallible(out_error, || {
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
    fallible(out_error, || {
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

/// Ends the client's session with the server: revokes the access token the
/// client minted for its service account (POST {origin}/api/oauth/revoke),
/// so that programs run once per task do not pile up live tokens until
/// Atlas refuses new ones (it allows 100 per service account). Call it
/// before atlas_client_free, which does no network I/O.
///
/// Best effort: one attempt, which takes at most 1 s; a failure is logged
/// as a warning (atlas_set_log_callback) and not reported otherwise. Nothing
/// is sent when no token was minted, when it has expired, for an API key,
/// or in a process forked from the one that minted the token (they share
/// it; only the minting process revokes). NULL is ignored.
///
/// The client stays usable: a later call mints a new token, which a later
/// atlas_client_close revokes; closing twice revokes once. Thread-safe, but
/// calls in flight on other threads are not waited for: one that set out
/// with the revoked token is refused and fetches a new token, which this
/// close does not revoke. Close once the calls are done.
///
/// # Safety
/// `client` is NULL or a live atlas_client.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_close(client: *const atlas_client) {
    if let Some(client) = client.as_ref() {
        catch((), || client.inner.close());
    }
}

/// Releases a client, closing its pooled connections; sends nothing (a
/// service account's token is revoked by atlas_client_close). NULL is
/// ignored. No other thread may be using the client.
///
/// # Safety
/// `client` is NULL or a client from atlas_client_new, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_free(client: *mut atlas_client) {
    if !client.is_null() {
        catch((), || drop(Box::from_raw(client)));
    }
}
