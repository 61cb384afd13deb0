//! The client: configuration, validation and the pooled HTTP agent.

use crate::auth::DigestAuth;
use crate::secret::Secret;
use crate::Error;
use std::fmt;
use std::time::Duration;
use ureq::http::Uri;
use ureq::Agent;

/// Atlas Administration API v1.0, the default base URL.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com/api/atlas/v1.0";
/// How long establishing a connection (TCP and TLS) may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one HTTP exchange, body included, may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("public_key", &self.public_key())
            .field("private_key", &"<redacted>")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
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
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl ClientBuilder {
    /// Default settings: Atlas v1.0, no credentials yet, 10 s / 30 s timeouts.
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

    /// Checks the settings and builds the client. Nothing is sent yet.
    pub fn build(&self) -> Result<Client, Error> {
        let (origin, base_path) = split_base_url(&self.base_url)?;
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
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
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
        })
    }
}

fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// Splits a base URL into origin (`https://host:port`) and path.
fn split_base_url(url: &str) -> Result<(String, String), Error> {
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
    let path = uri.path().trim_end_matches('/');
    Ok((format!("{scheme}://{authority}"), path.to_owned()))
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
