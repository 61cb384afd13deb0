//! `atlas_admin.testing.MockAtlas`: the bundled mock Atlas, in-process.

use crate::client::Client;
use crate::errors::invalid_argument;
use crate::json;
use crate::mock_clock::MockTime;
use crate::mock_records::{key_dict, NewKey};
use crate::options::{client_options, ClientOptions};
use crate::strings::{AccessList, Roles};
use atlas_admin::ClientBuilder;
use atlas_admin_mock::{
    Algorithm, Credential, DigestSettings, Fault, MockConfig, NcCheck, RateLimit, SeenRequest,
    ServiceAccount, DEFAULT_TOKEN_CAP,
};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The key pair a MockAtlas accepts unless told otherwise.
const DEFAULT_PUBLIC_KEY: &str = "mockpubl";
const DEFAULT_PRIVATE_KEY: &str = "00000000-0000-4000-8000-mockprivate0";
/// The service account a MockAtlas accepts unless told otherwise.
const DEFAULT_CLIENT_ID: &str = "mdb_sa_id_mock0000000000000000";
const DEFAULT_CLIENT_SECRET: &str = "mdb_sa_sk_00000000-0000-4000-8000-mocksecret0";

/// A mock MongoDB Atlas on 127.0.0.1, for testing scripts offline.
///
/// MockAtlas(*, orgs=(), keys=None, credentials=None, algorithms=("MD5",),
///           qop=True, nonce_ttl=300, nc_check="off",
///           service_accounts=None, token_lifetime=3600, token_cap=100)
///
/// orgs are organization IDs that exist; keys maps an organization ID to the
/// API key IDs in it; credentials maps public keys to private keys the mock
/// accepts (default: one pair, used by client()). nc_check is how nonce
/// counts are checked per nonce: "off" (as Atlas), "unique", "increasing"
/// or "exact" (last + 1, as Apache's AuthDigestNcCheck). service_accounts maps
/// client IDs to client secrets that may get access tokens from
/// POST /api/oauth/token (default: one account,
/// "mdb_sa_id_mock0000000000000000" with secret
/// "mdb_sa_sk_00000000-0000-4000-8000-mocksecret0"; {} for none; the first
/// is used by service_account_client()), token_lifetime is their
/// tokens' lifetime in seconds, and token_cap how many live tokens one
/// account may hold (Atlas allows 100; past it the token endpoint answers
/// 403 access_denied "Access Token limit reached"). Tokens are revoked at
/// POST /api/oauth/revoke, as Client.close() does. It does Digest and Bearer as Atlas does,
/// serves the organization API key lifecycle (list, get, create, update,
/// delete, access lists) under /api/atlas/v1.0, /api/atlas/v2 (which wants
/// the versioned Accept header) and /api/public/v1.0 below origin, and
/// answers with Atlas' real error bodies. add_api_key(), api_key() and
/// api_keys() seed and read its records; advance_clock() moves its time,
/// and that of the clients it made, forward; set_rate_limit() puts a token
/// bucket in front of its API. It starts at once; use it as a context
/// manager, or call close(), to stop it.
#[pyclass(frozen, module = "atlas_admin.testing")]
pub(crate) struct MockAtlas {
    server: Mutex<Option<atlas_admin_mock::MockAtlas>>,
    origin: String,
    base_url: String,
    credential: (String, String),
    /// The first service account, for `service_account_client()`.
    service_account: Option<(String, String)>,
}

impl MockAtlas {
    /// A `Client` for this mock with `options`, whose credentials the
    /// caller has completed with the mock's. The mock's origin is the host
    /// unless one is given, so that `api=` picks any flavour the mock
    /// serves; a `base_url` wins over it. Here is where every client made
    /// for the mock gets the mock's settings: its clock too, so that
    /// `advance_clock()` moves the client's time with the mock's.
    fn client_with(&self, py: Python<'_>, mut options: ClientOptions) -> PyResult<Client> {
        let clock = self.with(py, |s| s.clock())?;
        options.host.get_or_insert_with(|| self.origin.clone());
        let mut builder = ClientBuilder::new();
        builder.clock(Arc::new(MockTime(clock)));
        Client::build(py, builder, options)
    }

    /// Runs `f` on the server, or says it is stopped.
    fn with<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&atlas_admin_mock::MockAtlas) -> T,
    ) -> PyResult<T> {
        match self
            .server
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            Some(server) => Ok(f(server)),
            None => Err(invalid_argument(py, "self", "the mock Atlas is stopped")),
        }
    }
}

fn duration(py: Python<'_>, name: &'static str, seconds: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| invalid_argument(py, name, "must be a non-negative number of seconds"))
}

