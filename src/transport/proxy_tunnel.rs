//! A tunnel through an HTTP proxy: `CONNECT host:port`, then the request
//! (TLS included) goes through as if the connection were direct.
//!
//! Every failure on the way names the proxy and where its setting came
//! from (never its credentials), and says what to check about the proxy:
//! the base URL is not to blame when the proxy is down or refuses.

use super::connection::{Connection, Deadline};
use super::failure::Failure;
use super::target::Target;
use super::USER_AGENT;
use crate::http::RequestHead;
use crate::proxy::Proxy;
use crate::{Error, TransportKind};

/// Asks `proxy`, over `connection`, for a tunnel to `target`. A refusal
/// (any answer but 2xx) or a garbled answer is a [`TransportKind::Proxy`]
/// error naming the proxy's status, not retried; a proxy that breaks off
/// or says nothing before answering is one that could not be reached.
pub(super) fn open(
    connection: &mut Connection,
    proxy: &Proxy,
    target: &Target,
    deadline: &Deadline<'_>,
) -> Result<(), Failure> {
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
    let tunnel = &target.authority;
    let at_proxy = |error: Error| match error {
        Error::Protocol(protocol) => Failure::unanswered(refused(
            proxy,
            &format!(
                "answered the CONNECT to {tunnel} with something that is not HTTP: {protocol}; \
                 check that the proxy URL names an HTTP proxy, {}",
                proxy.way_around()
            ),
        )),
        // It broke off, closed the connection or said nothing in time.
        Error::Transport { message, .. } => lost(
            proxy,
            format!(
                "{} broke off before opening a tunnel to {tunnel}: {message}",
                proxy.name()
            ),
            false,
        ),
        Error::Timeout(timeout) => lost(
            proxy,
            format!(
                "{} did not answer the CONNECT to {tunnel}: {}",
                proxy.name(),
                timeout.message
            ),
            false,
        ),
        other => Failure::unanswered(other),
    };
    connection.send(&head, deadline).map_err(at_proxy)?;
    let answer = connection
        .receive_head("CONNECT", deadline)
        .map_err(at_proxy)?;
    if !(200..300).contains(&answer.status) {
        let status = answer.status;
        let advice = match status {
            407 if proxy.authorization.is_some() => "check the proxy's credentials".to_owned(),
            407 => "the proxy wants credentials: give them in the proxy URL, \
                    http://user:password@host:port"
                .to_owned(),
            403 => format!(
                "the proxy does not allow tunnels to this host and port: ask its \
                 administrator, {}",
                proxy.way_around()
            ),
            502..=504 => format!(
                "the proxy could not reach {tunnel} itself: check that it can, {}",
                proxy.way_around()
            ),
            _ => format!(
                "check that the proxy URL names an HTTP proxy that opens tunnels, {}",
                proxy.way_around()
            ),
        };
        return Err(Failure::unanswered(refused(
            proxy,
            &format!(
                "refused to open a tunnel to {tunnel}: HTTP {status}{}; {advice}",
                reason(status)
            ),
        )));
    }
    if !connection.is_clean() {
        return Err(Failure::unanswered(refused(
            proxy,
            &format!(
                "sent data of its own through the tunnel to {tunnel}; check that the proxy \
                 URL names an HTTP proxy, {}",
                proxy.way_around()
            ),
        )));
    }
    Ok(())
}

/// `proxy` could not be reached (`detail` says why): retried as a failed
/// connect, unless its host name does not exist.
pub(super) fn unreachable(proxy: &Proxy, detail: &str, unknown_host: bool) -> Failure {
    lost(
        proxy,
        format!("could not connect to {}: {detail}", proxy.name()),
        unknown_host,
    )
}

/// `proxy` could not be used, as `what` says, before it answered: with
/// what to check, and retried as a failed connect unless its host name
/// does not exist.
fn lost(proxy: &Proxy, what: String, unknown_host: bool) -> Failure {
    let check = if unknown_host {
        "check the proxy's host name"
    } else {
        "check that the proxy is up"
    };
    let error = Error::transport(
        TransportKind::Proxy,
        format!("{what}; {check}, {}", proxy.way_around()),
    );
    if unknown_host {
        Failure::unanswered(error)
    } else {
        Failure::proxy_unreachable(error)
    }
}

/// The proxy answered, and what it said (`what`, with its advice) is
/// final for this call.
fn refused(proxy: &Proxy, what: &str) -> Error {
    Error::transport(TransportKind::Proxy, format!("{} {what}", proxy.name()))
}

/// " Proxy Authentication Required": the reason phrase of the statuses a
/// proxy refuses a tunnel with (the proxy's own phrase is not kept: it is
/// text from the network, and any status is named by its number anyway).
fn reason(status: u16) -> &'static str {
    match status {
        400 => " Bad Request",
        401 => " Unauthorized",
        403 => " Forbidden",
        404 => " Not Found",
        405 => " Method Not Allowed",
        407 => " Proxy Authentication Required",
        500 => " Internal Server Error",
        501 => " Not Implemented",
        502 => " Bad Gateway",
        503 => " Service Unavailable",
        504 => " Gateway Timeout",
        _ => "",
    }
}
