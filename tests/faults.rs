//! The fault-injection suite: each fault the client must survive or report,
//! with the outcome and the request counts that prove the behaviour. Every
//! error and log line goes to the secret scan (`scripts/check-secrets`).

mod common;

use atlas_admin::{DeleteOptions, Error, ErrorKind, RetryPolicy, TransportKind};
use atlas_admin_mock::Fault;
use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(3)
        .base_delay(Duration::from_millis(50))
        .budget(Duration::from_secs(10))
}

fn delete_with(
    base_url: &str,
    policy: RetryPolicy,
    key_id: &str,
) -> Result<atlas_admin::Deleted, Error> {
    retrying_client(base_url, policy)
        .build()
        .unwrap()
        .delete_org_api_key(ORG, key_id, &DeleteOptions::new())
        .map_err(record)
}

#[test]
fn dropped_connection_then_success() {
    let atlas = mock();
    atlas.inject(Fault::Drop, 1);
    let err = delete_with(&atlas.base_url(), RetryPolicy::none(), KEY).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "without retries: {err}");
    assert!(atlas.has_key(ORG, KEY));

    atlas.inject(Fault::Drop, 1);
    delete_with(&atlas.base_url(), policy(), KEY).unwrap();
    let stats = atlas.stats();
    assert!(!atlas.has_key(ORG, KEY));
    assert_eq!(
        (stats.faults, stats.requests, stats.challenges),
        (2, 4, 1),
        "{stats:?}"
    );
}

#[test]
fn two_503s_then_success() {
    let atlas = mock();
    atlas.inject(Fault::status(503), 2);
    delete_with(&atlas.base_url(), policy(), KEY).unwrap();
    let stats = atlas.stats();
    assert_eq!(
        (stats.faults, stats.deleted, stats.requests),
        (2, 1, 4),
        "{stats:?}"
    );
}

#[test]
fn retry_after_one_second_is_waited() {
    let atlas = mock();
    atlas.inject(Fault::status_retry_after(429, 1), 1);
    let started = Instant::now();
    delete_with(&atlas.base_url(), policy(), KEY).unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(atlas.stats().faults, 1);
}

#[test]
fn rate_limited_forever_gives_up_after_the_configured_attempts() {
    let atlas = mock();
    atlas.inject(Fault::status(429), 100);
    let budget = Duration::from_secs(5);
    let started = Instant::now();
    let err = delete_with(
        &atlas.base_url(),
        policy().max_retries(2).budget(budget),
        KEY,
    )
    .unwrap_err();
    println!("429 forever: {err} after {:?}", started.elapsed());
    assert!(started.elapsed() < budget);
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.api().unwrap().attempts, 3);
    assert_eq!(atlas.stats().requests, 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[test]
fn retry_after_beyond_the_budget_gives_up_at_once() {
    let atlas = mock();
    atlas.inject(Fault::status_retry_after(503, 120), 1);
    let started = Instant::now();
    let err = delete_with(&atlas.base_url(), policy(), KEY).unwrap_err();
    // Exactly no wait is proved with a fake clock in src/transport/timing_tests.rs.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(
        err.api().unwrap().retry_after,
        Some(Duration::from_secs(120))
    );
}

#[test]
fn client_errors_are_never_retried() {
    for status in [400, 403, 404] {
        let atlas = mock();
        atlas.inject(Fault::status(status), 5);
        let err = delete_with(&atlas.base_url(), policy(), KEY).unwrap_err();
        assert_eq!(err.api().unwrap().status, status);
        assert_eq!(atlas.stats().requests, 1, "{status} was retried");
    }
}

#[test]
fn wrong_password_is_unauthorized_after_exactly_two_requests() {
    let atlas = mock();
    let err = retrying_client(&atlas.base_url(), policy())
        .digest_credentials(PUBLIC, "ffffffff-0000-4000-8000-wrongprivate")
        .build()
        .unwrap()
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(atlas.stats().requests, 2);
}

#[test]
fn retries_switched_off() {
    let atlas = mock();
    atlas.inject(Fault::status(503), 1);
    let err = delete_with(&atlas.base_url(), RetryPolicy::none(), KEY).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(atlas.stats().requests, 1);
}

#[test]
fn lost_answer_then_not_found_says_the_key_is_probably_gone() {
    let atlas = mock();
    atlas.add_key(ORG, &key(1));
    let client = retrying_client(&atlas.base_url(), policy())
        .build()
        .unwrap();
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .unwrap();
    atlas.inject(Fault::LoseAnswer, 1);
    let err = client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
        .unwrap_err();
    assert!(!atlas.has_key(ORG, KEY), "the first attempt deleted it");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.api().unwrap().earlier_attempt_may_have_succeeded);
    assert!(
        err.to_string().contains("may already have succeeded"),
        "{err}"
    );

    atlas.add_key(ORG, &key(2));
    atlas.inject(Fault::LoseAnswer, 1);
    client
        .delete_org_api_key(ORG, &key(2), &DeleteOptions::new().missing_ok(true))
        .unwrap();
    assert!(!atlas.has_key(ORG, &key(2)));
}

