//! Answers that are not Atlas JSON, HTTP/1.1 as servers really send it
//! (chunks, interim answers, closes, HTTP/1.0) and what becomes of the
//! connection. Faults (drops, timeouts, refusals, redirects, retries) are
//! in `faults.rs`.

mod common;

use atlas_admin::{Clock, DeleteOptions, ErrorKind};
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

fn delete(url: &str) -> atlas_admin::Error {
    client_for(url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err()
}

#[test]
fn html_error_page_is_a_clean_error() {
    let err = delete(&canned_server(http(
        "502 Bad Gateway",
        &["Content-Type: text/html"],
        b"<html><body>Bad gateway</body></html>",
    )));
    assert_eq!(err.kind(), ErrorKind::ServerError);
    let api = err.api().unwrap();
    assert_eq!(api.status, 502);
    assert_eq!(api.error_code, None);
    assert!(api.body.contains("Bad gateway"));
    assert!(
        err.to_string().starts_with("the server at 127.0.0.1:"),
        "{err}"
    );
}

#[test]
fn empty_error_body_uses_the_error_code_header() {
    let err = delete(&canned_server(http(
        "429 Too Many Requests",
        &["X-Error-Code: RATE_LIMITED_TOKEN_BUCKET", "Retry-After: 3"],
        b"",
    )));
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let api = err.api().unwrap();
    assert_eq!(api.error_code.as_deref(), Some("RATE_LIMITED_TOKEN_BUCKET"));
    assert_eq!(api.retry_after, Some(Duration::from_secs(3)));
}

#[test]
fn success_without_body_and_with_200() {
    assert!(
        client_for(&canned_server(http("200 OK", &[], b"")), PRIVATE)
            .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
            .is_ok()
    );
}

#[test]
fn broken_envelope_is_a_protocol_error() {
    let url = canned_server(http("200 OK", &[], b"<html>not an envelope</html>"));
    let err = client_for(&url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new().envelope(true))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
}

#[test]
fn error_bodies_are_read_up_to_one_mebibyte() {
    let body = vec![b'x'; 3 * 1024 * 1024];
    let err = delete(&canned_server(http(
        "500 Internal Server Error",
        &[],
        &body,
    )));
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(err.api().unwrap().body.len(), 1024 * 1024);
}

/// A clock that stands still until the test moves it.
#[derive(Debug)]
struct TestClock {
    start: Instant,
    wall_start: SystemTime,
    elapsed: Mutex<Duration>,
}

impl TestClock {
    fn new() -> Arc<Self> {
        Arc::new(TestClock {
            start: Instant::now(),
            wall_start: SystemTime::now(),
            elapsed: Mutex::new(Duration::ZERO),
        })
    }

    fn advance(&self, by: Duration) {
        *self.elapsed.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Instant {
        self.start + *self.elapsed.lock().unwrap()
    }

    fn wall(&self) -> SystemTime {
        self.wall_start + *self.elapsed.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) {
        self.advance(duration);
    }
}

/// A server on 127.0.0.1 that reads each request head and answers it with
/// `answer(n)` (n counting requests from 0): the bytes, and whether to
/// close the connection then; otherwise it keeps the connection for as
/// long as the client does. Returns its base URL, the request heads it
/// received and the connections it accepted.
fn scripted_server(
    answer: impl Fn(usize) -> (Vec<u8>, bool) + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<String>>>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let accepted = Arc::new(AtomicUsize::new(0));
    let (seen, count) = (Arc::clone(&heads), Arc::clone(&accepted));
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            let (seen, answer) = (Arc::clone(&seen), Arc::clone(&answer));
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                loop {
                    let mut head = String::new();
                    let mut line = String::new();
                    while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                        head.push_str(&line);
                        line.clear();
                    }
                    if head.is_empty() {
                        return;
                    }
                    let n = {
                        let mut seen = seen.lock().unwrap();
                        seen.push(head);
                        seen.len() - 1
                    };
                    let (bytes, close) = answer(n);
                    if writer.write_all(&bytes).is_err() || close {
                        return;
                    }
                }
            });
        }
    });
    (url, heads, accepted)
}

const NOT_FOUND: &str = r#"{"detail":"No API key with ID 6a1b2c3d4e5f6a7b8c9d0e1f exists.","error":400,"errorCode":"API_KEY_NOT_FOUND","parameters":["6a1b2c3d4e5f6a7b8c9d0e1f"],"reason":"Bad Request"}"#;

