//! A token bucket in front of the API, as Atlas limits its callers: each
//! authenticated request takes a token; tokens come back at a steady rate
//! up to the bucket's capacity; a request that finds the bucket empty is
//! refused and takes nothing.
//!
//! Atlas checks its limits after authentication, so Digest challenges,
//! refused credentials, the token endpoint and `/__mock/` controls never
//! touch the bucket: N admitted requests against capacity C and refill R
//! per second need at least (N - C) / R seconds, exactly.

use crate::answer::enveloped;
use crate::http::{reason, Request, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The code of Atlas' token buckets' refusals.
pub const RATE_LIMITED_TOKEN_BUCKET: &str = "RATE_LIMITED_TOKEN_BUCKET";

/// A token-bucket limit on the API, and how its refusals look. In JSON
/// (`MockConfig`'s `rate_limit`, `POST /__mock/rate-limit`):
/// `{"capacity": 20, "refill_per_sec": 20, "status": 429,
/// "error_code": "RATE_LIMITED_TOKEN_BUCKET", "retry_after": true}`, the
/// last three optional with those defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// The most tokens the bucket holds, and holds at the start: a burst
    /// of this many requests passes at once. At least 1.
    pub capacity: u32,
    /// Tokens added per second, up to the capacity; fractions allowed
    /// (Atlas' "5 per 60 seconds" is 0.0833). More than 0.
    pub refill_per_sec: f64,
    /// The HTTP status of a refusal: 429 as Atlas' token buckets answer,
    /// or another 4xx or 5xx, e.g. 400 as some of Atlas' limits answer.
    #[serde(default = "default_status")]
    pub status: u16,
    /// The `errorCode` of a refusal, e.g. `INVITATIONS_RATE_LIMITED_IP`
    /// with status 400: capital letters, digits and `_`.
    #[serde(default = "default_error_code")]
    pub error_code: String,
    /// Whether a refusal carries `Retry-After`: the whole seconds until
    /// the next token, at least 1. Atlas sends it only sometimes.
    #[serde(default = "default_retry_after")]
    pub retry_after: bool,
}

fn default_status() -> u16 {
    429
}

fn default_error_code() -> String {
    RATE_LIMITED_TOKEN_BUCKET.to_owned()
}

fn default_retry_after() -> bool {
    true
}

impl RateLimit {
    /// A bucket of `capacity` tokens refilled at `refill_per_sec`, refusing
    /// as Atlas' token buckets do: `429 RATE_LIMITED_TOKEN_BUCKET` with
    /// `Retry-After`.
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        RateLimit {
            capacity,
            refill_per_sec,
            status: default_status(),
            error_code: default_error_code(),
            retry_after: default_retry_after(),
        }
    }

    /// Why this limit cannot be served, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.capacity == 0 {
            return Err("capacity must be at least 1".into());
        }
        if !(self.refill_per_sec.is_finite() && self.refill_per_sec > 0.0) {
            return Err("refill_per_sec must be a number above 0".into());
        }
        if !(400..=599).contains(&self.status) {
            return Err("status must be an error status, 400 to 599".into());
        }
        let code = &self.error_code;
        if code.is_empty()
            || code.len() > 100
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(
                "error_code must be 1 to 100 capital letters, digits and underscores".into(),
            );
        }
        Ok(())
    }
}

/// A [`RateLimit`]'s bucket: its tokens as of `refilled_at`.
#[derive(Debug)]
pub(crate) struct Bucket {
    limit: RateLimit,
    tokens: f64,
    refilled_at: Instant,
}

impl Bucket {
    /// A full bucket for `limit` at `now`, or why the limit cannot be
    /// served ([`RateLimit::check`]).
    pub fn new(limit: RateLimit, now: Instant) -> Result<Self, String> {
        limit.check()?;
        Ok(Bucket {
            tokens: f64::from(limit.capacity),
            limit,
            refilled_at: now,
        })
    }

    /// Takes a token for `request`, at `now`; or, when there is none, the
    /// refusal to send.
    pub fn admit(&mut self, now: Instant, request: &Request) -> Result<Quota, Response> {
        match self.take(now) {
            Ok(remaining) => Ok(Quota(Some((self.limit.capacity, remaining)))),
            Err(wait) => Err(refusal(&self.limit, request, wait)),
        }
    }

    /// Takes a token for a request at `now`: the whole tokens left, or,
    /// when there is none, how long until there is one.
    fn take(&mut self, now: Instant) -> Result<u32, Duration> {
        let elapsed = now.saturating_duration_since(self.refilled_at);
        self.tokens = (self.tokens + elapsed.as_secs_f64() * self.limit.refill_per_sec)
            .min(f64::from(self.limit.capacity));
        self.refilled_at = self.refilled_at.max(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            // Within 0..capacity, so the conversion is exact.
            Ok(self.tokens.floor() as u32)
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.limit.refill_per_sec,
            ))
        }
    }
}

/// The bucket's word on an admitted request: the `RateLimit-*` headers
/// Atlas puts on its answers, when a limit is set.
#[derive(Default)]
pub(crate) struct Quota(Option<(u32, u32)>);

impl Quota {
    /// `response` with `RateLimit-Limit` and `RateLimit-Remaining`.
    pub fn label(&self, response: Response) -> Response {
        match self.0 {
            Some((capacity, remaining)) => with_quota(response, capacity, remaining),
            None => response,
        }
    }
}

