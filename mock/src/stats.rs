//! Request counters, so tests can prove how many round trips a call cost.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// Declares every counter once: the `Stats` snapshot, the atomic
/// `Counters`, and the code that reads and resets them.
macro_rules! counters {
    ($($(#[doc = $doc:literal])+ $name:ident,)+) => {
        /// A snapshot of the mock's counters.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
        pub struct Stats {
            $($(#[doc = $doc])+ pub $name: u64,)+
        }

        #[derive(Default)]
        pub(crate) struct Counters {
            $(pub $name: AtomicU64,)+
        }

        impl Counters {
            pub fn snapshot(&self) -> Stats {
                Stats {
                    $($name: self.$name.load(Ordering::Relaxed),)+
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
    /// API keys deleted.
    deleted,
    /// Requests answered by an injected fault.
    faults,
    /// Requests to the token endpoint, `/api/oauth/token`.
    token_requests,
    /// Access tokens issued.
    tokens_issued,
    /// Requests accepted with a Bearer token (also counted in `authenticated`).
    bearer_authenticated,
    /// 401 answers to a Bearer token that was unknown, expired or revoked.
    bearer_rejected,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