#[test]
fn chunked_answers_after_interim_ones_keep_the_connection() {
    let (url, heads, accepted) = scripted_server(|n| {
        let (first, rest) = NOT_FOUND.split_at(40);
        let chunked = format!(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\n\
             Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
             {:x};ext=1\r\n{first}\r\n{:X}\r\n{rest}\r\n0\r\nX-Trailer: t\r\n\r\n",
            first.len(),
            rest.len()
        );
        if n == 0 {
            (chunked.into_bytes(), false)
        } else {
            (b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(), false)
        }
    });
    let client = client_for(&url, PRIVATE);
    let err = client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.api().unwrap().body, NOT_FOUND);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one kept-alive connection"
    );
    assert_eq!(heads.lock().unwrap().len(), 2);
}

#[test]
fn requests_name_the_host_and_the_client_and_nothing_else() {
    let (url, heads, _) = scripted_server(|_| (b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(), false));
    client_for(&url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    let heads = heads.lock().unwrap();
    let lines: Vec<&str> = heads[0].lines().collect();
    let authority = url.trim_start_matches("http://").split('/').next().unwrap();
    assert_eq!(
        lines[..4],
        [
            format!("DELETE /api/atlas/v1.0/orgs/{ORG}/apiKeys/{KEY} HTTP/1.1").as_str(),
            format!("Host: {authority}").as_str(),
            format!("User-Agent: atlas-admin/{}", atlas_admin::VERSION).as_str(),
            "Accept: application/json",
        ],
        "{heads:?}"
    );
    assert_eq!(
        lines.len(),
        4,
        "no Authorization before a challenge: {heads:?}"
    );
}

#[test]
fn an_http_1_0_answer_or_a_close_ends_the_connection() {
    // The server would keep each connection, but the client must not.
    for (answer, close) in [
        ("HTTP/1.0 204 No Content\r\n\r\n", false),
        (
            "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
            false,
        ),
        ("HTTP/1.1 200 OK\r\n\r\nuntil the server closes", true),
    ] {
        let (url, _, accepted) = scripted_server(move |_| (answer.as_bytes().to_vec(), close));
        let client = client_for(&url, PRIVATE);
        for _ in 0..2 {
            client
                .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
                .map_err(record)
                .unwrap();
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 2, "{answer}");
    }
}

#[test]
fn garbage_and_broken_framing_are_protocol_errors() {
    for answer in [
        &b"SSH-2.0-OpenSSH_9.6\r\n\r\n"[..],
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        b"HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
        b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ] {
        let err = delete(&canned_server(answer.to_vec()));
        assert_eq!(
            err.kind(),
            ErrorKind::Protocol,
            "{}: {err}",
            String::from_utf8_lossy(answer)
        );
    }
    let truncated = delete(&canned_server(
        b"HTTP/1.1 500 Oops\r\nContent-Length: 100\r\n\r\nshort".to_vec(),
    ));
    assert_eq!(
        truncated.transport_kind(),
        Some(atlas_admin::TransportKind::Io),
        "{truncated}"
    );
}

/// A server that answers each connection's first request with 204, as if
/// it would keep the connection, and then closes it, saying so on
/// `closed`. Returns its base URL and a count of the connections it
/// accepted.
fn closing_server() -> (String, Arc<AtomicUsize>, mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    let (tell, closed) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
            drop((reader, stream));
            let _ = tell.send(());
        }
    });
    (url, accepted, closed)
}

#[test]
fn an_idle_connection_the_server_closed_is_not_reused() {
    let (url, accepted, closed) = closing_server();
    let clock = TestClock::new();
    let client = retrying_client(&url, atlas_admin::RetryPolicy::none())
        .clock(clock.clone())
        .build()
        .unwrap();
    for _ in 0..2 {
        client
            .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
            .map_err(record)
            .unwrap();
        // The server has closed its end (its FIN is sent as it closes);
        // longer than the client reuses a connection without probing it
        // passes on the client's clock, not in real time.
        closed.recv().unwrap();
        clock.advance(Duration::from_millis(1200));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[test]
fn a_connection_closed_right_after_its_answer_costs_one_retry() {
    let (url, accepted, _closed) = closing_server();
    let client = retrying_client(
        &url,
        atlas_admin::RetryPolicy::new().base_delay(Duration::from_millis(1)),
    )
    .build()
    .unwrap();
    for _ in 0..2 {
        client
            .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
            .map_err(record)
            .unwrap();
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}