/// Atlas' answer to a request its bucket refused, e.g. `429
/// RATE_LIMITED_TOKEN_BUCKET` with "Rate limit exceeded for
/// api/atlas/v2/orgs. Please retry after 55 seconds. Request capacity: 10.
/// Refill rate: 5 per 60 seconds." (MongoDB's sample), here with the rate
/// per second.
fn refusal(limit: &RateLimit, request: &Request, wait: Duration) -> Response {
    // Whole seconds, never 0: "retry after 0 seconds" would invite a
    // client to come back at once and be refused again.
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let resource = request.path.trim_start_matches('/');
    let refill = json!(limit.refill_per_sec);
    let body = json!({
        "detail": format!(
            "Rate limit exceeded for {resource}. Please retry after {seconds} seconds. \
             Request capacity: {}. Refill rate: {refill} per 1 seconds.",
            limit.capacity
        ),
        "error": limit.status,
        "errorCode": limit.error_code,
        "parameters": [resource, seconds, limit.capacity, refill, 1],
        "reason": reason(limit.status),
    });
    let mut response = answer(request, limit, &body);
    if limit.retry_after {
        response = response.with_header("Retry-After", seconds.to_string());
    }
    with_quota(response, limit.capacity, 0)
}

/// `body` as the refusal's status with `X-Error-Code`, or in an HTTP 200
/// envelope when the request asked for one.
fn answer(request: &Request, limit: &RateLimit, body: &Value) -> Response {
    if request.flag("envelope") {
        return enveloped(request, limit.status, Some(body));
    }
    Response::json(limit.status, body, request.flag("pretty"))
        .with_header("X-Error-Code", limit.error_code.clone())
}

fn with_quota(response: Response, capacity: u32, remaining: u32) -> Response {
    response
        .with_header("RateLimit-Limit", capacity.to_string())
        .with_header("RateLimit-Remaining", remaining.to_string())
}

#[cfg(test)]
mod tests {
    use super::{Bucket, RateLimit};
    use std::time::{Duration, Instant};

    #[test]
    fn a_burst_of_the_capacity_passes_then_one_token_per_refill_interval() {
        let start = Instant::now();
        let mut bucket = Bucket::new(RateLimit::new(3, 20.0), start).unwrap();
        assert_eq!(bucket.take(start), Ok(2));
        assert_eq!(bucket.take(start), Ok(1));
        assert_eq!(bucket.take(start), Ok(0));
        assert_eq!(bucket.take(start), Err(Duration::from_millis(50)));
        let ms = |n| start + Duration::from_millis(n);
        assert!(bucket.take(ms(49)).is_err(), "not yet a whole token");
        assert_eq!(bucket.take(ms(50)), Ok(0));
        assert!(bucket.take(ms(50)).is_err(), "a refusal takes nothing...");
        assert_eq!(bucket.take(ms(100)), Ok(0), "...and gives nothing back");
        // Never more than the capacity, however long it rests.
        let later = ms(100_000);
        for left in [2, 1, 0] {
            assert_eq!(bucket.take(later), Ok(left));
        }
        assert!(bucket.take(later).is_err());
    }

    #[test]
    fn two_hundred_requests_need_exactly_nine_seconds_at_twenty_and_twenty() {
        let start = Instant::now();
        let mut bucket = Bucket::new(RateLimit::new(20, 20.0), start).unwrap();
        let mut now = start;
        let mut admitted = 0;
        while admitted < 200 {
            match bucket.take(now) {
                Ok(_) => admitted += 1,
                Err(wait) => now += wait,
            }
        }
        let took = now - start;
        assert!(
            took >= Duration::from_millis(8_999) && took <= Duration::from_millis(9_001),
            "{took:?}"
        );
    }

    #[test]
    fn refuses_limits_it_cannot_serve() {
        assert_eq!(RateLimit::new(20, 20.0).check(), Ok(()));
        for (limit, why) in [
            (RateLimit::new(0, 1.0), "capacity"),
            (RateLimit::new(1, 0.0), "refill_per_sec"),
            (RateLimit::new(1, f64::NAN), "refill_per_sec"),
            (RateLimit::new(1, f64::INFINITY), "refill_per_sec"),
            (
                RateLimit {
                    status: 200,
                    ..RateLimit::new(1, 1.0)
                },
                "status",
            ),
            (
                RateLimit {
                    error_code: "NOT ONE\r\nX: y".into(),
                    ..RateLimit::new(1, 1.0)
                },
                "error_code",
            ),
            (
                RateLimit {
                    error_code: String::new(),
                    ..RateLimit::new(1, 1.0)
                },
                "error_code",
            ),
        ] {
            let error = limit.check().unwrap_err();
            assert!(error.starts_with(why), "{limit:?}: {error}");
        }
    }

    #[test]
    fn reads_json_with_atlas_defaults() {
        let limit: RateLimit =
            serde_json::from_str(r#"{"capacity": 20, "refill_per_sec": 20}"#).unwrap();
        assert_eq!(limit, RateLimit::new(20, 20.0));
        let limit: RateLimit = serde_json::from_str(
            r#"{"capacity": 1, "refill_per_sec": 0.5, "status": 400,
                "error_code": "INVITATIONS_RATE_LIMITED_IP", "retry_after": false}"#,
        )
        .unwrap();
        assert_eq!(
            (limit.status, limit.error_code.as_str(), limit.retry_after),
            (400, "INVITATIONS_RATE_LIMITED_IP", false)
        );
        assert!(serde_json::from_str::<RateLimit>(r#"{"capacity": 1}"#).is_err());
        assert!(serde_json::from_str::<RateLimit>(
            r#"{"capacity": 1, "refill_per_sec": 1, "x": 1}"#
        )
        .is_err());
    }
}
