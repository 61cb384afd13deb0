//! Sending API calls: retries around attempts, authentication around the
//! round trips of one attempt. The transport owns the connection pool, the
//! origin, the credentials and the retry policy; it knows no endpoint and
//! no authentication scheme.

mod connect;
mod connection;
mod failure;
#[cfg(test)]
mod fork_tests;
mod pool;
mod proxy_tunnel;
mod request;
pub(crate) mod resolver;
mod round_trip;
mod stop;
mod stream;
mod target;
mod tcp;
#[cfg(test)]
mod timing_tests;

pub(crate) use connect::Connector;
pub(crate) use failure::Failure;
pub(crate) use pool::Pool;
pub(crate) use request::ApiRequest;
pub(crate) use stop::Cancellations;
pub(crate) use target::Target;

use crate::auth::{self, Auth, Grant, Handshake};
use crate::clock::Clock;
use crate::error::Context;
use crate::response::{self, Reply, Success};
use crate::retry::{random_fraction, Next, RateGate};
use crate::{Error, Interrupt, Method, RetryPolicy};
use request::Body;
use round_trip::Exchange;
use std::sync::Arc;
use std::time::{Duration, Instant};
use stop::Stop;
use zeroize::Zeroize;

/// Every request's `User-Agent`.
const USER_AGENT: &str = concat!("atlas-admin/", env!("CARGO_PKG_VERSION"));

/// The connections (how to open one, and the kept-alive ones), the origin
/// (`https://host:port`), the credentials and the retry policy of one
/// client.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) connector: Connector,
    pub(crate) pool: Pool,
    pub(crate) origin: String,
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    /// The timeout of one exchange; an attempt near the end of the retry
    /// budget gets less.
    pub(crate) timeout: Duration,
    /// Where retries, budgets and token expiry read the time.
    pub(crate) clock: Arc<dyn Clock>,
    /// Counts [`Client::cancel_all`](crate::Client::cancel_all).
    pub(crate) cancellations: Cancellations,
    /// Holds every call while a rate limit's `Retry-After` lasts.
    pub(crate) rate_gate: RateGate,
}

impl Transport {
    /// Makes the call, retrying as the [`RetryPolicy`] allows, and decides
    /// its outcome (with `envelope`, from the envelope).
    pub(crate) fn execute(
        &self,
        request: &ApiRequest,
        interrupt: Option<&Interrupt>,
        stop_waiting: Option<&Interrupt>,
    ) -> Result<Success, Error> {
        let target = request.target();
        let method = &request.method;
        let started = self.clock.now();
        let stop = Stop::new(&self.cancellations, interrupt, stop_waiting);
        let deadline = started + self.retry.time_budget();
        if !self.hold_at_rate_gate(request, &target, deadline, &stop, false) {
            log::debug!("{method} {target}: cancelled while waiting out a rate limit");
            let cancelled = Error::cancelled(
                "while waiting out a rate limit's Retry-After, before anything was sent",
            );
            return Err(annotate(cancelled, 0, false, self.auth.error_context()));
        }
        let mut attempts = 0;
        let mut earlier_may_have_succeeded = false;
        loop {
            attempts += 1;
            // The first attempt is named by the record of its outcome: one
            // record per successful call, which a logger that crosses into
            // another runtime (Python's) pays for on every call.
            if attempts > 1 {
                log::debug!("{method} {target}: attempt {attempts}");
            }
            let failure = match self
                .attempt(request, &target, deadline, &stop)
                .and_then(|reply| {
                    response::outcome(reply, request.envelope).map_err(Failure::answered)
                }) {
                Ok(mut success) => {
                    success.attempts = attempts;
                    log::debug!(
                        "{method} {target}: succeeded on attempt {attempts}: HTTP {}, {} body bytes",
                        success.status,
                        success.body.len()
                    );
                    return Ok(success);
                }
                Err(failure) => failure,
            };
            if let Some(pause) = failure.pause() {
                self.rate_gate.close_until(self.clock.now() + pause);
            }
            let elapsed = self.clock.now().saturating_duration_since(started);
            let wait = match self.retry.next(
                attempts,
                elapsed,
                failure.retryable(request.idempotent),
                failure.retry_after(),
                random_fraction(),
            ) {
                Next::Retry(wait) => wait,
                Next::GiveUp(why) => {
                    log::debug!(
                        "{method} {target}: attempt {attempts} failed, giving up ({why}): {}",
                        failure.error
                    );
                    return Err(annotate(
                        failure.error,
                        attempts,
                        earlier_may_have_succeeded,
                        self.auth.error_context(),
                    ));
                }
            };
            log::warn!(
                "{method} {target}: attempt {attempts} failed ({}); retrying in {:.3} s",
                failure.error,
                wait.as_secs_f64()
            );
            earlier_may_have_succeeded |= failure.may_have_taken_effect();
            // Held until the retry is sent, at the end of this pass.
            let _pending = failure.pause().map(|_| self.rate_gate.retry_pending());
            let waited = self.clock.sleep_unless(wait, &|| stop.waiting_ends())
                && self.hold_at_rate_gate(request, &target, deadline, &stop, true);
            if !waited {
                log::debug!("{method} {target}: cancelled while waiting to retry");
                let cancelled = Error::cancelled(format!(
                    "while waiting to retry; attempt {attempts} had failed: {}{}",
                    failure.error,
                    if earlier_may_have_succeeded {
                        "; an attempt lost its answer and may have taken effect"
                    } else {
                        ""
                    }
                ));
                return Err(annotate(
                    cancelled,
                    attempts,
                    earlier_may_have_succeeded,
                    self.auth.error_context(),
                ));
            }
        }
    }

