//! `atlas_admin.Client`.

use crate::errors::{invalid_argument, to_py};
use atlas_admin::{DeleteOptions, ProxyConfig, RetryPolicy};
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A client for the MongoDB Atlas Administration API.
///
/// Client(public_key, private_key, *, base_url=None, connect_timeout=None,
///        timeout=None, max_retries=3, retry_budget=60.0, ca_bundle=None,
///        allow_insecure_http=False, proxy=None)
///
/// public_key and private_key are an organization programmatic API key (HTTP
/// Digest user name and password). base_url defaults to Atlas v1.0,
/// https://cloud.mongodb.com/api/atlas/v1.0; use
/// https://cloud.mongodb.com/api/public/v1.0 for Cloud Manager or
/// https://HOST:PORT/api/public/v1.0 for Ops Manager. Timeouts are seconds
/// (defaults 10 and 30).
///
/// Failed attempts (connection failures, timeouts before an answer, HTTP 429,
/// 500, 502, 503, 504) are retried up to max_retries times (0 turns retries
/// off) with jittered exponential backoff or the server's Retry-After, all
/// within retry_budget seconds per call. ca_bundle is a PEM file of CA
/// certificates to trust instead of the bundled Mozilla roots; verification
/// cannot be turned off. Plain http:// is refused except to loopback unless
/// allow_insecure_http=True. proxy is None (use HTTPS_PROXY / ALL_PROXY /
/// NO_PROXY from the environment), a proxy URL, or False (no proxy).
/// Each attempt, retry and wait is logged to the "atlas_admin" logger.
///
/// Build one client and share it: it is thread-safe, pools connections and
/// reuses the Digest challenge, so each call after the first costs one round
/// trip. The GIL is released while a request is in flight. Use it as a
/// context manager, or call close(), to release its connections.
#[pyclass(frozen, module = "atlas_admin")]
pub(crate) struct Client {
    inner: Mutex<Option<Arc<atlas_admin::Client>>>,
    base_url: String,
    public_key: String,
}

impl Client {
    pub(crate) fn from_core(client: atlas_admin::Client) -> Self {
        Client {
            base_url: client.base_url(),
            public_key: client.public_key().unwrap_or_default().to_owned(),
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

fn seconds(py: Python<'_>, name: &'static str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| invalid_argument(py, name, "must be a positive number of seconds"))
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        public_key,
        private_key,
        *,
        base_url=None,
        connect_timeout=None,
        timeout=None,
        max_retries=3,
        retry_budget=60.0,
        ca_bundle=None,
        allow_insecure_http=false,
        proxy=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        public_key: &str,
        private_key: &str,
        base_url: Option<&str>,
        connect_timeout: Option<f64>,
        timeout: Option<f64>,
        max_retries: u32,
        retry_budget: f64,
        ca_bundle: Option<PathBuf>,
        allow_insecure_http: bool,
        proxy: Option<Proxy>,
    ) -> PyResult<Self> {
        let mut builder = atlas_admin::Client::builder();
        builder
            .digest_credentials(public_key, private_key)
            .retry(RetryPolicy::new().max_retries(max_retries).budget(seconds(
                py,
                "retry_budget",
                retry_budget,
            )?))
            .allow_insecure_http(allow_insecure_http);
        if let Some(path) = ca_bundle {
            builder.ca_bundle(path);
        }
        match proxy {
            None => {}
            Some(Proxy::Url(url)) => {
                builder.proxy(ProxyConfig::Url(url));
            }
            Some(Proxy::Off(false)) => {
                builder.proxy(ProxyConfig::Disabled);
            }
            Some(Proxy::Off(true)) => {
                return Err(invalid_argument(
                    py,
                    "proxy",
                    "must be None (from the environment), a proxy URL, or False",
                ))
            }
        }
        if let Some(url) = base_url {
            builder.base_url(url);
        }
        if let Some(value) = connect_timeout {
            builder.connect_timeout(seconds(py, "connect_timeout", value)?);
        }
        if let Some(value) = timeout {
            builder.timeout(seconds(py, "timeout", value)?);
        }
        let client = builder.build().map_err(|e| to_py(py, e))?;
        Ok(Client::from_core(client))
    }

    /// The API base URL requests are sent below.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The public key (Digest user name). The private key is never shown.
    #[getter]
    fn public_key(&self) -> &str {
        &self.public_key
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
    /// that a first attempt whose answer was lost already deleted it; an
    /// unknown organization still raises.
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
        Ok(format!(
            "Client(base_url={}, public_key={})",
            quote(&self.base_url)?,
            quote(&self.public_key)?
        ))
    }
}
