//! Fault injection: misbehaviour queued for the next API requests.

use serde::Deserialize;
use std::collections::VecDeque;
use std::time::Duration;

/// Something to do to an API request instead of (or before) serving it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Close the connection without answering.
    Drop,
    /// Serve the request (a delete happens), then close the connection
    /// without answering: the answer is lost on the way back.
    LoseAnswer,
    /// Wait this long, then serve the request normally.
    Delay {
        /// The wait in milliseconds.
        millis: u64,
    },
    /// Answer with this status and an Atlas error body, before authentication.
    Status {
        /// The HTTP status, e.g. 429 or 503.
        status: u16,
        /// A `Retry-After` header in seconds, when set.
        #[serde(default)]
        retry_after: Option<u64>,
    },
}

impl Fault {
    /// Answer with `status` (and no `Retry-After`).
    pub fn status(status: u16) -> Self {
        Fault::Status {
            status,
            retry_after: None,
        }
    }

    /// Answer with `status` and `Retry-After: seconds`.
    pub fn status_retry_after(status: u16, seconds: u64) -> Self {
        Fault::Status {
            status,
            retry_after: Some(seconds),
        }
    }

    /// The delay of a [`Fault::Delay`].
    pub fn delay(&self) -> Option<Duration> {
        match self {
            Fault::Delay { millis } => Some(Duration::from_millis(*millis)),
            _ => None,
        }
    }
}

/// Faults waiting for requests, first in first out, plus a standing delay.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    queue: VecDeque<Fault>,
    pub every_response_delay: Duration,
}

impl FaultQueue {
    pub fn push(&mut self, fault: Fault, times: usize) {
        self.queue.extend(std::iter::repeat_n(fault, times));
    }

    pub fn next(&mut self) -> Option<Fault> {
        self.queue.pop_front()
    }

    pub fn clear(&mut self) {
        self.queue.clear();
        self.every_response_delay = Duration::ZERO;
    }
}