    /// Before a call's first attempt, and after a retry's own wait, waits
    /// for the latest `Retry-After` that any call of this client was given
    /// for its rate (within the call's budget), so that the client's calls
    /// go back together and no retry finds the bucket emptied by calls
    /// that came back sooner or started meanwhile. `false` when `stop`
    /// ended the wait.
    fn hold_at_rate_gate(
        &self,
        request: &ApiRequest,
        target: &str,
        deadline: Instant,
        stop: &Stop<'_>,
        retry: bool,
    ) -> bool {
        let mut logged = false;
        loop {
            let held = self.rate_gate.wait(self.clock.now(), deadline, retry);
            if held.is_zero() {
                return true;
            }
            if !logged {
                log::debug!(
                    "{} {target}: held {:.3} s or more, for a Retry-After given to this client \
                     or the retries it sends first",
                    request.method,
                    held.as_secs_f64()
                );
                logged = true;
            }
            if !self.clock.sleep_unless(held, &|| stop.waiting_ends()) {
                return false;
            }
        }
    }

    /// One attempt: the request, after at most one fresh credential (and
    /// one more if a Digest nonce went stale). A 401 that survives is
    /// returned as a reply, for the caller to report as unauthorized.
    fn attempt(
        &self,
        request: &ApiRequest,
        target: &str,
        deadline: Instant,
        stop: &Stop<'_>,
    ) -> Result<Reply, Failure> {
        let method = request.method.as_str();
        let mut fetch = || self.fetch_token(deadline, stop);
        let clock = &*self.clock;
        let mut handshake: Handshake = self.auth.start(method, target, clock, &mut fetch)?;
        loop {
            let exchange = Exchange {
                method: request.method,
                target,
                accept: &request.accept,
                authorization: handshake.authorization(),
                body: request.body.as_ref(),
            };
            let (reply, challenges) =
                self.round_trip(&exchange, self.time_left(deadline)?, stop)?;
            if reply.status != 401 {
                self.auth.finish(handshake);
                return Ok(reply);
            }
            if !self.auth.after_unauthorized(
                &mut handshake,
                &challenges,
                method,
                target,
                clock,
                &mut fetch,
            )? {
                return Ok(reply);
            }
        }
    }

    fn time_left(&self, deadline: Instant) -> Result<Duration, Failure> {
        let left = deadline.saturating_duration_since(self.clock.now());
        if left.is_zero() {
            return Err(Failure::unanswered(Error::Timeout(
                "the call's time budget ran out before the request could be sent".into(),
            )));
        }
        Ok(left)
    }

