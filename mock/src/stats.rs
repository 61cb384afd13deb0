//! Request counters, so tests can prove how many round trips a call cost.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of the mock's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Connections accepted.
    pub connections: u64,
    /// API requests received (admin requests under `/__mock/` not counted).
    pub requests: u64,
    /// 401 answers carrying a Digest challenge.
    pub challenges: u64,
    /// Of those, challenges marked `stale=true`.
    pub stale_challenges: u64,
    /// Requests whose `Authorization` was accepted.
    pub authenticated: u64,
    /// API keys deleted.
    pub deleted: u64,
    /// Requests answered by an injected fault.
    pub faults: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub connections: AtomicU64,
    pub requests: AtomicU64,
    pub challenges: AtomicU64,
    pub stale_challenges: AtomicU64,
    pub authenticated: AtomicU64,
    pub deleted: AtomicU64,
    pub faults: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Stats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            connections: get(&self.connections),
            requests: get(&self.requests),
            challenges: get(&self.challenges),
            stale_challenges: get(&self.stale_challenges),
            authenticated: get(&self.authenticated),
            deleted: get(&self.deleted),
            faults: get(&self.faults),
        }
    }

    pub fn reset(&self) {
        for c in [
            &self.connections,
            &self.requests,
            &self.challenges,
            &self.stale_challenges,
            &self.authenticated,
            &self.deleted,
            &self.faults,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}
