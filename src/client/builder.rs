//! `ClientBuilder`: every setting, its default, and the checks that run
//! before a client exists. The C and Python skins pass what their callers
//! set and leave the rest unset, so defaults live here alone.

use super::base_url::{self, Parsed};
use super::Client;
use crate::auth::Auth;
use crate::clock::{Clock, SystemClock};
use crate::credentials::{self, CredentialFields, Loaded, ARGUMENTS};
use crate::proxy::{self, ProxyConfig};
use crate::secret::Secret;
use crate::transport::{resolver, Connector, Pool, Target, Transport};
use crate::{tls, Api, Credentials, Error, RetryPolicy, DEFAULT_HOST};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How long establishing a connection (TCP and TLS) may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one HTTP exchange, body included, may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long [`Client::close`] waits for the revocation of a service
/// account's token by default: closing must stay prompt when the server
/// does not answer.
pub const DEFAULT_REVOKE_TIMEOUT: Duration = Duration::from_secs(1);
/// Kept-alive connections a client keeps by default: enough for a thread
/// pool sharing one client, so busy threads do not open (and pay a TLS
/// handshake for) a new connection each time another one returns.
pub const DEFAULT_MAX_IDLE_CONNECTIONS: usize = 32;

/// Settings for a [`Client`]; [`ClientBuilder::build`] checks them all.
///
/// Settings made on the builder win over those [`ClientBuilder::load_env`]
/// finds, whatever the order of the calls.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    host: Option<String>,
    api: Option<Api>,
    credentials: CredentialFields,
    connect_timeout: Duration,
    timeout: Duration,
    revoke_timeout: Duration,
    max_idle_connections: usize,
    retry: RetryPolicy,
    ca_bundle: Option<PathBuf>,
    allow_insecure_http: bool,
    proxy: ProxyConfig,
    clock: Arc<dyn Clock>,
    loaded: Option<Loaded>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            host: None,
            api: None,
            credentials: CredentialFields::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            revoke_timeout: DEFAULT_REVOKE_TIMEOUT,
            max_idle_connections: DEFAULT_MAX_IDLE_CONNECTIONS,
            retry: RetryPolicy::default(),
            ca_bundle: None,
            allow_insecure_http: false,
            proxy: ProxyConfig::default(),
            clock: Arc::new(SystemClock),
            loaded: None,
        }
    }
}

impl ClientBuilder {
    /// Default settings: Atlas v1.0 at <https://cloud.mongodb.com>, no
    /// credentials yet, 10 s / 30 s timeouts, the default [`RetryPolicy`],
    /// Mozilla's roots, proxies from the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding what [`ClientBuilder::load_env`] finds for
    /// Atlas CLI profile `profile` (`default` when `None`).
    pub fn from_env(profile: Option<&str>) -> Result<Self, Error> {
        let mut builder = Self::new();
        builder.load_env(profile)?;
        Ok(builder)
    }

    /// Reads credentials and the host from where the MongoDB tools keep
    /// them, to be used where this builder has none of its own:
    ///
    /// 1. the environment: `MONGODB_ATLAS_PUBLIC_API_KEY` and
    ///    `MONGODB_ATLAS_PRIVATE_API_KEY` (Atlas CLI), else
    ///    `MONGODB_ATLAS_PUBLIC_KEY` and `MONGODB_ATLAS_PRIVATE_KEY`
    ///    (Terraform); `MONGODB_ATLAS_CLIENT_ID` and
    ///    `MONGODB_ATLAS_CLIENT_SECRET` (a service account);
    ///    `MONGODB_ATLAS_OPS_MANAGER_URL` (a host that implies
    ///    [`Api::OpsManager`]), else `MONGODB_ATLAS_BASE_URL` (a host);
    /// 2. the Atlas CLI profile `profile` (`default` when `None`) in
    ///    `$XDG_CONFIG_HOME/atlascli/config.toml`, else
    ///    `~/.config/atlascli/config.toml`: `public_api_key`,
    ///    `private_api_key`, `client_id`, `client_secret`,
    ///    `ops_manager_url` and `service`. A file that others may read is
    ///    logged as a warning.
    ///
    /// Credentials are taken whole from one source: a public key set on the
    /// builder is never paired with a private key from the environment.
    /// A profile asked for by name must exist; a broken file or half a key
    /// pair is an error now. Finding no credentials anywhere is reported by
    /// [`ClientBuilder::build`], with every source tried.
    pub fn load_env(&mut self, profile: Option<&str>) -> Result<&mut Self, Error> {
        self.loaded = Some(credentials::load(profile, &|name| {
            std::env::var(name).ok()
        })?);
        Ok(self)
    }

