//! Atlas' error body: `{"detail", "error", "errorCode", "parameters", "reason"}`.

use super::Reply;
use crate::ApiError;
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// Builds an [`ApiError`] for `status` from an error `body`, which may be
/// Atlas JSON, something else, or empty. Atlas' body speaks for itself;
/// without one, the `X-Error-Code` header of `reply` gives the code.
pub(crate) fn api_error(reply: &Reply, status: u16, body: &[u8]) -> ApiError {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let atlas_body = json
        .as_ref()
        .and_then(Value::as_object)
        .is_some_and(|object| {
            ["errorCode", "error", "detail"]
                .iter()
                .any(|name| object.contains_key(*name))
        });
    let field = |name: &str| {
        json.as_ref()
            .and_then(|v| v.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let parameters = json
        .as_ref()
        .and_then(|v| v.get("parameters"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    ApiError {
        status,
        error_code: if atlas_body {
            field("errorCode")
        } else {
            reply.error_code_header.clone()
        },
        detail: field("detail"),
        reason: field("reason"),
        parameters,
        retry_after: reply
            .retry_after_header
            .as_deref()
            .and_then(|value| retry_after(value, reply.received_at)),
        location: reply.location_header.clone(),
        body: String::from_utf8_lossy(body).into_owned(),
        attempts: 1,
        earlier_attempt_may_have_succeeded: false,
        context: Default::default(),
        server: reply.server.clone(),
        url: reply.url.clone(),
        atlas_body,
    }
}

/// `Retry-After` as delay-seconds or as an HTTP date, counted from `now`
/// (a date in the past means no wait).
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            error_code_header: None,
            retry_after_header: None,
            location_header: None,
            content_type_header: None,
            body: body.as_bytes().to_vec(),
            received_at: SystemTime::now(),
            server: "atlas.example:443".into(),
            url: "https://atlas.example/api/atlas/v1.0/orgs/x".into(),
        }
    }

    #[test]
    fn reads_atlas_error_bodies() {
        let body = r#"{"detail":"No API key with ID 6a1b2c3d4e5f6a7b8c9d0e1f exists.","error":400,"errorCode":"API_KEY_NOT_FOUND","parameters":["6a1b2c3d4e5f6a7b8c9d0e1f"],"reason":"Bad Request"}"#;
        let r = reply(400, body);
        let e = api_error(&r, 400, &r.body);
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.error_code.as_deref(), Some("API_KEY_NOT_FOUND"));
        assert_eq!(e.reason.as_deref(), Some("Bad Request"));
        assert_eq!(e.parameters, vec!["6a1b2c3d4e5f6a7b8c9d0e1f"]);
        assert_eq!(e.body, body);
        assert!(e.to_string().contains("No API key with ID"), "{e}");
    }

    #[test]
    fn falls_back_to_headers_for_non_json_bodies() {
        let mut r = reply(429, "<html>slow down</html>");
        r.error_code_header = Some("RATE_LIMITED".into());
        r.retry_after_header = Some(" 7 ".into());
        let e = api_error(&r, 429, &r.body);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.error_code.as_deref(), Some("RATE_LIMITED"));
        assert_eq!(e.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(e.detail, None);
        assert_eq!(
            e.atlas_error_code(),
            None,
            "a header alone is not Atlas' word"
        );
    }

    #[test]
    fn only_atlas_error_bodies_are_reported_as_atlas() {
        for body in [
            "",
            "<html>Not Found</html>",
            "[]",
            r#"{"message":"no route"}"#,
        ] {
            let mut r = reply(404, body);
            r.error_code_header = Some("API_KEY_NOT_FOUND".into());
            let e = api_error(&r, 404, body.as_bytes());
            assert_eq!(e.atlas_error_code(), None, "{body:?}");
            let message = e.to_string();
            assert!(
                message.starts_with("the server at atlas.example:443 answered HTTP 404")
                    && message.contains("base URL")
                    && message.contains("proxy"),
                "{message}"
            );
        }
        for body in [
            r#"{"error":404,"detail":"Not here.","errorCode":"API_KEY_NOT_FOUND"}"#,
            r#"{"error":404,"detail":"Not here."}"#,
        ] {
            let e = api_error(&reply(404, body), 404, body.as_bytes());
            assert!(e.to_string().starts_with("Atlas answered HTTP 404"), "{e}");
            assert!(!e.to_string().contains("base URL"), "{e}");
        }
    }

    #[test]
    fn retry_after_takes_seconds_or_an_http_date_counted_from_the_answer() {
        // A whole second, as HTTP dates have no finer resolution.
        let received = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let at = |value: &str| retry_after(value, received);
        assert_eq!(at("120"), Some(Duration::from_secs(120)));
        assert_eq!(at("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(received + Duration::from_secs(30));
        assert_eq!(at(&later), Some(Duration::from_secs(30)));
        assert_eq!(at("soon"), None);
        assert_eq!(at("-1"), None);
    }

    #[test]
    fn empty_bodies_still_classify() {
        let r = reply(503, "");
        assert_eq!(api_error(&r, 503, b"").kind(), ErrorKind::ServerError);
        assert_eq!(api_error(&r, 418, b"").kind(), ErrorKind::HttpError);
        // A bare 404 is not Atlas saying anything is missing.
        assert_eq!(api_error(&r, 404, b"").kind(), ErrorKind::HttpError);
    }
}
