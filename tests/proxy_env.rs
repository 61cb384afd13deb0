//! Proxies from the environment (ALL_PROXY, NO_PROXY), turning them off,
//! and proxies named explicitly (tunnels, credentials, refusals, a proxy
//! that hangs), with in-process fakes; `tinyproxy.rs` has a real proxy. In
//! its own binary: one test changes the process environment (the others
//! name their proxy, which the environment cannot override).

mod common;
mod tunnel;

use atlas_admin::{DeleteOptions, ErrorKind, ProxyConfig, RetryPolicy, TransportKind};
use common::*;

/// A base URL on a port nothing listens on: reaching it directly fails to connect.
const UNREACHABLE: &str = "http://127.0.0.1:9/api/atlas/v1.0";

fn delete_via(proxy: ProxyConfig) -> atlas_admin::Error {
    retrying_client(UNREACHABLE, RetryPolicy::none())
        .proxy(proxy)
        .build()
        .unwrap()
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err()
}

#[test]
fn environment_proxies_are_honoured_and_can_be_refused() {
    // The mock is not a proxy: it refuses the CONNECT, and counts it.
    let atlas = mock();
    std::env::set_var("ALL_PROXY", atlas.origin());

    let err = delete_via(ProxyConfig::Environment);
    assert_eq!(err.transport_kind(), Some(TransportKind::Proxy), "{err:?}");
    assert_eq!(atlas.stats().requests, 1, "the request went to the proxy");

    std::env::set_var("NO_PROXY", "example.com, 127.0.0.1");
    let err = delete_via(ProxyConfig::Environment);
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Connect),
        "{err:?}"
    );
    std::env::remove_var("NO_PROXY");

    let err = delete_via(ProxyConfig::Disabled);
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Connect),
        "{err:?}"
    );
    assert_eq!(
        atlas.stats().requests,
        1,
        "no request reached the proxy since"
    );
    std::env::remove_var("ALL_PROXY");
}

fn through(base_url: &str, proxy: &str) -> Result<atlas_admin::Deleted, atlas_admin::Error> {
    retrying_client(base_url, RetryPolicy::none())
        .proxy(ProxyConfig::Url(proxy.to_owned()))
        .build()
        .unwrap()
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
}

#[test]
fn a_tunnel_carries_plain_http_with_the_proxy_s_credentials() {
    let atlas = mock();
    let (proxy, connects) = tunnel::connect_proxy(Some("al@ice:s3cr:t"));
    through(
        &atlas.base_url(),
        &format!("http://al%40ice:s3cr%3At@{proxy}"),
    )
    .unwrap();
    assert!(!atlas.has_key(ORG, KEY));
    let connects = connects.lock().unwrap();
    let target = format!("127.0.0.1:{}", atlas.port());
    assert!(
        connects[0].starts_with(&format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n")),
        "{connects:?}"
    );
}

#[test]
fn a_proxy_wanting_credentials_is_a_proxy_error_that_says_so() {
    let atlas = mock();
    let (proxy, _) = tunnel::connect_proxy(Some("user:right"));
    for url in [
        format!("http://{proxy}"),
        format!("http://user:wrong@{proxy}"),
    ] {
        let err = through(&atlas.base_url(), &url).unwrap_err();
        assert_eq!(err.transport_kind(), Some(TransportKind::Proxy), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("407") && message.contains("credentials"),
            "{message}"
        );
        assert!(!message.contains("wrong"), "{message}");
    }
    assert_eq!(atlas.stats().requests, 0);
}

#[test]
fn only_http_proxies_are_taken() {
    for url in ["socks5://127.0.0.1:1080", "https://u:hunter2@proxy:443"] {
        let err = retrying_client(UNREACHABLE, RetryPolicy::none())
            .proxy(ProxyConfig::Url(url.to_owned()))
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        let message = err.to_string();
        assert!(
            message.contains("proxies are not supported")
                && message.contains("http://proxy.example.com:3128")
                && !message.contains("hunter2"),
            "{message}"
        );
    }
}

/// A delete through the explicit proxy at `address`, given `connect_timeout`
/// for reaching it and for its answer to the CONNECT, with `retries`.
fn delete_through_slow(address: &str, retries: u32) -> atlas_admin::Error {
    retrying_client(
        UNREACHABLE,
        RetryPolicy::new()
            .max_retries(retries)
            .base_delay(std::time::Duration::from_millis(1)),
    )
    .connect_timeout(std::time::Duration::from_millis(300))
    .proxy(ProxyConfig::Url(format!("http://{address}")))
    .build()
    .unwrap()
    .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
    .map_err(record)
    .unwrap_err()
}

#[test]
fn a_proxy_that_does_not_answer_the_connect_is_named_and_retried() {
    let silent = silent_server();
    let address = silent
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap();
    let err = delete_through_slow(address, 1);
    assert_eq!(err.transport_kind(), Some(TransportKind::Proxy), "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "proxy failed: the proxy {address} (set explicitly) did not answer the CONNECT to \
             127.0.0.1:9: no answer came within 0.3 s (the connect timeout); check that the \
             proxy is up"
        )),
        "{message}"
    );
    assert!(!message.contains("base URL"), "{message}");
    assert_eq!(err.attempts(), 2, "{message}");
}

#[test]
fn a_proxy_whose_connections_hang_is_named_when_the_connect_timeout_expires() {
    // A listener that never accepts: once its accept queue is full the
    // kernel drops further SYNs, so a new connection hangs in connect.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let mut backlog = Vec::new();
    while let Ok(stream) =
        std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_millis(200))
    {
        backlog.push(stream);
        assert!(backlog.len() < 10_000, "the accept queue never filled");
    }
    let err = delete_through_slow(&address.to_string(), 0);
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(err.transport_kind(), Some(TransportKind::Proxy), "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "proxy failed: could not connect to the proxy {address} (set explicitly): it did \
             not answer within 0.3 s (the connect timeout); check that the proxy is up"
        )),
        "{message}"
    );
    assert!(!message.contains("base URL"), "{message}");
    drop(listener);
}
