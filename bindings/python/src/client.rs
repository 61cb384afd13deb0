//! `atlas_admin.Client`.

use crate::call::atlas_calls;
use crate::errors::{invalid_argument, to_py};
use crate::options::{client_options, ClientOptions};
use atlas_admin::{Api, CallOptions, ClientBuilder, DeleteOptions, Error};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};
use std::sync::{Arc, Mutex, MutexGuard};

/// A client for the MongoDB Atlas Administration API.
///
/// Credentials are either an organization programmatic API key
/// (public_key and private_key, sent with HTTP Digest) or a service account
/// (client_id and client_secret, exchanged at {host}/api/oauth/token for a
/// bearer token that the client caches and renews). Give exactly one kind;
/// Client.from_env() finds them where the Atlas CLI and Terraform keep them.
///
/// api is the flavour: "atlas-v1" ({host}/api/atlas/v1.0, the default),
/// "atlas-v2" ({host}/api/atlas/v2) or "ops-manager"
/// ({host}/api/public/v1.0, Cloud Manager and Ops Manager). host defaults to
/// https://cloud.mongodb.com. base_url, a full API URL, wins over host; its
/// path tells the flavour unless api is given.
///
/// max_idle_connections is how many kept-alive connections the client
/// keeps for reuse (32 unless set; 0 closes each after its request).
/// Timeouts and retry_budget are seconds. Failed attempts (connection
/// failures, timeouts before an answer, HTTP 429, 500, 502, 503, 504) are
/// retried up to max_retries times (0 turns retries off) with jittered
/// exponential backoff or the server's Retry-After, all within retry_budget
/// seconds per call. ca_bundle is a PEM file of CA certificates to trust
/// instead of the bundled Mozilla roots; verification cannot be turned off.
/// Plain http:// is refused except to loopback unless
/// allow_insecure_http=True. proxy is None (use HTTPS_PROXY / ALL_PROXY /
/// NO_PROXY from the environment), a proxy URL, or False (no proxy).
/// Every argument left as None keeps the library's default. Each attempt,
/// retry and wait is logged to the "atlas_admin" logger; secrets never are.
///
/// Build one client and share it: it is thread-safe, pools connections and
/// reuses the Digest challenge or the access token, so each call after the
/// first costs one round trip. The GIL is released while a request is in
/// flight. Use it as a context manager, or call close(), to revoke a
/// service account's token and release its connections. The organization API key lifecycle has a method per
/// endpoint: list_org_api_keys(), get_org_api_key(), find_org_api_key(),
/// create_org_api_key(), update_org_api_key(), delete_org_api_key(), and
/// list_org_api_key_access_list(), add_org_api_key_access_list() and
/// delete_org_api_key_access_list_entry() for a key's access list;
/// request() calls any endpoint. Every call takes pretty and envelope.
#[pyclass(frozen, module = "atlas_admin")]
pub(crate) struct Client {
    inner: Mutex<Option<Arc<atlas_admin::Client>>>,
    // Copied out of the core client so that they stay readable after close().
    base_url: String,
    api: Api,
    public_key: Option<String>,
    client_id: Option<String>,
}

impl Client {
    /// A client from `builder` with `options` put on it; the core checks
    /// them all, pairs only half given included.
    pub(crate) fn build(
        py: Python<'_>,
        mut builder: ClientBuilder,
        options: ClientOptions,
    ) -> PyResult<Self> {
        options.apply(&mut builder).map_err(|e| to_py(py, e))?;
        let client = builder.build().map_err(|e| to_py(py, e))?;
        Ok(Client {
            base_url: client.base_url(),
            api: client.api(),
            public_key: client.public_key().map(str::to_owned),
            client_id: client.client_id().map(str::to_owned),
            inner: Mutex::new(Some(Arc::new(client))),
        })
    }

    fn slot(&self) -> MutexGuard<'_, Option<Arc<atlas_admin::Client>>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The core client, or InvalidArgumentError once closed.
    fn open(&self, py: Python<'_>) -> PyResult<Arc<atlas_admin::Client>> {
        self.slot()
            .clone()
            .ok_or_else(|| invalid_argument(py, "self", "the client is closed"))
    }

