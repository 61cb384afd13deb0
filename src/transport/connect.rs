//! Opening a connection: the name looked up, TCP to one of its addresses,
//! a tunnel through the proxy when there is one, then TLS for https, all
//! within the connect timeout.

use super::connection::{Connection, Deadline};
use super::failure::Failure;
use super::proxy_tunnel;
use super::resolver::{self, Lookup};
use super::stream::{Stream, StreamError};
use super::target::Target;
use super::tcp::{self, ConnectError};
use crate::clock::Clock;
use crate::proxy::Proxy;
use crate::{Error, TransportKind};
use rustls::{ClientConfig, ClientConnection};
use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Everything needed to open a connection to the client's server.
pub(crate) struct Connector {
    target: Target,
    proxy: Option<Proxy>,
    /// Present for https.
    tls: Option<Arc<ClientConfig>>,
    lookup: Lookup,
    connect_timeout: Duration,
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("target", &self.target.authority)
            .field("proxy", &self.proxy)
            .field("tls", &self.tls.is_some())
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl Connector {
    /// A connector to `target`, through `proxy` if any, with TLS from
    /// `tls` when the target is https.
    pub(crate) fn new(
        target: Target,
        proxy: Option<Proxy>,
        tls: Arc<ClientConfig>,
        lookup: Lookup,
        connect_timeout: Duration,
    ) -> Self {
        Connector {
            tls: target.https.then_some(tls),
            target,
            proxy,
            lookup,
            connect_timeout,
        }
    }

    pub(crate) fn target(&self) -> &Target {
        &self.target
    }

    /// Opens a connection, taking no longer than the connect timeout nor
    /// past `exchange_end`. Every failure here is before the request left;
    /// one on the way to a proxy names the proxy, not the server.
    pub(super) fn open(
        &self,
        clock: &dyn Clock,
        exchange_end: Instant,
    ) -> Result<Connection, Failure> {
        let now = clock.now();
        let connect_end = now + self.connect_timeout;
        let deadline = if connect_end <= exchange_end {
            Deadline {
                clock,
                at: connect_end,
                allowed: self.connect_timeout,
                limit: "the connect timeout",
            }
        } else {
            Deadline {
                clock,
                at: exchange_end,
                allowed: exchange_end.saturating_duration_since(now),
                limit: "what was left of the exchange's time",
            }
        };
        let connection = match &self.proxy {
            Some(proxy) => {
                let mut connection = self
                    .reach(&proxy.host, proxy.port, &deadline)
                    .map_err(|why| proxy_unreached(proxy, why, &deadline))?;
                proxy_tunnel::open(&mut connection, proxy, &self.target, &deadline)?;
                connection
            }
            None => {
                let (host, port) = (self.target.host.as_str(), self.target.port);
                self.reach(host, port, &deadline)
                    .map_err(|why| Failure::unanswered(unreached(host, port, why, &deadline)))?
            }
        };
        let Some(config) = &self.tls else {
            return Ok(connection);
        };
        let tls = ClientConnection::new(Arc::clone(config), self.target.server_name.clone())
            .map_err(|e| Error::transport(TransportKind::Tls, e.to_string()))
            .map_err(Failure::unanswered)?;
        connection
            .map_stream(|stream| match stream {
                Stream::Plain(tcp) => Stream::tls(tcp, tls),
                tls @ Stream::Tls(_) => Ok(tls),
            })
            .map_err(|e| Failure::unanswered(self.handshake_failure(e, &deadline)))
    }

    /// A TCP connection to `host:port` (the server's or the proxy's), its
    /// name looked up first, with its socket timeouts set.
    fn reach(
        &self,
        host: &str,
        port: u16,
        deadline: &Deadline<'_>,
    ) -> Result<Connection, Unreached> {
        let clock = deadline.clock;
        let now = clock.now();
        let left = deadline.at.saturating_duration_since(now);
        let addrs = resolver::resolve(&self.lookup, host, port, left).map_err(Unreached::Lookup)?;
        let tcp = tcp::connect(&addrs, clock, deadline.at).map_err(|e| match e {
            ConnectError::TimedOut => Unreached::TimedOut,
            ConnectError::Failed(e) => Unreached::Failed(e),
        })?;
        // Requests are written whole; Nagle's algorithm would only hold
        // back a body that does not fit one segment.
        tcp.set_nodelay(true).map_err(Unreached::SetUp)?;
        let mut connection = Connection::new(Stream::Plain(tcp), now);
        connection.set_timeouts(deadline).map_err(|e| match e {
            StreamError::Io(e) => Unreached::SetUp(e),
            StreamError::TimedOut | StreamError::Tls(_) => Unreached::TimedOut,
        })?;
        Ok(connection)
    }

    fn handshake_failure(&self, e: StreamError, deadline: &Deadline<'_>) -> Error {
        let server = &self.target.authority;
        match e {
            StreamError::TimedOut => Error::Timeout(
                format!(
                    "the TLS handshake with {server} did not finish {}",
                    deadline.within()
                )
                .into(),
            ),
            StreamError::Tls(e) => {
                Error::transport(TransportKind::Tls, format!("TLS with {server} failed: {e}"))
            }
            // As a connection that breaks later: may pass on another try.
            StreamError::Io(e) => Error::transport(
                TransportKind::Io,
                format!("the TLS handshake with {server} broke off: {e}"),
            ),
        }
    }
}

/// Why no TCP connection to a host was made.
enum Unreached {
    /// Its name did not resolve: a [`TransportKind::Dns`] or
    /// [`TransportKind::DnsUnavailable`] error.
    Lookup(Error),
    /// The time ran out.
    TimedOut,
    /// Every address refused or could not be reached; the last reason.
    Failed(io::Error),
    /// The socket could not be set up once connected.
    SetUp(io::Error),
}

/// The server at `host:port` could not be reached.
fn unreached(host: &str, port: u16, why: Unreached, deadline: &Deadline<'_>) -> Error {
    match why {
        Unreached::Lookup(error) => error,
        Unreached::TimedOut => Error::Timeout(
            format!("could not connect to {host}:{port} {}", deadline.within()).into(),
        ),
        Unreached::Failed(e) => Error::transport(
            TransportKind::Connect,
            format!("cannot connect to {host}:{port}: {e}"),
        ),
        Unreached::SetUp(e) => Error::transport(
            TransportKind::Connect,
            format!("cannot set up the connection to {host}:{port}: {e}"),
        ),
    }
}

/// `proxy` could not be reached: a [`TransportKind::Proxy`] error that
/// names it, retried as a failed connect unless its host is unknown.
fn proxy_unreached(proxy: &Proxy, why: Unreached, deadline: &Deadline<'_>) -> Failure {
    let (detail, unknown_host) = match why {
        Unreached::Lookup(Error::Transport { kind, message, .. }) => {
            (message, kind == TransportKind::Dns)
        }
        Unreached::Lookup(other) => (other.to_string(), false),
        Unreached::TimedOut => (format!("it did not answer {}", deadline.within()), false),
        Unreached::Failed(e) => (e.to_string(), false),
        Unreached::SetUp(e) => (format!("cannot set up the connection: {e}"), false),
    };
    proxy_tunnel::unreachable(proxy, &detail, unknown_host)
}
