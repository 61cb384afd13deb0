//! Opening a connection: the name looked up, TCP to one of its addresses,
//! a tunnel through the proxy when there is one, then TLS for https, all
//! within the connect timeout.

use super::connection::{Connection, Deadline};
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
    /// past `exchange_end`. Every failure here is before the request left.
    pub(super) fn open(
        &self,
        clock: &dyn Clock,
        exchange_end: Instant,
    ) -> Result<Connection, Error> {
        let now = clock.now();
        let connect_end = now + self.connect_timeout;
        let deadline = if connect_end <= exchange_end {
            Deadline {
                clock,
                at: connect_end,
                allowed: self.connect_timeout,
                limit: "the connect timeout",
                stop: None,
            }
        } else {
            Deadline {
                clock,
                at: exchange_end,
                allowed: exchange_end.saturating_duration_since(now),
                limit: "what was left of the exchange's time",
                stop: None,
            }
        };
        let (host, port, what) = match &self.proxy {
            Some(proxy) => (proxy.host.as_str(), proxy.port, "the proxy "),
            None => (self.target.host.as_str(), self.target.port, ""),
        };
        let left = deadline.at.saturating_duration_since(clock.now());
        let addrs = resolver::resolve(&self.lookup, host, port, left)?;
        let tcp = tcp::connect(&addrs, clock, deadline.at).map_err(|e| match e {
            ConnectError::TimedOut => Error::Timeout(
                format!(
                    "could not connect to {what}{host}:{port} {}",
                    deadline.within()
                )
                .into(),
            ),
            ConnectError::Failed(e) => Error::transport(
                TransportKind::Connect,
                format!("cannot connect to {what}{host}:{port}: {e}"),
            ),
        })?;
        let connect_failed = |e: std::io::Error| {
            Error::transport(
                TransportKind::Connect,
                format!("cannot set up the connection to {what}{host}:{port}: {e}"),
            )
        };
        // Requests are written whole; Nagle's algorithm would only hold
        // back a body that does not fit one segment.
        tcp.set_nodelay(true).map_err(connect_failed)?;
        let mut connection = Connection::new(Stream::Plain(tcp), now);
        connection.set_timeouts(&deadline).map_err(|e| match e {
            StreamError::Io(e) => connect_failed(e),
            other => self.handshake_failure(other, &deadline),
        })?;
        if let Some(proxy) = &self.proxy {
            proxy_tunnel::open(&mut connection, proxy, &self.target, &deadline)?;
        }
        let Some(config) = &self.tls else {
            return Ok(connection);
        };
        let tls = ClientConnection::new(Arc::clone(config), self.target.server_name.clone())
            .map_err(|e| Error::transport(TransportKind::Tls, e.to_string()))?;
        connection
            .map_stream(|stream| match stream {
                Stream::Plain(tcp) => Stream::tls(tcp, tls),
                tls @ Stream::Tls(_) => Ok(tls),
            })
            .map_err(|e| self.handshake_failure(e, &deadline))
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
