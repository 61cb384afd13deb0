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
    /// reached, or the server refused it for its rate (a 429, or Atlas'
    /// code of a rate limit whatever the status:
    /// [`crate::ApiError::is_rate_limited`]). A proxy that answered the
    /// `CONNECT` with a refusal (403, 407, 502...) or with garbage is not
    /// asked again: that is its policy or its setting, and asking again
    /// within a call would only repeat it.
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
            Error::Api(api) if api.is_rate_limited() => true,
            Error::Api(api) => idempotent && matches!(api.status, 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The request may have reached the server and taken effect although
    /// its answer was lost or was a failure of the server's own. One
    /// refused for its rate did not, whatever its status.
    pub(crate) fn may_have_taken_effect(&self) -> bool {
        match &self.error {
            Error::Timeout(_) => true,
            Error::Transport { kind, .. } => *kind == TransportKind::Io,
            Error::Api(api) => !api.is_rate_limited() && matches!(api.status, 500 | 502 | 504),
            _ => false,
        }
    }

    /// The server's own word on when to come back.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        self.error.api().and_then(|api| api.retry_after)
    }

    /// How long every retry of the client's calls holds off: the
    /// `Retry-After` of an answer refusing the request for its rate, which
    /// limits the caller rather than this request.
    pub(crate) fn pause(&self) -> Option<Duration> {
        self.error
            .api()
            .filter(|api| api.is_rate_limited())
            .and_then(|api| api.retry_after)
    }
}

/// Errors found outside the network (a broken challenge, an unanswerable
/// one) come after the server answered.
impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::answered(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;
    use crate::{ApiError, CallOptions, Client, ErrorKind, Method, RetryPolicy};
    use atlas_admin_mock::{Credential, MockAtlas, MockConfig, RateLimit};
    use std::sync::Arc;

    const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";

    fn failure(status: u16, code: &str, from_atlas: bool) -> Failure {
        Failure::answered(ApiError::answered(status, code, from_atlas).into())
    }

    #[test]
    fn a_rate_limit_is_retried_for_every_method_whatever_its_status() {
        // (status, code, from Atlas' body, retried when idempotent, when not)
        let cases = [
            (429, "RATE_LIMITED_TOKEN_BUCKET", true, true, true),
            (429, "ANYTHING", false, true, true),
            (400, "INVITATIONS_RATE_LIMITED_IP", true, true, true),
            (403, "X_RATE_LIMITED", true, true, true),
            (400, "ORG_RATE_LIMITED_PER_HOUR", true, true, true),
            (400, "RATE_LIMITED", true, true, true),
            // Not Atlas' word: the header of a page that is not Atlas'.
            (400, "RATE_LIMITED", false, false, false),
            (403, "X_RATE_LIMITED", false, false, false),
            // Server failures: only an idempotent call is repeated.
            (503, "UNEXPECTED_ERROR", true, true, false),
            (400, "API_KEY_NOT_FOUND", true, false, false),
        ];
        for (status, code, from_atlas, idempotent, not_idempotent) in cases {
            let failure = failure(status, code, from_atlas);
            assert_eq!(
                (failure.retryable(true), failure.retryable(false)),
                (idempotent, not_idempotent),
                "{status} {code} (from Atlas: {from_atlas})"
            );
        }
        assert!(!failure(500, "X_RATE_LIMITED", true).may_have_taken_effect());
        assert!(failure(500, "UNEXPECTED_ERROR", true).may_have_taken_effect());
    }

    /// A mock whose bucket is `limit`'s; the client's clock is fake, so
    /// waits take no time and a slow refill leaves the bucket empty.
    fn limited(limit: RateLimit) -> (MockAtlas, Client, Arc<FakeClock>) {
        let mut config = MockConfig::default();
        config.credentials.push(Credential::new("abcdefgh", "k"));
        config.orgs.push(ORG.into());
        config.rate_limit = Some(limit);
        let atlas = MockAtlas::start(config).unwrap();
        let clock = Arc::new(FakeClock::new());
        let client = Client::builder()
            .base_url(atlas.base_url())
            .digest_credentials("abcdefgh", "k")
            .retry(RetryPolicy::new())
            .clock(clock.clone())
            .build()
            .unwrap();
        (atlas, client, clock)
    }

    fn create(client: &Client) -> Result<crate::Response, Error> {
        let body = serde_json::json!({"desc": "made by a test", "roles": ["ORG_MEMBER"]});
        client.call(
            Method::Post,
            &format!("/orgs/{ORG}/apiKeys"),
            &[],
            Some(&body),
            &CallOptions::new(),
        )
    }

    #[test]
    fn a_post_refused_with_400_for_its_rate_backs_off_as_the_policy_does_without_retry_after() {
        let (atlas, client, clock) = limited(RateLimit {
            status: 400,
            error_code: "INVITATIONS_RATE_LIMITED_IP".into(),
            retry_after: false,
            ..RateLimit::new(1, 1.0 / 60.0)
        });
        create(&client).unwrap();
        let err = create(&client).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
        let api = err.api().unwrap();
        assert_eq!(
            (api.status, api.error_code.as_deref(), api.attempts),
            (400, Some("INVITATIONS_RATE_LIMITED_IP"), 4),
            "{err}"
        );
        assert!(!api.earlier_attempt_may_have_succeeded, "{err}");
        // Full jitter under the default ceilings: 250 ms, then 500 ms, 1 s.
        let slept = clock.slept();
        assert_eq!(slept.len(), 3, "{slept:?}");
        for (wait, ceiling) in slept.iter().zip([250, 500, 1000]) {
            assert!(*wait < Duration::from_millis(ceiling), "{slept:?}");
        }
        let stats = atlas.stats();
        assert_eq!((stats.created, stats.rate_limited), (1, 4), "{stats:?}");
    }

    #[test]
    fn a_rate_limited_answer_with_retry_after_is_waited_out_exactly() {
        let (atlas, client, clock) = limited(RateLimit {
            status: 403,
            error_code: "X_RATE_LIMITED".into(),
            ..RateLimit::new(1, 1.0 / 10.0)
        });
        create(&client).unwrap();
        let err = create(&client).unwrap_err();
        assert_eq!((err.kind(), err.attempts()), (ErrorKind::RateLimited, 4));
        // The mock's clock runs in real time, so each refusal asks for 10 s
        // (or 9 s, should a second pass during the test).
        let slept = clock.slept();
        assert_eq!(slept.len(), 3, "{slept:?}");
        assert!(
            slept
                .iter()
                .all(|s| *s == Duration::from_secs(10) || *s == Duration::from_secs(9)),
            "{slept:?}"
        );
        assert_eq!(atlas.stats().created, 1);
    }
}
