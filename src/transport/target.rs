//! The server a client talks to: scheme, host and port, and the forms the
//! protocol needs them in.

use crate::Error;
use rustls::pki_types::ServerName;

/// Where requests go.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// TLS on the connection.
    pub https: bool,
    /// The host to resolve (an IPv6 address without brackets).
    pub host: String,
    pub port: u16,
    /// The `Host` header: the host, with the port when it is not the
    /// scheme's default.
    pub host_header: String,
    /// `host:port`, always with the port: a CONNECT's target.
    pub authority: String,
    /// The name the server's certificate must carry.
    pub server_name: ServerName<'static>,
}

impl Target {
    /// The target of a checked origin, `http[s]://host[:port]`; `setting`
    /// names where it came from for errors.
    pub(crate) fn new(origin: &str, setting: &'static str) -> Result<Self, Error> {
        let bad = |why: &str| Error::invalid(setting, format!("{origin:?} {why}"));
        let (scheme, authority) = origin
            .split_once("://")
            .ok_or_else(|| bad("has no scheme"))?;
        let https = scheme.eq_ignore_ascii_case("https");
        let default_port = if https { 443 } else { 80 };
        let (host, written_host, port) = match authority.strip_prefix('[') {
            Some(bracketed) => {
                let (v6, after) = bracketed
                    .split_once(']')
                    .ok_or_else(|| bad("has an unclosed IPv6 address"))?;
                (v6, &authority[..v6.len() + 2], after.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, host, Some(port)),
                None => (authority, authority, None),
            },
        };
        let port = match port {
            None | Some("") => default_port,
            Some(digits) => digits
                .parse::<u16>()
                .ok()
                .filter(|&port| port != 0)
                .ok_or_else(|| bad("has an invalid port"))?,
        };
        if host.is_empty() {
            return Err(bad("has no host"));
        }
        let server_name = ServerName::try_from(host.to_owned())
            .map_err(|_| bad("has a host name that a TLS certificate cannot carry"))?;
        let authority = format!("{written_host}:{port}");
        Ok(Target {
            https,
            host: host.to_owned(),
            port,
            host_header: if port == default_port {
                written_host.to_owned()
            } else {
                authority.clone()
            },
            authority,
            server_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_named_only_when_not_the_default() {
        for (origin, https, host, port, host_header, authority) in [
            (
                "https://cloud.mongodb.com",
                true,
                "cloud.mongodb.com",
                443,
                "cloud.mongodb.com",
                "cloud.mongodb.com:443",
            ),
            (
                "https://h.example:443",
                true,
                "h.example",
                443,
                "h.example",
                "h.example:443",
            ),
            (
                "https://h.example:8443",
                true,
                "h.example",
                8443,
                "h.example:8443",
                "h.example:8443",
            ),
            (
                "http://127.0.0.1:8080",
                false,
                "127.0.0.1",
                8080,
                "127.0.0.1:8080",
                "127.0.0.1:8080",
            ),
            (
                "http://localhost",
                false,
                "localhost",
                80,
                "localhost",
                "localhost:80",
            ),
            ("http://[::1]:9", false, "::1", 9, "[::1]:9", "[::1]:9"),
            ("https://[::1]", true, "::1", 443, "[::1]", "[::1]:443"),
        ] {
            let target = Target::new(origin, "base_url").unwrap();
            assert_eq!(
                (
                    target.https,
                    target.host.as_str(),
                    target.port,
                    target.host_header.as_str(),
                    target.authority.as_str()
                ),
                (https, host, port, host_header, authority),
                "{origin}"
            );
        }
    }

    #[test]
    fn refuses_what_cannot_be_connected_to() {
        for origin in [
            "h.example",
            "https://",
            "https://h:0",
            "https://h:x",
            "https://[::1",
        ] {
            let err = Target::new(origin, "host").unwrap_err();
            assert!(err.to_string().contains("`host`"), "{origin}: {err}");
        }
    }
}
