//! Service accounts: the token endpoint and Bearer authentication.

mod support;

use atlas_admin_mock::{Credential, Fault, MockAtlas};
use serde_json::json;
use std::time::Duration;
use support::{
    bearer, config, delete_target, mock, send, token, Reply, BASIC, BASIC_WRONG_SECRET, FORM, KEY,
    ORG,
};

const TOKEN_PATH: &str = "/api/oauth/token";
const V1: &str = "/api/atlas/v1.0";

fn token_request(atlas: &MockAtlas, headers: &[(&str, &str)], body: &str) -> Reply {
    send(atlas, "POST", TOKEN_PATH, headers, body)
}

fn delete_with(atlas: &MockAtlas, authorization: &str) -> Reply {
    send(
        atlas,
        "DELETE",
        &delete_target(V1),
        &[("Authorization", authorization)],
        "",
    )
}

#[test]
fn the_client_credentials_grant_issues_a_bearer_token() {
    let atlas = mock();
    let reply = token_request(
        &atlas,
        &[
            ("Authorization", BASIC),
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            ),
        ],
        "grant_type=client_credentials&scope=",
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("Content-Type"), Some("application/json"));
    assert_eq!(reply.header("Cache-Control"), Some("no-store"));
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap();
    let random = token.strip_prefix("mock-access-token-").unwrap();
    assert_eq!(random.len(), 32, "{token}");
    assert!(random
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_ne!(support::token(&atlas), token, "every token is new");
    let stats = atlas.stats();
    assert_eq!(
        (stats.token_requests, stats.tokens_issued),
        (2, 2),
        "{stats:?}"
    );
    assert_eq!(stats.authenticated, 0, "getting a token is not an API call");
}

#[test]
fn bad_client_credentials_are_401_invalid_client() {
    let atlas = mock();
    for authorization in [
        None,
        Some(BASIC_WRONG_SECRET),
        Some("Basic not*base64"),
        Some("Bearer bWRiX3NhX2lkX3Rlc3Q6bWRiX3NhX3NrX3Rlc3Q="),
    ] {
        let mut headers = vec![("Content-Type", FORM)];
        headers.extend(authorization.map(|a| ("Authorization", a)));
        let reply = token_request(&atlas, &headers, "grant_type=client_credentials");
        assert_eq!(reply.status, 401, "{authorization:?}: {reply:?}");
        assert_eq!(
            reply.json(),
            json!({"error": "invalid_client", "error_description": "Invalid client credentials."})
        );
    }
    assert_eq!(atlas.stats().tokens_issued, 0);
}

#[test]
fn a_bad_grant_is_400() {
    let atlas = mock();
    for (content_type, body, error) in [
        (
            "application/json",
            r#"{"grant_type":"client_credentials"}"#,
            "unsupported_grant_type",
        ),
        (FORM, "grant_type=password", "unsupported_grant_type"),
        (FORM, "scope=x", "invalid_request"),
        (FORM, "", "invalid_request"),
    ] {
        let reply = token_request(
            &atlas,
            &[("Authorization", BASIC), ("Content-Type", content_type)],
            body,
        );
        assert_eq!(reply.status, 400, "{body}: {reply:?}");
        assert_eq!(reply.json()["error"], error, "{body}");
        assert!(reply.json()["error_description"].is_string());
    }
    assert_eq!(atlas.stats().tokens_issued, 0);
    assert_eq!(atlas.stats().token_requests, 4);
}

#[test]
fn other_methods_on_the_token_endpoint_are_405() {
    let atlas = mock();
    let reply = send(&atlas, "GET", TOKEN_PATH, &[("Authorization", BASIC)], "");
    assert_eq!(reply.status, 405, "{reply:?}");
    assert_eq!(reply.header("X-Error-Code"), Some("METHOD_NOT_ALLOWED"));
}

#[test]
fn faults_apply_to_token_requests() {
    let atlas = mock();
    atlas.inject(Fault::status_retry_after(429, 7), 1);
    let reply = token_request(
        &atlas,
        &[("Authorization", BASIC), ("Content-Type", FORM)],
        "grant_type=client_credentials",
    );
    assert_eq!(reply.status, 429, "{reply:?}");
    assert_eq!(reply.header("Retry-After"), Some("7"));
    token(&atlas);
    let stats = atlas.stats();
    assert_eq!(
        (stats.token_requests, stats.faults, stats.tokens_issued),
        (2, 1, 1),
        "{stats:?}"
    );
}