#[test]
fn silent_server_times_out_within_the_budget() {
    let url = silent_server();
    let budget = Duration::from_secs(2);
    let client = retrying_client(&url, policy().budget(budget))
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
        .unwrap_err();
    let elapsed = started.elapsed();
    println!("silent server: {err} after {elapsed:?}");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(elapsed < budget + Duration::from_secs(5), "{elapsed:?}");
    assert!(err.attempts() > 1, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("gave up after {} attempts", err.attempts())),
        "{err}"
    );
}

/// A server that sends a status line and headers, then one body byte at a
/// time for as long as the client reads, moving `clock` 100 ms on before
/// each: the client's deadline, read from that clock, passes while every
/// read still gets bytes, so only a deadline for the whole exchange (not
/// one per read) ends the call before the 100,000-byte body does.
fn trickling_server(clock: Arc<atlas_admin_mock::MockClock>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let clock = Arc::clone(&clock);
            thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let head = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100000\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                loop {
                    clock.advance(Duration::from_millis(100));
                    if stream.write_all(b"x").is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

#[test]
fn trickling_server_times_out_on_time() {
    let clock = Arc::new(atlas_admin_mock::MockClock::new());
    let url = trickling_server(Arc::clone(&clock));
    let client = retrying_client(&url, policy())
        .timeout(Duration::from_secs(1))
        .clock(Arc::new(MockTime(clock)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
        .unwrap_err();
    println!("trickling server: {err} after {:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn redirect_is_reported_and_credentials_stay_home() {
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    let elsewhere_addr = elsewhere.local_addr().unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let location = format!("http://{elsewhere_addr}/api/atlas/v1.0/orgs/{ORG}/apiKeys/{KEY}");
    let redirecting = redirect_after_challenge(&location);
    let err = delete_with(&redirecting, policy(), KEY).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpError);
    assert_eq!(err.api().unwrap().status, 307);
    assert_eq!(
        err.api().unwrap().location.as_deref(),
        Some(location.as_str())
    );
    assert!(err.to_string().contains("not followed"), "{err}");
    assert!(
        elsewhere.accept().is_err(),
        "nothing may connect to the redirect target"
    );
}

/// A server that challenges the first request and answers every later one
/// with `307 Temporary Redirect` to `location`.
fn redirect_after_challenge(location: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let location = location.to_owned();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (seen, location) = (Arc::clone(&seen), location.clone());
            thread::spawn(move || serve_redirects(stream, &seen, &location));
        }
    });
    url
}

fn serve_redirects(mut stream: TcpStream, seen: &AtomicUsize, location: &str) {
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            return;
        }
        let response = if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            http(
                "401 Unauthorized",
                &["WWW-Authenticate: Digest realm=\"MMS Public API\", nonce=\"n\", qop=\"auth\", algorithm=MD5"],
                b"",
            )
        } else {
            http(
                "307 Temporary Redirect",
                &[&format!("Location: {location}")],
                b"",
            )
        };
        if stream.write_all(&response).is_err() {
            return;
        }
    }
}

#[test]
fn oversized_response_head_is_a_protocol_error() {
    let huge = format!("X-Padding: {}", "a".repeat(100 * 1024));
    let url = canned_server(http("200 OK", &[&huge], b""));
    let err = delete_with(&url, policy(), KEY).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
}

#[test]
fn refused_connections_are_retried_then_reported() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let err = delete_with(
        &format!("http://127.0.0.1:{port}/api/atlas/v1.0"),
        policy(),
        KEY,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Connect),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 4, "max_retries(3) + 1");
    assert!(
        err.to_string().contains("gave up after 4 attempts"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn connect_timeout_is_honoured() {
    // A listener that never accepts: once its accept queue is full the
    // kernel drops further SYNs, so a new connection hangs in connect.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let mut backlog = Vec::new();
    while let Ok(stream) = TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
        backlog.push(stream);
        assert!(backlog.len() < 10_000, "the accept queue never filled");
    }
    let client = retrying_client(
        &format!("http://{address}/api/atlas/v1.0"),
        RetryPolicy::none(),
    )
    .connect_timeout(Duration::from_millis(500))
    .build()
    .unwrap();
    let started = Instant::now();
    let err = client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
        .unwrap_err();
    println!("hanging connect: {err} after {:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("connect"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop(listener);
}