    /// `call` on the core client with the GIL released, so other Python
    /// threads run while it waits on the network; its error becomes the
    /// exception of its kind. Every Atlas call goes through here. The last
    /// call to finish after `close()` closes the core client.
    pub(crate) fn run<T: Send>(
        &self,
        py: Python<'_>,
        call: impl FnOnce(&atlas_admin::Client) -> Result<T, Error> + Send,
    ) -> PyResult<T> {
        let client = self.open(py)?;
        crate::logging::during_call(py, || {
            py.detach(|| {
                let outcome = call(&client);
                close_if_last(client);
                outcome
            })
        })
        .map_err(|e| to_py(py, e))
    }

    /// `delete_org_api_key()`, with the options of every call.
    fn delete(
        &self,
        py: Python<'_>,
        org_id: &str,
        api_key_id: &str,
        missing_ok: bool,
        call: CallOptions,
    ) -> PyResult<()> {
        let options = DeleteOptions::from(call).missing_ok(missing_ok);
        self.run(py, |c| {
            c.delete_org_api_key(org_id, api_key_id, &options)
                .map(|_| ())
        })
    }
}

/// Closes the core client (revoking the token it minted) when `client` is
/// the last reference: `close()` has taken the client's own, and no other
/// call is in flight. Runs without the GIL.
fn close_if_last(client: Arc<atlas_admin::Client>) {
    if let Some(core) = Arc::into_inner(client) {
        core.close();
    }
}

/// `Client()` and `Client.from_env()`, whose keyword arguments are the
/// client's options ([`client_options!`]).
macro_rules! constructors {
    ([$($positional:ident: $pty:ty),*] [$($keyword:ident: $kty:ty),*]) => {
        #[pymethods]
        impl Client {
            #[new]
            #[pyo3(signature = ($($positional=None,)* *, $($keyword=None),*))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                py: Python<'_>,
                $($positional: Option<$pty>,)*
                $($keyword: Option<$kty>,)*
            ) -> PyResult<Self> {
                let options = ClientOptions { $($positional,)* $($keyword,)* };
                Client::build(py, ClientBuilder::new(), options)
            }

            /// A client with the credentials and host found where the
            /// MongoDB tools keep them. First the environment:
            /// MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY
            /// (Atlas CLI), else MONGODB_ATLAS_PUBLIC_KEY and
            /// MONGODB_ATLAS_PRIVATE_KEY (Terraform), MONGODB_ATLAS_CLIENT_ID
            /// and MONGODB_ATLAS_CLIENT_SECRET (a service account),
            /// MONGODB_ATLAS_OPS_MANAGER_URL (a host that implies
            /// api="ops-manager"), else MONGODB_ATLAS_BASE_URL (a host). Then
            /// the Atlas CLI profile `profile` ("default" when None) in
            /// $XDG_CONFIG_HOME/atlascli/config.toml, else
            /// ~/.config/atlascli/config.toml. A profile asked for by name
            /// must exist.
            ///
            /// The keyword arguments are Client's, and win over what is
            /// found. When no credentials are found anywhere,
            /// InvalidArgumentError lists every source tried, never a value.
            #[classmethod]
            #[pyo3(signature = (profile=None, *, $($positional=None,)* $($keyword=None),*))]
            #[allow(clippy::too_many_arguments)]
            fn from_env(
                _cls: &Bound<'_, PyType>,
                py: Python<'_>,
                profile: Option<&str>,
                $($positional: Option<$pty>,)*
                $($keyword: Option<$kty>,)*
            ) -> PyResult<Self> {
                let builder = ClientBuilder::from_env(profile).map_err(|e| to_py(py, e))?;
                let options = ClientOptions { $($positional,)* $($keyword,)* };
                Client::build(py, builder, options)
            }
        }
    };
}

client_options!(constructors);

