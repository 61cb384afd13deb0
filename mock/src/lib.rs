//! A small, faithful emulator of the MongoDB Atlas Administration API, for
//! testing programs offline.
//!
//! It serves `DELETE /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}` under Atlas v1.0
//! (`/api/atlas/v1.0`), Cloud/Ops Manager (`/api/public/v1.0`) and Atlas v2
//! (`/api/atlas/v2`, which wants `Accept: application/vnd.atlas.2023-01-01+json`),
//! behind Digest authentication done as Atlas does it or a service
//! account's Bearer token from `POST /api/oauth/token`, with Atlas' real
//! error bodies, `pretty` and `envelope`. It counts what it sees, remembers
//! the last requests' headers and can be told to misbehave.
//!
//! ```
//! use atlas_admin_mock::{Credential, MockAtlas, MockConfig, ServiceAccount};
//!
//! let mut config = MockConfig::default();
//! config.credentials.push(Credential::new("abcdefgh", "private"));
//! config.service_accounts.push(ServiceAccount::new("mdb_sa_id_1234", "mdb_sa_sk_5678"));
//! config.keys.insert("5f1a2b3c4d5e6f7a8b9c0d1e".into(), vec!["6a1b2c3d4e5f6a7b8c9d0e1f".into()]);
//! let atlas = MockAtlas::start(config).unwrap();
//! println!("{}", atlas.base_url()); // http://127.0.0.1:PORT/api/atlas/v1.0
//! ```

#![warn(missing_docs)]

mod admin;
mod atlas;
mod base64;
mod config;
mod digest;
mod faults;
mod http;
mod oauth;
mod request_log;
mod server;
mod stats;
mod versioning;

pub use config::{Algorithm, Credential, DigestSettings, MockConfig, NcCheck, ServiceAccount};
pub use faults::Fault;
pub use request_log::SeenRequest;
pub use stats::Stats;

use faults::FaultQueue;
use oauth::TokenStore;
use request_log::RequestLog;
use server::Connections;
use stats::Counters;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// Organizations and the API keys in each.
type World = BTreeMap<String, BTreeSet<String>>;

/// State shared by all connection threads.
pub(crate) struct Shared {
    world: Mutex<World>,
    credentials: Vec<Credential>,
    digest: digest::DigestServer,
    service_accounts: Vec<ServiceAccount>,
    tokens: TokenStore,
    counters: Counters,
    request_log: RequestLog,
    faults: Mutex<FaultQueue>,
}

impl Shared {
    fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Zeroes the counters and empties the request log, which tests read
    /// together.
    fn reset_stats(&self) {
        self.counters.reset();
        self.request_log.clear();
    }
}

/// A running mock Atlas on 127.0.0.1. Dropping it stops the server.
pub struct MockAtlas {
    shared: Arc<Shared>,
    address: SocketAddr,
    connections: Arc<Connections>,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl MockAtlas {
    /// Starts the mock on an ephemeral port of 127.0.0.1.
    pub fn start(config: MockConfig) -> io::Result<Self> {
        Self::start_on_port(config, 0)
    }

    /// Starts the mock on `port` of 127.0.0.1 (0 picks a free one).
    pub fn start_on_port(config: MockConfig, port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let mut world = World::new();
        for org in config.orgs {
            world.entry(org).or_default();
        }
        for (org, keys) in config.keys {
            world.entry(org).or_default().extend(keys);
        }
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            credentials: config.credentials,
            digest: digest::DigestServer::new(config.digest),
            service_accounts: config.service_accounts,
            tokens: TokenStore::new(config.token_lifetime_secs),
            counters: Counters::default(),
            request_log: RequestLog::default(),
            faults: Mutex::new(FaultQueue::default()),
        });
        let connections = Arc::new(Connections::default());
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let (shared, connections, stopping) = (
                Arc::clone(&shared),
                Arc::clone(&connections),
                Arc::clone(&stopping),
            );
            std::thread::Builder::new()
                .name("atlas-mock-accept".into())
                .spawn(move || server::accept_loop(listener, shared, connections, stopping))?
        };
        Ok(MockAtlas {
            shared,
            address,
            connections,
            stopping,
            acceptor: Some(acceptor),
        })
    }

    /// The port the mock listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// `http://127.0.0.1:PORT`, where `/__mock/` controls also live.
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The Atlas v1.0 base URL, `http://127.0.0.1:PORT/api/atlas/v1.0`.
    pub fn base_url(&self) -> String {
        format!("{}/api/atlas/v1.0", self.origin())
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
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

    /// Makes every nonce issued so far stale, as if its lifetime had passed.
    pub fn expire_nonces(&self) {
        self.shared.digest.expire_all();
    }

    /// Forgets every access token issued so far: their next use gets a 401.
    pub fn revoke_tokens(&self) {
        self.shared.tokens.revoke_all();
    }

    /// Creates API key `key_id` in organization `org_id` (creating the org too).
    pub fn add_key(&self, org_id: &str, key_id: &str) {
        self.shared
            .world()
            .entry(org_id.to_owned())
            .or_default()
            .insert(key_id.to_owned());
    }

    /// Whether API key `key_id` exists in organization `org_id`.
    pub fn has_key(&self, org_id: &str, key_id: &str) -> bool {
        self.shared
            .world()
            .get(org_id)
            .is_some_and(|keys| keys.contains(key_id))
    }
}

impl Drop for MockAtlas {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // The acceptor blocks in accept(); a connection wakes it to see the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        self.connections.close_all();
    }
}
