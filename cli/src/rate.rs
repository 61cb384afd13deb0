//! Backing off together. The core retries a 429 within one call; when a
//! call still ends rate limited, every worker waits before its next
//! request, since Atlas limits the caller, not the key, and one worker
//! pausing while the others carry on would only earn more 429s.

use atlas_admin::{Clock, SystemClock};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many times one key goes back for another try after its call ended
/// rate limited.
pub const MAX_RATE_LIMITED_ROUNDS: u32 = 5;

/// The pause after the first rate-limited call without `Retry-After`;
/// doubled each round after.
const FALLBACK_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause chosen without the server's word.
const MAX_FALLBACK_PAUSE: Duration = Duration::from_secs(30);
/// The longest a pause sleeps before it looks again whether the run was
/// stopped (an interrupted run must not wait out a 30 s pause).
const PAUSE_SLICE: Duration = Duration::from_millis(50);

/// A "not before" instant that every worker honours before each request.
#[derive(Debug)]
pub struct RateGate {
    /// The machine's clock; a test's own in unit tests, so pauses take no
    /// time there.
    clock: Arc<dyn Clock>,
    not_before: Mutex<Option<Instant>>,
}

impl RateGate {
    /// A gate that is open, on the machine's clock.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }

    /// A gate that is open, on `clock`.
    fn with_clock(clock: Arc<dyn Clock>) -> Self {
        RateGate {
            clock,
            not_before: Mutex::new(None),
        }
    }

    /// Blocks until the latest pause anyone asked for is over, or until
    /// `stopped` holds (looked at between slices of the pause).
    pub fn wait(&self, stopped: impl Fn() -> bool) {
        loop {
            // Re-read after each sleep: another worker may have pushed the
            // instant further while this one slept.
            let until = *self.lock();
            match until.map(|t| t.saturating_duration_since(self.clock.now())) {
                Some(left) if !left.is_zero() && !stopped() => {
                    self.clock.sleep(left.min(PAUSE_SLICE));
                }
                _ => return,
            }
        }
    }

    /// Closes the gate for `pause` from now, unless it is already closed
    /// for longer.
    pub fn pause_for(&self, pause: Duration) {
        let until = self.clock.now() + pause;
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

    /// A clock that stands still until slept on, then jumps; it records
    /// each sleep, and the first one runs `during_first_sleep`, as another
    /// worker would while this one waits.
    struct FakeClock {
        start: Instant,
        elapsed: Mutex<Duration>,
        slept: Mutex<Vec<Duration>>,
        during_first_sleep: Mutex<Option<Box<dyn FnOnce() + Send>>>,
    }

    impl std::fmt::Debug for FakeClock {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("FakeClock").finish_non_exhaustive()
        }
    }

    impl Clock for FakeClock {
        fn now(&self) -> Instant {
            self.start + *self.elapsed.lock().unwrap()
        }
        fn wall(&self) -> std::time::SystemTime {
            std::time::UNIX_EPOCH + *self.elapsed.lock().unwrap()
        }
        fn sleep(&self, duration: Duration) {
            *self.elapsed.lock().unwrap() += duration;
            self.slept.lock().unwrap().push(duration);
            let hook = self.during_first_sleep.lock().unwrap().take();
            if let Some(hook) = hook {
                hook();
            }
        }
    }

    fn fake_clock() -> Arc<FakeClock> {
        Arc::new(FakeClock {
            start: Instant::now(),
            elapsed: Mutex::new(Duration::ZERO),
            slept: Mutex::new(Vec::new()),
            during_first_sleep: Mutex::new(None),
        })
    }

    /// What `clock` slept in all.
    fn slept(clock: &FakeClock) -> Duration {
        clock.slept.lock().unwrap().iter().sum()
    }

    #[test]
    fn an_open_gate_does_not_wait_and_the_longest_pause_wins() {
        let clock = fake_clock();
        let gate = RateGate::with_clock(clock.clone());
        gate.wait(|| false);
        assert!(clock.slept.lock().unwrap().is_empty());
        gate.pause_for(Duration::from_millis(200));
        gate.pause_for(Duration::from_millis(50));
        gate.wait(|| false);
        gate.wait(|| false);
        assert_eq!(slept(&clock), Duration::from_millis(200));
        assert!(clock
            .slept
            .lock()
            .unwrap()
            .iter()
            .all(|s| *s <= PAUSE_SLICE));
    }

    #[test]
    fn a_stopped_run_stops_waiting_within_a_slice() {
        let clock = fake_clock();
        let gate = RateGate::with_clock(clock.clone());
        gate.pause_for(Duration::from_secs(30));
        let start = clock.now();
        gate.wait(|| clock.now() >= start + Duration::from_millis(120));
        assert_eq!(slept(&clock), Duration::from_millis(150));
        gate.wait(|| true);
        assert_eq!(slept(&clock), Duration::from_millis(150));
    }

    #[test]
    fn a_pause_asked_for_while_waiting_is_waited_out_too() {
        let clock = fake_clock();
        let gate = Arc::new(RateGate::with_clock(clock.clone()));
        gate.pause_for(Duration::from_millis(100));
        let other = Arc::clone(&gate);
        // Another worker is told Retry-After: 1 while this one sleeps.
        *clock.during_first_sleep.lock().unwrap() =
            Some(Box::new(move || other.pause_for(Duration::from_secs(1))));
        gate.wait(|| false);
        // The first slice, then the second worker's pause from its end.
        assert_eq!(slept(&clock), PAUSE_SLICE + Duration::from_secs(1));
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
