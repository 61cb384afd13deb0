//! Name resolution when a connection is opened, not on every request.
//!
//! ureq asks its resolver before it looks in the connection pool, and its
//! default resolver runs `getaddrinfo` in a new thread: a lookup and a
//! thread per request, even with a kept-alive connection waiting. Here the
//! resolver hands ureq a placeholder and the connector resolves only when
//! it really opens a connection. Failures are classified by getaddrinfo's
//! own error code: a temporary one (`EAI_AGAIN`, a resolver that does not
//! answer in time) is retried like a failed connect; a permanent one (no
//! such host) is not.

use dns_lookup::{AddrInfoHints, LookupErrorKind};
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout, RustlsConnector, Transport,
};

/// Stands for "not resolved yet"; no lookup returns port 0.
const PLACEHOLDER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0);

/// How a host name and port become addresses; tests put a fake in its place.
pub(crate) type Lookup =
    Arc<dyn Fn(&str, u16) -> Result<Vec<SocketAddr>, LookupFailure> + Send + Sync>;

/// A failed lookup, and whether trying again may help.
#[derive(Debug)]
pub(crate) struct LookupFailure {
    pub temporary: bool,
    pub message: String,
}

impl fmt::Display for LookupFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LookupFailure {}

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

/// ureq's resolver: resolves nothing, so that a request on a pooled
/// connection costs no lookup.
#[derive(Debug)]
pub(crate) struct Deferred;

impl Resolver for Deferred {
    fn resolve(
        &self,
        _uri: &Uri,
        _config: &Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let mut addrs = self.empty();
        addrs.push(PLACEHOLDER);
        Ok(addrs)
    }
}

/// The chain a connection is opened with: a CONNECT proxy when one is set,
/// TCP, then TLS for https.
type Chain = Box<dyn Connector<(), Out = Box<dyn Transport>>>;

/// ureq's connector chain with this crate's TCP ([`super::tcp`]), and the
/// lookup done first when a new connection is opened (to the API host, or
/// to a CONNECT proxy).
pub(crate) struct Resolving {
    inner: Chain,
    lookup: Lookup,
}

/// Boxes a chain's transport, whatever its nested type.
#[derive(Debug)]
struct Boxed<C>(C);

impl<C: Connector<(), Out = T>, T: Transport> Connector<()> for Boxed<C> {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(self
            .0
            .connect(details, chained)?
            .map(|transport| Box::new(transport) as Box<dyn Transport>))
    }
}

impl Resolving {
    pub(crate) fn new(lookup: Lookup) -> Self {
        let chain =
            ().chain(ConnectProxyConnector::default())
                .chain(super::tcp::Tcp)
                .chain(RustlsConnector::default());
        Resolving {
            inner: Box::new(Boxed(chain)),
            lookup,
        }
    }
}

impl fmt::Debug for Resolving {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolving")
            .field("inner", &self.inner)
            .finish()
    }
}

impl Connector for Resolving {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if details.addrs.first() != Some(&PLACEHOLDER) {
            return self.inner.connect(details, chained);
        }
        let host = details
            .uri
            .host()
            .ok_or(ureq::Error::HostNotFound)?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = details
            .uri
            .port_u16()
            .unwrap_or(if details.needs_tls() { 443 } else { 80 });
        let found = within(*details.timeout.after, &self.lookup, host, port)
            .map_err(|failure| ureq::Error::Io(io::Error::other(failure)))?;
        let mut addrs = details.resolver.empty();
        for addr in details
            .config
            .ip_family()
            .keep_wanted(found.into_iter())
            .take(16)
        {
            addrs.push(addr);
        }
        if addrs.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        let resolved = ConnectionDetails {
            uri: details.uri,
            addrs,
            config: details.config,
            request_level: details.request_level,
            resolver: details.resolver,
            now: details.now,
            timeout: details.timeout,
            current_time: details.current_time.clone(),
            run_connector: details.run_connector.clone(),
            register_shutdown: details.register_shutdown.clone(),
        };
        self.inner.connect(&resolved, chained)
    }
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
        let slow: Lookup = Arc::new(|_, _| {
            std::thread::sleep(Duration::from_secs(2));
            Ok(vec![])
        });
        let failure = within(Duration::from_millis(50), &slow, "h".into(), 1).unwrap_err();
        assert!(failure.temporary, "{failure}");
    }
}