#[test]
fn a_bearer_token_authenticates_without_a_challenge() {
    let mut config = config();
    // IP access lists belong to API keys; a service account is not bound by one.
    config.credentials = vec![Credential {
        ip_access_list: Some(vec!["192.0.2.1".into()]),
        ..Credential::new("abcdefgh", "s3cret")
    }];
    let atlas = MockAtlas::start(config).unwrap();
    let reply = delete_with(&atlas, &bearer(&token(&atlas)));
    assert_eq!(reply.status, 204, "{reply:?}");
    assert!(!atlas.has_key(ORG, KEY));
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.authenticated,
            stats.bearer_authenticated,
            stats.challenges,
            stats.bearer_rejected
        ),
        (1, 1, 0, 0),
        "{stats:?}"
    );
}

fn assert_bearer_refused(reply: &Reply) {
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(
        reply.headers_named("WWW-Authenticate"),
        [r#"Bearer realm="MMS Public API", error="invalid_token""#],
        "no Digest challenge for a Bearer client"
    );
    assert_eq!(
        reply.json(),
        json!({
            "detail": "You are not authorized for this resource.",
            "error": 401,
            "errorCode": "UNEXPECTED_ERROR",
            "reason": "Unauthorized",
        })
    );
}

#[test]
fn an_unknown_bearer_token_is_refused() {
    let atlas = mock();
    for authorization in [
        "Bearer mock-access-token-00000000000000000000000000000000",
        "Bearer",
    ] {
        assert_bearer_refused(&delete_with(&atlas, authorization));
    }
    assert!(atlas.has_key(ORG, KEY));
    let stats = atlas.stats();
    assert_eq!(
        (stats.bearer_rejected, stats.challenges, stats.authenticated),
        (2, 0, 0),
        "{stats:?}"
    );
}

#[test]
fn an_expired_bearer_token_is_refused() {
    let mut config = config();
    config.token_lifetime_secs = 1;
    let atlas = MockAtlas::start(config).unwrap();
    let reply = token_request(
        &atlas,
        &[("Authorization", BASIC), ("Content-Type", FORM)],
        "grant_type=client_credentials",
    );
    assert_eq!(reply.json()["expires_in"], 1);
    let auth = bearer(reply.json()["access_token"].as_str().unwrap());
    atlas.advance_clock(Duration::from_millis(500));
    assert_eq!(delete_with(&atlas, &auth).status, 204, "alive halfway");
    atlas.add_key(ORG, KEY);
    atlas.advance_clock(Duration::from_millis(500));
    assert_bearer_refused(&delete_with(&atlas, &auth));
    assert!(atlas.has_key(ORG, KEY));
}

#[test]
fn revoked_tokens_are_refused_and_new_ones_work() {
    let atlas = mock();
    let first = bearer(&token(&atlas));
    atlas.revoke_tokens();
    assert_bearer_refused(&delete_with(&atlas, &first));

    let second = bearer(&token(&atlas));
    let control = send(&atlas, "POST", "/__mock/revoke-tokens", &[], "");
    assert_eq!(control.status, 204, "{control:?}");
    assert_bearer_refused(&delete_with(&atlas, &second));

    assert_eq!(delete_with(&atlas, &bearer(&token(&atlas))).status, 204);
    let stats = atlas.stats();
    assert_eq!(
        (stats.bearer_rejected, stats.bearer_authenticated),
        (2, 1),
        "{stats:?}"
    );
}

#[test]
fn the_stats_control_reports_the_new_counters() {
    let atlas = mock();
    delete_with(&atlas, &bearer(&token(&atlas)));
    let stats = send(&atlas, "GET", "/__mock/stats", &[], "").json();
    assert_eq!(stats["token_requests"], 1);
    assert_eq!(stats["tokens_issued"], 1);
    assert_eq!(stats["bearer_authenticated"], 1);
    assert_eq!(stats["bearer_rejected"], 0);
    assert_eq!(stats["requests"], 2);
}
