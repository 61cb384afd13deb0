//! Whether a call in flight should stop: its own [`Interrupt`], or a
//! cancellation of every call in flight on its client.

use crate::Interrupt;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many times every call in flight on a client was cancelled. A call
/// notes the count when it starts and stops when it changes, so a
/// cancellation reaches the calls in flight and none started after it.
#[derive(Debug, Default)]
pub(crate) struct Cancellations(AtomicUsize);

impl Cancellations {
    /// Cancels the calls in flight: one atomic add, which is
    /// async-signal-safe and lock-free.
    pub(crate) fn cancel_all(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// What one call asks between the slices of its waits and reads.
pub(super) struct Stop<'a> {
    cancellations: &'a Cancellations,
    /// The count when the call started.
    started: usize,
    interrupt: Option<&'a Interrupt>,
    /// Asked only while the call waits before sending.
    stop_waiting: Option<&'a Interrupt>,
}

impl<'a> Stop<'a> {
    /// For a call starting now.
    pub(super) fn new(
        cancellations: &'a Cancellations,
        interrupt: Option<&'a Interrupt>,
        stop_waiting: Option<&'a Interrupt>,
    ) -> Self {
        Stop {
            started: cancellations.count(),
            cancellations,
            interrupt,
            stop_waiting,
        }
    }

    /// Whether the call should stop, whatever it is doing.
    pub(super) fn requested(&self) -> bool {
        self.cancellations.count() != self.started || self.interrupt.is_some_and(Interrupt::is_set)
    }

    /// Whether a wait before sending (to retry, at the rate gate) should
    /// end the call.
    pub(super) fn waiting_ends(&self) -> bool {
        self.requested() || self.stop_waiting.is_some_and(Interrupt::is_set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CancelToken;

    #[test]
    fn a_cancellation_reaches_the_calls_in_flight_only() {
        let cancellations = Cancellations::default();
        let in_flight = Stop::new(&cancellations, None, None);
        assert!(!in_flight.requested());
        cancellations.cancel_all();
        assert!(in_flight.requested());
        let later = Stop::new(&cancellations, None, None);
        assert!(!later.requested(), "started after the cancellation");

        let token = CancelToken::new();
        let interrupt = Interrupt::from(token.clone());
        let own = Stop::new(&cancellations, Some(&interrupt), None);
        assert!(!own.requested());
        token.cancel();
        assert!(own.requested() && own.waiting_ends());
    }

    #[test]
    fn stop_waiting_ends_waits_only() {
        let cancellations = Cancellations::default();
        let token = CancelToken::new();
        let waits = Interrupt::from(token.clone());
        let stop = Stop::new(&cancellations, None, Some(&waits));
        assert!(!stop.waiting_ends());
        token.cancel();
        assert!(stop.waiting_ends(), "a wait before sending ends");
        assert!(!stop.requested(), "a request out is still waited for");
    }
}
