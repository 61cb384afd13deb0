//! Request counters, so tests can prove how many round trips a call cost.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// Declares every counter once: the `Stats` snapshot, the atomic
/// `Counters`, and the code that reads and resets them. Gauges, read from
/// the mock's state when a snapshot is taken, are declared after them and
/// are not reset.
macro_rules! counters {
    (
        $($(#[doc = $doc:literal])+ $name:ident,)+
        gauges: $($(#[doc = $gdoc:literal])+ $gauge:ident,)+
    ) => {
        /// A snapshot of the mock's counters and gauges.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
        pub struct Stats {
            $($(#[doc = $doc])+ pub $name: u64,)+
            $($(#[doc = $gdoc])+ pub $gauge: u64,)+
        }

        #[derive(Default)]
        pub(crate) struct Counters {
            $(pub $name: AtomicU64,)+
        }

        /// The gauges' values when a snapshot is taken.
        pub(crate) struct Gauges {
            $(pub $gauge: u64,)+
        }

        impl Counters {
            pub fn snapshot(&self, gauges: Gauges) -> Stats {
                Stats {
                    $($name: self.$name.load(Ordering::Relaxed),)+
                    $($gauge: gauges.$gauge,)+
                }
            }

            pub fn reset(&self) {
                $(self.$name.store(0, Ordering::Relaxed);)+
            }
        }
    };
}

counters! {
    /// Connections accepted.
    connections,
    /// API requests received, token requests included (admin requests
    /// under `/__mock/` not counted).
    requests,
    /// 401 answers carrying a Digest challenge.
    challenges,
    /// Of those, challenges marked `stale=true`.
    stale_challenges,
    /// Digest answers refused for their nonce count (see `NcCheck`); each
    /// also earns a challenge.
    nc_rejected,
    /// Requests whose `Authorization` (Digest or Bearer) was accepted.
    authenticated,
    /// Pages of API keys listed (`GET /orgs/{ORG}/apiKeys`).
    listed,
    /// API keys read one at a time (`GET /orgs/{ORG}/apiKeys/{ID}`).
    fetched,
    /// API keys created (`POST /orgs/{ORG}/apiKeys`).
    created,
    /// API keys updated (`PATCH /orgs/{ORG}/apiKeys/{ID}`).
    updated,
    /// API keys deleted.
    deleted,
    /// Access list pages and entries read.
    access_listed,
    /// Access list entries added.
    access_added,
    /// Access list entries removed.
    access_removed,
    /// Requests answered by an injected fault.
    faults,
    /// Authenticated requests refused by the rate limit's empty bucket
    /// (see `RateLimit`); they took no token and had no effect.
    rate_limited,
    /// Requests to the token endpoint, `/api/oauth/token`.
    token_requests,
    /// Access tokens issued.
    tokens_issued,
    /// Requests accepted with a Bearer token (also counted in `authenticated`).
    bearer_authenticated,
    /// 401 answers to a Bearer token that was unknown, expired or revoked.
    bearer_rejected,
    /// Token requests refused because the service account holds as many
    /// live tokens as the cap allows (`403 access_denied`).
    tokens_refused,
    /// Requests to the revocation endpoint, `/api/oauth/revoke`.
    revoke_requests,
    /// Live access tokens revoked there.
    tokens_revoked,
    gauges:
    /// Access tokens alive now: issued, neither expired (by the mock's
    /// clock) nor revoked, every service account's together.
    active_tokens,
}

impl Counters {
    /// Adds one to `counter`.
    pub fn bump(counter: &AtomicU64) {
        Self::add(counter, 1);
    }

    /// Adds `n` to `counter`.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}
