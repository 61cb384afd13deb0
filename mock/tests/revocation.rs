//! Token revocation at `POST /api/oauth/revoke` (RFC 7009, as Atlas does
//! it), the cap on live tokens per service account, and the counters and
//! gauge that show them.

mod support;

use atlas_admin_mock::{MockAtlas, ServiceAccount};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{
    bearer, config, delete_target, mock, send, token, Reply, BASIC, BASIC_WRONG_SECRET, FORM,
};

const REVOKE_PATH: &str = "/api/oauth/revoke";

fn revoke(atlas: &MockAtlas, authorization: &str, body: &str) -> Reply {
    send(
        atlas,
        "POST",
        REVOKE_PATH,
        &[("Authorization", authorization), ("Content-Type", FORM)],
        body,
    )
}

fn form(token: &str) -> String {
    format!("token={token}&token_type_hint=access_token")
}

fn delete_with(atlas: &MockAtlas, token: &str) -> u16 {
    let target = delete_target("/api/atlas/v1.0");
    let authorization = bearer(token);
    send(
        atlas,
        "DELETE",
        &target,
        &[("Authorization", &authorization)],
        "",
    )
    .status
}

#[test]
fn a_revoked_token_is_refused_afterwards() {
    let atlas = mock();
    let token = token(&atlas);
    assert_eq!(atlas.stats().active_tokens, 1);
    let reply = revoke(&atlas, BASIC, &form(&token));
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("Cache-Control"), Some("no-store"));
    assert_eq!(delete_with(&atlas, &token), 401);
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.revoke_requests,
            stats.tokens_revoked,
            stats.active_tokens,
            stats.bearer_rejected
        ),
        (1, 1, 0, 1),
        "{stats:?}"
    );
    // Revoking it again, or a token never issued, succeeds and does nothing.
    for body in [
        form(&token),
        form("mock-access-token-unknown"),
        "token=".into(),
    ] {
        assert_eq!(revoke(&atlas, BASIC, &body).status, 200, "{body}");
    }
    assert_eq!(atlas.stats().tokens_revoked, 1);
}

