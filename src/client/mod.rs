//! The client: what every call shares (its transport) and where the API
//! lives below the host.

mod base_url;
mod builder;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_REVOKE_TIMEOUT,
    DEFAULT_TIMEOUT,
};

use crate::auth::{Auth, Scheme};
use crate::response::Success;
use crate::transport::{ApiRequest, Transport};
use crate::{Api, Error, Interrupt, Method};
use std::fmt;
use std::time::Duration;

/// A client for the Atlas Administration API.
///
/// Build it once and share it: it is `Send + Sync`, pools keep-alive
/// connections, remembers the Digest challenge (or caches the service
/// account's token) so that after the first call each request costs one
/// round trip.
///
/// A client with a service account mints an access token on its first
/// call; [`Client::close`] revokes it. Dropping a client does no network
/// I/O, so a client dropped unclosed leaves its token to lapse (after an
/// hour on Atlas, which allows 100 live tokens per service account).
pub struct Client {
    transport: Transport,
    api: Api,
    base_path: String,
    revoke_timeout: Duration,
}

impl Client {
    /// A client for Atlas v1.0 at the default host with a programmatic API
    /// key pair and default settings.
    pub fn new(
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Result<Self, Error> {
        ClientBuilder::new()
            .digest_credentials(public_key, private_key)
            .build()
    }

    /// A client configured from the environment and Atlas CLI profile
    /// `profile` (`default` when `None`); see [`ClientBuilder::load_env`].
    ///
    /// ```
    /// use atlas_admin::{Client, DeleteOptions};
    /// # use atlas_admin_mock::{Credential, MockAtlas, MockConfig};
    /// # let mut config = MockConfig::default();
    /// # config.credentials.push(Credential::new("abcdefgh", "private-key-uuid"));
    /// # config.keys.insert("5f1a2b3c4d5e6f7a8b9c0d1e".into(), vec!["6a1b2c3d4e5f6a7b8c9d0e1f".into()]);
    /// # let atlas = MockAtlas::start(config).unwrap();
    /// # // What `atlas config init` or a CI job's secrets would provide; the
    /// # // host is the bundled mock Atlas.
    /// # std::env::set_var("MONGODB_ATLAS_PUBLIC_API_KEY", "abcdefgh");
    /// # std::env::set_var("MONGODB_ATLAS_PRIVATE_API_KEY", "private-key-uuid");
    /// # std::env::set_var("MONGODB_ATLAS_BASE_URL", atlas.origin());
    ///
    /// // MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY are set.
    /// let client = Client::from_env(None)?;
    /// assert_eq!(client.public_key(), Some("abcdefgh"));
    /// client.delete_org_api_key(
    ///     "5f1a2b3c4d5e6f7a8b9c0d1e",
    ///     "6a1b2c3d4e5f6a7b8c9d0e1f",
    ///     &DeleteOptions::new().missing_ok(true),
    /// )?;
    /// # assert!(!atlas.has_key("5f1a2b3c4d5e6f7a8b9c0d1e", "6a1b2c3d4e5f6a7b8c9d0e1f"));
    /// # Ok::<(), atlas_admin::Error>(())
    /// ```
    pub fn from_env(profile: Option<&str>) -> Result<Self, Error> {
        ClientBuilder::from_env(profile)?.build()
    }

    /// A builder for a client with other settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL requests are sent below, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.transport.origin, self.base_path)
    }

    /// The API flavour this client speaks.
    pub fn api(&self) -> Api {
        self.api
    }

    /// The public key (Digest user name), when the client uses an API key.
    pub fn public_key(&self) -> Option<&str> {
        (self.transport.auth.scheme() == Scheme::ApiKey).then(|| self.transport.auth.id())
    }

    /// The service account's client ID, when the client uses one.
    pub fn client_id(&self) -> Option<&str> {
        (self.transport.auth.scheme() == Scheme::ServiceAccount).then(|| self.transport.auth.id())
    }

