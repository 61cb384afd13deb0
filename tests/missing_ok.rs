//! `missing_ok` accepts only Atlas' own word that the key does not exist.
//! Deleting a key is how a leaked one is revoked: a 404 from whatever else
//! answered (a wrong base URL, a proxy, a load balancer) must not pass for
//! success while the key stays alive.

mod common;

use atlas_admin::{DeleteOptions, Error, ErrorKind, TransportKind};
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

const HTML_404: &[u8] = b"<html><body><h1>404 Not Found</h1></body></html>";

fn missing_ok() -> DeleteOptions {
    DeleteOptions::new().missing_ok(true)
}

/// `host:port` of a base URL, as the error names the server.
fn server_of(base_url: &str) -> &str {
    let authority = base_url.strip_prefix("http://").unwrap();
    &authority[..authority.find('/').unwrap()]
}

/// Deletes with `missing_ok` through a server that is not Atlas and checks
/// the failure names that server and says what to check.
fn refused_as_not_atlas(base_url: &str) -> Error {
    let err = client_for(base_url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &missing_ok())
        .map_err(record)
        .expect_err("a 404 that is not Atlas' must not count as deleted");
    assert_eq!(err.kind(), ErrorKind::HttpError, "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "the server at {} answered HTTP",
            server_of(base_url)
        )),
        "{message}"
    );
    assert!(
        message.contains("base URL") && message.contains("proxy"),
        "{message}"
    );
    err
}

#[test]
fn an_html_404_is_not_atlas_saying_the_key_is_gone() {
    let url = canned_server(http(
        "404 Not Found",
        &["Content-Type: text/html"],
        HTML_404,
    ));
    let err = refused_as_not_atlas(&url);
    assert_eq!(err.api().unwrap().status, 404);
}

#[test]
fn an_empty_404_is_not_atlas_saying_the_key_is_gone() {
    refused_as_not_atlas(&canned_server(http("404 Not Found", &[], b"")));
}

#[test]
fn an_error_code_header_on_a_page_that_is_not_atlas_json_does_not_count() {
    let url = canned_server(http(
        "400 Bad Request",
        &["X-Error-Code: API_KEY_NOT_FOUND", "Content-Type: text/html"],
        HTML_404,
    ));
    refused_as_not_atlas(&url);
}

#[test]
fn atlas_json_with_another_error_code_is_not_a_missing_key() {
    let body = br#"{"detail":"Cannot find resource /api/atlas/v1.0/x.","error":404,"errorCode":"RESOURCE_NOT_FOUND","parameters":[],"reason":"Not Found"}"#;
    let url = canned_server(http(
        "404 Not Found",
        &["Content-Type: application/json"],
        body,
    ));
    let err = client_for(&url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &missing_ok())
        .map_err(record)
        .unwrap_err();
    // Atlas serving no such path says nothing about the key: not NotFound,
    // and the message names the URL tried and the base URL to check.
    assert_eq!(err.kind(), ErrorKind::HttpError);
    assert_eq!(
        err.api().unwrap().error_code.as_deref(),
        Some("RESOURCE_NOT_FOUND")
    );
    let message = err.to_string();
    assert!(message.starts_with("Atlas answered HTTP 404"), "{message}");
    assert!(
        message.contains(&format!("no such path as {url}/orgs/{ORG}/apiKeys/{KEY}"))
            && message.contains("check the base URL"),
        "{message}"
    );
}

#[test]
fn a_wrong_base_url_prefix_on_atlas_is_not_a_missing_key() {
    let atlas = mock();
    let wrong = format!("{}/wrong/api/atlas/v1.0", atlas.origin());
    let err = client_for(&wrong, PRIVATE)
        .delete_org_api_key(ORG, KEY, &missing_ok())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpError, "{err}");
    assert_eq!(
        err.api().unwrap().error_code.as_deref(),
        Some("RESOURCE_NOT_FOUND")
    );
    assert!(
        err.to_string()
            .contains(&format!("{wrong}/orgs/{ORG}/apiKeys/{KEY}")),
        "{err}"
    );
    assert!(atlas.has_key(ORG, KEY));
}

/// A proxy on 127.0.0.1 that answers every request itself with `response`:
/// a CONNECT is accepted (200) and the request tunnelled through it gets
/// `response`, as a misconfigured or intercepting proxy might; with
/// `refuse_connect`, the CONNECT itself gets `response`. Returns the proxy's
/// URL and the request lines it received.
fn answering_proxy(response: Vec<u8>, refuse_connect: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = serve_as_proxy(stream, &response, refuse_connect, &log);
        }
    });
    (url, seen)
}