/// A request the mock saw, as the dict `recent_requests()` promises.
fn seen_request(py: Python<'_>, request: SeenRequest) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("method", request.method)?;
    dict.set_item("target", request.target)?;
    dict.set_item("accept", request.accept)?;
    dict.set_item("content_type", request.content_type)?;
    dict.set_item("auth_scheme", request.auth_scheme)?;
    Ok(dict)
}

/// `client()` and `service_account_client()`, whose keyword arguments are
/// the client's options ([`client_options!`]).
macro_rules! mock_clients {
    ([$($positional:ident: $pty:ty),*] [$($keyword:ident: $kty:ty),*]) => {
        #[pymethods]
        impl MockAtlas {
            /// A Client for this mock, with its first key pair and the
            /// mock's origin as host (so api= chooses the flavour). The
            /// keyword arguments are Client's and win: public_key or
            /// private_key replaces the mock's, base_url wins over the host.
            #[pyo3(signature = (*, $($positional=None,)* $($keyword=None),*))]
            #[allow(clippy::too_many_arguments)]
            fn client(
                &self,
                py: Python<'_>,
                $($positional: Option<$pty>,)*
                $($keyword: Option<$kty>,)*
            ) -> PyResult<Client> {
                let mut options = ClientOptions { $($positional,)* $($keyword,)* };
                let (public_key, private_key) = &self.credential;
                options.public_key.get_or_insert_with(|| public_key.clone());
                options.private_key.get_or_insert_with(|| private_key.clone());
                self.client_with(py, options)
            }

            /// A Client for this mock, with its first service account and
            /// the mock's origin as host; the token comes from the mock's
            /// /api/oauth/token. The keyword arguments are Client's and win.
            /// InvalidArgumentError when the mock has no service account.
            #[pyo3(signature = (*, $($positional=None,)* $($keyword=None),*))]
            #[allow(clippy::too_many_arguments)]
            fn service_account_client(
                &self,
                py: Python<'_>,
                $($positional: Option<$pty>,)*
                $($keyword: Option<$kty>,)*
            ) -> PyResult<Client> {
                let Some((client_id, client_secret)) = &self.service_account else {
                    return Err(invalid_argument(
                        py,
                        "self",
                        "the mock Atlas was started with no service account",
                    ));
                };
                let mut options = ClientOptions { $($positional,)* $($keyword,)* };
                options.client_id.get_or_insert_with(|| client_id.clone());
                options.client_secret.get_or_insert_with(|| client_secret.clone());
                self.client_with(py, options)
            }
        }
    };
}

client_options!(mock_clients);

