//! Classifying network failures so callers can tell a timeout from a refusal.

use super::resolver::LookupFailure;
use crate::{Error, TransportKind};
use std::io;

pub(super) fn from_ureq(error: ureq::Error) -> Error {
    let transport = Error::transport;
    match error {
        ureq::Error::Timeout(which) => {
            Error::Timeout(format!("the {which} timeout expired").into())
        }
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
            Error::protocol(format!("malformed HTTP response: {error}"))
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
            _ => Error::transport(TransportKind::Io, message),
        };
    }
    // rustls reports a refused certificate through io::Error as well.
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<rustls::Error>())
    {
        return Error::transport(TransportKind::Tls, error.to_string());
    }
    // The resolver says from getaddrinfo's error code whether the failure
    // may pass.
    if let Some(failure) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LookupFailure>())
    {
        let kind = if failure.temporary {
            TransportKind::DnsUnavailable
        } else {
            TransportKind::Dns
        };
        return Error::transport(kind, failure.to_string());
    }
    let kind = match error.kind() {
        K::TimedOut | K::WouldBlock => {
            return Error::Timeout(format!("no answer in time ({error})").into());
        }
        K::ConnectionRefused | K::AddrNotAvailable | K::HostUnreachable | K::NetworkUnreachable => {
            TransportKind::Connect
        }
        _ => TransportKind::Io,
    };
    Error::transport(kind, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Built by hand: a real lookup would send a query to a name server
    // outside this machine.
    #[test]
    fn failed_lookups_are_dns_errors_by_their_code() {
        for (temporary, kind) in [
            (true, TransportKind::DnsUnavailable),
            (false, TransportKind::Dns),
        ] {
            let lookup = io::Error::other(LookupFailure {
                temporary,
                message: "cannot resolve h: failure".into(),
            });
            assert_eq!(from_io(lookup).transport_kind(), Some(kind));
        }
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
