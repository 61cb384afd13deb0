//! The client: configuration, validation and the pooled HTTP agent.

use crate::auth::DigestAuth;
use crate::proxy::{self, ProxyConfig};
use crate::secret::Secret;
use crate::{tls, Error, RetryPolicy};
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;
use ureq::http::Uri;
use ureq::Agent;

/// Atlas Administration API v1.0, the default base URL.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com/api/atlas/v1.0";
/// How long establishing a connection (TCP and TLS) may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one HTTP exchange, body included, may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response head (status line and headers) accepted.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// A client for the Atlas Administration API.
///
/// Build it once and share it: it is `Send + Sync`, pools keep-alive
/// connections, and remembers the Digest challenge so that after the first
/// call each request costs one round trip.
pub struct Client {
    agent: Agent,
    origin: String,
    base_path: String,
    auth: DigestAuth,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
}

impl Client {
    /// A client for Atlas (the default base URL) with a programmatic API key
    /// pair and default timeouts.
    pub fn new(
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Result<Self, Error> {
        ClientBuilder::new()
            .digest_credentials(public_key, private_key)
            .build()
    }

    /// A builder for a client with other settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL requests are sent below, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.origin, self.base_path)
    }

    /// The public key (Digest user name).
    pub fn public_key(&self) -> &str {
        self.auth.username()
    }

    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    pub(crate) fn base_path(&self) -> &str {
        &self.base_path
    }

    pub(crate) fn agent(&self) -> &Agent {
        &self.agent
    }

    pub(crate) fn digest(&self) -> &DigestAuth {
        &self.auth
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("public_key", &self.public_key())
            .field("private_key", &"<redacted>")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// Settings for a [`Client`]; [`ClientBuilder::build`] checks them all.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<(String, Secret)>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    ca_bundle: Option<PathBuf>,
    allow_insecure_http: bool,
    proxy: ProxyConfig,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            ca_bundle: None,
            allow_insecure_http: false,
            proxy: ProxyConfig::default(),
        }
    }
}

impl ClientBuilder {
    /// Default settings: Atlas v1.0, no credentials yet, 10 s / 30 s
    /// timeouts, the default [`RetryPolicy`], Mozilla's roots, proxies from
    /// the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API base URL, e.g. `https://cloud.mongodb.com/api/public/v1.0`
    /// for Cloud Manager or `https://opsmanager.example.com:8443/api/public/v1.0`.
    pub fn base_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.base_url = url.into();
        self
    }

    /// A programmatic API key: the public key is the Digest user name, the
    /// private key its password. The private key is never printed.
    pub fn digest_credentials(
        &mut self,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> &mut Self {
        self.credentials = Some((public_key.into(), Secret::new(private_key.into())));
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

    /// When to retry failed attempts; [`RetryPolicy::none`] turns retries off.
    pub fn retry(&mut self, policy: RetryPolicy) -> &mut Self {
        self.retry = policy;
        self
    }

    /// The retry policy set so far, to adjust one setting of it.
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
    /// altered on the way; loopback hosts (a local mock) need no permission.
    pub fn allow_insecure_http(&mut self, allow: bool) -> &mut Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Which proxy to use; by default the environment decides.
    pub fn proxy(&mut self, proxy: ProxyConfig) -> &mut Self {
        self.proxy = proxy;
        self
    }

    /// Checks the settings and builds the client. Nothing is sent yet.
    pub fn build(&self) -> Result<Client, Error> {
        let (origin, base_path) = split_base_url(&self.base_url, self.allow_insecure_http)?;
        let Some((public_key, private_key)) = self.credentials.clone() else {
            return Err(invalid("public_key", "no API key was given"));
        };
        check_public_key(&public_key)?;
        check_private_key(&private_key)?;
        for (name, value) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
        ] {
            if value.is_zero() {
                return Err(invalid(name, "must be greater than zero"));
            }
        }
        if self.retry.time_budget().is_zero() {
            return Err(invalid("retry_budget", "must be greater than zero"));
        }
        let uri: Uri = self
            .base_url
            .parse()
            .map_err(|_| invalid("base_url", "is not a URL"))?;
        let proxy = proxy::choose(
            &self.proxy,
            uri.scheme_str().unwrap_or_default(),
            uri.host().unwrap_or_default(),
            |name| std::env::var(name).ok(),
        )
        .map(|url| proxy::to_ureq(&url))
        .transpose()?;
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .max_response_header_size(MAX_HEADER_BYTES)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .tls_config(tls::config(self.ca_bundle.as_deref())?)
            .proxy(proxy)
            .user_agent(format!("atlas-admin/{}", crate::VERSION))
            .build()
            .into();
        Ok(Client {
            agent,
            origin,
            base_path,
            auth: DigestAuth::new(public_key, private_key),
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            retry: self.retry,
        })
    }
}

fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// Splits a base URL into origin (`https://host:port`) and path, refusing
/// plain http to hosts other than loopback unless `insecure_ok`.
fn split_base_url(url: &str, insecure_ok: bool) -> Result<(String, String), Error> {
    let bad = |why: &str| invalid("base_url", format!("{url:?} {why}"));
    let uri: Uri = url
        .parse()
        .map_err(|_| bad("is not a URL such as https://cloud.mongodb.com/api/atlas/v1.0"))?;
    let scheme = match uri.scheme_str() {
        Some(s @ ("http" | "https")) => s,
        _ => return Err(bad("must start with https:// (or http://)")),
    };
    let authority = uri.authority().ok_or_else(|| bad("has no host"))?;
    if authority.as_str().contains('@') {
        return Err(bad("must not carry credentials; set the API key instead"));
    }
    if uri.query().is_some() {
        return Err(bad("must not have a query string"));
    }
    if scheme == "http" && !insecure_ok && !is_loopback(authority.host()) {
        return Err(bad(
            "uses plain http to a host that is not loopback; use https, or allow insecure http explicitly",
        ));
    }
    let path = uri.path().trim_end_matches('/');
    Ok((format!("{scheme}://{authority}"), path.to_owned()))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn check_public_key(key: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(invalid("public_key", "must not be empty"));
    }
    if !key
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    {
        return Err(invalid(
            "public_key",
            "must be printable ASCII without spaces, quotes or backslashes",
        ));
    }
    Ok(())
}

fn check_private_key(key: &Secret) -> Result<(), Error> {
    if key.expose().is_empty() {
        return Err(invalid("private_key", "must not be empty"));
    }
    if key.expose().chars().any(char::is_control) {
        return Err(invalid(
            "private_key",
            "must not contain control characters",
        ));
    }
    Ok(())
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
    fn keeps_origin_and_path_apart() {
        let c = build("http://127.0.0.1:8080/api/public/v1.0/").unwrap();
        assert_eq!(c.origin(), "http://127.0.0.1:8080");
        assert_eq!(c.base_path(), "/api/public/v1.0");
        assert_eq!(c.base_url(), "http://127.0.0.1:8080/api/public/v1.0");
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        for url in [
            "http://127.0.0.1:1/x",
            "http://127.3.4.5/x",
            "http://[::1]:8/x",
            "http://LOCALHOST/x",
        ] {
            assert!(build(url).is_ok(), "{url}");
        }
        let err = build("http://ops.example.com:8080/api/public/v1.0").unwrap_err();
        assert!(err.to_string().contains("plain http"), "{err}");
        let allowed = Client::builder()
            .base_url("http://ops.example.com:8080/api/public/v1.0")
            .digest_credentials("abcdefgh", "k")
            .allow_insecure_http(true)
            .build();
        assert!(allowed.is_ok());
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
    fn refuses_bad_base_urls() {
        for url in [
            "",
            "cloud.mongodb.com",
            "ftp://x/y",
            "https://u:p@h/x",
            "https://h/x?y=1",
        ] {
            let err = build(url).unwrap_err();
            assert!(err.to_string().contains("base_url"), "{url}: {err}");
        }
    }

    #[test]
    fn refuses_bad_keys_without_echoing_the_private_one() {
        let e = Client::new("", "k").unwrap_err();
        assert!(e.to_string().contains("public_key"));
        let e = Client::new("pub\"x", "k").unwrap_err();
        assert!(e.to_string().contains("public_key"));
        let e = Client::new("pub", "se\ncret").unwrap_err().to_string();
        assert!(e.contains("private_key") && !e.contains("se\ncret"), "{e}");
        let e = Client::builder().build().unwrap_err();
        assert!(e.to_string().contains("no API key"));
    }

    #[test]
    fn debug_hides_the_private_key() {
        let c = Client::new("abcdefgh", "0c1b7a3e-private").unwrap();
        let shown = format!("{c:?}");
        assert!(
            shown.contains("abcdefgh") && !shown.contains("0c1b7a3e"),
            "{shown}"
        );
        let builder = format!(
            "{:?}",
            Client::builder().digest_credentials("a", "0c1b7a3e-private")
        );
        assert!(!builder.contains("0c1b7a3e"), "{builder}");
    }

    #[test]
    fn client_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Client>();
    }
}
