//! Atlas v2 resource versioning: `Accept` picks the version, checked after
//! authentication; v2 answers carry the versioned media type.

mod support;

use atlas_admin_mock::Fault;
use serde_json::json;
use support::{bearer, delete_target, mock, send, token, KEY, ORG, V2_MEDIA_TYPE};

const V2: &str = "/api/atlas/v2";

#[test]
fn authentication_comes_before_the_version_check() {
    let atlas = mock();
    let reply = send(&atlas, "DELETE", &delete_target(V2), &[], "");
    assert_eq!(reply.status, 401, "{reply:?}");
    assert!(reply
        .header("WWW-Authenticate")
        .unwrap()
        .starts_with("Digest "));
    assert_eq!(reply.header("Content-Type"), Some(V2_MEDIA_TYPE));
}

#[test]
fn v2_without_or_with_a_wrong_accept_is_406_invalid_version() {
    let atlas = mock();
    let auth = bearer(&token(&atlas));
    for accept in [
        None,
        Some("application/json"),
        Some("*/*"),
        Some("application/vnd.atlas.2024-08-05+json"),
        Some("application/vnd.atlas.2023-01-01+json-ish"),
    ] {
        let mut headers = vec![("Authorization", auth.as_str())];
        headers.extend(accept.map(|a| ("Accept", a)));
        let reply = send(&atlas, "DELETE", &delete_target(V2), &headers, "");
        assert_eq!(reply.status, 406, "{accept:?}: {reply:?}");
        assert_eq!(reply.header("X-Error-Code"), Some("INVALID_VERSION"));
        assert_eq!(reply.header("Content-Type"), Some(V2_MEDIA_TYPE));
        assert_eq!(
            reply.json(),
            json!({
                "detail": "Invalid accept header or version date.",
                "error": 406,
                "errorCode": "INVALID_VERSION",
                "parameters": [],
                "reason": "Not Acceptable",
            })
        );
    }
    assert!(atlas.has_key(ORG, KEY));
    assert_eq!(atlas.stats().deleted, 0);
}

#[test]
fn v2_with_the_version_accept_deletes() {
    let atlas = mock();
    let auth = bearer(&token(&atlas));
    let reply = send(
        &atlas,
        "DELETE",
        &delete_target(V2),
        &[
            ("Authorization", &auth),
            (
                "Accept",
                "application/json;q=0.5, application/vnd.atlas.2023-01-01+json",
            ),
        ],
        "",
    );
    assert_eq!(reply.status, 204, "{reply:?}");
    assert_eq!(reply.header("Content-Type"), None);
    assert!(!atlas.has_key(ORG, KEY));
}

#[test]
fn v2_errors_envelopes_and_faults_use_the_versioned_media_type() {
    let atlas = mock();
    let auth = bearer(&token(&atlas));
    let headers = [("Authorization", auth.as_str()), ("Accept", V2_MEDIA_TYPE)];
    let missing = format!("{V2}/orgs/{ORG}/apiKeys/6a1b2c3d4e5f6a7b8c9d0e99");
    let reply = send(&atlas, "DELETE", &missing, &headers, "");
    assert_eq!(reply.status, 404, "{reply:?}");
    assert_eq!(reply.header("Content-Type"), Some(V2_MEDIA_TYPE));
    assert_eq!(reply.json()["errorCode"], "API_KEY_NOT_FOUND");

    let enveloped = format!("{}?envelope=true", delete_target(V2));
    let reply = send(&atlas, "DELETE", &enveloped, &headers, "");
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("Content-Type"), Some(V2_MEDIA_TYPE));
    assert_eq!(reply.json(), json!({"status": 204, "content": {}}));

    atlas.inject(Fault::status(503), 1);
    let reply = send(&atlas, "DELETE", &delete_target(V2), &headers, "");
    assert_eq!(reply.status, 503, "{reply:?}");
    assert_eq!(reply.header("Content-Type"), Some(V2_MEDIA_TYPE));
}

#[test]
fn v1_flavours_ignore_accept_and_answer_application_json() {
    let atlas = mock();
    let auth = bearer(&token(&atlas));
    for prefix in ["/api/atlas/v1.0", "/api/public/v1.0"] {
        atlas.add_key(ORG, KEY);
        let reply = send(
            &atlas,
            "DELETE",
            &format!("{}?envelope=true", delete_target(prefix)),
            &[("Authorization", &auth), ("Accept", "text/plain")],
            "",
        );
        assert_eq!(reply.status, 200, "{prefix}: {reply:?}");
        assert_eq!(reply.header("Content-Type"), Some("application/json"));
        assert_eq!(reply.json()["status"], 204);
    }
    assert_eq!(atlas.stats().deleted, 2);
}
