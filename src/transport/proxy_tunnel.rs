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
            // Only the proxy sees a CONNECT, so a 401 is its own too:
            // tinyproxy answers wrong credentials with 401, none with 407.
            401 | 407 if proxy.authorization.is_some() => {
                "check the proxy's credentials".to_owned()
            }
            401 | 407 => "the proxy wants credentials: give them in the proxy URL, \
                          http://user:password@host:port"
                .to_owned(),
            403 => format!(
                "the proxy does not allow tunnels to this host and port: ask its \
                 administrator, {}",
                proxy.way_around()
            ),
            // tinyproxy says 500, others 502 or 504, when the server
            // cannot be reached from the proxy.
            500..=599 => format!(
                "the proxy could not open it: check that the proxy can reach that host, {}",
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

#[cfg(test)]
mod tests {
    use crate::transport::resolver::{Lookup, LookupFailure};
    use crate::{Client, DeleteOptions, Error, ErrorKind, ProxyConfig, RetryPolicy, TransportKind};
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    /// A delete through `proxy`, with up to 2 retries 1 ms apart, whose
    /// host names `lookup` resolves; the server itself is never reached.
    fn delete_through(proxy: &str, lookup: Lookup) -> Error {
        Client::builder()
            .base_url("http://127.0.0.1:9/api/atlas/v1.0")
            .digest_credentials("abcdefgh", "k")
            .connect_timeout(Duration::from_secs(2))
            .retry(
                RetryPolicy::new()
                    .max_retries(2)
                    .base_delay(Duration::from_millis(1)),
            )
            .proxy(ProxyConfig::Url(proxy.to_owned()))
            .build_with(lookup)
            .unwrap()
            .delete_org_api_key(
                "5f1a2b3c4d5e6f7a8b9c0d1e",
                "6a1b2c3d4e5f6a7b8c9d0e1f",
                &DeleteOptions::new(),
            )
            .unwrap_err()
    }

    /// A lookup that fails every time, temporarily or for good, and counts.
    fn failing(temporary: bool) -> (Lookup, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let lookup: Lookup = Arc::new(move |host: &str, _| {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(LookupFailure {
                temporary,
                message: format!("cannot resolve {host}: it failed"),
            })
        });
        (lookup, calls)
    }

    fn assert_names_the_proxy(err: &Error, name: &str) {
        let message = err.to_string();
        assert_eq!(err.kind(), ErrorKind::Transport, "{message}");
        assert_eq!(
            err.transport_kind(),
            Some(TransportKind::Proxy),
            "{message}"
        );
        assert!(message.contains(name), "{message}");
        assert!(
            !message.contains("base URL") && !message.contains("hunter2"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_proxy_host_is_named_and_not_retried() {
        let (lookup, calls) = failing(false);
        let err = delete_through("http://u:hunter2@proxy.test:3128", lookup);
        assert_names_the_proxy(
            &err,
            "could not connect to the proxy proxy.test:3128 (set explicitly): cannot resolve \
             proxy.test: it failed; check the proxy's host name, or change the client's proxy \
             setting",
        );
        assert_eq!((err.attempts(), calls.load(Ordering::SeqCst)), (1, 1));
    }

    #[test]
    fn a_proxy_host_that_does_not_resolve_for_now_is_retried_even_for_a_delete() {
        let (lookup, calls) = failing(true);
        let err = delete_through("http://proxy.test:3128", lookup);
        assert_names_the_proxy(&err, "check that the proxy is up");
        assert_eq!((err.attempts(), calls.load(Ordering::SeqCst)), (3, 3));
        assert!(
            err.to_string().ends_with("(gave up after 3 attempts)"),
            "{err}"
        );
    }

    #[test]
    fn a_proxy_refusing_connections_is_retried_even_for_a_delete() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let (lookup, calls) = failing(false);
        let err = delete_through(&format!("http://u:hunter2@127.0.0.1:{port}"), lookup);
        assert_names_the_proxy(
            &err,
            &format!(
                "proxy failed: could not connect to the proxy 127.0.0.1:{port} (set explicitly): \
                 Connection refused"
            ),
        );
        assert_eq!(err.attempts(), 3, "{err}");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "an address needs no lookup"
        );
    }
}
