//! `Client::close`: a service account's token revoked at
//! `/api/oauth/revoke` when the client that minted it closes, nothing sent
//! when there is nothing to revoke, and a failing revocation logged and
//! given up promptly, never raised. Also the mock's cap on live tokens,
//! which revocation keeps a script of many short runs clear of.

mod common;

use atlas_admin::{Client, DeleteOptions, ErrorKind, RetryPolicy, DEFAULT_REVOKE_TIMEOUT};
use atlas_admin_mock::{Fault, MockAtlas};
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn account_client(origin: &str) -> atlas_admin::ClientBuilder {
    capture_logs();
    let mut builder = Client::builder();
    builder
        .host(origin)
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5));
    builder
}

fn mock_client(atlas: &MockAtlas) -> Client {
    account_client(&atlas.origin())
        .clock(Arc::new(MockTime(atlas.clock())))
        .build()
        .unwrap()
}

/// This suite's captured log lines (`common` writes them for the secret scan).
fn captured() -> String {
    let dir = std::env::var("ATLAS_SECRET_SCAN_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/secret-scan").into());
    let exe = std::env::current_exe().unwrap();
    let name = exe.file_name().unwrap().to_string_lossy();
    std::fs::read_to_string(format!("{dir}/rust-{name}-{}.log", std::process::id())).unwrap()
}

/// Warnings about revocation logged so far that say `why` (tests run in
/// parallel: each looks for its own).
fn revoke_warnings(why: &str) -> Vec<String> {
    captured()
        .lines()
        .filter(|line| {
            line.starts_with("log WARN") && line.contains("could not revoke") && line.contains(why)
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn closing_revokes_the_token_the_client_minted_once() {
    let atlas = mock();
    let client = mock_client(&atlas);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    assert_eq!(atlas.stats().active_tokens, 1);
    client.close();
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.revoke_requests,
            stats.tokens_revoked,
            stats.active_tokens
        ),
        (1, 1, 0),
        "{stats:?}"
    );
    let revoke = atlas.recent_requests().pop().unwrap();
    assert_eq!(
        (revoke.method.as_str(), revoke.target.as_str()),
        ("POST", "/api/oauth/revoke")
    );
    assert_eq!(revoke.auth_scheme.as_deref(), Some("Basic"));
    assert_eq!(
        revoke.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(stats.connections, 1, "the revocation reuses the connection");
    client.close();
    assert_eq!(
        atlas.stats().revoke_requests,
        1,
        "closing twice revokes once"
    );

    // Still usable: a later call mints a new token, a later close revokes it.
    atlas.add_key(ORG, &key(1));
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .unwrap();
    client.close();
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.tokens_issued,
            stats.tokens_revoked,
            stats.active_tokens
        ),
        (2, 2, 0),
        "{stats:?}"
    );
}

#[test]
fn a_client_that_minted_nothing_sends_nothing_on_close() {
    let atlas = mock();
    mock_client(&atlas).close();
    // An API key has no token at all.
    let digest = client(&atlas);
    digest
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    digest.close();
    let stats = atlas.stats();
    assert_eq!(
        (stats.requests, stats.tokens_issued, stats.revoke_requests),
        (2, 0, 0),
        "only the delete and its challenge: {stats:?}"
    );
}

#[test]
fn an_expired_token_is_not_revoked() {
    let atlas = mock();
    let client = mock_client(&atlas);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    atlas.advance_clock(Duration::from_secs(3600));
    client.close();
    let stats = atlas.stats();
    assert_eq!(
        (stats.revoke_requests, stats.active_tokens),
        (0, 0),
        "{stats:?}"
    );
}

#[test]
fn a_refused_revocation_is_logged_and_not_raised() {
    let atlas = mock();
    let client = mock_client(&atlas);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    let before = revoke_warnings("HTTP 503").len();
    atlas.inject(Fault::status(503), 1);
    client.close();
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.revoke_requests,
            stats.tokens_revoked,
            stats.active_tokens
        ),
        (1, 0, 1),
        "one attempt, no retry: {stats:?}"
    );
    let warnings = revoke_warnings("HTTP 503");
    assert_eq!(warnings.len(), before + 1, "{warnings:?}");
    assert!(warnings[before].contains(CLIENT_ID), "{warnings:?}");
}

