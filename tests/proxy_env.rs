//! Proxies from the environment (ALL_PROXY, NO_PROXY), turning them off,
//! and proxies named explicitly (tunnels, credentials, refusals). In its
//! own binary: one test changes the process environment (the others name
//! their proxy, which the environment cannot override).

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

fn through(base_url: &str, proxy: &str) -> Result<(), atlas_admin::Error> {
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
