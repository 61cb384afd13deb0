//! A tunnel through an HTTP proxy: `CONNECT host:port`, then the request
//! (TLS included) goes through as if the connection were direct.

use super::connection::{Connection, Deadline};
use super::target::Target;
use super::USER_AGENT;
use crate::http::RequestHead;
use crate::proxy::Proxy;
use crate::{Error, TransportKind};

/// Asks `proxy`, over `connection`, for a tunnel to `target`. A refusal
/// (any answer but 2xx) or a broken answer is a
/// [`TransportKind::Proxy`] error naming the proxy's status.
pub(super) fn open(
    connection: &mut Connection,
    proxy: &Proxy,
    target: &Target,
    deadline: &Deadline<'_>,
) -> Result<(), Error> {
    let authorization = proxy.authorization.as_ref().map(|a| a.expose());
    let headers = [
        ("User-Agent", USER_AGENT),
        ("Proxy-Authorization", authorization.unwrap_or_default()),
    ];
    let head = RequestHead {
        method: "CONNECT",
        target: &target.authority,
        host: &target.authority,
        headers: &headers[..if authorization.is_some() { 2 } else { 1 }],
        body: None,
    };
    let at_proxy = |error: Error| match error {
        Error::Transport { message, .. }
        | Error::Protocol(crate::ProtocolError { message, .. }) => Error::transport(
            TransportKind::Proxy,
            format!(
                "the proxy {}:{} broke off the tunnel to {}: {message}",
                proxy.host, proxy.port, target.authority
            ),
        ),
        other => other,
    };
    connection.send(&head, deadline).map_err(at_proxy)?;
    let answer = connection
        .receive_head("CONNECT", deadline)
        .map_err(at_proxy)?;
    if !(200..300).contains(&answer.status) {
        let hint = if answer.status == 407 {
            " (it wants credentials: give them in the proxy URL, http://user:password@host:port)"
        } else {
            ""
        };
        return Err(Error::transport(
            TransportKind::Proxy,
            format!(
                "the proxy {}:{} refused to open a tunnel to {}: HTTP {}{hint}",
                proxy.host, proxy.port, target.authority, answer.status
            ),
        ));
    }
    if !connection.is_clean() {
        return Err(Error::transport(
            TransportKind::Proxy,
            format!(
                "the proxy {}:{} sent data of its own through the tunnel to {}",
                proxy.host, proxy.port, target.authority
            ),
        ));
    }
    Ok(())
}
