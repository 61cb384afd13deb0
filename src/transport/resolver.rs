//! Name resolution when a connection is opened, not on every request.
//!
//! `getaddrinfo` has no time limit of its own, so it runs in a thread that
//! is abandoned if it does not answer within the connect timeout; that
//! happens only when a connection is opened (a request on a pooled
//! connection costs no lookup and no thread), and never for an address
//! literal. Failures are classified by getaddrinfo's own error code: a
//! temporary one (`EAI_AGAIN`, a resolver that does not answer in time) is
//! retried like a failed connect; a permanent one (no such host) is not.

use crate::{Error, TransportKind};
use dns_lookup::{AddrInfoHints, LookupErrorKind};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// The most addresses of one host tried in turn.
const MAX_ADDRESSES: usize = 16;

/// How a host name and port become addresses; tests put a fake in its place.
pub(crate) type Lookup =
    Arc<dyn Fn(&str, u16) -> Result<Vec<SocketAddr>, LookupFailure> + Send + Sync>;

/// A failed lookup, and whether trying again may help.
#[derive(Debug)]
pub(crate) struct LookupFailure {
    pub temporary: bool,
    pub message: String,
}

/// The system's resolver (`getaddrinfo`), classified by its error code.
pub(crate) fn system_lookup(host: &str, port: u16) -> Result<Vec<SocketAddr>, LookupFailure> {
    let hints = AddrInfoHints {
        socktype: dns_lookup::SockType::Stream.into(),
        ..AddrInfoHints::default()
    };
    let failed = |kind: LookupErrorKind, detail: String| LookupFailure {
        temporary: is_temporary(kind),
        message: format!("cannot resolve {host}: {detail}"),
    };
    let found = dns_lookup::getaddrinfo(Some(host), Some(&port.to_string()), Some(hints))
        .map_err(|e| failed(e.kind(), io::Error::from(e).to_string()))?;
    let addrs: Vec<SocketAddr> = found
        .filter_map(Result::ok)
        .map(|info| info.sockaddr)
        .collect();
    if addrs.is_empty() {
        return Err(failed(LookupErrorKind::NoData, "no address".to_owned()));
    }
    Ok(addrs)
}

/// Whether a getaddrinfo failure may pass on another try: the name server
/// did not answer (`EAI_AGAIN`), or the system ran short of something.
/// "No such name" (`EAI_NONAME`), "no address" and unrecoverable failures
/// stay as they are.
fn is_temporary(kind: LookupErrorKind) -> bool {
    matches!(
        kind,
        LookupErrorKind::Again
            | LookupErrorKind::Memory
            | LookupErrorKind::System
            | LookupErrorKind::IO
    )
}

/// The addresses of `host` (a name, or an address literal that needs no
/// lookup) at `port`, within `limit`: done only when a connection is
/// opened, never for a request on a pooled one. A failure says from
/// getaddrinfo's code whether trying again may help.
pub(super) fn resolve(
    lookup: &Lookup,
    host: &str,
    port: u16,
    limit: Duration,
) -> Result<Vec<SocketAddr>, Error> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let mut addrs = within(limit, lookup, host.to_owned(), port).map_err(|failure| {
        let kind = if failure.temporary {
            TransportKind::DnsUnavailable
        } else {
            TransportKind::Dns
        };
        Error::transport(kind, failure.message)
    })?;
    addrs.truncate(MAX_ADDRESSES);
    if addrs.is_empty() {
        return Err(Error::transport(
            TransportKind::Dns,
            format!("cannot resolve {host}: no address"),
        ));
    }
    Ok(addrs)
}