#[test]
fn a_revocation_needs_the_accounts_credentials_a_token_and_a_form() {
    let atlas = mock();
    let token = token(&atlas);
    let reply = revoke(&atlas, BASIC_WRONG_SECRET, &form(&token));
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(
        reply.json(),
        json!({"error": "invalid_client", "error_description": "Invalid client credentials."})
    );
    let reply = send(
        &atlas,
        "POST",
        REVOKE_PATH,
        &[("Content-Type", FORM)],
        &form(&token),
    );
    assert_eq!(reply.status, 401, "no credentials: {reply:?}");
    for (content_type, body, error) in [
        (FORM, "token_type_hint=access_token", "invalid_request"),
        ("application/json", r#"{"token":"x"}"#, "invalid_request"),
        (
            FORM,
            "token=x&token_type_hint=id_token",
            "unsupported_token_type",
        ),
    ] {
        let reply = send(
            &atlas,
            "POST",
            REVOKE_PATH,
            &[("Authorization", BASIC), ("Content-Type", content_type)],
            body,
        );
        assert_eq!(reply.status, 400, "{body}: {reply:?}");
        assert_eq!(reply.json()["error"], error, "{body}");
    }
    let reply = send(&atlas, "GET", REVOKE_PATH, &[("Authorization", BASIC)], "");
    assert_eq!(reply.status, 405, "{reply:?}");
    assert_eq!(
        delete_with(&atlas, &token),
        204,
        "the token survived it all"
    );
    let stats = atlas.stats();
    assert_eq!(
        (stats.revoke_requests, stats.tokens_revoked),
        (6, 0),
        "{stats:?}"
    );
}

#[test]
fn an_account_cannot_revoke_another_accounts_token() {
    let mut config = config();
    config
        .service_accounts
        .push(ServiceAccount::new("mdb_sa_id_other", "mdb_sa_sk_other"));
    let atlas = MockAtlas::start(config).unwrap();
    let token = token(&atlas);
    // base64("mdb_sa_id_other:mdb_sa_sk_other")
    let other = "Basic bWRiX3NhX2lkX290aGVyOm1kYl9zYV9za19vdGhlcg==";
    let reply = revoke(&atlas, other, &form(&token));
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(reply.json()["error"], "invalid_grant");
    assert_eq!(delete_with(&atlas, &token), 204);
}

#[test]
fn a_percent_escaped_token_is_decoded() {
    let atlas = mock();
    let token = token(&atlas);
    let escaped = token.replace('-', "%2D");
    assert_eq!(revoke(&atlas, BASIC, &form(&escaped)).status, 200);
    assert_eq!(atlas.stats().tokens_revoked, 1);
}

fn token_reply(atlas: &MockAtlas) -> Reply {
    send(
        atlas,
        "POST",
        "/api/oauth/token",
        &[("Authorization", BASIC), ("Content-Type", FORM)],
        "grant_type=client_credentials",
    )
}

#[test]
fn the_cap_refuses_tokens_as_atlas_does_until_one_is_revoked_or_expires() {
    let mut config = config();
    config.token_cap = 2;
    config.token_lifetime_secs = 60;
    let atlas = MockAtlas::start(config).unwrap();
    let first = token(&atlas);
    token(&atlas);
    let reply = token_reply(&atlas);
    assert_eq!(reply.status, 403, "{reply:?}");
    assert_eq!(
        reply.json(),
        json!({"error": "access_denied", "error_description": "Access Token limit reached"})
    );
    assert_eq!(reply.header("Cache-Control"), Some("no-store"));
    revoke(&atlas, BASIC, &form(&first));
    assert_eq!(token_reply(&atlas).status, 200, "revoking made room");
    assert_eq!(token_reply(&atlas).status, 403);
    atlas.advance_clock(Duration::from_secs(60));
    assert_eq!(
        atlas.stats().active_tokens,
        0,
        "expired tokens do not count"
    );
    assert_eq!(token_reply(&atlas).status, 200);
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.tokens_issued,
            stats.tokens_refused,
            stats.active_tokens
        ),
        (4, 2, 1),
        "{stats:?}"
    );
    // The gauge is state, not a counter: resetting the counters keeps it.
    atlas.reset_stats();
    assert_eq!(
        (atlas.stats().tokens_issued, atlas.stats().active_tokens),
        (0, 1)
    );
}

#[test]
fn the_default_cap_is_atlas_100() {
    let atlas = mock();
    for _ in 0..100 {
        token(&atlas);
    }
    assert_eq!(token_reply(&atlas).status, 403);
    let stats = send(&atlas, "GET", "/__mock/stats", &[], "").json();
    assert_eq!(
        (&stats["active_tokens"], &stats["tokens_refused"]),
        (&json!(100), &json!(1))
    );
}

#[test]
fn the_binary_takes_token_cap() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atlas-admin-mock"))
        .args([
            "--service-account",
            "mdb_sa_id_test:mdb_sa_sk_test",
            "--token-cap",
            "1",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let origin = line.trim().trim_end_matches("/api/atlas/v1.0").to_owned();
    let status = |_: usize| {
        let output = Command::new("curl")
            .args([
                "--silent",
                "--output",
                "/dev/null",
                "--write-out",
                "%{http_code}",
            ])
            .args(["--user", "mdb_sa_id_test:mdb_sa_sk_test"])
            .args(["--data", "grant_type=client_credentials"])
            .arg(format!("{origin}/api/oauth/token"))
            .output()
            .expect("curl is installed (scripts/install-deps installs it)");
        String::from_utf8(output.stdout).unwrap()
    };
    let statuses: Vec<String> = (0..2).map(status).collect();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(statuses, ["200", "403"]);
    let bad = Command::new(env!("CARGO_BIN_EXE_atlas-admin-mock"))
        .args(["--token-cap", "many"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--token-cap needs a number"));
}
