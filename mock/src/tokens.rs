//! Access tokens issued to service accounts, each valid for a lifetime
//! read on the mock's clock.

use crate::clock::MockClock;
use crate::random::Random;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Starts every access token, so that a secret scanner can find them.
const TOKEN_PREFIX: &str = "mock-access-token-";

/// Access tokens issued and not yet revoked.
pub(crate) struct TokenStore {
    lifetime: Duration,
    random: Random,
    clock: Arc<MockClock>,
    issued: Mutex<HashMap<String, Instant>>,
}

impl TokenStore {
    /// A store whose tokens live `lifetime_secs` on `clock`.
    pub fn new(lifetime_secs: u64, clock: Arc<MockClock>) -> Self {
        TokenStore {
            lifetime: Duration::from_secs(lifetime_secs),
            random: Random::default(),
            clock,
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// How long a token lives, `expires_in`.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    fn issued(&self) -> MutexGuard<'_, HashMap<String, Instant>> {
        self.issued.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new token, valid for the configured lifetime from now.
    pub fn issue(&self) -> String {
        let token = format!("{TOKEN_PREFIX}{}", self.random.hex(16));
        let now = self.clock.now();
        let mut issued = self.issued();
        // Expired tokens are refused either way; dropping them bounds the map.
        issued.retain(|_, at| now.saturating_duration_since(*at) < self.lifetime);
        issued.insert(token.clone(), now);
        token
    }

    /// Whether `token` was issued, has not expired and was not revoked.
    pub fn is_valid(&self, token: &str) -> bool {
        let now = self.clock.now();
        self.issued()
            .get(token)
            .is_some_and(|at| now.saturating_duration_since(*at) < self.lifetime)
    }

    /// Forgets every token issued so far.
    pub fn revoke_all(&self) {
        self.issued().clear();
    }
}
