//! Proxies named explicitly, against a real one: Debian's tinyproxy,
//! started by `scripts/tinyproxy` on a free loopback port. Plain HTTP and
//! HTTPS (to the mock's TLS listener, whose certificate comes from a CA
//! made for the test) go through its CONNECT tunnels, as its log shows; a
//! proxy that is down, wants credentials, or refuses a port is named with
//! where its setting came from, never with its password, and never blamed
//! on the base URL. The environment's proxies are in `tinyproxy_env.rs`:
//! every client here names its proxy, which the environment cannot
//! override.

mod common;
mod real_proxy;
mod tunnel;

use atlas_admin::{
    Client, DeleteOptions, Error, ErrorKind, ProxyConfig, RetryPolicy, TransportKind,
};
use common::*;
use real_proxy::{dead_port, Tinyproxy, TlsAtlas, PROXY_PASSWORD, PROXY_USER};
use std::path::Path;
use std::time::Duration;

/// A client of `base_url` through the proxy at `proxy`, trusting
/// `ca_bundle` if any, that retries up to twice, 1 ms apart.
fn client(base_url: &str, proxy: &str, ca_bundle: Option<&Path>) -> Client {
    let mut builder = retrying_client(
        base_url,
        RetryPolicy::new()
            .max_retries(2)
            .base_delay(Duration::from_millis(1)),
    );
    builder.proxy(ProxyConfig::Url(proxy.to_owned()));
    if let Some(path) = ca_bundle {
        builder.ca_bundle(path);
    }
    builder.build().expect("client builds")
}

fn delete(client: &Client, key: &str) -> Result<atlas_admin::Deleted, Error> {
    client
        .delete_org_api_key(ORG, key, &DeleteOptions::new())
        .map_err(record)
}

/// The error's message, after checking that it is a proxy error and
/// that it never mentions the base URL or the proxy's credentials.
fn proxy_error(err: &Error) -> String {
    let message = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Transport, "{message}");
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Proxy),
        "{message}"
    );
    assert!(!message.contains("base URL"), "{message}");
    assert!(
        !message.contains(PROXY_PASSWORD) && !message.contains(PROXY_USER),
        "{message}"
    );
    let debug = format!("{err:?}");
    assert!(!debug.contains(PROXY_PASSWORD), "{debug}");
    message
}

#[test]
fn plain_http_goes_through_an_explicit_proxy() {
    let atlas = mock();
    let Some(proxy) = Tinyproxy::allowing(&[atlas.port()]) else {
        return;
    };
    atlas.add_key(ORG, &key(1));
    let client = client(&atlas.base_url(), &proxy.url, None);
    delete(&client, KEY).unwrap();
    delete(&client, &key(1)).unwrap();
    assert!(!atlas.has_key(ORG, KEY) && !atlas.has_key(ORG, &key(1)));
    let target = format!("127.0.0.1:{}", atlas.port());
    assert_eq!(
        proxy.connects_to(&target),
        1,
        "one tunnel, kept alive for both deletes: {}",
        proxy.log()
    );
    assert_eq!(
        atlas.stats().connections,
        1,
        "the mock was reached only through it"
    );
}

#[test]
fn https_goes_through_a_connect_tunnel_to_a_server_of_a_private_ca() {
    let tls = TlsAtlas::start("https");
    let Some(proxy) = Tinyproxy::allowing(&[tls.port()]) else {
        return;
    };
    delete(
        &client(&tls.base_url(), &proxy.url, Some(&tls.ca_bundle)),
        KEY,
    )
    .unwrap();
    assert!(!tls.atlas.has_key(ORG, KEY));
    assert_eq!(proxy.connects_to(&tls.authority()), 1, "{}", proxy.log());

    // The certificate is checked end to end, through the tunnel: without
    // the CA, Mozilla's roots refuse it.
    tls.atlas.add_key(ORG, KEY);
    let err = delete(&client(&tls.base_url(), &proxy.url, None), KEY).unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Tls), "{err}");
    assert_eq!(proxy.connects_to(&tls.authority()), 2, "{}", proxy.log());
    assert!(tls.atlas.has_key(ORG, KEY));
}

