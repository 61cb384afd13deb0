//! `atlas_admin.Client`.

use crate::errors::{invalid_argument, to_py};
use atlas_admin::{Api, ClientBuilder, DeleteOptions, ProxyConfig};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A client for the MongoDB Atlas Administration API.
///
/// Client(public_key=None, private_key=None, *, client_id=None,
///        client_secret=None, api=None, host=None, base_url=None,
///        connect_timeout=None, timeout=None, max_retries=None,
///        retry_budget=None, max_idle_connections=None, ca_bundle=None,
///        allow_insecure_http=None,
///        proxy=None)
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
/// flight. Use it as a context manager, or call close(), to release its
/// connections. delete_org_api_key() deletes an organization API key.
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
    pub(crate) fn from_core(client: atlas_admin::Client) -> Self {
        Client {
            base_url: client.base_url(),
            api: client.api(),
            public_key: client.public_key().map(str::to_owned),
            client_id: client.client_id().map(str::to_owned),
            inner: Mutex::new(Some(Arc::new(client))),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Arc<atlas_admin::Client>>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn open(&self, py: Python<'_>) -> PyResult<Arc<atlas_admin::Client>> {
        self.slot()
            .clone()
            .ok_or_else(|| invalid_argument(py, "self", "the client is closed"))
    }
}

/// The `proxy` argument: a URL, or a boolean (only False is meaningful).
#[derive(FromPyObject)]
enum Proxy {
    Url(String),
    Off(bool),
}

/// Everything `Client()` and `Client.from_env()` accept; `None` leaves a
/// setting to the core (its default, or what `from_env` found).
struct Settings {
    public_key: Option<String>,
    private_key: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    api: Option<String>,
    host: Option<String>,
    base_url: Option<String>,
    connect_timeout: Option<f64>,
    timeout: Option<f64>,
    max_retries: Option<u32>,
    retry_budget: Option<f64>,
    max_idle_connections: Option<usize>,
    ca_bundle: Option<PathBuf>,
    allow_insecure_http: Option<bool>,
    proxy: Option<Proxy>,
}

impl Settings {
    /// Puts the given settings on `builder` and builds the client; the core
    /// checks them all, including pairs that are only half given.
    fn build(self, py: Python<'_>, mut builder: ClientBuilder) -> PyResult<Client> {
        let core = |e| to_py(py, e);
        if let Some(value) = self.public_key {
            builder.public_key(value);
        }
        if let Some(value) = self.private_key {
            builder.private_key(value);
        }
        if let Some(value) = self.client_id {
            builder.client_id(value);
        }
        if let Some(value) = self.client_secret {
            builder.client_secret(value);
        }
        if let Some(name) = self.api {
            builder.api(name.parse::<Api>().map_err(core)?);
        }
        if let Some(host) = self.host {
            builder.host(host);
        }
        if let Some(url) = self.base_url {
            builder.base_url(url);
        }
        if let Some(value) = self.connect_timeout {
            builder.connect_timeout(seconds(py, "connect_timeout", value)?);
        }
        if let Some(value) = self.timeout {
            builder.timeout(seconds(py, "timeout", value)?);
        }
        if let Some(retries) = self.max_retries {
            builder.max_retries(retries);
        }
        if let Some(value) = self.retry_budget {
            builder.retry_budget(seconds(py, "retry_budget", value)?);
        }
        if let Some(connections) = self.max_idle_connections {
            builder.max_idle_connections(connections);
        }
        if let Some(path) = self.ca_bundle {
            builder.ca_bundle(path);
        }
        if let Some(allow) = self.allow_insecure_http {
            builder.allow_insecure_http(allow);
        }
        match self.proxy {
            None => {}
            Some(Proxy::Url(url)) => {
                builder.proxy(ProxyConfig::Url(url));
            }
            Some(Proxy::Off(false)) => {
                builder.proxy(ProxyConfig::Disabled);
            }
            // ProxyConfig has no "on" beyond the environment, which None already means.
            Some(Proxy::Off(true)) => {
                return Err(invalid_argument(
                    py,
                    "proxy",
                    "must be None (from the environment), a proxy URL, or False",
                ))
            }
        }
        let client = builder.build().map_err(core)?;
        Ok(Client::from_core(client))
    }
}

/// Float seconds as a `Duration`. Zero passes, so that the core refuses it
/// with its own message; only what a `Duration` cannot hold stops here.
fn seconds(py: Python<'_>, name: &'static str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| invalid_argument(py, name, "must be a non-negative number of seconds"))
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        public_key=None,
        private_key=None,
        *,
        client_id=None,
        client_secret=None,
        api=None,
        host=None,
        base_url=None,
        connect_timeout=None,
        timeout=None,
        max_retries=None,
        retry_budget=None,
        max_idle_connections=None,
        ca_bundle=None,
        allow_insecure_http=None,
        proxy=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        public_key: Option<String>,
        private_key: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        api: Option<String>,
        host: Option<String>,
        base_url: Option<String>,
        connect_timeout: Option<f64>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
        retry_budget: Option<f64>,
        max_idle_connections: Option<usize>,
        ca_bundle: Option<PathBuf>,
        allow_insecure_http: Option<bool>,
        proxy: Option<Proxy>,
    ) -> PyResult<Self> {
        Settings {
            public_key,
            private_key,
            client_id,
            client_secret,
            api,
            host,
            base_url,
            connect_timeout,
            timeout,
            max_retries,
            retry_budget,
            max_idle_connections,
            ca_bundle,
            allow_insecure_http,
            proxy,
        }
        .build(py, atlas_admin::Client::builder())
    }

    /// from_env(profile=None, *, public_key=None, ..., proxy=None) -> Client
    ///
    /// A client with the credentials and host found where the MongoDB tools
    /// keep them. First the environment: MONGODB_ATLAS_PUBLIC_API_KEY and
    /// MONGODB_ATLAS_PRIVATE_API_KEY (Atlas CLI), else
    /// MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY (Terraform),
    /// MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (a service
    /// account), MONGODB_ATLAS_OPS_MANAGER_URL (a host that implies
    /// api="ops-manager"), else MONGODB_ATLAS_BASE_URL (a host). Then the
    /// Atlas CLI profile `profile` ("default" when None) in
    /// $XDG_CONFIG_HOME/atlascli/config.toml, else
    /// ~/.config/atlascli/config.toml. A profile asked for by name must
    /// exist.
    ///
    /// The keyword arguments are Client's, and win over what is found. When
    /// no credentials are found anywhere, InvalidArgumentError lists every
    /// source tried, never a value.
    #[classmethod]
    #[pyo3(signature = (
        profile=None,
        *,
        public_key=None,
        private_key=None,
        client_id=None,
        client_secret=None,
        api=None,
        host=None,
        base_url=None,
        connect_timeout=None,
        timeout=None,
        max_retries=None,
        retry_budget=None,
        max_idle_connections=None,
        ca_bundle=None,
        allow_insecure_http=None,
        proxy=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn from_env(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        profile: Option<&str>,
        public_key: Option<String>,
        private_key: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        api: Option<String>,
        host: Option<String>,
        base_url: Option<String>,
        connect_timeout: Option<f64>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
        retry_budget: Option<f64>,
        max_idle_connections: Option<usize>,
        ca_bundle: Option<PathBuf>,
        allow_insecure_http: Option<bool>,
        proxy: Option<Proxy>,
    ) -> PyResult<Self> {
        let builder = ClientBuilder::from_env(profile).map_err(|e| to_py(py, e))?;
        Settings {
            public_key,
            private_key,
            client_id,
            client_secret,
            api,
            host,
            base_url,
            connect_timeout,
            timeout,
            max_retries,
            retry_budget,
            max_idle_connections,
            ca_bundle,
            allow_insecure_http,
            proxy,
        }
        .build(py, builder)
    }

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

    /// delete_org_api_key(org_id, api_key_id, *, pretty=False, envelope=False, missing_ok=False)
    ///
    /// Deletes API key api_key_id from organization org_id
    /// (DELETE /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}) and returns None.
    ///
    /// Both IDs must be 24 lowercase hex characters, or InvalidArgumentError
    /// is raised before anything is sent. A key that does not exist raises
    /// NotFoundError, although Atlas answers HTTP 400 API_KEY_NOT_FOUND.
    /// pretty and envelope set Atlas' query flags; with envelope=True the
    /// envelope's status decides the outcome. With missing_ok=True a key that
    /// does not exist counts as deleted (like rm -f), e.g. when a retry finds
    /// that a first attempt whose answer was lost already deleted it. Only
    /// Atlas' own API_KEY_NOT_FOUND counts: a bare 404 from a proxy or a wrong
    /// base URL, or an unknown organization, still raises.
    #[pyo3(signature = (org_id, api_key_id, *, pretty=false, envelope=false, missing_ok=false))]
    fn delete_org_api_key(
        &self,
        py: Python<'_>,
        org_id: &str,
        api_key_id: &str,
        pretty: bool,
        envelope: bool,
        missing_ok: bool,
    ) -> PyResult<()> {
        let client = self.open(py)?;
        let options = DeleteOptions::new()
            .pretty(pretty)
            .envelope(envelope)
            .missing_ok(missing_ok);
        py.detach(|| client.delete_org_api_key(org_id, api_key_id, &options))
            .map_err(|e| to_py(py, e))
    }

    /// Releases the client's connections. Later calls raise
    /// InvalidArgumentError. Closing twice is harmless.
    fn close(&self) {
        self.slot().take();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
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
