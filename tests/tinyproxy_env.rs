//! Proxies from the environment, against a real one (Debian's tinyproxy,
//! started by `scripts/tinyproxy`): `HTTPS_PROXY` is honoured for an
//! HTTPS base URL and `http_proxy` for a plain one, `NO_PROXY` bypasses
//! them, and a dead proxy is named with the variable it came from. In its
//! own binary, as one test: a client reads the process environment when it
//! is built, which no other test may change meanwhile.

mod common;
mod real_proxy;
mod tunnel;

use atlas_admin::{DeleteOptions, Error, ErrorKind, RetryPolicy, TransportKind};
use common::*;
use real_proxy::{dead_port, Tinyproxy, TlsAtlas, PROXY_PASSWORD};
use std::path::Path;

const VARIABLES: [&str; 8] = [
    "HTTPS_PROXY",
    "https_proxy",
    "http_proxy",
    "HTTP_PROXY",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// A delete through whatever proxy the environment names (the client's
/// default), trusting `ca_bundle` if any, without retries.
fn delete(
    base_url: &str,
    ca_bundle: Option<&Path>,
    key: &str,
) -> Result<atlas_admin::Deleted, Error> {
    let mut builder = retrying_client(base_url, RetryPolicy::none());
    if let Some(path) = ca_bundle {
        builder.ca_bundle(path);
    }
    builder
        .build()
        .expect("client builds")
        .delete_org_api_key(ORG, key, &DeleteOptions::new())
        .map_err(record)
}

#[test]
fn environment_proxies_are_honoured_bypassed_and_named_when_dead() {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
    let tls = TlsAtlas::start("env");
    let atlas = &tls.atlas;
    let plain = format!("127.0.0.1:{}", atlas.port());
    let Some(proxy) = Tinyproxy::allowing(&[tls.port(), atlas.port()]) else {
        return;
    };
    (1..=3).for_each(|i| atlas.add_key(ORG, &key(i)));

    std::env::set_var("HTTPS_PROXY", &proxy.url);
    delete(&tls.base_url(), Some(&tls.ca_bundle), KEY).unwrap();
    assert_eq!(proxy.connects_to(&tls.authority()), 1, "{}", proxy.log());

    std::env::set_var("NO_PROXY", "example.com, 127.0.0.1");
    delete(&tls.base_url(), Some(&tls.ca_bundle), &key(1)).unwrap();
    assert_eq!(
        proxy.connects_to(&tls.authority()),
        1,
        "NO_PROXY bypasses the proxy: {}",
        proxy.log()
    );
    std::env::remove_var("NO_PROXY");

    // HTTPS_PROXY is for https only; a plain base URL takes http_proxy.
    delete(&atlas.base_url(), None, &key(2)).unwrap();
    assert_eq!(proxy.connects_to(&plain), 0, "{}", proxy.log());
    std::env::set_var("http_proxy", &proxy.url);
    delete(&atlas.base_url(), None, &key(3)).unwrap();
    assert_eq!(proxy.connects_to(&plain), 1, "{}", proxy.log());
    std::env::remove_var("http_proxy");
    std::env::remove_var("HTTPS_PROXY");
    assert!((1..=3).all(|i| !atlas.has_key(ORG, &key(i))));

    let port = dead_port();
    let dead = format!("http://proxy-user:{PROXY_PASSWORD}@127.0.0.1:{port}");
    for (name, base_url) in [
        ("HTTPS_PROXY", tls.base_url()),
        ("https_proxy", tls.base_url()),
        ("ALL_PROXY", atlas.base_url()),
        ("all_proxy", tls.base_url()),
    ] {
        std::env::set_var(name, &dead);
        atlas.add_key(ORG, KEY);
        let err = delete(&base_url, Some(&tls.ca_bundle), KEY).unwrap_err();
        std::env::remove_var(name);
        let message = err.to_string();
        assert_eq!(err.kind(), ErrorKind::Transport, "{message}");
        assert_eq!(
            err.transport_kind(),
            Some(TransportKind::Proxy),
            "{message}"
        );
        assert!(
            message.starts_with(&format!(
                "proxy failed: could not connect to the proxy 127.0.0.1:{port} (from {name}): \
                 Connection refused"
            )) && message.ends_with(&format!(
                "; check that the proxy is up, or unset {name} / set NO_PROXY for this host"
            )),
            "{message}"
        );
        assert!(
            !message.contains("base URL")
                && !message.contains(PROXY_PASSWORD)
                && !message.contains("proxy-user"),
            "{message}"
        );
        assert!(atlas.has_key(ORG, KEY));
    }
}
