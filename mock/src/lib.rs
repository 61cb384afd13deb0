//! A small, faithful emulator of the MongoDB Atlas Administration API, for
//! testing programs offline.
//!
//! It serves the organization API key lifecycle (list, get, create,
//! update, delete, and each key's access list) under Atlas v1.0
//! (`/api/atlas/v1.0`), Cloud/Ops Manager (`/api/public/v1.0`) and Atlas v2
//! (`/api/atlas/v2`, which wants `Accept: application/vnd.atlas.2023-01-01+json`),
//! behind Digest authentication done as Atlas does it or a service
//! account's Bearer token from `POST /api/oauth/token` (at most 100 alive
//! per account unless configured, revoked at `POST /api/oauth/revoke`), with Atlas' real
//! error bodies, paging, `pretty` and `envelope`. It counts what it sees,
//! remembers the last requests' headers, can be told to misbehave or to
//! limit callers' rate with a token bucket ([`RateLimit`]), and keeps time
//! on a clock that tests move forward ([`MockAtlas::advance_clock`]).
//!
//! ```
//! use atlas_admin_mock::{ApiKey, Credential, MockAtlas, MockConfig, ServiceAccount};
//!
//! let mut config = MockConfig::default();
//! config.credentials.push(Credential::new("abcdefgh", "private"));
//! config.service_accounts.push(ServiceAccount::new("mdb_sa_id_1234", "mdb_sa_sk_5678"));
//! config.keys.insert("5f1a2b3c4d5e6f7a8b9c0d1e".into(), vec!["6a1b2c3d4e5f6a7b8c9d0e1f".into()]);
//! let atlas = MockAtlas::start(config).unwrap();
//! println!("{}", atlas.base_url()); // http://127.0.0.1:PORT/api/atlas/v1.0
//!
//! // A key of the organization that signs in as the credential above.
//! let key = atlas
//!     .add_api_key("5f1a2b3c4d5e6f7a8b9c0d1e", ApiKey { public_key: "abcdefgh".into(), ..ApiKey::default() })
//!     .unwrap();
//! assert_eq!(key.private_key, "private");
//! assert_eq!(atlas.api_keys("5f1a2b3c4d5e6f7a8b9c0d1e").len(), 2);
//! ```

#![warn(missing_docs)]

mod access_list;
mod address;
mod admin;
mod answer;
mod api_keys;
mod auth;
mod base64;
mod body;
mod call;
mod clock;
mod config;
mod digest;
mod dispatch;
mod errors;
mod faults;
mod flavour;
mod http;
mod oauth;
mod paging;
mod percent;
mod random;
mod rate_limit;
mod records;
mod request_log;
mod routes;
mod server;
mod shared;
mod shell_env;
mod stats;
mod tls;
mod tokens;
mod versioning;
mod world;

pub use clock::MockClock;
pub use config::{
    Algorithm, Credential, DigestSettings, MockConfig, NcCheck, ServiceAccount, TlsFiles,
    DEFAULT_TOKEN_CAP,
};
pub use faults::Fault;
pub use random::PRIVATE_KEY_MARKER;
pub use rate_limit::{RateLimit, RATE_LIMITED_TOKEN_BUCKET};
pub use records::{AccessListEntry, ApiKey, RecordError};
pub use request_log::SeenRequest;
pub use shell_env::{DEFAULT_ORG_ID, KEYS_TO_DELETE};
pub use stats::Stats;

use faults::FaultQueue;
use rate_limit::Bucket;
use request_log::RequestLog;
use server::Connections;
use shared::Shared;
use stats::Counters;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use tokens::TokenStore;
use world::World;

/// A running mock Atlas on 127.0.0.1. Dropping it stops the server.
pub struct MockAtlas {
    shared: Arc<Shared>,
    address: SocketAddr,
    /// The HTTPS listener's, with [`MockConfig::tls`].
    tls_address: Option<SocketAddr>,
    connections: Arc<Connections>,
    stopping: Arc<AtomicBool>,
    acceptors: Vec<JoinHandle<()>>,
}