    /// The full API base URL, e.g. `https://ops.example.com:8443/api/public/v1.0`.
    /// Wins over [`ClientBuilder::host`]; the API flavour is recognised from
    /// its path unless [`ClientBuilder::api`] is set. The token endpoint of
    /// a service account is at its origin.
    pub fn base_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.base_url = Some(url.into());
        self
    }

    /// The host the API lives on, e.g. `https://cloud.mongodb.com` (the
    /// default) or `https://ops.example.com:8443` for Ops Manager; the API
    /// flavour's path goes below it.
    pub fn host(&mut self, host: impl Into<String>) -> &mut Self {
        self.host = Some(host.into());
        self
    }

    /// The API flavour; [`Api::AtlasV1`] unless set, found in the base URL
    /// or implied by an Ops Manager URL from the environment.
    pub fn api(&mut self, api: Api) -> &mut Self {
        self.api = Some(api);
        self
    }

    /// The credentials, replacing any set before.
    pub fn credentials(&mut self, credentials: Credentials) -> &mut Self {
        self.credentials = CredentialFields::default();
        match credentials {
            Credentials::ApiKey {
                public_key,
                private_key,
            } => {
                self.credentials.public_key = Some(public_key);
                self.credentials.private_key = Some(private_key);
            }
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => {
                self.credentials.client_id = Some(client_id);
                self.credentials.client_secret = Some(client_secret);
            }
        }
        self
    }

    /// A programmatic API key: the public key is the Digest user name, the
    /// private key its password. The private key is never printed.
    pub fn digest_credentials(
        &mut self,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> &mut Self {
        self.public_key(public_key).private_key(private_key)
    }

    /// A service account's client ID and secret, exchanged for a bearer
    /// token. The secret and the token are never printed.
    pub fn service_account(
        &mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> &mut Self {
        self.client_id(client_id).client_secret(client_secret)
    }

    /// The public key of an API key, on its own (bindings pass fields one by one).
    pub fn public_key(&mut self, public_key: impl Into<String>) -> &mut Self {
        self.credentials.public_key = Some(public_key.into());
        self
    }

    /// The private key of an API key, on its own.
    pub fn private_key(&mut self, private_key: impl Into<String>) -> &mut Self {
        self.credentials.private_key = Some(Secret::new(private_key));
        self
    }

    /// The client ID of a service account, on its own.
    pub fn client_id(&mut self, client_id: impl Into<String>) -> &mut Self {
        self.credentials.client_id = Some(client_id.into());
        self
    }

    /// The client secret of a service account, on its own.
    pub fn client_secret(&mut self, client_secret: impl Into<String>) -> &mut Self {
        self.credentials.client_secret = Some(Secret::new(client_secret));
        self
    }

    /// How long establishing a connection may take.
    pub fn connect_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one HTTP exchange may take, from connecting to the end of the body.
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// How long [`Client::close`] may spend revoking the access token of a
    /// service account (1 s by default): connecting, sending and reading
    /// the answer. A revocation that takes longer is given up, with a
    /// warning; the token then lapses within its hour.
    pub fn revoke_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.revoke_timeout = timeout;
        self
    }

    /// How many kept-alive connections the client keeps for reuse (32 by
    /// default); 0 closes each connection after its request. Threads beyond
    /// it still run, but their connections are closed after use.
    pub fn max_idle_connections(&mut self, connections: usize) -> &mut Self {
        self.max_idle_connections = connections;
        self
    }

    /// When to retry failed attempts; [`RetryPolicy::none`] turns retries off.
    pub fn retry(&mut self, policy: RetryPolicy) -> &mut Self {
        self.retry = policy;
        self
    }

    /// How many times a failed attempt may be repeated, keeping the rest of
    /// the retry policy.
    pub fn max_retries(&mut self, retries: u32) -> &mut Self {
        self.retry = self.retry.max_retries(retries);
        self
    }

    /// The most time one call may take, keeping the rest of the retry policy.
    pub fn retry_budget(&mut self, budget: Duration) -> &mut Self {
        self.retry = self.retry.budget(budget);
        self
    }

    /// The retry policy set so far.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Trust the CA certificates in this PEM file instead of the bundled
    /// Mozilla roots, e.g. for Ops Manager behind a private CA. Certificates
    /// are always verified; there is no way to turn that off.
    pub fn ca_bundle(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// Allow a plain `http://` base URL to a host that is not loopback.
    /// Digest never sends the private key, but the traffic can be read and
    /// altered on the way (and a bearer token can be taken); loopback hosts
    /// (a local mock) need no permission.
    pub fn allow_insecure_http(&mut self, allow: bool) -> &mut Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Which proxy to use; by default the environment decides.
    pub fn proxy(&mut self, proxy: ProxyConfig) -> &mut Self {
        self.proxy = proxy;
        self
    }

    /// Where the client reads the time and waits (the system's by
    /// default): tests put a clock of their own here to prove retries,
    /// token renewal and idle connections without sleeping.
    pub fn clock(&mut self, clock: Arc<dyn Clock>) -> &mut Self {
        self.clock = clock;
        self
    }

    /// Checks the settings and builds the client. Nothing is sent yet.
    pub fn build(&self) -> Result<Client, Error> {
        self.build_with(Arc::new(resolver::system_lookup))
    }

    /// [`ClientBuilder::build`] with host names resolved by `lookup`.
    pub(crate) fn build_with(&self, lookup: resolver::Lookup) -> Result<Client, Error> {
        let credentials = self.resolve_credentials()?;
        let (parsed, api) = self.resolve_location()?;
        for (name, value) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
            ("revoke_timeout", self.revoke_timeout),
        ] {
            if value.is_zero() {
                return Err(Error::invalid(name, "must be greater than zero"));
            }
        }
        if self.retry.time_budget().is_zero() {
            return Err(Error::invalid("retry_budget", "must be greater than zero"));
        }
        let proxy = proxy::choose(&self.proxy, parsed.scheme, &parsed.host, |name| {
            std::env::var(name).ok()
        })
        .map(|(url, source)| proxy::parse(&url, source))
        .transpose()?;
        let setting = if self.base_url.is_some() {
            "base_url"
        } else {
            "host"
        };
        let target = Target::new(&parsed.origin, setting)?;
        // Checked whatever the scheme, so a broken bundle is found now.
        let tls = tls::config(self.ca_bundle.as_deref())?;
        let connector = Connector::new(target, proxy, tls, lookup, self.connect_timeout);
        Ok(Client {
            transport: Transport {
                connector,
                pool: Pool::new(self.max_idle_connections),
                origin: parsed.origin,
                auth: Auth::new(credentials),
                retry: self.retry,
                timeout: self.timeout,
                clock: Arc::clone(&self.clock),
                cancellations: Default::default(),
                rate_gate: Default::default(),
            },
            api,
            base_path: parsed.path,
            revoke_timeout: self.revoke_timeout,
        })
    }

    /// The builder's own credentials, else those loaded from the
    /// environment or profile.
    fn resolve_credentials(&self) -> Result<Credentials, Error> {
        let credentials = match self.credentials.clone().resolve(&ARGUMENTS)? {
            Some(explicit) => explicit,
            None => match &self.loaded {
                Some(loaded) => loaded
                    .credentials
                    .clone()
                    .ok_or_else(|| loaded.nothing_found())?,
                None => {
                    return Err(Error::invalid(
                        "credentials",
                        "no API key or service account was given: set public_key and \
                         private_key, or client_id and client_secret",
                    ))
                }
            },
        };
        credentials.check()?;
        Ok(credentials)
    }

    /// Origin, API base path and flavour: an explicit base URL, else a host
    /// (explicit, loaded, or the default) with the flavour's path below it.
    fn resolve_location(&self) -> Result<(Parsed, Api), Error> {
        let insecure_ok = self.allow_insecure_http;
        if let Some(url) = &self.base_url {
            let parsed = base_url::split("base_url", url, insecure_ok)?;
            let api = self
                .api
                .or_else(|| Api::from_base_path(&parsed.path))
                .unwrap_or_default();
            return Ok((parsed, api));
        }
        let loaded = self.loaded.as_ref().and_then(|l| l.location.as_ref());
        let (host, implied, source) = match (&self.host, loaded) {
            (Some(host), _) => (host.as_str(), None, None),
            (None, Some(found)) => (found.host.as_str(), found.api, Some(found.source.as_str())),
            (None, None) => (DEFAULT_HOST, None, None),
        };
        // Where a host from the environment or a profile came from, so the
        // message names the variable or file to fix.
        let from = |e: Error| match (e, source) {
            (Error::InvalidArgument { name, reason }, Some(source)) => {
                Error::invalid(name, format!("{reason} (from {source})"))
            }
            (e, _) => e,
        };
        let mut parsed = base_url::split("host", host, insecure_ok).map_err(from)?;
        // A host with exactly a flavour's path (the mock prints such a URL,
        // and Terraform users write one) means that flavour at that host;
        // any other path would silently go in front of the flavour's.
        let named = match parsed.path.as_str() {
            "" => None,
            path => match Api::from_exact_path(path) {
                Some(api) => Some(api),
                None => {
                    return Err(from(Error::invalid(
                        "host",
                        format!(
                            "{host:?} has a path ({path}): host takes scheme://host[:port]; \
                             use base_url for a full URL"
                        ),
                    )))
                }
            },
        };
        let api = self.api.or(implied).or(named).unwrap_or_default();
        parsed.path = api.path().to_owned();
        Ok((parsed, api))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(url: &str) -> Result<Client, Error> {
        Client::builder()
            .base_url(url)
            .digest_credentials("abcdefgh", "secret-key")
            .build()
    }

    #[test]
    fn hosts_and_flavours_make_base_urls() {
        let default = Client::new("abcdefgh", "k").unwrap();
        assert_eq!(
            default.base_url(),
            "https://cloud.mongodb.com/api/atlas/v1.0"
        );
        assert_eq!(default.api(), Api::AtlasV1);
        let mut builder = Client::builder();
        builder.digest_credentials("abcdefgh", "k");
        for (api, url) in [
            (Api::AtlasV1, "https://h.example:8443/api/atlas/v1.0"),
            (Api::AtlasV2, "https://h.example:8443/api/atlas/v2"),
            (Api::OpsManager, "https://h.example:8443/api/public/v1.0"),
        ] {
            let client = builder
                .clone()
                .host("https://h.example:8443/")
                .api(api)
                .build()
                .unwrap();
            assert_eq!((client.base_url().as_str(), client.api()), (url, api));
        }
    }

    #[test]
    fn an_explicit_base_url_wins_and_names_its_flavour() {
        let client = build("http://127.0.0.1:8080/api/atlas/v2/").unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8080/api/atlas/v2");
        assert_eq!(client.api(), Api::AtlasV2);
        let client = build("http://127.0.0.1:8080/custom").unwrap();
        assert_eq!(client.api(), Api::AtlasV1);
    }

    #[test]
    fn ca_bundle_must_hold_certificates() {
        let mut builder = Client::builder();
        builder.digest_credentials("abcdefgh", "k");
        let err = builder
            .clone()
            .ca_bundle("/nonexistent/ca.pem")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("ca_bundle"), "{err}");
        let empty =
            std::env::temp_dir().join(format!("atlas-admin-empty-{}.pem", std::process::id()));
        std::fs::write(&empty, "not a certificate").unwrap();
        let err = builder.clone().ca_bundle(&empty).build().unwrap_err();
        std::fs::remove_file(&empty).unwrap();
        assert!(err.to_string().contains("no PEM certificate"), "{err}");
    }

    #[test]
    fn refuses_bad_base_urls_and_hosts() {
        for url in ["", "ftp://x/y", "https://h/x?y=1"] {
            let err = build(url).unwrap_err();
            assert!(err.to_string().contains("base_url"), "{url}: {err}");
            let err = Client::builder()
                .host(url)
                .digest_credentials("abcdefgh", "k")
                .build()
                .unwrap_err();
            assert!(err.to_string().contains("`host`"), "{url}: {err}");
        }
    }

    #[test]
    fn a_host_with_a_flavours_path_is_that_flavour_at_that_host() {
        let with_host = |host: &str| {
            let mut builder = Client::builder();
            builder.host(host).digest_credentials("abcdefgh", "k");
            builder
        };
        for (host, api) in [
            ("http://127.0.0.1:8080/api/atlas/v1.0", Api::AtlasV1),
            ("http://127.0.0.1:8080/api/atlas/v2/", Api::AtlasV2),
            ("http://127.0.0.1:8080/api/public/v1.0", Api::OpsManager),
        ] {
            let client = with_host(host).build().unwrap();
            assert_eq!(
                (client.base_url(), client.api()),
                (format!("http://127.0.0.1:8080{}", api.path()), api),
                "{host}"
            );
        }
        // An explicit flavour wins; the path never doubles.
        let client = with_host("http://127.0.0.1:8080/api/atlas/v1.0")
            .api(Api::AtlasV2)
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8080/api/atlas/v2");
    }

    #[test]
    fn a_host_with_another_path_is_refused_and_told_to_use_base_url() {
        let err = Client::builder()
            .host("https://ops.example.com/prefix/api/atlas/v1.0")
            .digest_credentials("abcdefgh", "k")
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`host`")
                && err.contains("host takes scheme://host[:port]; use base_url for a full URL"),
            "{err}"
        );
        let mut builder = Client::builder();
        builder.loaded = Some(
            credentials::load(None, &|name| {
                (name == "MONGODB_ATLAS_BASE_URL").then(|| "https://h.example/x/y".to_owned())
            })
            .unwrap(),
        );
        let err = builder
            .digest_credentials("abcdefgh", "k")
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("host takes scheme://host[:port]")
                && err.contains("(from MONGODB_ATLAS_BASE_URL)")
                && !err.contains("invalid argument `host`: invalid argument"),
            "{err}"
        );
    }

    #[test]
    fn refuses_bad_or_missing_credentials_without_echoing_secrets() {
        let e = Client::new("", "k").unwrap_err();
        assert!(e.to_string().contains("public_key"));
        let e = Client::new("pub\"x", "k").unwrap_err();
        assert!(e.to_string().contains("public_key"));
        let e = Client::new("pub", "se\ncret").unwrap_err().to_string();
        assert!(e.contains("private_key") && !e.contains("se\ncret"), "{e}");
        let e = Client::builder().build().unwrap_err().to_string();
        assert!(e.contains("no API key or service account"), "{e}");
        let e = Client::builder()
            .digest_credentials("abcdefgh", "k")
            .service_account("id", "s3cr3t")
            .build()
            .unwrap_err()
            .to_string();
        assert!(e.contains("client_secret") && e.contains("public_key") && !e.contains("s3cr3t"));
        let e = Client::builder()
            .client_id("id")
            .build()
            .unwrap_err()
            .to_string();
        assert!(e.contains("`client_secret`"), "{e}");
    }

    #[test]
    fn explicit_credentials_replace_one_another() {
        let client = Client::builder()
            .digest_credentials("abcdefgh", "k")
            .credentials(Credentials::service_account("mdb_sa_id_1", "s"))
            .build()
            .unwrap();
        assert_eq!(
            (client.public_key(), client.client_id()),
            (None, Some("mdb_sa_id_1"))
        );
    }

    #[test]
    fn debug_hides_the_secrets() {
        let c = Client::new("abcdefgh", "0c1b7a3e-private").unwrap();
        let shown = format!("{c:?}");
        assert!(
            shown.contains("abcdefgh") && !shown.contains("0c1b7a3e"),
            "{shown}"
        );
        let c = Client::builder()
            .service_account("mdb_sa_id_1", "mdb_sa_sk_secret")
            .build()
            .unwrap();
        let shown = format!("{c:?}");
        assert!(
            shown.contains("mdb_sa_id_1") && !shown.contains("sk_secret"),
            "{shown}"
        );
        let builder = format!(
            "{:?}",
            Client::builder()
                .digest_credentials("a", "0c1b7a3e-private")
                .service_account("b", "mdb_sa_sk_secret")
        );
        assert!(
            !builder.contains("0c1b7a3e") && !builder.contains("sk_secret"),
            "{builder}"
        );
    }

    #[test]
    fn client_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Client>();
    }
}