/// Runs `lookup` with a time limit: getaddrinfo itself has none, so it runs
/// in a thread that is abandoned if it does not answer in time. That
/// happens only when a connection is opened.
fn within(
    limit: Duration,
    lookup: &Lookup,
    host: String,
    port: u16,
) -> Result<Vec<SocketAddr>, LookupFailure> {
    let (tx, rx) = mpsc::sync_channel(1);
    let lookup = Arc::clone(lookup);
    let name = host.clone();
    std::thread::Builder::new()
        .name("atlas-admin-resolve".into())
        .spawn(move || tx.send(lookup(&name, port)).ok())
        .map_err(|e| LookupFailure {
            temporary: true,
            message: format!("cannot start a lookup of {host}: {e}"),
        })?;
    rx.recv_timeout(limit).unwrap_or_else(|_| {
        Err(LookupFailure {
            temporary: true,
            message: format!(
                "the resolver did not answer for {host} within {:.1} s",
                limit.as_secs_f64()
            ),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_the_error_code() {
        assert!(is_temporary(LookupErrorKind::Again));
        assert!(is_temporary(LookupErrorKind::System));
        assert!(!is_temporary(LookupErrorKind::NoName));
        assert!(!is_temporary(LookupErrorKind::NoData));
        assert!(!is_temporary(LookupErrorKind::Fail));
    }

    #[test]
    fn loopback_names_and_literals_resolve_without_a_name_server() {
        assert!(system_lookup("127.0.0.1", 80)
            .unwrap()
            .contains(&"127.0.0.1:80".parse().unwrap()));
        assert!(!system_lookup("localhost", 8080).unwrap().is_empty());
    }

    use crate::{Client, DeleteOptions, ErrorKind, RetryPolicy, TransportKind};
    use atlas_admin_mock::{Credential, MockAtlas, MockConfig};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";

    fn key(i: usize) -> String {
        format!("6a1b2c3d4e5f6a7b8c{i:06x}")
    }

    fn mock(keys: usize) -> MockAtlas {
        let mut config = MockConfig::default();
        config.credentials.push(Credential::new("abcdefgh", "k"));
        config.keys.insert(ORG.into(), (0..keys).map(key).collect());
        MockAtlas::start(config).unwrap()
    }

    /// A lookup that counts its calls and answers with `answer(call)`.
    fn counting(
        answer: impl Fn(usize, &str, u16) -> Result<Vec<SocketAddr>, LookupFailure>
            + Send
            + Sync
            + 'static,
    ) -> (Lookup, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let lookup: Lookup = Arc::new(move |host: &str, port: u16| {
            answer(counter.fetch_add(1, Ordering::SeqCst), host, port)
        });
        (lookup, calls)
    }

    fn client(atlas: &MockAtlas, lookup: Lookup, retry: RetryPolicy) -> Client {
        Client::builder()
            .base_url(format!("http://localhost:{}/api/atlas/v1.0", atlas.port()))
            .digest_credentials("abcdefgh", "k")
            .retry(retry.base_delay(Duration::from_millis(1)))
            .build_with(lookup)
            .unwrap()
    }

    #[test]
    fn a_pooled_connection_is_used_without_resolving_again() {
        let atlas = mock(10);
        let (lookup, calls) = counting(|_, host, port| system_lookup(host, port));
        let client = client(&atlas, lookup, RetryPolicy::none());
        for i in 0..10 {
            client
                .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
                .unwrap();
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(atlas.stats().connections, 1);
    }

    #[test]
    fn a_temporary_failure_is_retried_like_a_failed_connect() {
        let atlas = mock(1);
        let port = atlas.port();
        let (lookup, calls) = counting(move |call, _, _| match call {
            0 => Err(LookupFailure {
                temporary: true,
                message: "Temporary failure in name resolution".into(),
            }),
            _ => Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))]),
        });
        client(&atlas, lookup, RetryPolicy::new())
            .delete_org_api_key(ORG, &key(0), &DeleteOptions::new())
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_permanent_failure_is_not_retried() {
        let atlas = mock(1);
        let (lookup, calls) = counting(|_, host, _| {
            Err(LookupFailure {
                temporary: false,
                message: format!("cannot resolve {host}: Name or service not known"),
            })
        });
        let err = client(&atlas, lookup, RetryPolicy::new())
            .delete_org_api_key(ORG, &key(0), &DeleteOptions::new())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport);
        assert_eq!(err.transport_kind(), Some(TransportKind::Dns));
        assert!(err.to_string().contains("localhost"), "{err}");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(atlas.stats().requests, 0);
    }

    #[test]
    fn a_resolver_that_does_not_answer_in_time_is_a_temporary_failure() {
        // The lookup blocks until the test lets it go, after the time limit.
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = std::sync::Mutex::new(released);
        let (done_tx, done) = std::sync::mpsc::channel();
        let slow: Lookup = Arc::new(move |_, _| {
            let _ = released.lock().unwrap().recv();
            let _ = done_tx.send(());
            Ok(vec![])
        });
        let err = resolve(&slow, "h.example", 1, Duration::from_millis(50)).unwrap_err();
        assert_eq!(
            err.transport_kind(),
            Some(TransportKind::DnsUnavailable),
            "{err}"
        );
        assert!(err.to_string().contains("did not answer"), "{err}");
        // The abandoned lookup finishes on its own once released.
        release.send(()).unwrap();
        done.recv().unwrap();
    }

    #[test]
    fn address_literals_need_no_lookup() {
        let (lookup, calls) = counting(|_, _, _| unreachable!("no lookup for a literal"));
        for (host, expected) in [("127.0.0.1", "127.0.0.1:8"), ("::1", "[::1]:8")] {
            let addrs = resolve(&lookup, host, 8, Duration::from_secs(1)).unwrap();
            assert_eq!(addrs, [expected.parse().unwrap()]);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }
}
