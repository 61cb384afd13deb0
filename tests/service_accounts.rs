//! Service accounts: the token request, one token shared by every thread,
//! renewal before expiry and after a refusal, and errors that speak of the
//! service account.

mod common;

use atlas_admin::{Client, DeleteOptions, ErrorKind, RetryPolicy};
use atlas_admin_mock::{Fault, MockAtlas};
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

fn account_client(atlas: &MockAtlas, secret: &str, retry: RetryPolicy) -> Client {
    capture_logs();
    Client::builder()
        .base_url(atlas.base_url())
        .service_account(CLIENT_ID, secret)
        .retry(retry)
        .timeout(Duration::from_secs(5))
        .clock(Arc::new(MockTime(atlas.clock())))
        .build()
        .unwrap()
}

#[test]
fn one_token_serves_every_delete() {
    let atlas = mock();
    let client = account_client(&atlas, CLIENT_SECRET, RetryPolicy::none());
    for i in 0..10 {
        atlas.add_key(ORG, &key(i));
        client
            .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
            .unwrap();
    }
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.tokens_issued,
            stats.token_requests,
            stats.bearer_authenticated
        ),
        (1, 1, 10),
        "{stats:?}"
    );
    assert_eq!((stats.requests, stats.challenges), (11, 0), "{stats:?}");
    let token_request = &atlas.recent_requests()[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(token_request.target, "/api/oauth/token");
    assert_eq!(token_request.auth_scheme.as_deref(), Some("Basic"));
    assert_eq!(
        token_request.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert!(atlas.recent_requests()[1..]
        .iter()
        .all(|r| r.auth_scheme.as_deref() == Some("Bearer")));
}

#[test]
fn sixteen_threads_starting_together_fetch_one_token() {
    let atlas = mock();
    let client = account_client(&atlas, CLIENT_SECRET, RetryPolicy::none());
    (0..64).for_each(|i| atlas.add_key(ORG, &key(i)));
    let start = Barrier::new(16);
    std::thread::scope(|s| {
        for t in 0..16 {
            let (client, start) = (&client, &start);
            s.spawn(move || {
                start.wait();
                for i in t * 4..t * 4 + 4 {
                    client
                        .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
                        .unwrap();
                }
            });
        }
    });
    let stats = atlas.stats();
    assert_eq!((stats.tokens_issued, stats.deleted), (1, 64), "{stats:?}");
}

#[test]
fn a_token_is_replaced_before_it_expires() {
    let mut config = config();
    config.token_lifetime_secs = 2;
    let atlas = MockAtlas::start(config).unwrap();
    let client = account_client(&atlas, CLIENT_SECRET, RetryPolicy::none());
    atlas.add_key(ORG, &key(1));
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    // Lifetimes under two minutes are renewed halfway: after 1 s here.
    atlas.advance_clock(Duration::from_millis(1200));
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .unwrap();
    let stats = atlas.stats();
    assert_eq!(
        (stats.tokens_issued, stats.bearer_rejected),
        (2, 0),
        "{stats:?}"
    );
}

#[test]
fn a_refused_token_is_fetched_again_once() {
    let atlas = mock();
    let client = account_client(&atlas, CLIENT_SECRET, RetryPolicy::none());
    atlas.add_key(ORG, &key(1));
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    atlas.revoke_tokens();
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .unwrap();
    let stats = atlas.stats();
    assert_eq!(
        (stats.tokens_issued, stats.bearer_rejected, stats.deleted),
        (2, 1, 2),
        "{stats:?}"
    );
}

#[test]
fn a_rate_limited_token_request_is_retried() {
    let atlas = mock();
    let client = account_client(
        &atlas,
        CLIENT_SECRET,
        RetryPolicy::new().base_delay(Duration::from_millis(10)),
    );
    atlas.inject(Fault::status(429), 1);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    let stats = atlas.stats();
    assert_eq!(
        (stats.token_requests, stats.tokens_issued, stats.deleted),
        (2, 1, 1),
        "{stats:?}"
    );
}

#[test]
fn a_wrong_secret_is_unauthorized_about_the_service_account() {
    let atlas = mock();
    let wrong = "mdb_sa_sk_ffffffff-wrong-secret";
    let client = account_client(&atlas, wrong, RetryPolicy::new());
    let err = record(
        client
            .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
            .unwrap_err(),
    );
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    let message = err.to_string();
    assert!(
        message.contains("token endpoint") && message.contains("client ID and secret"),
        "{message}"
    );
    assert!(!message.contains("public and private key"), "{message}");
    assert!(!message.contains(wrong) && !format!("{err:?}").contains(wrong));
    let api = err.api().unwrap();
    assert_eq!(
        (api.status, api.error_code.as_deref(), api.attempts),
        (401, Some("invalid_client"), 1)
    );
    assert_eq!(atlas.stats().token_requests, 1, "a 401 is not retried");
    assert!(atlas.has_key(ORG, KEY));
}

/// A server whose token endpoint grants tokens that its API then refuses.
fn refusing_server() -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let (tokens, refusals) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let counters = (Arc::clone(&tokens), Arc::clone(&refusals));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                head.push_str(&line);
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let response = if head.starts_with("POST /api/oauth/token") {
                counters.0.fetch_add(1, Ordering::SeqCst);
                http(
                    "200 OK",
                    &["Content-Type: application/json"],
                    br#"{"access_token":"mock-access-token-refused","token_type":"Bearer","expires_in":3600}"#,
                )
            } else {
                counters.1.fetch_add(1, Ordering::SeqCst);
                http(
                    "401 Unauthorized",
                    &[],
                    br#"{"error":401,"reason":"Unauthorized"}"#,
                )
            };
            let _ = stream.write_all(&response);
        }
    });
    (origin, tokens, refusals)
}

#[test]
fn a_cached_token_refused_is_renewed_once_and_a_fresh_one_refused_is_final() {
    let (origin, tokens, refusals) = refusing_server();
    capture_logs();
    let client = Client::builder()
        .host(origin)
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    let count = || {
        (
            tokens.load(Ordering::SeqCst),
            refusals.load(Ordering::SeqCst),
        )
    };
    for (attempt, expected) in [(1, (1, 1)), (2, (2, 3))] {
        let err = record(
            client
                .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
                .unwrap_err(),
        );
        assert_eq!(err.kind(), ErrorKind::Unauthorized);
        assert!(err.to_string().contains("service account"), "{err}");
        assert!(!err.to_string().contains("mock-access-token"), "{err}");
        // First call: its token came fresh from the endpoint, so one
        // refusal is final. Second call: the cached token's refusal earns
        // one new token, whose refusal is final.
        assert_eq!(count(), expected, "call {attempt}");
    }
}
