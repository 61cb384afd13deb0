//! Answers that are not Atlas JSON. Faults (drops, timeouts, refusals,
//! redirects, retries) are in `faults.rs`.

mod common;

use atlas_admin::{DeleteOptions, ErrorKind};
use common::*;
use std::time::Duration;

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

/// A server that answers each connection's first request with 204, as if
/// it would keep the connection, and then closes it. Returns its base URL
/// and a count of the connections it accepted.
fn closing_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
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
        }
    });
    (url, accepted)
}

#[test]
fn an_idle_connection_the_server_closed_is_not_reused() {
    use std::sync::atomic::Ordering;
    let (url, accepted) = closing_server();
    let client = client_for(&url, PRIVATE);
    for _ in 0..2 {
        client
            .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
            .map_err(record)
            .unwrap();
        // Longer than the client reuses a connection without probing it.
        std::thread::sleep(Duration::from_millis(1200));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[test]
fn a_connection_closed_right_after_its_answer_costs_one_retry() {
    use std::sync::atomic::Ordering;
    let (url, accepted) = closing_server();
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
