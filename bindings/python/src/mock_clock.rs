//! The mock's clock as a client's: what lets `MockAtlas.advance_clock()`
//! move the time of the mock and of its clients together.

use atlas_admin::Clock;
use atlas_admin_mock::MockClock;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// An `atlas_admin::Clock` that reads the mock's `MockClock`, so a
/// client's token expiry, budgets and `Retry-After` dates see each jump
/// the mock's nonces and tokens see. Waits are real: the mock answers in
/// real time, and only jumps are made up.
#[derive(Debug)]
pub(crate) struct MockTime(pub(crate) Arc<MockClock>);

impl Clock for MockTime {
    fn now(&self) -> Instant {
        self.0.now()
    }

    fn wall(&self) -> SystemTime {
        self.0.wall()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}
