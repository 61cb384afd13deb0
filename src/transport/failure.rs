//! A failed attempt, and what it means for the next one.

use crate::{Error, TransportKind};
use std::time::Duration;

/// A failed attempt, and whether the server's answer (its status line and
/// headers) had arrived: only failures before an answer are retried as
/// network failures.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: Error,
    answered: bool,
    /// A [`TransportKind::Proxy`] error because the proxy could not be
    /// reached (or broke off before answering the `CONNECT`), rather than
    /// because it refused: retried as a failed connect.
    proxy_unreachable: bool,
}

impl Failure {
    pub(crate) fn unanswered(error: Error) -> Self {
        Failure {
            error,
            answered: false,
            proxy_unreachable: false,
        }
    }

    pub(crate) fn answered(error: Error) -> Self {
        Failure {
            error,
            answered: true,
            proxy_unreachable: false,
        }
    }

    /// The proxy could not be reached: the request never left, so it is
    /// retried as a failed connect is, whatever the method.
    pub(crate) fn proxy_unreachable(error: Error) -> Self {
        Failure {
            error,
            answered: false,
            proxy_unreachable: true,
        }
    }

    /// Worth another attempt: nothing came back, or the server said to
    /// come back later. A call that is not idempotent is only repeated
    /// when it surely had no effect: the connection never opened (or its
    /// host name could not be resolved for now), the proxy could not be
    /// reached, or the server refused it for its rate. A proxy that
    /// answered the `CONNECT` with a refusal (403, 407, 502...) or with
    /// garbage is not asked again: that is its policy or its setting, and
    /// asking again within a call would only repeat it.
    pub(crate) fn retryable(&self, idempotent: bool) -> bool {
        match &self.error {
            Error::Timeout(_) => idempotent && !self.answered,
            Error::Transport { kind, .. } => {
                !self.answered
                    && match kind {
                        TransportKind::Connect | TransportKind::DnsUnavailable => true,
                        TransportKind::Proxy => self.proxy_unreachable,
                        TransportKind::Io => idempotent,
                        _ => false,
                    }
            }
            Error::Api(api) if !idempotent => api.status == 429,
            Error::Api(api) => matches!(api.status, 429 | 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The request may have reached the server and taken effect although
    /// its answer was lost or was a failure of the server's own.
    pub(crate) fn may_have_taken_effect(&self) -> bool {
        match &self.error {
            Error::Timeout(_) => true,
            Error::Transport { kind, .. } => *kind == TransportKind::Io,
            Error::Api(api) => matches!(api.status, 500 | 502 | 504),
            _ => false,
        }
    }

    /// The server's own word on when to come back.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        self.error.api().and_then(|api| api.retry_after)
    }
}

/// Errors found outside the network (a broken challenge, an unanswerable
/// one) come after the server answered.
impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::answered(error)
    }
}
