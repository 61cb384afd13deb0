//! The token bucket: after authentication, as Atlas limits callers, with
//! Atlas' refusals, its headers, and time read from the mock's clock.

mod support;

use atlas_admin_mock::{MockAtlas, RateLimit};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{assert_error, config, delete_target, key, mock, send, Api, ORG};

fn limited(limit: RateLimit) -> MockAtlas {
    let mut config = config();
    config.keys.insert(ORG.into(), (0..10).map(key).collect());
    config.rate_limit = Some(limit);
    MockAtlas::start(config).unwrap()
}

fn delete(api: &Api<'_>, i: usize) -> support::Reply {
    api.call("DELETE", &format!("/orgs/{ORG}/apiKeys/{}", key(i)), "")
}

#[test]
fn a_burst_of_the_capacity_passes_then_atlas_refusal_until_the_clock_refills() {
    // One token a minute: nothing refills while the test runs, unless the
    // clock is moved.
    let atlas = limited(RateLimit::new(2, 1.0 / 60.0));
    let api = Api::v2(&atlas);
    let first = delete(&api, 0);
    assert_eq!(first.status, 204, "{first:?}");
    assert_eq!(first.header("RateLimit-Limit"), Some("2"));
    assert_eq!(first.header("RateLimit-Remaining"), Some("1"));
    assert_eq!(delete(&api, 1).header("RateLimit-Remaining"), Some("0"));

    let refused = delete(&api, 2);
    assert_error(&refused, 429, "RATE_LIMITED_TOKEN_BUCKET");
    assert_eq!(refused.header("Retry-After"), Some("60"), "{refused:?}");
    assert_eq!(refused.header("RateLimit-Remaining"), Some("0"));
    let body = refused.json();
    let resource = format!("api/atlas/v2/orgs/{ORG}/apiKeys/{}", key(2));
    assert_eq!(
        body["detail"],
        format!(
            "Rate limit exceeded for {resource}. Please retry after 60 seconds. \
             Request capacity: 2. Refill rate: {} per 1 seconds.",
            json!(1.0 / 60.0)
        )
    );
    assert_eq!(body["parameters"][0], resource.as_str());
    assert_eq!(body["reason"], "Too Many Requests");
    assert!(
        atlas.has_key(ORG, &key(2)),
        "a refused request does nothing"
    );

    atlas.advance_clock(Duration::from_secs(59));
    assert_eq!(delete(&api, 2).header("Retry-After"), Some("1"));
    atlas.advance_clock(Duration::from_secs(1));
    assert_eq!(delete(&api, 2).status, 204);
    assert!(!atlas.has_key(ORG, &key(2)));
    let stats = atlas.stats();
    assert_eq!((stats.rate_limited, stats.deleted), (2, 3), "{stats:?}");
}

#[test]
fn the_limit_comes_after_authentication_so_challenges_and_tokens_are_free() {
    let atlas = limited(RateLimit::new(1, 1.0 / 60.0));
    // The token endpoint is not limited, nor are controls.
    let api = Api::v1(&atlas);
    let _second_token = Api::v1(&atlas);
    assert_eq!(delete(&api, 0).status, 204);
    for _ in 0..3 {
        // Unauthenticated: the challenge, whatever the bucket holds.
        let challenge = send(&atlas, "DELETE", &delete_target("/api/atlas/v1.0"), &[], "");
        assert_eq!(challenge.status, 401, "{challenge:?}");
        assert_eq!(challenge.header("RateLimit-Limit"), None);
        assert_eq!(
            send(&atlas, "GET", "/__mock/stats", &[], "").status,
            200,
            "controls are never limited"
        );
    }
    assert_eq!(delete(&api, 1).status, 429);
    let stats = atlas.stats();
    assert_eq!(
        (stats.challenges, stats.rate_limited, stats.tokens_issued),
        (3, 1, 2),
        "{stats:?}"
    );
}

#[test]
fn other_statuses_codes_no_retry_after_and_envelopes_as_configured() {
    let atlas = limited(RateLimit {
        status: 400,
        error_code: "INVITATIONS_RATE_LIMITED_IP".into(),
        retry_after: false,
        ..RateLimit::new(1, 1.0 / 60.0)
    });
    let api = Api::v1(&atlas);
    assert_eq!(delete(&api, 0).status, 204);
    let refused = delete(&api, 1);
    assert_error(&refused, 400, "INVITATIONS_RATE_LIMITED_IP");
    assert_eq!(refused.header("Retry-After"), None, "{refused:?}");
    assert_eq!(refused.json()["reason"], "Bad Request");

    let enveloped = api.call(
        "DELETE",
        &format!("/orgs/{ORG}/apiKeys/{}?envelope=true", key(1)),
        "",
    );
    assert_eq!(enveloped.status, 200, "{enveloped:?}");
    let envelope = enveloped.json();
    assert_eq!(envelope["status"], 400);
    assert_eq!(
        envelope["content"]["errorCode"],
        "INVITATIONS_RATE_LIMITED_IP"
    );
    assert!(atlas.has_key(ORG, &key(1)));
}

