//! When a failed request is tried again, and how long to wait first.

use crate::fork;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Retries for failures that are safe and likely to pass on a later try:
/// connection failures and timeouts before any answer, HTTP 500, 502, 503
/// and 504, and refusals for the request's rate: HTTP 429, or Atlas' own
/// `errorCode` naming a rate limit whatever the status (such as `400
/// INVITATIONS_RATE_LIMITED_IP`; see
/// [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited)). Never any
/// other 400, nor 401, 403 or 404.
///
/// Waits grow exponentially with full jitter (a random wait between zero
/// and `base_delay * 2^n`, capped at `max_delay`); a server's `Retry-After`
/// is honoured instead when present. A `Retry-After` that comes with a
/// rate-limited answer holds every retry of the client's calls, on every
/// thread, until it ends (as far as each call's budget allows): Atlas
/// limits the caller, not the request. A rate-limited answer without
/// `Retry-After` (Atlas sends it only sometimes) backs off the same way,
/// from 250 ms by default, so a bucket that refills fast is not waited on
/// for long. Both the number of retries and the total time of a call,
/// waits included, are bounded: a refusal that outlasts them is returned
/// as [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited).
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

    /// The wait before retry number `retry` (0 for the first): `jitter`, a
    /// fraction in [0, 1), of an exponential ceiling ("full jitter").
    pub(crate) fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.min(31)))
            .min(self.max_delay);
        ceiling.mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// What to do after attempt number `attempts` (1 for the first) failed,
    /// `elapsed` into the call. `retryable` says whether the failure is
    /// worth another try, `retry_after` is the server's own word on when
    /// (without it, a rate limit or a server failure alike gets the
    /// jittered backoff), and `jitter` (in [0, 1)) picks the backoff. No
    /// I/O and no clock: the caller measures and waits.
    pub(crate) fn next(
        &self,
        attempts: u32,
        elapsed: Duration,
        retryable: bool,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Next {
        let wait = retry_after.unwrap_or_else(|| self.backoff(attempts.saturating_sub(1), jitter));
        if !retryable {
            Next::GiveUp("not retryable")
        } else if attempts > self.max_retries {
            Next::GiveUp("no retries left")
        } else if elapsed.saturating_add(wait) >= self.budget {
            Next::GiveUp("the wait would exceed the time budget")
        } else {
            Next::Retry(wait)
        }
    }
}

/// The decision after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Stop; the reason is logged.
    GiveUp(&'static str),
}

/// The instant before which no call of one client is sent: the end of
/// the latest `Retry-After` that came with a rate-limited answer. Atlas
/// limits the caller, not the request: once it has said when to come
/// back, every request sooner would be refused too. Threads sharing a
/// client that each waited out only their own refusal would come back one
/// by one, and the first back would take every token the bucket had
/// refilled, leaving the others refused again, some until their retries
/// ran out. Held at the gate, they all come back when it opens.
///
/// When it opens, the retries go first: a call's first attempt waits
/// until every retry held for a rate limit has been sent. Otherwise the
/// thread that wakes first takes the refilled tokens with new calls while
/// another thread's retry is still being scheduled: before this, 2 of 12
/// runs of 200 deletes at concurrency 8 on two busy cores each reported
/// one key rate limited after 4 attempts. The first attempts then wait in
/// short polls ([`RETRIES_FIRST_POLL`]), only while a retry is pending.
///
/// Without `Retry-After` nothing is shared: each call backs off on its
/// own, as [`RetryPolicy`] says. No I/O and no clock: the caller measures
/// and waits.
#[derive(Debug, Default)]
pub(crate) struct RateGate {
    state: Mutex<GateState>,
}

#[derive(Debug, Default)]
struct GateState {
    /// The end of the latest `Retry-After`.
    not_before: Option<Instant>,
    /// Retries decided after a `Retry-After` and not yet sent.
    pending_retries: usize,
}

/// How often a first attempt held behind pending retries looks again: a
/// retry is sent within a few milliseconds of the gate opening, unless
/// its thread waits to be scheduled.
pub(crate) const RETRIES_FIRST_POLL: Duration = Duration::from_millis(5);

/// A retry decided after a rate limit's `Retry-After`, holding the
/// client's first attempts back until it is sent (or its call ends):
/// dropping it says so.
#[derive(Debug)]
pub(crate) struct PendingRetry<'a>(&'a RateGate);

impl Drop for PendingRetry<'_> {
    fn drop(&mut self) {
        self.0
            .with_state(|state| state.pending_retries = state.pending_retries.saturating_sub(1));
    }
}

impl RateGate {
    /// Closes the gate until `until`, unless it is closed for longer.
    pub(crate) fn close_until(&self, until: Instant) {
        self.with_state(|state| {
            if state.not_before.is_none_or(|current| current < until) {
                state.not_before = Some(until);
            }
        });
    }

