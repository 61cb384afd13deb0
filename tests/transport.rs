//! Transport failures and answers that are not Atlas JSON.

mod common;

use atlas_admin::{DeleteOptions, ErrorKind, TransportKind};
use atlas_admin_mock::Fault;
use common::*;
use std::net::TcpListener;
use std::time::{Duration, Instant};

fn delete(url: &str) -> atlas_admin::Error {
    client_for(url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err()
}

#[test]
fn refused_connection_says_so() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = delete(&format!("http://127.0.0.1:{port}/api/atlas/v1.0"));
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Connect),
        "{err:?}"
    );
}

#[test]
fn silent_server_times_out_on_time() {
    let url = silent_server();
    let client = retrying_client(&url, atlas_admin::RetryPolicy::none())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn dropped_connection_is_a_transport_error() {
    let atlas = mock();
    atlas.inject(Fault::Drop, 1);
    let err = client(&atlas)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(atlas.has_key(ORG, KEY));
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
fn redirect_is_reported_not_followed() {
    let err = delete(&canned_server(http(
        "302 Found",
        &["Location: http://127.0.0.2:1/elsewhere"],
        b"",
    )));
    assert_eq!(err.kind(), ErrorKind::HttpError);
    assert_eq!(err.api().unwrap().status, 302);
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