    /// Asks the token endpoint for a service account's access token.
    fn fetch_token(&self, deadline: Instant, stop: &Stop<'_>) -> Result<Grant, Failure> {
        let body = Body {
            content_type: auth::FORM_CONTENT_TYPE,
            bytes: auth::GRANT_BODY.to_vec(),
        };
        let exchange = Exchange {
            method: Method::Post,
            target: auth::TOKEN_PATH,
            accept: "application/json",
            authorization: self.auth.token_authorization(),
            body: Some(&body),
        };
        let (mut reply, _) = self.round_trip(&exchange, self.time_left(deadline)?, stop)?;
        if (200..300).contains(&reply.status) {
            let grant = auth::parse_grant(&reply.body).map_err(Failure::answered);
            reply.body.zeroize();
            return grant;
        }
        let mut error = response::api_error(&reply, reply.status, &reply.body);
        error.read_oauth_error(&reply.body);
        error.context = Context::TokenEndpoint;
        Err(Failure::answered(error.into()))
    }

    /// Revokes the access token this client minted, if any (RFC 7009, as
    /// Atlas does it): one attempt within `timeout`, on a pooled
    /// connection when there is one. Best effort: a failure is logged,
    /// never returned, and the token lapses within its hour anyway.
    pub(crate) fn revoke_token(&self, timeout: Duration) {
        let Some(token) = self.auth.token_to_revoke(self.clock.now()) else {
            return;
        };
        let id = self.auth.id();
        // Sized for the worst escaping, so no reallocation leaves an
        // unwiped copy of the token behind.
        let mut form = String::with_capacity(
            auth::REVOKE_TOKEN_FIELD.len() + 3 * token.expose().len() + auth::REVOKE_HINT.len(),
        );
        form.push_str(auth::REVOKE_TOKEN_FIELD);
        request::escape_into(&mut form, token.expose());
        form.push_str(auth::REVOKE_HINT);
        let mut body = Body {
            content_type: auth::FORM_CONTENT_TYPE,
            bytes: form.into_bytes(),
        };
        let exchange = Exchange {
            method: Method::Post,
            target: auth::REVOKE_PATH,
            accept: "application/json",
            authorization: self.auth.token_authorization(),
            body: Some(&body),
        };
        // Like a call, it stops for cancel_all.
        let stop = Stop::new(&self.cancellations, None, None);
        let outcome = self.round_trip(&exchange, timeout, &stop);
        body.bytes.zeroize();
        match outcome {
            Ok((mut reply, _)) => {
                // The answer is never shown: a server might echo the token.
                reply.body.zeroize();
                if reply.status == 200 {
                    log::debug!("revoked the access token of service account {id}");
                } else {
                    log::warn!(
                        "could not revoke the access token of service account {id}: the \
                         revocation endpoint answered HTTP {}; it expires on its own",
                        reply.status
                    );
                }
            }
            // The transport's own words would speak of the call's budget.
            Err(Failure {
                error: Error::Timeout(_),
                ..
            }) => log::warn!(
                "could not revoke the access token of service account {id}: no answer \
                 within the revoke timeout, {:.1} s; it expires on its own",
                timeout.as_secs_f64()
            ),
            Err(failure) => log::warn!(
                "could not revoke the access token of service account {id}: {}; it \
                 expires on its own",
                failure.error
            ),
        }
    }
}

/// Records in the final error how many attempts were made, whether an
/// earlier one may have taken effect, and which credentials were used.
fn annotate(
    mut error: Error,
    attempts: u32,
    earlier_may_have_succeeded: bool,
    context: Context,
) -> Error {
    match &mut error {
        Error::Api(api) => {
            api.attempts = attempts;
            api.earlier_attempt_may_have_succeeded = earlier_may_have_succeeded;
            if api.context != Context::TokenEndpoint {
                api.context = context;
            }
        }
        Error::Timeout(timeout) => timeout.attempts = attempts,
        Error::Transport { attempts: made, .. } => *made = attempts,
        Error::Protocol(protocol) => protocol.attempts = attempts,
        Error::Cancelled(cancelled) => cancelled.attempts = attempts,
        Error::InvalidArgument { .. } => {}
    }
    error
}