/// A server that grants a token, answers deletes with 204 and never
/// answers a revocation.
fn unanswering_revoker() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            loop {
                let (mut head, mut line, mut length) = (String::new(), String::new(), 0);
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                    head.push_str(&line);
                    line.clear();
                }
                let mut body = vec![0; length];
                if head.is_empty() || reader.read_exact(&mut body).is_err() {
                    break;
                }
                let answer = if head.starts_with("POST /api/oauth/token") {
                    let token =
                        br#"{"access_token":"mock-access-token-unrevoked","expires_in":3600}"#;
                    token.to_vec()
                } else if head.starts_with("POST /api/oauth/revoke") {
                    held.push(stream);
                    break;
                } else {
                    Vec::new()
                };
                let status = if answer.is_empty() {
                    "204 No Content"
                } else {
                    "200 OK"
                };
                let mut response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    answer.len()
                )
                .into_bytes();
                response.extend_from_slice(&answer);
                if stream.write_all(&response).is_err() {
                    break;
                }
            }
        }
    });
    origin
}

#[test]
fn an_unanswered_revocation_gives_up_after_the_revoke_timeout() {
    let origin = unanswering_revoker();
    let before = revoke_warnings("revoke timeout").len();
    // The default, 1 s, waited for in real time once: it is the promise.
    let client = account_client(&origin).build().unwrap();
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    let started = Instant::now();
    client.close();
    let took = started.elapsed();
    assert!(
        took >= DEFAULT_REVOKE_TIMEOUT.mul_f32(0.9) && took < Duration::from_secs(3),
        "close took {took:?}"
    );
    // A shorter one, as set on the builder.
    let client = account_client(&origin)
        .revoke_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    let started = Instant::now();
    client.close();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(900), "close took {took:?}");
    let warnings = revoke_warnings("revoke timeout");
    assert_eq!(warnings.len(), before + 2, "{warnings:?}");
    assert!(
        warnings.iter().all(|w| !w.contains("mock-access-token")),
        "{warnings:?}"
    );
}

#[test]
fn a_zero_revoke_timeout_is_refused() {
    let err = account_client("http://127.0.0.1:9")
        .revoke_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("revoke_timeout"), "{err}");
}

#[test]
fn the_cap_on_live_tokens_refuses_unclosed_clients_and_not_closed_ones() {
    let mut config = config();
    config.token_cap = 3;
    let atlas = MockAtlas::start(config).unwrap();
    for i in 0..6 {
        atlas.add_key(ORG, &key(i));
    }
    // Closed after each run: the cap is never reached.
    for i in 0..3 {
        let client = mock_client(&atlas);
        client
            .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
            .unwrap();
        client.close();
    }
    assert_eq!(atlas.stats().active_tokens, 0);
    // Left open: the fourth live token is refused, as Atlas refuses the 101st.
    let open: Vec<Client> = (0..3).map(|_| mock_client(&atlas)).collect();
    for (i, client) in open.iter().enumerate() {
        client
            .delete_org_api_key(ORG, &key(3 + i), &DeleteOptions::new())
            .unwrap();
    }
    let err = record(
        mock_client(&atlas)
            .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
            .unwrap_err(),
    );
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    let api = err.api().unwrap();
    assert_eq!(
        (api.status, api.error_code.as_deref()),
        (403, Some("access_denied"))
    );
    assert!(
        err.to_string().contains("Access Token limit reached"),
        "{err}"
    );
    let stats = atlas.stats();
    assert_eq!(
        (stats.tokens_refused, stats.active_tokens),
        (1, 3),
        "{stats:?}"
    );
    // Expired tokens make room again.
    atlas.advance_clock(Duration::from_secs(3600));
    assert_eq!(atlas.stats().active_tokens, 0);
    mock_client(&atlas)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
}