    /// Stops every call in flight on this client: each returns
    /// [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled) at the end of
    /// its current slice (within about 200 ms) while it waits to retry or
    /// for an answer. Calls started afterwards are not affected. A request
    /// already sent may have taken effect; the connection it used is
    /// closed, never reused.
    ///
    /// One atomic add: it may be called from any thread, and from a signal
    /// handler (a SIGINT handler, say). Opening a connection (the connect
    /// timeout) is not cut into slices.
    pub fn cancel_all(&self) {
        self.transport.cancellations.cancel_all();
    }

    /// Ends the client's session with the server: revokes the access token
    /// this client minted for its service account (`POST
    /// {origin}/api/oauth/revoke`), so that scripts that make a client per
    /// run do not pile up live tokens until Atlas refuses new ones.
    ///
    /// Best effort and prompt: one attempt within
    /// [`ClientBuilder::revoke_timeout`] (1 s by default); a failure is
    /// logged as a warning, never returned. Nothing is sent when no token
    /// was minted, when it has expired, for an API key, or in a process
    /// forked from the one that minted the token (they share it; only the
    /// minting process revokes).
    ///
    /// The client stays usable: closing forgets the token, so a later call
    /// mints a new one, which a later `close` revokes. Closing twice
    /// revokes once. Calls running on other threads meanwhile are not
    /// waited for: one that set out with the revoked token gets a 401 and
    /// fetches a new token, which this `close` does not revoke. Close when
    /// the calls are done, as before dropping the client.
    ///
    /// ```
    /// use atlas_admin::{Client, DeleteOptions};
    /// # use atlas_admin_mock::{MockAtlas, MockConfig, ServiceAccount};
    /// # let mut config = MockConfig::default();
    /// # config.service_accounts.push(ServiceAccount::new("mdb_sa_id_1234", "mdb_sa_sk_5678"));
    /// # config.keys.insert("5f1a2b3c4d5e6f7a8b9c0d1e".into(), vec!["6a1b2c3d4e5f6a7b8c9d0e1f".into()]);
    /// # let atlas = MockAtlas::start(config).unwrap();
    /// # let host = atlas.origin();
    /// let client = Client::builder()
    ///     .host(host)
    ///     .service_account("mdb_sa_id_1234", "mdb_sa_sk_5678")
    ///     .build()?;
    /// client.delete_org_api_key(
    ///     "5f1a2b3c4d5e6f7a8b9c0d1e",
    ///     "6a1b2c3d4e5f6a7b8c9d0e1f",
    ///     &DeleteOptions::new(),
    /// )?;
    /// client.close(); // the token is revoked
    /// # assert_eq!((atlas.stats().tokens_revoked, atlas.stats().active_tokens), (1, 0));
    /// # Ok::<(), atlas_admin::Error>(())
    /// ```
    pub fn close(&self) {
        self.transport.revoke_token(self.revoke_timeout);
    }

    /// A request for `segments` below this client's API base, in its version.
    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> Result<ApiRequest, Error> {
        ApiRequest::new(method, &self.base_path, self.api.media_type(), segments)
    }

    /// A request for `path` below this client's API base, already checked
    /// and escaped, in its version.
    pub(crate) fn request_for_path(&self, method: Method, path: &str) -> ApiRequest {
        ApiRequest::with_path(
            method,
            format!("{}{path}", self.base_path),
            self.api.media_type(),
        )
    }

    /// Sends `request` with retries and decides its outcome.
    pub(crate) fn execute(
        &self,
        request: &ApiRequest,
        interrupt: Option<&Interrupt>,
        stop_waiting: Option<&Interrupt>,
    ) -> Result<Success, Error> {
        self.transport.execute(request, interrupt, stop_waiting)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = &self.transport.auth;
        let mut out = f.debug_struct("Client");
        out.field("base_url", &self.base_url())
            .field("api", &self.api);
        match auth {
            Auth::Digest(_) => out
                .field("public_key", &auth.id())
                .field("private_key", &"<redacted>"),
            Auth::ServiceAccount(_) => out
                .field("client_id", &auth.id())
                .field("client_secret", &"<redacted>"),
        };
        out.field("timeout", &self.transport.timeout)
            .field("revoke_timeout", &self.revoke_timeout)
            .field("retry", &self.transport.retry)
            .finish()
    }
}
