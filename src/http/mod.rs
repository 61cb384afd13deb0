//! Sending one API call: retries around attempts, and the Digest handshake
//! around single round trips within an attempt.

mod round_trip;
mod transport_error;

use crate::response::{self, Reply};
use crate::{auth, Client, Error, TransportKind};
use std::time::{Duration, Instant};

/// A failed attempt, and whether the server's answer (its status line and
/// headers) had arrived: only failures before an answer are retried as
/// network failures.
pub(crate) struct Failure {
    error: Error,
    answered: bool,
}

impl Failure {
    pub(crate) fn unanswered(error: Error) -> Self {
        Failure {
            error,
            answered: false,
        }
    }

    pub(crate) fn answered(error: Error) -> Self {
        Failure {
            error,
            answered: true,
        }
    }

    /// Worth another attempt: nothing came back, or the server said to
    /// come back later.
    fn retryable(&self) -> bool {
        match &self.error {
            Error::Timeout(_) => !self.answered,
            Error::Transport { kind, .. } => {
                !self.answered && matches!(kind, TransportKind::Connect | TransportKind::Io)
            }
            Error::Api(api) => matches!(api.status, 429 | 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The request may have reached the server and taken effect although
    /// its answer was lost or was a failure of the server's own.
    fn may_have_taken_effect(&self) -> bool {
        match &self.error {
            Error::Timeout(_) => true,
            Error::Transport { kind, .. } => *kind == TransportKind::Io,
            Error::Api(api) => matches!(api.status, 500 | 502 | 504),
            _ => false,
        }
    }

    /// The server's own word on when to come back.
    fn retry_after(&self) -> Option<Duration> {
        self.error.api().and_then(|api| api.retry_after)
    }
}

/// What a request carries in its `Authorization` header.
enum Credential {
    /// No credentials: the client has not seen a challenge yet.
    Anonymous,
    /// An answer to a remembered challenge.
    Preemptive(String),
    /// An answer to the challenge received during this attempt.
    Fresh(String),
}

impl Credential {
    fn authorization(&self) -> Option<&str> {
        match self {
            Credential::Anonymous => None,
            Credential::Preemptive(h) | Credential::Fresh(h) => Some(h),
        }
    }
}

impl Client {
    /// Makes the call `method target` (path and query below the origin),
    /// retrying as the client's [`RetryPolicy`](crate::RetryPolicy) allows,
    /// and decides its outcome (with `envelope`, from the envelope).
    pub(crate) fn execute(&self, method: &str, target: &str, envelope: bool) -> Result<(), Error> {
        let policy = self.retry_policy();
        let started = Instant::now();
        let mut attempts = 0;
        let mut earlier_may_have_succeeded = false;
        loop {
            attempts += 1;
            let remaining = policy.time_budget().saturating_sub(started.elapsed());
            log::debug!("{method} {target}: attempt {attempts}");
            let failure = match self
                .send(method, target, remaining)
                .and_then(|reply| response::outcome(&reply, envelope).map_err(Failure::answered))
            {
                Ok(()) => {
                    log::debug!("{method} {target}: succeeded on attempt {attempts}");
                    return Ok(());
                }
                Err(failure) => failure,
            };
            let wait = failure
                .retry_after()
                .unwrap_or_else(|| policy.backoff(attempts - 1));
            let give_up = if !failure.retryable() {
                Some("not retryable")
            } else if attempts > policy.retries() {
                Some("no retries left")
            } else if started.elapsed() + wait >= policy.time_budget() {
                Some("the wait would exceed the time budget")
            } else {
                None
            };
            if let Some(why) = give_up {
                log::debug!(
                    "{method} {target}: attempt {attempts} failed, giving up ({why}): {}",
                    failure.error
                );
                return Err(annotate(
                    failure.error,
                    attempts,
                    earlier_may_have_succeeded,
                ));
            }
            log::warn!(
                "{method} {target}: attempt {attempts} failed ({}); retrying in {:.3} s",
                failure.error,
                wait.as_secs_f64()
            );
            earlier_may_have_succeeded |= failure.may_have_taken_effect();
            std::thread::sleep(wait);
        }
    }

    /// One attempt: the request, after at most one fresh Digest answer (and
    /// one more if that answer's nonce went stale). A 401 that survives is
    /// returned as a reply, for the caller to report as unauthorized.
    /// `time_left` bounds the whole attempt.
    fn send(&self, method: &str, target: &str, time_left: Duration) -> Result<Reply, Failure> {
        let deadline = Instant::now() + time_left;
        let url = format!("{}{}", self.origin(), target);
        let auth = self.digest();
        let mut credential = match auth
            .preemptive(method, target)
            .map_err(Failure::unanswered)?
        {
            Some(header) => Credential::Preemptive(header),
            None => Credential::Anonymous,
        };
        let mut stale_renewed = false;
        loop {
            let time_left = deadline.saturating_duration_since(Instant::now());
            if time_left.is_zero() {
                return Err(Failure::unanswered(Error::Timeout(
                    "the call's time budget ran out during the Digest handshake".into(),
                )));
            }
            let (reply, challenges) =
                self.round_trip(method, &url, credential.authorization(), time_left)?;
            if reply.status != 401 {
                return Ok(reply);
            }
            let challenge = match (auth::digest_challenge(&challenges), &credential) {
                (Ok(challenge), _) => challenge,
                (Err(_), Credential::Fresh(_)) => return Ok(reply),
                (Err(e), _) => return Err(Failure::answered(e)),
            };
            let answer_again = match credential {
                Credential::Anonymous | Credential::Preemptive(_) => true,
                Credential::Fresh(_) => {
                    challenge.stale && !std::mem::replace(&mut stale_renewed, true)
                }
            };
            if !answer_again {
                return Ok(reply);
            }
            log::debug!(
                "{method} {target}: answering a Digest challenge (stale={})",
                challenge.stale
            );
            credential = Credential::Fresh(
                auth.answer(challenge, method, target)
                    .map_err(Failure::answered)?,
            );
        }
    }
}

/// Records in the final error how many attempts were made and whether an
/// earlier one may have taken effect.
fn annotate(error: Error, attempts: u32, earlier_may_have_succeeded: bool) -> Error {
    let note = |message: String| {
        if attempts > 1 {
            format!("{message} (gave up after {attempts} attempts)")
        } else {
            message
        }
    };
    match error {
        Error::Api(mut api) => {
            api.attempts = attempts;
            api.earlier_attempt_may_have_succeeded = earlier_may_have_succeeded;
            Error::Api(api)
        }
        Error::Timeout(message) => Error::Timeout(note(message)),
        Error::Transport { kind, message } => Error::Transport {
            kind,
            message: note(message),
        },
        other => other,
    }
}