#[test]
fn the_control_sets_and_lifts_the_limit_and_refuses_what_it_cannot_serve() {
    let atlas = mock();
    let control = |method: &str, body: &str| send(&atlas, method, "/__mock/rate-limit", &[], body);
    let set = control(
        "POST",
        r#"{"capacity": 1, "refill_per_sec": 0.001, "status": 503, "error_code": "X_RATE_LIMITED"}"#,
    );
    assert_eq!(set.status, 204, "{set:?}");
    let api = Api::v1(&atlas);
    assert_eq!(api.get(&format!("/orgs/{ORG}/apiKeys")).status, 200);
    let refused = api.get(&format!("/orgs/{ORG}/apiKeys"));
    assert_error(&refused, 503, "X_RATE_LIMITED");
    assert_eq!(refused.header("Retry-After"), Some("1000"));

    assert_eq!(control("DELETE", "").status, 204);
    assert_eq!(api.get(&format!("/orgs/{ORG}/apiKeys")).status, 200);
    assert_eq!(atlas.stats().rate_limited, 1);

    for (body, why) in [
        (r#"{"capacity": 0, "refill_per_sec": 1}"#, "capacity"),
        (r#"{"capacity": 1, "refill_per_sec": -1}"#, "refill_per_sec"),
        (
            r#"{"capacity": 1, "refill_per_sec": 1, "status": 204}"#,
            "status",
        ),
        (
            r#"{"capacity": 1, "refill_per_sec": 1, "error_code": "a b"}"#,
            "error_code",
        ),
        (r#"{"capacity": 1}"#, "missing field"),
    ] {
        let refused = control("POST", body);
        assert_eq!(refused.status, 400, "{body}: {refused:?}");
        assert!(
            refused.json()["error"].as_str().unwrap().contains(why),
            "{refused:?}"
        );
    }
    assert_eq!(
        api.get(&format!("/orgs/{ORG}/apiKeys")).status,
        200,
        "still lifted"
    );
    assert!(atlas
        .set_rate_limit(RateLimit::new(1, f64::NAN))
        .unwrap_err()
        .starts_with("refill_per_sec"));
}

#[test]
fn the_binary_takes_the_limit_from_its_flags() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atlas-admin-mock"))
        .args(["--credential", "abcdefgh:s3cret"])
        .args(["--service-account", "mdb_sa_id_test:mdb_sa_sk_test"])
        .args(["--key", &format!("{ORG}:{}", key(0))])
        .args(["--key", &format!("{ORG}:{}", key(1))])
        .args(["--rate-limit", "1:0.001", "--rate-limit-status", "400"])
        .args([
            "--rate-limit-code",
            "INVITATIONS_RATE_LIMITED_IP",
            "--no-retry-after",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let port: u16 = url
        .trim()
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/api/atlas/v1.0")
        .parse()
        .unwrap_or_else(|_| panic!("{url:?}"));
    let control = |method: &str, path: &str, headers: &[(&str, &str)], body: &str| {
        support::send_to(port, method, path, headers, body)
    };
    let token = control(
        "POST",
        "/api/oauth/token",
        &[
            ("Authorization", support::BASIC),
            ("Content-Type", support::FORM),
        ],
        "grant_type=client_credentials",
    );
    let token = support::bearer(token.json()["access_token"].as_str().unwrap());
    let target = |i: usize| format!("/api/atlas/v1.0/orgs/{ORG}/apiKeys/{}", key(i));
    let auth = [("Authorization", token.as_str())];
    assert_eq!(control("DELETE", &target(0), &auth, "").status, 204);
    let refused = control("DELETE", &target(1), &auth, "");
    assert_error(&refused, 400, "INVITATIONS_RATE_LIMITED_IP");
    assert_eq!(refused.header("Retry-After"), None);
    let stats = control("GET", "/__mock/stats", &[], "").json();
    assert_eq!(
        (stats["deleted"].as_u64(), stats["rate_limited"].as_u64()),
        (Some(1), Some(1))
    );
    child.kill().unwrap();
    child.wait().unwrap();

    for (args, why) in [
        (
            vec!["--rate-limit", "20"],
            "--rate-limit needs CAPACITY:REFILL_PER_SEC",
        ),
        (
            vec!["--rate-limit", "0:1"],
            "--rate-limit: capacity must be at least 1",
        ),
        (vec!["--no-retry-after"], "need --rate-limit"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_atlas-admin-mock"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
}