    /// Records a retry that will wait at the gate, until the returned
    /// guard is dropped.
    pub(crate) fn retry_pending(&self) -> PendingRetry<'_> {
        self.with_state(|state| state.pending_retries += 1);
        PendingRetry(self)
    }

    /// How long an attempt at `now`, whose call's budget ends at
    /// `deadline`, waits before it is sent (`retry` says whether it is a
    /// retry): until the gate opens, and for a first attempt while a retry
    /// is pending, a short poll. Not at all if that would pass the
    /// deadline (the attempt then gets the server's own answer to report,
    /// as it would have without the gate).
    pub(crate) fn wait(&self, now: Instant, deadline: Instant, retry: bool) -> Duration {
        let (not_before, pending_retries) =
            self.with_state(|state| (state.not_before, state.pending_retries));
        match not_before {
            Some(until) if until > now => {
                return if until < deadline {
                    until - now
                } else {
                    Duration::ZERO
                };
            }
            _ => {}
        }
        if !retry && pending_retries > 0 && now + RETRIES_FIRST_POLL < deadline {
            RETRIES_FIRST_POLL
        } else {
            Duration::ZERO
        }
    }

    /// `f` on the state, under its lock, with forks held off
    /// ([`fork::hold_off`]) so that no child inherits the lock held. The
    /// guarded values are an instant and a count, each written whole: a
    /// panic elsewhere cannot leave them half written.
    fn with_state<R>(&self, f: impl FnOnce(&mut GateState) -> R) -> R {
        let _held = fork::hold_off();
        f(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A uniformly distributed number in [0, 1). Jitter needs no cryptographic
/// quality; std's randomly keyed hasher supplies it without a dependency.
pub(crate) fn random_fraction() -> f64 {
    let bits = RandomState::new().build_hasher().finish() >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_a_fraction_of_an_exponential_ceiling() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(500));
        let ms = Duration::from_millis;
        assert_eq!(policy.backoff(0, 0.5), ms(50));
        assert_eq!(policy.backoff(1, 0.5), ms(100));
        assert_eq!(policy.backoff(2, 0.5), ms(200));
        assert_eq!(policy.backoff(3, 0.5), ms(250), "capped at max_delay");
        assert_eq!(policy.backoff(40, 0.999), ms(500).mul_f64(0.999));
        assert_eq!(policy.backoff(0, 0.0), Duration::ZERO);
        let fractions: Vec<f64> = (0..50).map(|_| random_fraction()).collect();
        assert!(fractions.iter().all(|f| (0.0..1.0).contains(f)));
        assert!(fractions.iter().any(|f| *f != fractions[0]), "random");
    }

    #[test]
    fn decides_retries_by_count_budget_and_retry_after() {
        let policy = RetryPolicy::new()
            .max_retries(2)
            .budget(Duration::from_secs(10))
            .base_delay(Duration::from_secs(1));
        let s = Duration::from_secs;
        assert_eq!(
            policy.next(1, s(0), true, None, 0.5),
            Next::Retry(Duration::from_millis(500))
        );
        assert_eq!(policy.next(2, s(1), true, None, 0.5), Next::Retry(s(1)));
        assert_eq!(
            policy.next(3, s(2), true, None, 0.5),
            Next::GiveUp("no retries left")
        );
        assert_eq!(
            policy.next(1, s(0), false, None, 0.5),
            Next::GiveUp("not retryable")
        );
        assert_eq!(
            policy.next(1, s(0), true, Some(s(7)), 0.5),
            Next::Retry(s(7))
        );
        assert_eq!(
            policy.next(1, s(4), true, Some(s(6)), 0.5),
            Next::GiveUp("the wait would exceed the time budget")
        );
        assert_eq!(
            policy.next(1, s(0), true, Some(s(120)), 0.5),
            Next::GiveUp("the wait would exceed the time budget")
        );
    }

    #[test]
    fn the_gate_holds_every_call_until_the_latest_retry_after_within_its_budget() {
        let gate = RateGate::default();
        let now = Instant::now();
        let s = Duration::from_secs;
        let deadline = now + s(60);
        for retry in [false, true] {
            assert_eq!(
                gate.wait(now, deadline, retry),
                Duration::ZERO,
                "open at first"
            );
        }
        gate.close_until(now + s(2));
        gate.close_until(now + s(1));
        for retry in [false, true] {
            assert_eq!(
                gate.wait(now, deadline, retry),
                s(2),
                "the later instant wins"
            );
            assert_eq!(gate.wait(now + s(1), deadline, retry), s(1));
            assert_eq!(
                gate.wait(now + s(3), deadline, retry),
                Duration::ZERO,
                "open again"
            );
        }
        gate.close_until(now + s(90));
        assert_eq!(
            gate.wait(now, deadline, false),
            Duration::ZERO,
            "beyond the budget: no wait, the attempt reports the refusal"
        );
    }

    #[test]
    fn first_attempts_wait_for_pending_retries_once_the_gate_opens() {
        let gate = RateGate::default();
        let now = Instant::now();
        let s = Duration::from_secs;
        let deadline = now + s(60);
        gate.close_until(now + s(1));
        let first = gate.retry_pending();
        let second = gate.retry_pending();
        let later = now + s(2);
        assert_eq!(
            gate.wait(later, deadline, true),
            Duration::ZERO,
            "retries go"
        );
        assert_eq!(gate.wait(later, deadline, false), RETRIES_FIRST_POLL);
        drop(first);
        assert_eq!(gate.wait(later, deadline, false), RETRIES_FIRST_POLL);
        drop(second);
        assert_eq!(
            gate.wait(later, deadline, false),
            Duration::ZERO,
            "all sent"
        );
        let _pending = gate.retry_pending();
        assert_eq!(
            gate.wait(deadline - Duration::from_millis(1), deadline, false),
            Duration::ZERO,
            "not past the call's own budget"
        );
    }

    #[test]
    fn none_means_no_retries() {
        assert_eq!(RetryPolicy::none().retries(), 0);
        assert_eq!(RetryPolicy::new().retries(), 3);
    }
}
