//! The mock's time: real time plus an offset that tests move forward, so
//! nonce and token lifetimes pass without anyone sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Where the mock reads the time. It runs in real time; [`advance`] moves
/// it forward by as much as a test likes. Everything time-based in the mock
/// (nonce lifetimes, token lifetimes, access list dates) reads it, and a
/// test can hand the same time to a client (`atlas_admin::ClientBuilder::clock`
/// over [`now`] and [`wall`]) so both sides see the jump.
///
/// [`advance`]: MockClock::advance
/// [`now`]: MockClock::now
/// [`wall`]: MockClock::wall
#[derive(Debug, Default)]
pub struct MockClock {
    /// How far the clock is ahead of real time, in nanoseconds (584 years fit).
    offset_nanos: AtomicU64,
}

impl MockClock {
    /// A clock showing real time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Monotonic now: `Instant::now()` plus the offset.
    pub fn now(&self) -> Instant {
        Instant::now() + self.offset()
    }

    /// Calendar now: `SystemTime::now()` plus the offset.
    pub fn wall(&self) -> SystemTime {
        SystemTime::now() + self.offset()
    }

    /// Moves the clock forward by `by` (it never goes back).
    pub fn advance(&self, by: Duration) {
        let nanos = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        // fetch_update cannot fail with a closure that always returns Some.
        let _ = self
            .offset_nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(nanos))
            });
    }

    /// How far the clock has been moved ahead of real time.
    pub fn offset(&self) -> Duration {
        Duration::from_nanos(self.offset_nanos.load(Ordering::SeqCst))
    }
}

/// `time` as Atlas writes dates: RFC 3339 in UTC to the second,
/// `2024-05-01T12:34:56Z`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`, for days after the epoch).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::{rfc3339, MockClock};
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    #[test]
    fn advancing_moves_both_clocks_forward() {
        let clock = MockClock::new();
        let (before, wall_before) = (Instant::now(), SystemTime::now());
        clock.advance(Duration::from_secs(3600));
        clock.advance(Duration::from_millis(1));
        assert_eq!(clock.offset(), Duration::from_millis(3_600_001));
        assert!(clock.now() >= before + Duration::from_secs(3600));
        assert!(clock.wall() >= wall_before + Duration::from_secs(3600));
    }

    #[test]
    fn writes_rfc_3339_dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap_day = UNIX_EPOCH + Duration::from_secs(951_782_400 + 3_723);
        assert_eq!(rfc3339(leap_day), "2000-02-29T01:02:03Z");
        let new_year = UNIX_EPOCH + Duration::from_secs(1_735_689_599);
        assert_eq!(rfc3339(new_year), "2024-12-31T23:59:59Z");
    }
}
