//! The `/__mock/` controls for records and the clock, and the clock that
//! ages nonces and tokens without anyone sleeping.

mod support;

use atlas_admin_mock::MockAtlas;
use serde_json::json;
use std::time::Duration;
use support::{
    bearer, config, digest_authorization, key, mock, send, token, Api, KEY, ORG, OTHER_ORG,
};

fn control(atlas: &MockAtlas, method: &str, path: &str, body: &str) -> support::Reply {
    send(atlas, method, &format!("/__mock/{path}"), &[], body)
}

#[test]
fn keys_are_seeded_and_read_over_http() {
    let atlas = mock();
    let legacy = control(
        &atlas,
        "POST",
        "keys",
        &json!({"org_id": ORG, "key_id": key(1)}).to_string(),
    );
    assert_eq!((legacy.status, legacy.body.as_str()), (201, ""));
    let seed = json!({"org_id": OTHER_ORG, "api_key": {
        "id": key(2), "public_key": "mnopqrst", "desc": "seeded over HTTP",
        "roles": ["ORG_BILLING_ADMIN"], "access_list": [{"ip_address": "192.0.2.1"}, {"cidr_block": "10.0.0.0/8"}]
    }});
    let stored = control(&atlas, "POST", "keys", &seed.to_string());
    assert_eq!(stored.status, 201, "{stored:?}");
    let stored = stored.json();
    assert_eq!(stored["public_key"], "mnopqrst");
    let private = stored["private_key"].as_str().unwrap().to_owned();
    assert_eq!(
        private.len(),
        36,
        "the made-up private key, in full: {stored}"
    );
    assert_eq!(stored["access_list"][0]["cidr_block"], "192.0.2.1/32");
    assert_eq!(
        stored["access_list"][1]["ip_address"],
        serde_json::Value::Null
    );

    let all = control(&atlas, "GET", "keys", "").json();
    assert_eq!(all, json!({ORG: [KEY, key(1)], OTHER_ORG: [key(2)]}));
    let records = control(&atlas, "GET", &format!("keys?org={OTHER_ORG}"), "");
    assert_eq!(records.status, 200);
    assert!(!records.body.contains(&private), "masked: {}", records.body);
    let records = records.json();
    assert_eq!(records[0]["desc"], "seeded over HTTP");
    assert_eq!(records[0]["roles"], json!(["ORG_BILLING_ADMIN"]));
    assert_eq!(
        records[0]["private_key"],
        format!("********-****-****-{}", &private[24..])
    );
    assert_eq!(
        atlas.api_key(OTHER_ORG, &key(2)).unwrap().private_key,
        private
    );

    for (body, status) in [
        (json!({"org_id": ORG}), 400),
        (json!({"org_id": ORG, "key_id": key(3), "api_key": {}}), 400),
        (json!({"org_id": ORG, "api_key": {"id": KEY}}), 400),
        (json!({"org_id": ORG, "api_key": {"roles": ["ADMIN"]}}), 400),
        (json!({"org_id": ORG, "api_key": {"secret": 1}}), 400),
    ] {
        let reply = control(&atlas, "POST", "keys", &body.to_string());
        assert_eq!(reply.status, status, "{body}: {reply:?}");
        assert!(reply.json()["error"].is_string());
    }
    assert_eq!(
        control(&atlas, "GET", "keys?org=5f1a2b3c4d5e6f7a8b9c0d00", "").status,
        404
    );
    assert_eq!(atlas.api_keys(ORG).len(), 2);
}