atlas_calls! {
    Client {
        /// Deletes API key api_key_id from organization org_id
        /// (DELETE /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}) and returns None.
        ///
        /// Both IDs must be 24 lowercase hex characters, or
        /// InvalidArgumentError is raised before anything is sent. A key that
        /// does not exist raises NotFoundError, although Atlas answers HTTP
        /// 400 API_KEY_NOT_FOUND. With missing_ok=True a key that does not
        /// exist counts as deleted (like rm -f), e.g. when a retry finds that
        /// a first attempt whose answer was lost already deleted it. Only
        /// Atlas' own API_KEY_NOT_FOUND counts: an unknown organization
        /// still raises NotFoundError, and a 404 page from a proxy or a
        /// wrong base URL raises HTTPError.
        ///
        /// pretty and envelope, options of every call, set Atlas' query
        /// flags; with envelope=True the envelope's status decides the
        /// outcome.
        fn delete_org_api_key(org_id: &str, api_key_id: &str; missing_ok: bool = false)
            -> () => delete;

        /// Calls any endpoint of the Administration API and returns the
        /// answer's JSON body as Python values (dict, list, str, int, float,
        /// bool), or None when the answer has no body (HTTP 204, say).
        ///
        /// method is GET, POST, PUT, PATCH or DELETE, in any case. path is
        /// below the client's base URL, e.g. "/orgs/{ORG-ID}/apiKeys"; a URL,
        /// a query or fragment, "." or ".." segments, or a path that repeats
        /// the base URL's own path raise InvalidArgumentError. params are
        /// query parameters: a mapping of str to str, int, float or bool
        /// (sent as true or false). json is the request body: dicts with str
        /// keys, lists, tuples, str, int, float, bool and None; anything
        /// else (a set, NaN, an object) raises InvalidArgumentError. accept
        /// is the media type to ask for instead of the client's, e.g.
        /// "application/vnd.atlas.2024-08-05+json" (Atlas v2 versions each
        /// resource by date). All of these are checked before anything is
        /// sent.
        ///
        /// The call has the typed calls' authentication, retries and
        /// errors: any 2xx is success, other answers raise the AtlasError
        /// subclass of their status (NotFoundError only when Atlas says a
        /// resource does not exist; a 404 for a path that does not exist is
        /// HTTPError naming the URL). POST and PATCH are retried only when
        /// they surely were not sent. pretty and envelope, options of every
        /// call, set Atlas' query flags; with envelope=True the envelope's
        /// status decides and its content is returned.
        fn request(
            method: &str,
            path: &str;
            params: Option<&Bound<'_, PyAny>> = None,
            json: Option<&Bound<'_, PyAny>> = None,
            accept: Option<String> = None
        ) -> Py<PyAny> => call;
    }
}

#[pymethods]
impl Client {
    /// The API base URL requests are sent below, e.g.
    /// "https://cloud.mongodb.com/api/atlas/v1.0".
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The API flavour: "atlas-v1", "atlas-v2" or "ops-manager".
    #[getter]
    fn api(&self) -> &'static str {
        self.api.name()
    }

    /// The public key (Digest user name), or None for a service account.
    /// The private key is never shown.
    #[getter]
    fn public_key(&self) -> Option<&str> {
        self.public_key.as_deref()
    }

    /// The service account's client ID, or None for an API key. The client
    /// secret and tokens are never shown.
    #[getter]
    fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// Closes the client: revokes the access token it minted for its
    /// service account (POST {host}/api/oauth/revoke, so that scripts run
    /// once per task do not pile up live tokens until Atlas refuses new
    /// ones), then releases its connections. Later calls raise
    /// InvalidArgumentError. Closing twice is harmless.
    ///
    /// The revocation is best effort: one attempt of at most a second, a
    /// failure logged as a warning to the "atlas_admin" logger and never
    /// raised. Nothing is sent for an API key, when no call minted a
    /// token, or in a process forked from the one that minted it. Calls
    /// in flight on other threads finish first: the last of them revokes
    /// the token as it returns. A client that is garbage-collected
    /// unclosed does no network I/O and leaves its token to lapse.
    fn close(&self, py: Python<'_>) {
        let Some(client) = self.slot().take() else {
            return;
        };
        crate::logging::during_call(py, || py.detach(|| close_if_last(client)));
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let quote = |text: &str| PyString::new(py, text).repr().map(|r| r.to_string());
        let mut fields = vec![
            format!("base_url={}", quote(&self.base_url)?),
            format!("api={}", quote(self.api.name())?),
        ];
        if let Some(key) = &self.public_key {
            fields.push(format!("public_key={}", quote(key)?));
        }
        if let Some(id) = &self.client_id {
            fields.push(format!("client_id={}", quote(id)?));
        }
        Ok(format!("Client({})", fields.join(", ")))
    }
}
