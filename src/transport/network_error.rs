//! Classifying network failures so callers can tell a timeout from a refusal.

use crate::{Error, TransportKind};
use std::io;

pub(super) fn from_ureq(error: ureq::Error) -> Error {
    let transport = |kind, message: String| Error::Transport { kind, message };
    match error {
        ureq::Error::Timeout(which) => Error::Timeout(format!("the {which} timeout expired")),
        ureq::Error::Io(e) => from_io(e),
        ureq::Error::HostNotFound => transport(TransportKind::Dns, "host not found".into()),
        ureq::Error::ConnectionFailed => {
            transport(TransportKind::Connect, "could not connect".into())
        }
        ureq::Error::Tls(_) | ureq::Error::Pem(_) | ureq::Error::Rustls(_) => {
            transport(TransportKind::Tls, error.to_string())
        }
        ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => {
            transport(TransportKind::Proxy, error.to_string())
        }
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
            Error::Protocol(format!("malformed HTTP response: {error}"))
        }
        other => transport(TransportKind::Io, other.to_string()),
    }
}

pub(super) fn from_io(error: io::Error) -> Error {
    use io::ErrorKind as K;
    // ureq reports its own errors (timeouts among them) through io::Error
    // while a body is read; unwrap them to classify them properly.
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<ureq::Error>())
    {
        let message = error.to_string();
        return match error
            .into_inner()
            .map(|inner| inner.downcast::<ureq::Error>())
        {
            Some(Ok(inner)) => from_ureq(*inner),
            _ => Error::Transport {
                kind: TransportKind::Io,
                message,
            },
        };
    }
    // rustls reports a refused certificate through io::Error as well.
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<rustls::Error>())
    {
        return Error::Transport {
            kind: TransportKind::Tls,
            message: error.to_string(),
        };
    }
    // std reports a failed getaddrinfo with no ErrorKind of its own; its
    // message is the only sign.
    if error
        .to_string()
        .starts_with("failed to lookup address information")
    {
        return Error::Transport {
            kind: TransportKind::Dns,
            message: error.to_string(),
        };
    }
    let kind = match error.kind() {
        K::TimedOut | K::WouldBlock => {
            return Error::Timeout(format!("no answer in time ({error})"));
        }
        K::ConnectionRefused | K::AddrNotAvailable | K::HostUnreachable | K::NetworkUnreachable => {
            TransportKind::Connect
        }
        _ => TransportKind::Io,
    };
    Error::Transport {
        kind,
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Built by hand: a real lookup would send a query to a name server
    // outside this machine.
    #[test]
    fn failed_lookups_are_dns_errors() {
        let lookup =
            io::Error::other("failed to lookup address information: Name or service not known");
        assert!(matches!(
            from_io(lookup),
            Error::Transport {
                kind: TransportKind::Dns,
                ..
            }
        ));
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert!(matches!(
            from_io(reset),
            Error::Transport {
                kind: TransportKind::Io,
                ..
            }
        ));
        assert!(matches!(
            from_io(io::Error::from(io::ErrorKind::TimedOut)),
            Error::Timeout(_)
        ));
    }
}
