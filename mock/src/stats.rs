//! Request counters, so tests can prove how many round trips a call cost.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of the mock's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Connections accepted.
    pub connections: u64,
    /// API requests received, token requests included (admin requests
    /// under `/__mock/` not counted).
    pub requests: u64,
    /// 401 answers carrying a Digest challenge.
    pub challenges: u64,
    /// Of those, challenges marked `stale=true`.
    pub stale_challenges: u64,
    /// Requests whose `Authorization` (Digest or Bearer) was accepted.
    pub authenticated: u64,
    /// API keys deleted.
    pub deleted: u64,
    /// Requests answered by an injected fault.
    pub faults: u64,
    /// Requests to the token endpoint, `/api/oauth/token`.
    pub token_requests: u64,
    /// Access tokens issued.
    pub tokens_issued: u64,
    /// Requests accepted with a Bearer token (also counted in `authenticated`).
    pub bearer_authenticated: u64,
    /// 401 answers to a Bearer token that was unknown, expired or revoked.
    pub bearer_rejected: u64,
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
    pub token_requests: AtomicU64,
    pub tokens_issued: AtomicU64,
    pub bearer_authenticated: AtomicU64,
    pub bearer_rejected: AtomicU64,
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
            token_requests: get(&self.token_requests),
            tokens_issued: get(&self.tokens_issued),
            bearer_authenticated: get(&self.bearer_authenticated),
            bearer_rejected: get(&self.bearer_rejected),
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
            &self.token_requests,
            &self.tokens_issued,
            &self.bearer_authenticated,
            &self.bearer_rejected,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}
