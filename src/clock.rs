//! Time as the client sees it: when now is, and waiting. Retries, budgets,
//! `Retry-After` dates, token expiry and connection idleness all read it
//! from here, so tests can put a clock in its place
//! ([`ClientBuilder::clock`](crate::ClientBuilder::clock)) and prove them
//! exactly without sleeping.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

/// A source of time and a way to wait, for
/// [`ClientBuilder::clock`](crate::ClientBuilder::clock).
pub trait Clock: Send + Sync + fmt::Debug {
    /// Monotonic now, for budgets, deadlines and token expiry.
    fn now(&self) -> Instant;
    /// Calendar now, for `Retry-After` given as an HTTP date.
    fn wall(&self) -> SystemTime;
    /// Waits `duration` before the next attempt.
    fn sleep(&self, duration: Duration);
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
}
