//! Backing off together. The core retries a 429 within one call; when a
//! call still ends rate limited, every worker waits before its next
//! request, since Atlas limits the caller, not the key, and one worker
//! pausing while the others carry on would only earn more 429s.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many times one key goes back for another try after its call ended
/// rate limited.
pub const MAX_RATE_LIMITED_ROUNDS: u32 = 5;

/// The pause after the first rate-limited call without `Retry-After`;
/// doubled each round after.
const FALLBACK_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause chosen without the server's word.
const MAX_FALLBACK_PAUSE: Duration = Duration::from_secs(30);

/// A "not before" instant that every worker honours before each request.
#[derive(Debug, Default)]
pub struct RateGate {
    not_before: Mutex<Option<Instant>>,
}

impl RateGate {
    /// A gate that is open.
    pub fn new() -> Self {
        Self::default()
    }

    /// Blocks until the latest pause anyone asked for is over.
    pub fn wait(&self) {
        loop {
            // Re-read after each sleep: another worker may have pushed the
            // instant further while this one slept.
            let until = *self.lock();
            match until.map(|t| t.saturating_duration_since(Instant::now())) {
                Some(left) if !left.is_zero() => std::thread::sleep(left),
                _ => return,
            }
        }
    }

    /// Closes the gate for `pause` from now, unless it is already closed
    /// for longer.
    pub fn pause_for(&self, pause: Duration) {
        let until = Instant::now() + pause;
        let mut not_before = self.lock();
        if not_before.is_none_or(|current| current < until) {
            *not_before = Some(until);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        // The guarded value is a plain instant: a panic elsewhere cannot
        // leave it half written.
        self.not_before.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// How long everyone pauses after rate-limited round `round` (0 for the
/// first): the server's `Retry-After` when it gave one, else a doubling
/// guess.
pub fn pause(retry_after: Option<Duration>, round: u32) -> Duration {
    retry_after.unwrap_or_else(|| {
        FALLBACK_PAUSE
            .saturating_mul(2u32.saturating_pow(round))
            .min(MAX_FALLBACK_PAUSE)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_waiter_waits_for_the_latest_pause() {
        let gate = RateGate::new();
        let started = Instant::now();
        gate.wait();
        assert!(started.elapsed() < Duration::from_millis(50));
        gate.pause_for(Duration::from_millis(200));
        gate.pause_for(Duration::from_millis(50));
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| gate.wait());
            }
        });
        assert!(started.elapsed() >= Duration::from_millis(200));
    }

    #[test]
    fn pauses_follow_retry_after_else_double() {
        assert_eq!(
            pause(Some(Duration::from_secs(7)), 3),
            Duration::from_secs(7)
        );
        assert_eq!(pause(None, 0), Duration::from_secs(1));
        assert_eq!(pause(None, 2), Duration::from_secs(4));
        assert_eq!(pause(None, 40), MAX_FALLBACK_PAUSE);
    }
}