#[pymethods]
impl MockAtlas {
    #[new]
    #[pyo3(signature = (*, orgs=Vec::new(), keys=BTreeMap::new(), credentials=None, algorithms=vec!["MD5".to_owned()], qop=true, nonce_ttl=300, nc_check="off", service_accounts=None, token_lifetime=3600, token_cap=DEFAULT_TOKEN_CAP))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        orgs: Vec<String>,
        keys: BTreeMap<String, Vec<String>>,
        credentials: Option<BTreeMap<String, String>>,
        algorithms: Vec<String>,
        qop: bool,
        nonce_ttl: u64,
        nc_check: &str,
        service_accounts: Option<BTreeMap<String, String>>,
        token_lifetime: u64,
        token_cap: usize,
    ) -> PyResult<Self> {
        let credentials = credentials.unwrap_or_else(|| {
            BTreeMap::from([(
                DEFAULT_PUBLIC_KEY.to_owned(),
                DEFAULT_PRIVATE_KEY.to_owned(),
            )])
        });
        let Some(first) = credentials
            .iter()
            .next()
            .map(|(p, s)| (p.clone(), s.clone()))
        else {
            return Err(invalid_argument(
                py,
                "credentials",
                "must hold at least one key pair",
            ));
        };
        let algorithms = algorithms
            .iter()
            .map(|name| {
                Algorithm::parse(name).ok_or_else(|| {
                    invalid_argument(py, "algorithms", "may hold only \"MD5\" and \"SHA-256\"")
                })
            })
            .collect::<PyResult<_>>()?;
        let nc_check = NcCheck::parse(nc_check).ok_or_else(|| {
            invalid_argument(
                py,
                "nc_check",
                "must be \"off\", \"unique\", \"increasing\" or \"exact\"",
            )
        })?;
        let service_accounts = service_accounts.unwrap_or_else(|| {
            BTreeMap::from([(
                DEFAULT_CLIENT_ID.to_owned(),
                DEFAULT_CLIENT_SECRET.to_owned(),
            )])
        });
        let first_service_account = service_accounts
            .iter()
            .next()
            .map(|(id, secret)| (id.clone(), secret.clone()));
        let config = MockConfig {
            orgs,
            keys,
            credentials: credentials
                .into_iter()
                .map(|(public, private)| Credential::new(public, private))
                .collect(),
            digest: DigestSettings {
                algorithms,
                qop,
                nonce_ttl_secs: nonce_ttl,
                nc_check,
            },
            service_accounts: service_accounts
                .into_iter()
                .map(|(id, secret)| ServiceAccount::new(id, secret))
                .collect(),
            token_lifetime_secs: token_lifetime,
            token_cap,
            ..Default::default()
        };
        let server = atlas_admin_mock::MockAtlas::start(config)
            .map_err(|e| PyOSError::new_err(format!("cannot start the mock Atlas: {e}")))?;
        Ok(MockAtlas {
            origin: server.origin(),
            base_url: server.base_url(),
            server: Mutex::new(Some(server)),
            credential: first,
            service_account: first_service_account,
        })
    }

    /// The Atlas v1.0 base URL, http://127.0.0.1:PORT/api/atlas/v1.0.
    #[getter]
    fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The mock's origin, http://127.0.0.1:PORT: a host for Client(host=...),
    /// below which it serves every API flavour and /api/oauth/token.
    #[getter]
    fn origin(&self) -> String {
        self.origin.clone()
    }

    /// Every counter so far, by name: connections, requests (token
    /// requests included), challenges, stale_challenges, nc_rejected,
    /// authenticated (Digest or Bearer), listed (pages of keys), fetched,
    /// created, updated, deleted, access_listed, access_added,
    /// access_removed, faults, rate_limited, token_requests, tokens_issued,
    /// bearer_authenticated, bearer_rejected, tokens_refused (over the
    /// cap), revoke_requests, tokens_revoked, and any the mock adds; and
    /// active_tokens, the access tokens alive now (not expired by the
    /// mock's clock, not revoked), which reset_stats() leaves as it is.
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let stats = self.with(py, |s| s.stats())?;
        // The mock's own names and all of them, as it serializes them.
        let counters = serde_json::to_value(stats)
            .map_err(|e| PyRuntimeError::new_err(format!("the mock's counters: {e}")))?;
        json::to_python(py, &counters)
    }

    /// Sets every counter back to zero and forgets the recent requests.
    fn reset_stats(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |s| s.reset_stats())
    }

    /// The last 256 API requests (token requests included), oldest first,
    /// as dicts with method, target, accept, content_type and auth_scheme
    /// (the first word of Authorization, never the credential; None when a
    /// header was not sent).
    fn recent_requests<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let seen = self.with(py, |s| s.recent_requests())?;
        seen.into_iter()
            .map(|request| seen_request(py, request))
            .collect()
    }

    /// Answers the next `count` API requests with HTTP `status` and an Atlas
    /// error body, with a Retry-After header when retry_after is given.
    #[pyo3(signature = (status, *, count=1, retry_after=None))]
    fn fail_next(
        &self,
        py: Python<'_>,
        status: u16,
        count: usize,
        retry_after: Option<u64>,
    ) -> PyResult<()> {
        if !(100..=599).contains(&status) {
            return Err(invalid_argument(
                py,
                "status",
                "must be an HTTP status, 100 to 599",
            ));
        }
        self.with(py, |s| {
            s.inject(
                Fault::Status {
                    status,
                    retry_after,
                },
                count,
            )
        })
    }

    /// Limits authenticated API requests with a token bucket of `capacity`
    /// tokens (full at first) refilled at `refill_per_sec` tokens a second,
    /// as Atlas limits callers: after authentication, so Digest challenges
    /// and the token endpoint take no token. A request that finds it empty
    /// is refused, by default as Atlas' token buckets refuse (429
    /// RATE_LIMITED_TOKEN_BUCKET with Retry-After, the whole seconds until
    /// a token); `status` and `error_code` change the refusal (e.g. 400 and
    /// "INVITATIONS_RATE_LIMITED_IP"), and retry_after=False leaves
    /// Retry-After out, as Atlas sometimes does. Replaces any limit set
    /// before; stats()["rate_limited"] counts the refusals. ValueError
    /// says why a limit cannot be served.
    #[pyo3(signature = (capacity, refill_per_sec, *, status=None, error_code=None, retry_after=None))]
    fn set_rate_limit(
        &self,
        py: Python<'_>,
        capacity: u32,
        refill_per_sec: f64,
        status: Option<u16>,
        error_code: Option<String>,
        retry_after: Option<bool>,
    ) -> PyResult<()> {
        let defaults = RateLimit::new(capacity, refill_per_sec);
        let limit = RateLimit {
            status: status.unwrap_or(defaults.status),
            error_code: error_code.unwrap_or(defaults.error_code),
            retry_after: retry_after.unwrap_or(defaults.retry_after),
            ..defaults
        };
        self.with(py, |s| s.set_rate_limit(limit))?
            .map_err(|why| PyValueError::new_err(format!("the mock refused the rate limit: {why}")))
    }

    /// Lifts the rate limit set by set_rate_limit(), if any.
    fn clear_rate_limit(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |s| s.clear_rate_limit())
    }

    /// Closes the connection of the next `count` API requests without answering.
    #[pyo3(signature = (*, count=1))]
    fn drop_next(&self, py: Python<'_>, count: usize) -> PyResult<()> {
        self.with(py, |s| s.inject(Fault::Drop, count))
    }

    /// Serves the next `count` API requests (a delete happens), then closes
    /// their connections without answering: the answers are lost.
    #[pyo3(signature = (*, count=1))]
    fn lose_next_answer(&self, py: Python<'_>, count: usize) -> PyResult<()> {
        self.with(py, |s| s.inject(Fault::LoseAnswer, count))
    }

    /// Delays every API response by `seconds` (0 turns it off).
    fn set_response_delay(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        let delay = duration(py, "seconds", seconds)?;
        self.with(py, |s| s.set_response_delay(delay))
    }

    /// Moves the time of the mock and of the clients client() and
    /// service_account_client() made forward by `seconds`, at once: nonces
    /// and access tokens age, and the clients renew tokens, as if that much
    /// time had passed. Time never goes back.
    fn advance_clock(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        let by = duration(py, "seconds", seconds)?;
        self.with(py, |s| s.advance_clock(by))
    }

    /// Makes every nonce issued so far stale, as if its lifetime had passed.
    fn expire_nonces(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |s| s.expire_nonces())
    }

    /// Forgets every access token issued so far: their next use gets a 401.
    fn revoke_tokens(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |s| s.revoke_tokens())
    }

    /// Creates API key `key_id` in organization `org_id`.
    fn add_key(&self, py: Python<'_>, org_id: &str, key_id: &str) -> PyResult<()> {
        self.with(py, |s| s.add_key(org_id, key_id))
    }

    /// Whether API key `key_id` exists in organization `org_id`.
    fn has_key(&self, py: Python<'_>, org_id: &str, key_id: &str) -> PyResult<bool> {
        self.with(py, |s| s.has_key(org_id, key_id))
    }

    /// Adds an API key to organization `org_id` (creating the organization
    /// too), last in its listing order, and returns it as stored, as
    /// api_key() does. Fields left None are made up: an ID, a public key, a
    /// private key, a description and the role ORG_MEMBER. access_list
    /// holds IP addresses and CIDR blocks ("10.0.0.0/24"). A public key that
    /// is one of the mock's credentials makes that credential this key
    /// (its private key unless given), so a client signed in with it can
    /// delete it. ValueError says why a record is refused (an ID taken or
    /// not 24 lowercase hex digits, a public key in use, a description,
    /// role or entry Atlas would refuse). The private key is never
    /// returned: give it to know it.
    #[pyo3(signature = (org_id, *, id=None, public_key=None, private_key=None, description=None, roles=None, access_list=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_api_key<'py>(
        &self,
        py: Python<'py>,
        org_id: &str,
        id: Option<String>,
        public_key: Option<String>,
        private_key: Option<String>,
        description: Option<String>,
        roles: Option<Roles>,
        access_list: Option<AccessList>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let record = NewKey {
            id,
            public_key,
            private_key,
            description,
            roles,
            access_list,
        }
        .record();
        let stored = self
            .with(py, |s| s.add_api_key(org_id, record))?
            .map_err(|e| PyValueError::new_err(format!("the mock refused the key: {e}")))?;
        key_dict(py, &stored)
    }

    /// API key `key_id` of organization `org_id` as the mock holds it, a
    /// dict of id, public_key, description, roles and access_list (dicts
    /// of cidr_block, ip_address, created, count, last_used,
    /// last_used_address), or None. Never the private key.
    fn api_key<'py>(
        &self,
        py: Python<'py>,
        org_id: &str,
        key_id: &str,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let key = self.with(py, |s| s.api_key(org_id, key_id))?;
        key.map(|key| key_dict(py, &key)).transpose()
    }

    /// Every API key of organization `org_id`, in creation order, as
    /// api_key() gives each; [] for an organization the mock lacks.
    fn api_keys<'py>(&self, py: Python<'py>, org_id: &str) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let keys = self.with(py, |s| s.api_keys(org_id))?;
        keys.iter().map(|key| key_dict(py, key)).collect()
    }

    /// Stops the server. Closing twice is harmless.
    fn close(&self, py: Python<'_>) {
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        py.detach(|| drop(server));
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
        let url = PyString::new(py, &self.base_url).repr()?;
        Ok(format!("MockAtlas(base_url={url})"))
    }
}