fn serve_as_proxy(
    stream: TcpStream,
    response: &[u8],
    refuse_connect: bool,
    seen: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut header = String::new();
        while reader.read_line(&mut header)? > 0 && header != "\r\n" {
            header.clear();
        }
        seen.lock()
            .unwrap()
            .push(request_line.trim_end().to_owned());
        if request_line.starts_with("CONNECT ") && !refuse_connect {
            writer.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
            continue;
        }
        writer.write_all(response)?;
        return writer.flush();
    }
}

/// A base URL where nothing listens: only the proxy can answer for it.
const UNREACHABLE: &str = "http://127.0.0.1:9/api/atlas/v1.0";

fn delete_through(proxy: &str) -> Result<atlas_admin::Deleted, Error> {
    retrying_client(UNREACHABLE, atlas_admin::RetryPolicy::none())
        .proxy(atlas_admin::ProxyConfig::Url(proxy.to_owned()))
        .build()
        .unwrap()
        .delete_org_api_key(ORG, KEY, &missing_ok())
        .map_err(record)
}

#[test]
fn a_proxy_answering_404_itself_is_not_atlas_saying_the_key_is_gone() {
    let (proxy, seen) = answering_proxy(http("404 Not Found", &[], HTML_404), false);
    let err = delete_through(&proxy).expect_err("the proxy's 404 must not count as deleted");
    assert_eq!(err.kind(), ErrorKind::HttpError, "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with("the server at 127.0.0.1:9 answered HTTP 404")
            && message.contains("proxy"),
        "{message}"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0], "CONNECT 127.0.0.1:9 HTTP/1.1", "{seen:?}");
    assert!(
        seen[1].starts_with("DELETE /api/atlas/v1.0/orgs/"),
        "{seen:?}"
    );
}

#[test]
fn a_proxy_refusing_the_tunnel_with_404_is_a_proxy_error() {
    let (proxy, seen) = answering_proxy(http("404 Not Found", &[], HTML_404), true);
    let err = delete_through(&proxy).expect_err("the proxy's 404 must not count as deleted");
    assert_eq!(err.transport_kind(), Some(TransportKind::Proxy), "{err}");
    assert!(err.to_string().contains("proxy"), "{err}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn atlas_saying_api_key_not_found_is_success() {
    let atlas = mock();
    let client = client(&atlas);
    for options in [missing_ok(), missing_ok().envelope(true).pretty(true)] {
        let done = client.delete_org_api_key(ORG, &key(7), &options).unwrap();
        // Told apart from a real delete, for an audit.
        assert!(done.already_gone && !done.earlier_attempt_may_have_succeeded);
        assert_eq!((done.status, done.attempts), (400, 1));
    }
    assert_eq!(atlas.stats().deleted, 0);
    let done = client.delete_org_api_key(ORG, KEY, &missing_ok()).unwrap();
    assert!(!done.already_gone);
    assert_eq!((done.status, done.attempts), (204, 1));
}

#[test]
fn a_key_gone_after_a_lost_answer_says_this_call_may_have_deleted_it() {
    let atlas = mock();
    let client = retrying_client(&atlas.base_url(), atlas_admin::RetryPolicy::new())
        .digest_credentials(PUBLIC, PRIVATE)
        .build()
        .unwrap();
    client
        .delete_org_api_key(ORG, &key(8), &missing_ok())
        .unwrap();
    atlas.add_key(ORG, &key(9));
    atlas.inject(atlas_admin_mock::Fault::LoseAnswer, 1);
    let done = client
        .delete_org_api_key(ORG, &key(9), &missing_ok())
        .unwrap();
    assert!(
        done.already_gone && done.earlier_attempt_may_have_succeeded,
        "{done:?}"
    );
    assert_eq!(done.attempts, 2);
    assert!(!atlas.has_key(ORG, &key(9)));
}

#[test]
fn api_key_not_found_in_an_envelope_is_atlas_json_too() {
    let body = br#"{"status":400,"content":{"detail":"No API key with ID 6a1b2c3d4e5f6a7b8c9d0e1f exists.","error":400,"errorCode":"API_KEY_NOT_FOUND","parameters":["6a1b2c3d4e5f6a7b8c9d0e1f"],"reason":"Bad Request"}}"#;
    let url = canned_server(http("200 OK", &["Content-Type: application/json"], body));
    client_for(&url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &missing_ok().envelope(true))
        .unwrap();
    let html = canned_server(http(
        "200 OK",
        &[],
        br#"{"status":404,"content":"<html>Not Found</html>"}"#,
    ));
    let err = client_for(&html, PRIVATE)
        .delete_org_api_key(ORG, KEY, &missing_ok().envelope(true))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpError, "{err}");
    assert!(err.to_string().contains("the server at"), "{err}");
}
