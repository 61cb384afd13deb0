//! The state every connection thread shares.

use crate::clock::MockClock;
use crate::config::ServiceAccount;
use crate::digest::DigestServer;
use crate::faults::FaultQueue;
use crate::rate_limit::Bucket;
use crate::request_log::RequestLog;
use crate::stats::{Counters, Gauges, Stats};
use crate::tokens::TokenStore;
use crate::world::World;
use std::sync::{Arc, Mutex, MutexGuard};

/// State shared by all connection threads.
pub(crate) struct Shared {
    /// `http://127.0.0.1:PORT`, for the links in answers.
    pub origin: String,
    pub clock: Arc<MockClock>,
    pub world: Mutex<World>,
    pub digest: DigestServer,
    pub service_accounts: Vec<ServiceAccount>,
    pub tokens: TokenStore,
    pub counters: Counters,
    pub request_log: RequestLog,
    pub faults: Mutex<FaultQueue>,
    /// The token bucket authenticated API requests take from, if any.
    pub rate_limit: Mutex<Option<Bucket>>,
}

impl Shared {
    /// The world, locked; a panic elsewhere does not make it unusable.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The fault queue, locked.
    pub fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The rate limit's bucket, locked.
    pub fn rate_limit(&self) -> MutexGuard<'_, Option<Bucket>> {
        self.rate_limit.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The counters, and the gauges as they are now.
    pub fn stats(&self) -> Stats {
        self.counters.snapshot(Gauges {
            active_tokens: self.tokens.active(),
        })
    }

    /// Zeroes the counters and empties the request log, which tests read
    /// together.
    pub fn reset_stats(&self) {
        self.counters.reset();
        self.request_log.clear();
    }
}