#[test]
fn a_dead_proxy_is_named_retried_and_not_blamed_on_the_base_url() {
    let atlas = mock();
    let port = dead_port();
    let url = format!("http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}");
    let err = delete(&client(&atlas.base_url(), &url, None), KEY).unwrap_err();
    let message = proxy_error(&err);
    assert!(
        message.starts_with(&format!(
            "proxy failed: could not connect to the proxy 127.0.0.1:{port} (set explicitly): \
             Connection refused"
        )),
        "{message}"
    );
    assert!(
        message.ends_with(
            "; check that the proxy is up, or change the client's proxy setting \
             (gave up after 3 attempts)"
        ),
        "{message}"
    );
    assert_eq!(
        err.attempts(),
        3,
        "retried as a failed connect, even a delete"
    );
    assert_eq!(atlas.stats().connections, 0);
    assert!(atlas.has_key(ORG, KEY));
}

#[test]
fn a_proxy_wanting_credentials_refuses_with_407_until_its_url_has_them() {
    let atlas = mock();
    let Some(proxy) = Tinyproxy::with_basic_auth(&[atlas.port()]) else {
        return;
    };
    let target = format!("127.0.0.1:{}", atlas.port());

    let err = delete(&client(&atlas.base_url(), &proxy.url, None), KEY).unwrap_err();
    assert_eq!(
        proxy_error(&err),
        format!(
            "proxy failed: the proxy {} (set explicitly) refused to open a tunnel to {target}: \
             HTTP 407 Proxy Authentication Required; the proxy wants credentials: give them in \
             the proxy URL, http://user:password@host:port",
            proxy.address
        )
    );
    assert_eq!(err.attempts(), 1, "a refusal is not retried");

    // tinyproxy answers wrong credentials with 401, not 407.
    let wrong = "wrong-proxy-pass-31a6";
    let err = delete(
        &client(&atlas.base_url(), &proxy.url_with(wrong), None),
        KEY,
    )
    .unwrap_err();
    let message = proxy_error(&err);
    assert!(
        message.ends_with(&format!(
            "refused to open a tunnel to {target}: HTTP 401 Unauthorized; check the proxy's \
             credentials"
        )),
        "{message}"
    );
    assert!(!message.contains(wrong), "{message}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(atlas.stats().connections, 0, "nothing went past the proxy");

    delete(
        &client(&atlas.base_url(), &proxy.url_with(PROXY_PASSWORD), None),
        KEY,
    )
    .unwrap();
    assert!(!atlas.has_key(ORG, KEY));
    assert_eq!(proxy.connects_to(&target), 3, "{}", proxy.log());
    assert!(!proxy.log().contains(PROXY_PASSWORD));
}

#[test]
fn a_proxy_refusing_the_port_is_named_with_its_403() {
    let atlas = mock();
    let Some(proxy) = Tinyproxy::allowing(&[443]) else {
        return;
    };
    let err = delete(&client(&atlas.base_url(), &proxy.url, None), KEY).unwrap_err();
    assert_eq!(
        proxy_error(&err),
        format!(
            "proxy failed: the proxy {} (set explicitly) refused to open a tunnel to \
             127.0.0.1:{}: HTTP 403 Forbidden; the proxy does not allow tunnels to this host \
             and port: ask its administrator, or change the client's proxy setting",
            proxy.address,
            atlas.port()
        )
    );
    assert_eq!(err.attempts(), 1);
    assert!(atlas.has_key(ORG, KEY));
}

#[test]
fn a_proxy_that_cannot_reach_the_server_says_so() {
    let Some(proxy) = Tinyproxy::allowing(&[]) else {
        return;
    };
    let port = dead_port();
    let base_url = format!("http://127.0.0.1:{port}/api/atlas/v1.0");
    let err = delete(&client(&base_url, &proxy.url, None), KEY).unwrap_err();
    let message = proxy_error(&err);
    assert!(
        message.contains(&format!(
            "refused to open a tunnel to 127.0.0.1:{port}: HTTP 500 Internal Server Error; the \
             proxy could not open it: check that the proxy can reach that host"
        )),
        "{message}"
    );
    assert_eq!(err.attempts(), 1);
}
