//! When a failed request is tried again, and how long to wait first.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Retries for failures that are safe and likely to pass on a later try:
/// connection failures and timeouts before any answer, and HTTP 429, 500,
/// 502, 503 and 504. Never 400, 401, 403 or 404.
///
/// Waits grow exponentially with full jitter (a random wait between zero
/// and `base_delay * 2^n`, capped at `max_delay`); a server's `Retry-After`
/// is honoured instead when present. Both the number of retries and the
/// total time of a call, waits included, are bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    budget: Duration,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            budget: Duration::from_secs(60),
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// The default: up to 3 retries within 60 s, waits from 250 ms to 8 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries: each call makes one attempt (Digest handshakes aside).
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times a failed attempt may be repeated.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The most time one call may take, all attempts and waits included.
    /// Each attempt's timeout is cut short to fit it.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The scale of the first wait; later waits double it.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts, `Retry-After` aside.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The configured time budget of one call.
    pub fn time_budget(&self) -> Duration {
        self.budget
    }

    /// The wait before retry number `retry` (0 for the first), full jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.min(31)))
            .min(self.max_delay);
        ceiling.mul_f64(random_fraction())
    }
}

/// A uniformly distributed number in [0, 1). Jitter needs no cryptographic
/// quality; std's randomly keyed hasher supplies it without a dependency.
fn random_fraction() -> f64 {
    let bits = RandomState::new().build_hasher().finish() >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_below_an_exponential_ceiling() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(500));
        for retry in 0..40 {
            let ceiling = Duration::from_millis(100 * 2u64.pow(retry.min(10)))
                .min(Duration::from_millis(500));
            for _ in 0..20 {
                assert!(policy.backoff(retry) <= ceiling);
            }
        }
        let waits: Vec<Duration> = (0..50).map(|_| policy.backoff(3)).collect();
        assert!(waits.iter().any(|w| *w != waits[0]), "jittered: {waits:?}");
    }

    #[test]
    fn none_means_no_retries() {
        assert_eq!(RetryPolicy::none().retries(), 0);
        assert_eq!(RetryPolicy::new().retries(), 3);
    }
}
