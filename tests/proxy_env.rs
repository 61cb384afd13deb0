//! Proxies from the environment (ALL_PROXY, NO_PROXY) and turning them off.
//! Alone in its binary: it changes the process environment.

mod common;

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
