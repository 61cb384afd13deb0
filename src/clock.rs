//! Time as the client sees it: when now is, and waiting. Retries, budgets,
//! `Retry-After` dates, token expiry and connection idleness all read it
//! from here, so tests can put a clock in its place
//! ([`ClientBuilder::clock`](crate::ClientBuilder::clock)) and prove them
//! exactly without sleeping.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

/// The longest a call waits (to retry, or for an answer) before it asks
/// whether it should stop: see [`Interrupt`](crate::Interrupt).
pub(crate) const SLICE: Duration = Duration::from_millis(200);

/// A source of time and a way to wait, for
/// [`ClientBuilder::clock`](crate::ClientBuilder::clock).
pub trait Clock: Send + Sync + fmt::Debug {
    /// Monotonic now, for budgets, deadlines and token expiry.
    fn now(&self) -> Instant;
    /// Calendar now, for `Retry-After` given as an HTTP date.
    fn wall(&self) -> SystemTime;
    /// Waits `duration` before the next attempt.
    fn sleep(&self, duration: Duration);

    /// Waits `duration` unless `stop` says to stop first; `true` when the
    /// whole wait was made. `stop` is asked before each slice of the wait
    /// (at most 200 ms, each waited with [`Clock::sleep`]) and once at its
    /// end. A clock that can be woken early may wait its own way.
    fn sleep_unless(&self, duration: Duration, stop: &dyn Fn() -> bool) -> bool {
        let mut left = duration;
        loop {
            if stop() {
                return false;
            }
            if left.is_zero() {
                return true;
            }
            let slice = left.min(SLICE);
            self.sleep(slice);
            left -= slice;
        }
    }
}

/// The machine's clocks and a real sleep: every client's, unless told
/// otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// A clock that stands still until told to wait, then jumps: a sleep of
/// 30 s takes no time and is recorded.
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct FakeClock {
    start: Instant,
    wall_start: SystemTime,
    elapsed: std::sync::Mutex<Duration>,
    slept: std::sync::Mutex<Vec<Duration>>,
}

#[cfg(test)]
impl FakeClock {
    pub(crate) fn new() -> Self {
        FakeClock {
            start: Instant::now(),
            wall_start: SystemTime::now(),
            elapsed: Default::default(),
            slept: Default::default(),
        }
    }

    /// Moves time forward without a sleep being asked for.
    pub(crate) fn advance(&self, by: Duration) {
        *self.elapsed.lock().unwrap() += by;
    }

    /// Every wait asked for so far.
    pub(crate) fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

#[cfg(test)]
impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.start + *self.elapsed.lock().unwrap()
    }

    fn wall(&self) -> SystemTime {
        self.wall_start + *self.elapsed.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) {
        self.slept.lock().unwrap().push(duration);
        self.advance(duration);
    }

    /// One jump for the whole wait, recorded as one, so tests see each
    /// wait the retry policy chose rather than its slices; `stop` is asked
    /// once, before.
    fn sleep_unless(&self, duration: Duration, stop: &dyn Fn() -> bool) -> bool {
        if stop() {
            return false;
        }
        self.sleep(duration);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::sync::Mutex;

    /// A clock that records its sleeps and keeps the default
    /// `sleep_unless`.
    #[derive(Debug, Default)]
    struct Recording(Mutex<Vec<Duration>>);

    impl Clock for Recording {
        fn now(&self) -> Instant {
            Instant::now()
        }

        fn wall(&self) -> SystemTime {
            SystemTime::now()
        }

        fn sleep(&self, duration: Duration) {
            self.0.lock().unwrap().push(duration);
        }
    }

    #[test]
    fn waits_are_made_in_slices_between_which_the_call_may_stop() {
        let clock = Recording::default();
        let asked = Cell::new(0);
        let never = || {
            asked.set(asked.get() + 1);
            false
        };
        assert!(clock.sleep_unless(Duration::from_millis(450), &never));
        assert_eq!(
            *clock.0.lock().unwrap(),
            [SLICE, SLICE, Duration::from_millis(50)]
        );
        assert_eq!(asked.get(), 4, "before each slice and at the end");

        let clock = Recording::default();
        let asked = Cell::new(0);
        let on_the_third_question = || {
            asked.set(asked.get() + 1);
            asked.get() == 3
        };
        assert!(!clock.sleep_unless(Duration::from_secs(25), &on_the_third_question));
        assert_eq!(*clock.0.lock().unwrap(), [SLICE, SLICE]);

        let clock = Recording::default();
        assert!(!clock.sleep_unless(Duration::ZERO, &|| true));
        assert!(clock.sleep_unless(Duration::ZERO, &|| false));
        assert!(clock.0.lock().unwrap().is_empty());
    }
}
