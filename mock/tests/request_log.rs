//! The request log: which headers a client sent, credentials left out.

mod support;

use atlas_admin_mock::SeenRequest;
use support::{bearer, delete_target, mock, send, token, BASIC, FORM, V2_MEDIA_TYPE};

#[test]
fn records_method_target_accept_content_type_and_auth_scheme_only() {
    let atlas = mock();
    let access_token = token(&atlas);
    let target = format!("{}?pretty=true", delete_target("/api/atlas/v2"));
    let auth = bearer(&access_token);
    send(
        &atlas,
        "DELETE",
        &target,
        &[("Authorization", &auth), ("Accept", V2_MEDIA_TYPE)],
        "",
    );
    send(&atlas, "GET", "/__mock/stats", &[], "");
    send(&atlas, "DELETE", "/api/atlas/v1.0/x", &[], "");
    assert_eq!(
        atlas.recent_requests(),
        [
            SeenRequest {
                method: "POST".into(),
                target: "/api/oauth/token".into(),
                accept: None,
                content_type: Some(FORM.into()),
                auth_scheme: Some("Basic".into()),
            },
            SeenRequest {
                method: "DELETE".into(),
                target,
                accept: Some(V2_MEDIA_TYPE.into()),
                content_type: None,
                auth_scheme: Some("Bearer".into()),
            },
            SeenRequest {
                method: "DELETE".into(),
                target: "/api/atlas/v1.0/x".into(),
                accept: None,
                content_type: None,
                auth_scheme: None,
            },
        ]
    );
    let listed = send(&atlas, "GET", "/__mock/requests", &[], "");
    assert_eq!(listed.status, 200);
    assert!(!listed.body.contains(&access_token), "{}", listed.body);
    assert!(
        !listed.body.contains(&BASIC["Basic ".len()..]),
        "{}",
        listed.body
    );
    let listed = listed.json();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert_eq!(listed[1]["auth_scheme"], "Bearer");
    assert_eq!(listed[1]["accept"], V2_MEDIA_TYPE);
    assert_eq!(listed[2]["accept"], serde_json::Value::Null);
}

#[test]
fn resetting_the_stats_empties_the_log() {
    let atlas = mock();
    token(&atlas);
    atlas.reset_stats();
    assert!(atlas.recent_requests().is_empty());
    token(&atlas);
    assert_eq!(
        send(&atlas, "POST", "/__mock/stats/reset", &[], "").status,
        204
    );
    assert!(atlas.recent_requests().is_empty());
    assert_eq!(send(&atlas, "GET", "/__mock/requests", &[], "").body, "[]");
}
