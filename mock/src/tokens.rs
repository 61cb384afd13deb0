//! Access tokens issued to service accounts, each valid for a lifetime
//! read on the mock's clock, at most a capped number alive per account
//! (Atlas allows 100), until they expire or are revoked.

use crate::clock::MockClock;
use crate::random::Random;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Starts every access token, so that a secret scanner can find them.
const TOKEN_PREFIX: &str = "mock-access-token-";

/// A token: whose it is and when it was issued.
struct Issued {
    client_id: String,
    at: Instant,
}

/// Why a token was not issued.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CapReached;

/// What a revocation did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Revocation {
    /// A live token of the caller's is revoked.
    Revoked,
    /// Unknown, expired or already revoked: nothing to do, which RFC 7009
    /// answers as a success.
    Unknown,
    /// A live token issued to another service account: left alone.
    NotYours,
}

/// Access tokens issued and not yet revoked.
pub(crate) struct TokenStore {
    lifetime: Duration,
    cap: usize,
    random: Random,
    clock: Arc<MockClock>,
    issued: Mutex<HashMap<String, Issued>>,
}

impl TokenStore {
    /// A store whose tokens live `lifetime_secs` on `clock`, at most `cap`
    /// alive per service account.
    pub fn new(lifetime_secs: u64, cap: usize, clock: Arc<MockClock>) -> Self {
        TokenStore {
            lifetime: Duration::from_secs(lifetime_secs),
            cap,
            random: Random::default(),
            clock,
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// How long a token lives, `expires_in`.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// The live tokens, expired ones dropped first (they are refused
    /// either way; dropping them bounds the map and keeps them out of the
    /// cap and the count).
    fn live(&self) -> MutexGuard<'_, HashMap<String, Issued>> {
        let now = self.clock.now();
        let mut issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
        issued.retain(|_, token| now.saturating_duration_since(token.at) < self.lifetime);
        issued
    }

    /// A new token for `client_id`, valid for the configured lifetime from
    /// now, unless that account already holds `cap` live tokens.
    pub fn issue(&self, client_id: &str) -> Result<String, CapReached> {
        let mut issued = self.live();
        let held = issued.values().filter(|t| t.client_id == client_id).count();
        if held >= self.cap {
            return Err(CapReached);
        }
        let token = format!("{TOKEN_PREFIX}{}", self.random.hex(16));
        let at = self.clock.now();
        let client_id = client_id.to_owned();
        issued.insert(token.clone(), Issued { client_id, at });
        Ok(token)
    }

    /// Whether `token` was issued, has not expired and was not revoked.
    pub fn is_valid(&self, token: &str) -> bool {
        self.live().contains_key(token)
    }

    /// Revokes `token` on behalf of `client_id`.
    pub fn revoke(&self, token: &str, client_id: &str) -> Revocation {
        let mut issued = self.live();
        match issued.get(token) {
            None => Revocation::Unknown,
            Some(t) if t.client_id != client_id => Revocation::NotYours,
            Some(_) => {
                issued.remove(token);
                Revocation::Revoked
            }
        }
    }

    /// How many tokens are alive, every service account's together.
    pub fn active(&self) -> u64 {
        u64::try_from(self.live().len()).unwrap_or(u64::MAX)
    }

    /// Forgets every token issued so far.
    pub fn revoke_all(&self) {
        self.live().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_live_tokens_per_account_and_frees_room_on_revocation_and_expiry() {
        let clock = Arc::new(MockClock::new());
        let store = TokenStore::new(60, 2, Arc::clone(&clock));
        let a = store.issue("a").unwrap();
        let b = store.issue("a").unwrap();
        assert_eq!(store.issue("a"), Err(CapReached));
        assert!(store.issue("other").is_ok(), "the cap is per account");
        assert_eq!(store.active(), 3);
        assert_eq!(store.revoke(&a, "other"), Revocation::NotYours);
        assert_eq!(store.revoke(&a, "a"), Revocation::Revoked);
        assert_eq!(store.revoke(&a, "a"), Revocation::Unknown);
        assert!(!store.is_valid(&a) && store.is_valid(&b));
        let c = store.issue("a").unwrap();
        assert_eq!(store.active(), 3);
        clock.advance(Duration::from_secs(60));
        assert_eq!(store.active(), 0, "expired tokens do not count");
        assert!(!store.is_valid(&c));
        assert_eq!(store.revoke(&c, "a"), Revocation::Unknown);
        store.issue("a").unwrap();
        store.issue("a").unwrap();
        assert_eq!(store.issue("a"), Err(CapReached));
    }
}