impl MockAtlas {
    /// Starts the mock on an ephemeral port of 127.0.0.1.
    pub fn start(config: MockConfig) -> io::Result<Self> {
        Self::start_on_port(config, 0)
    }

    /// Starts the mock on `port` of 127.0.0.1 (0 picks a free one).
    pub fn start_on_port(config: MockConfig, port: u16) -> io::Result<Self> {
        let clock = Arc::new(MockClock::new());
        let rate_limit = config
            .rate_limit
            .map(|limit| Bucket::new(limit, clock.now()))
            .transpose()
            .map_err(|why| {
                io::Error::new(io::ErrorKind::InvalidInput, format!("rate_limit: {why}"))
            })?;
        let mut world = World::new(config.credentials);
        for org in &config.orgs {
            world.add_org(org);
        }
        for (org, keys) in &config.keys {
            world.add_org(org);
            for key in keys {
                world.add_key_id(org, key);
            }
        }
        for (org, keys) in config.api_keys {
            for key in keys {
                world.insert(&org, key, clock.wall()).map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("api_keys of {org}: {e}"),
                    )
                })?;
            }
        }
        let tls = config.tls.as_ref().map(tls::server_config).transpose()?;
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            origin: format!("http://{address}"),
            clock: Arc::clone(&clock),
            world: Mutex::new(world),
            digest: digest::DigestServer::new(config.digest, Arc::clone(&clock)),
            service_accounts: config.service_accounts,
            tokens: TokenStore::new(config.token_lifetime_secs, config.token_cap, clock),
            counters: Counters::default(),
            request_log: RequestLog::default(),
            faults: Mutex::new(FaultQueue::default()),
            rate_limit: Mutex::new(rate_limit),
        });
        let mut atlas = MockAtlas {
            shared,
            address,
            tls_address: None,
            connections: Arc::new(Connections::default()),
            stopping: Arc::new(AtomicBool::new(false)),
            acceptors: Vec::new(),
        };
        atlas.serve(listener, None)?;
        if let Some(tls) = tls {
            // A port of its own: the plain one keeps serving the controls
            // and the tests that want no TLS.
            let listener = TcpListener::bind(("127.0.0.1", 0))?;
            atlas.tls_address = Some(listener.local_addr()?);
            atlas.serve(listener, Some(tls))?;
        }
        Ok(atlas)
    }

    /// Accepts connections on `listener` in a thread of its own, over TLS
    /// with `tls`.
    fn serve(
        &mut self,
        listener: TcpListener,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> io::Result<()> {
        let (shared, connections, stopping) = (
            Arc::clone(&self.shared),
            Arc::clone(&self.connections),
            Arc::clone(&self.stopping),
        );
        let acceptor = std::thread::Builder::new()
            .name("atlas-mock-accept".into())
            .spawn(move || server::accept_loop(listener, tls, shared, connections, stopping))?;
        self.acceptors.push(acceptor);
        Ok(())
    }

    /// The port the mock listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// `http://127.0.0.1:PORT`, where `/__mock/` controls also live.
    pub fn origin(&self) -> String {
        self.shared.origin.clone()
    }

    /// The Atlas v1.0 base URL, `http://127.0.0.1:PORT/api/atlas/v1.0`.
    pub fn base_url(&self) -> String {
        format!("{}/api/atlas/v1.0", self.origin())
    }

    /// The port of the HTTPS listener, when [`MockConfig::tls`] was set.
    pub fn tls_port(&self) -> Option<u16> {
        self.tls_address.map(|address| address.port())
    }

    /// The Atlas v1.0 base URL over HTTPS,
    /// `https://127.0.0.1:PORT/api/atlas/v1.0`, when [`MockConfig::tls`]
    /// was set: the same Atlas as [`MockAtlas::base_url`] (same keys,
    /// counters and controls), on a port of its own. Links in its answers
    /// name the plain origin.
    pub fn tls_base_url(&self) -> Option<String> {
        self.tls_address
            .map(|address| format!("https://{address}/api/atlas/v1.0"))
    }

    /// The counters so far, and the gauges (live access tokens) now.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Sets every counter back to zero and empties the request log.
    pub fn reset_stats(&self) {
        self.shared.reset_stats();
    }

    /// The last 256 API requests (token requests included, `/__mock/`
    /// controls not), oldest first.
    pub fn recent_requests(&self) -> Vec<SeenRequest> {
        self.shared.request_log.snapshot()
    }

    /// Applies `fault` to each of the next `times` API requests.
    pub fn inject(&self, fault: Fault, times: usize) {
        self.shared.faults().push(fault, times);
    }

    /// Delays every API response by `delay` (zero turns it off).
    pub fn set_response_delay(&self, delay: Duration) {
        self.shared.faults().every_response_delay = delay;
    }

    /// Limits authenticated API requests with a token bucket, full at
    /// first, in place of any limit before; the token endpoint and the
    /// `/__mock/` controls are never limited. Refuses (saying why) a
    /// limit that [`RateLimit::check`] refuses.
    pub fn set_rate_limit(&self, limit: RateLimit) -> Result<(), String> {
        *self.shared.rate_limit() = Some(Bucket::new(limit, self.shared.clock.now())?);
        Ok(())
    }

    /// Lifts the rate limit, if any.
    pub fn clear_rate_limit(&self) {
        *self.shared.rate_limit() = None;
    }

    /// Makes every nonce issued so far stale, as if its lifetime had passed.
    pub fn expire_nonces(&self) {
        self.shared.digest.expire_all();
    }

    /// Forgets every access token issued so far: their next use gets a
    /// 401. Not counted as revocations (`tokens_revoked`).
    pub fn revoke_tokens(&self) {
        self.shared.tokens.revoke_all();
    }

    /// The clock the mock reads: real time plus what [`advance_clock`]
    /// added. Give a client the same time (an `atlas_admin::Clock` whose
    /// `now` and `wall` are this clock's) so both see each jump.
    ///
    /// [`advance_clock`]: MockAtlas::advance_clock
    pub fn clock(&self) -> Arc<MockClock> {
        Arc::clone(&self.shared.clock)
    }

    /// Moves the mock's clock forward by `by`: nonces and access tokens
    /// age at once, as if that much time had passed.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Creates API key `key_id` in organization `org_id` (creating the org
    /// too), with a made-up public key, private key, description and the
    /// role `ORG_MEMBER`; does nothing when the key exists.
    pub fn add_key(&self, org_id: &str, key_id: &str) {
        self.shared.world().add_key_id(org_id, key_id);
    }

    /// Whether API key `key_id` exists in organization `org_id`.
    pub fn has_key(&self, org_id: &str, key_id: &str) -> bool {
        self.api_key(org_id, key_id).is_some()
    }

    /// Adds `key` to organization `org_id` (creating the org too), last in
    /// its listing order; fields left empty are made up (see [`ApiKey`]).
    /// Returns the key as stored, or why it was refused (an ID that is no
    /// ObjectId or already exists, a public key in use, a description or
    /// role Atlas would refuse, an access list entry that is no address).
    pub fn add_api_key(&self, org_id: &str, key: ApiKey) -> Result<ApiKey, RecordError> {
        let now = self.shared.clock.wall();
        self.shared.world().insert(org_id, key, now)
    }

    /// API key `key_id` of organization `org_id`, as stored.
    pub fn api_key(&self, org_id: &str, key_id: &str) -> Option<ApiKey> {
        self.shared.world().org(org_id)?.get(key_id).cloned()
    }

    /// Every API key of organization `org_id`, in creation order.
    pub fn api_keys(&self, org_id: &str) -> Vec<ApiKey> {
        self.shared
            .world()
            .org(org_id)
            .map(|org| org.in_order(0).cloned().collect())
            .unwrap_or_default()
    }
}

impl Drop for MockAtlas {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // An acceptor blocks in accept(); a connection wakes it to see the flag.
        for address in std::iter::once(self.address).chain(self.tls_address) {
            let _ = TcpStream::connect(address);
        }
        for acceptor in self.acceptors.drain(..) {
            let _ = acceptor.join();
        }
        self.connections.close_all();
    }
}