#[test]
fn the_clock_control_moves_time_forward() {
    let atlas = mock();
    let before = control(&atlas, "GET", "clock", "").json();
    assert_eq!(before["offset_millis"], 0);
    let moved = control(&atlas, "POST", "clock/advance", r#"{"millis": 90061000}"#);
    assert_eq!(moved.status, 200, "{moved:?}");
    assert_eq!(moved.json()["offset_millis"], 90_061_000);
    atlas.advance_clock(Duration::from_millis(500));
    assert_eq!(atlas.clock().offset(), Duration::from_millis(90_061_500));
    let wall = moved.json()["wall"].as_str().unwrap().to_owned();
    assert!(wall.as_str() > before["wall"].as_str().unwrap(), "{wall}");
    assert_eq!(
        control(&atlas, "POST", "clock/advance", r#"{"seconds": 1}"#).status,
        400
    );
}

#[test]
fn nonces_go_stale_when_the_clock_passes_their_lifetime() {
    let mut config = config();
    config.digest.nonce_ttl_secs = 60;
    let atlas = MockAtlas::start(config).unwrap();
    let target = format!("/api/atlas/v1.0/orgs/{ORG}/apiKeys");
    let challenge = send(&atlas, "GET", &target, &[], "");
    let header = challenge.header("WWW-Authenticate").unwrap().to_owned();
    let nonce = header
        .split("nonce=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let answer = digest_authorization("abcdefgh", "s3cret", "GET", &target, nonce);
    control(&atlas, "POST", "clock/advance", r#"{"millis": 59000}"#);
    let fresh = send(&atlas, "GET", &target, &[("Authorization", &answer)], "");
    assert_eq!(fresh.status, 200, "59 s into a 60 s lifetime: {fresh:?}");
    atlas.advance_clock(Duration::from_secs(1));
    let stale = send(&atlas, "GET", &target, &[("Authorization", &answer)], "");
    assert_eq!(stale.status, 401, "{stale:?}");
    assert!(stale
        .header("WWW-Authenticate")
        .unwrap()
        .ends_with("stale=true"));
    assert_eq!(atlas.stats().stale_challenges, 1);
}

#[test]
fn tokens_expire_on_the_clock() {
    let atlas = mock();
    let auth = bearer(&token(&atlas));
    let target = format!("/api/atlas/v1.0/orgs/{ORG}/apiKeys");
    atlas.advance_clock(Duration::from_secs(3599));
    assert_eq!(
        send(&atlas, "GET", &target, &[("Authorization", &auth)], "").status,
        200
    );
    control(&atlas, "POST", "clock/advance", r#"{"millis": 1000}"#);
    let expired = send(&atlas, "GET", &target, &[("Authorization", &auth)], "");
    assert_eq!(expired.status, 401, "{expired:?}");
    assert_eq!(atlas.stats().bearer_rejected, 1);
}

#[test]
fn access_list_dates_are_read_on_the_clock() {
    let atlas = mock();
    let before = control(&atlas, "GET", "clock", "").json();
    atlas.advance_clock(Duration::from_secs(400 * 86_400));
    let api = Api::v1(&atlas);
    let page = api
        .call(
            "POST",
            &format!("/orgs/{ORG}/apiKeys/{KEY}/accessList"),
            r#"[{"ipAddress": "192.0.2.1"}]"#,
        )
        .json();
    let created = page["results"][0]["created"].as_str().unwrap();
    let real_today = &before["wall"].as_str().unwrap()[..10];
    assert!(
        &created[..10] > real_today,
        "{created} is 400 days after {real_today}"
    );
}

#[test]
fn the_stats_control_counts_the_lifecycle() {
    let atlas = mock();
    let api = Api::v2(&atlas);
    api.get(&format!("/orgs/{ORG}/apiKeys"));
    api.get(&format!("/orgs/{ORG}/apiKeys/{KEY}"));
    api.call(
        "POST",
        &format!("/orgs/{ORG}/apiKeys"),
        r#"{"desc": "d", "roles": ["ORG_MEMBER"]}"#,
    );
    api.call(
        "PATCH",
        &format!("/orgs/{ORG}/apiKeys/{KEY}"),
        r#"{"desc": "e"}"#,
    );
    api.call(
        "POST",
        &format!("/orgs/{ORG}/apiKeys/{KEY}/accessList"),
        r#"[{"ipAddress": "192.0.2.1"}, {"ipAddress": "192.0.2.2"}]"#,
    );
    api.get(&format!("/orgs/{ORG}/apiKeys/{KEY}/accessList"));
    api.call(
        "DELETE",
        &format!("/orgs/{ORG}/apiKeys/{KEY}/accessList/192.0.2.2"),
        "",
    );
    api.call("DELETE", &format!("/orgs/{ORG}/apiKeys/{KEY}"), "");
    let stats = control(&atlas, "GET", "stats", "").json();
    for (name, value) in [
        ("listed", 1),
        ("fetched", 1),
        ("created", 1),
        ("updated", 1),
        ("deleted", 1),
        ("access_added", 2),
        ("access_listed", 1),
        ("access_removed", 1),
        ("requests", 9),
    ] {
        assert_eq!(stats[name], value, "{name}: {stats}");
    }
    let seen = atlas.recent_requests();
    let create = &seen[3];
    assert_eq!(
        (create.method.as_str(), create.content_type.as_deref()),
        ("POST", Some("application/json"))
    );
}
