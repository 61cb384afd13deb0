//! Which HTTP proxy a client goes through, and reading its URL.

use crate::secret::Secret;
use crate::Error;
use base64::Engine as _;
use std::fmt;

/// Proxy settings for a client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ProxyConfig {
    /// As the environment says, like curl: `HTTPS_PROXY` (https) or
    /// `http_proxy` (http), else `ALL_PROXY`, unless `NO_PROXY` names the
    /// host. Lower-case names are read too.
    #[default]
    Environment,
    /// No proxy, whatever the environment says.
    Disabled,
    /// This HTTP proxy, e.g. `http://proxy.example.com:3128` or
    /// `http://user:password@proxy.example.com:3128`; other kinds (such as
    /// `socks5://`) are refused when the client is built.
    Url(String),
}

/// Where the proxy URL in use came from, named in every error about the
/// proxy so that the user knows which setting to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// [`ProxyConfig::Url`].
    Explicit,
    /// This environment variable, as spelt in the environment.
    Environment(&'static str),
}

impl fmt::Display for Source {
    /// "set explicitly", or "from HTTPS_PROXY".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Explicit => f.write_str("set explicitly"),
            Source::Environment(name) => write!(f, "from {name}"),
        }
    }
}

/// The proxy URL to use for `scheme://host`, and where it came from,
/// reading the environment through `env` (a parameter so tests need not
/// change the process's).
pub(crate) fn choose(
    config: &ProxyConfig,
    scheme: &str,
    host: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Option<(String, Source)> {
    match config {
        ProxyConfig::Disabled => None,
        ProxyConfig::Url(url) => Some((url.clone(), Source::Explicit)),
        ProxyConfig::Environment => {
            // Upper-case HTTP_PROXY is ignored, as curl does: a CGI program
            // gets it from the client's `Proxy:` header ("httpoxy").
            let names: &[&'static str] = if scheme == "https" {
                &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
            } else {
                &["http_proxy", "ALL_PROXY", "all_proxy"]
            };
            let chosen = names.iter().find_map(|&name| {
                env(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|url| (url, Source::Environment(name)))
            })?;
            let no_proxy = env("NO_PROXY")
                .or_else(|| env("no_proxy"))
                .unwrap_or_default();
            (!bypassed(&no_proxy, host)).then_some(chosen)
        }
    }
}

/// Whether a `NO_PROXY` list (comma or space separated host names, domain
/// suffixes such as `.example.com`, or `*`) covers `host`.
fn bypassed(no_proxy: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    no_proxy
        .split([',', ' '])
        .map(|entry| entry.trim().to_ascii_lowercase())
        .filter(|entry| !entry.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let entry = entry.trim_start_matches('*').trim_start_matches('.');
            let entry = match entry.rsplit_once(':') {
                Some((name, port))
                    if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') =>
                {
                    name
                }
                _ => entry,
            };
            let entry = entry.trim_start_matches('[').trim_end_matches(']');
            host == entry || host.ends_with(&format!(".{entry}"))
        })
}

/// An HTTP proxy that opens tunnels with `CONNECT`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    /// The proxy's host name or address (an IPv6 address without brackets).
    pub host: String,
    pub port: u16,
    /// `Basic ...` from the URL's `user:password`, for `Proxy-Authorization`.
    pub authorization: Option<Secret>,
    /// Where its URL came from.
    pub source: Source,
}

impl Proxy {
    /// "the proxy 127.0.0.1:3128 (from HTTPS_PROXY)": how errors name it,
    /// never with the credentials of its URL.
    pub(crate) fn name(&self) -> String {
        let (open, close) = if self.host.contains(':') {
            ("[", "]")
        } else {
            ("", "")
        };
        format!(
            "the proxy {open}{}{close}:{} ({})",
            self.host, self.port, self.source
        )
    }

    /// How to go without this proxy, for advice: the variable to unset,
    /// or the client's own setting.
    pub(crate) fn way_around(&self) -> String {
        match self.source {
            Source::Explicit => "or change the client's proxy setting".to_owned(),
            Source::Environment(name) => {
                format!("or unset {name} / set NO_PROXY for this host")
            }
        }
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("host", &self.host)
            .field("port", &self.port)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field("source", &self.source)
            .finish()
    }
}

/// The form of a proxy URL this client takes, for error messages.
const SUPPORTED: &str = "an HTTP proxy URL such as http://proxy.example.com:3128 or \
                         http://user:password@proxy.example.com:3128";

/// Reads a proxy URL from `source`: `http://[user:password@]host[:port]`
/// (port 80 when left out; no scheme means http, as curl reads it; a path
/// is ignored). Errors never echo the URL, which may hold a password, but
/// say where it came from.
pub(crate) fn parse(url: &str, source: Source) -> Result<Proxy, Error> {
    let invalid =
        |why: &str| Error::invalid("proxy", format!("{why} ({source}); give {SUPPORTED}"));
    let url = url.trim();
    let rest = match url.split_once("://") {
        None => url,
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
        Some((scheme, _)) => {
            let named = scheme.len() <= 10
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            return Err(invalid(&if named {
                format!("{scheme}:// proxies are not supported, only HTTP proxies (CONNECT)")
            } else {
                "is not a proxy URL".to_owned()
            }));
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    let (host, port) = split_host_port(host_port).ok_or_else(|| invalid("is not a proxy URL"))?;
    let authorization = match userinfo {
        None => None,
        Some(userinfo) => {
            let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            let (user, password) = (percent_decode(user), percent_decode(password));
            let (Some(user), Some(password)) = (user, password) else {
                return Err(invalid(
                    "the proxy user name or password is not valid percent-encoded UTF-8",
                ));
            };
            let pair = Secret::new(format!("{}:{}", user.expose(), password.expose()));
            Some(Secret::new(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair.expose())
            )))
        }
    };
    Ok(Proxy {
        host,
        port,
        authorization,
        source,
    })
}

/// `host[:port]` or `[v6]:port`: the host (without brackets) and port.
fn split_host_port(text: &str) -> Option<(String, u16)> {
    let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let (v6, after) = bracketed.split_once(']')?;
        v6.parse::<std::net::Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (v6, port)
    } else {
        let (host, port) = match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        };
        let valid_name = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
        if !valid_name {
            return None;
        }
        (host, port)
    };
    let port = match port {
        None => 80,
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse().ok().filter(|&port| port != 0)?
        }
        Some(_) => return None,
    };
    Some((host.to_owned(), port))
}

/// `%XX` escapes decoded; `None` for a broken escape or invalid UTF-8.
fn percent_decode(text: &str) -> Option<Secret> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = tail.get(..2)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            bytes.push(value);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok().map(Secret::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with_env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        move |name| map.get(name).map(|v| v.to_string())
    }

    #[test]
    fn environment_by_scheme_with_the_variable_it_came_from() {
        let env = [
            ("HTTPS_PROXY", "http://secure:1"),
            ("HTTP_PROXY", "http://ignored:2"),
            ("ALL_PROXY", "http://all:3"),
        ];
        let choose_env = |scheme| {
            choose(
                &ProxyConfig::Environment,
                scheme,
                "cloud.mongodb.com",
                with_env(&env),
            )
        };
        let chosen = |url: &str, name| Some((url.to_owned(), Source::Environment(name)));
        assert_eq!(
            choose_env("https"),
            chosen("http://secure:1", "HTTPS_PROXY")
        );
        assert_eq!(choose_env("http"), chosen("http://all:3", "ALL_PROXY"));
        for name in ["https_proxy", "all_proxy"] {
            let lower = [(name, "http://lower:4")];
            assert_eq!(
                choose(&ProxyConfig::Environment, "https", "h", with_env(&lower)),
                chosen("http://lower:4", name)
            );
        }
        let blank = [("HTTPS_PROXY", " "), ("https_proxy", "http://next:5")];
        assert_eq!(
            choose(&ProxyConfig::Environment, "https", "h", with_env(&blank)),
            chosen("http://next:5", "https_proxy")
        );
        assert_eq!(
            choose(&ProxyConfig::Environment, "https", "h", with_env(&[])),
            None
        );
    }

    #[test]
    fn a_proxy_is_named_with_its_source_and_never_its_credentials() {
        let from_env = parse(
            "http://user:hunter2@127.0.0.1:9",
            Source::Environment("HTTPS_PROXY"),
        )
        .unwrap();
        assert_eq!(from_env.name(), "the proxy 127.0.0.1:9 (from HTTPS_PROXY)");
        assert_eq!(
            from_env.way_around(),
            "or unset HTTPS_PROXY / set NO_PROXY for this host"
        );
        let explicit = parse("http://[::1]:3128", Source::Explicit).unwrap();
        assert_eq!(explicit.name(), "the proxy [::1]:3128 (set explicitly)");
        let err = parse(
            "http://user:hunter2@host:x",
            Source::Environment("all_proxy"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("(from all_proxy)") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[test]
    fn no_proxy_bypasses_matching_hosts() {
        for (list, host, bypass) in [
            ("*", "cloud.mongodb.com", true),
            ("mongodb.com", "cloud.mongodb.com", true),
            (".mongodb.com", "cloud.mongodb.com", true),
            ("*.mongodb.com", "cloud.mongodb.com", true),
            (
                "other.com, cloud.mongodb.com:443",
                "cloud.mongodb.com",
                true,
            ),
            ("godb.com", "cloud.mongodb.com", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("::1", "[::1]", true),
            ("", "cloud.mongodb.com", false),
        ] {
            assert_eq!(bypassed(list, host), bypass, "{list:?} {host}");
        }
        let env = [("HTTPS_PROXY", "http://p:1"), ("no_proxy", "mongodb.com")];
        assert_eq!(
            choose(
                &ProxyConfig::Environment,
                "https",
                "cloud.mongodb.com",
                with_env(&env)
            ),
            None
        );
    }

    #[test]
    fn explicit_settings_ignore_the_environment() {
        let env = [("HTTPS_PROXY", "http://env:1")];
        assert_eq!(
            choose(&ProxyConfig::Disabled, "https", "h", with_env(&env)),
            None
        );
        let url = ProxyConfig::Url("http://mine:2".into());
        assert_eq!(
            choose(&url, "https", "h", with_env(&env)),
            Some(("http://mine:2".to_owned(), Source::Explicit))
        );
    }

    #[test]
    fn bad_proxy_urls_are_not_echoed() {
        for url in [
            "http://user:hunter2@[bad",
            "http://user:hunter2@host:99999",
            "http://user:hunter2@host:x",
            "http://user:hunter2@",
            "http://us%zzer:hunter2@host:1",
            "user:hunter2@[::1",
            "",
        ] {
            let err = parse(url, Source::Explicit).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
            let err = err.to_string();
            assert!(
                err.contains("proxy") && !err.contains("hunter2"),
                "{url}: {err}"
            );
            assert!(err.contains("http://proxy.example.com:3128"), "{err}");
        }
    }

    #[test]
    fn other_kinds_of_proxy_are_refused_by_name() {
        for url in [
            "socks5://127.0.0.1:1080",
            "SOCKS5h://u:p@h:1",
            "https://proxy:443",
        ] {
            let err = parse(url, Source::Explicit).unwrap_err().to_string();
            let scheme = url.split("://").next().unwrap();
            assert!(
                err.contains(&format!("{scheme}:// proxies are not supported")),
                "{err}"
            );
        }
    }

    #[test]
    fn reads_host_port_and_credentials() {
        let plain = parse("http://proxy.example.com:3128", Source::Explicit).unwrap();
        assert_eq!(
            (plain.host.as_str(), plain.port, plain.authorization),
            ("proxy.example.com", 3128, None)
        );
        for (url, host, port) in [
            ("proxy:8080", "proxy", 8080),
            ("HTTP://proxy/", "proxy", 80),
            ("http://127.0.0.1:9/api/atlas/v1.0", "127.0.0.1", 9),
            ("http://[::1]:3128", "::1", 3128),
        ] {
            let proxy = parse(url, Source::Explicit).unwrap();
            assert_eq!((proxy.host.as_str(), proxy.port), (host, port), "{url}");
        }
        let with = parse("http://al%40ice:p%3Ass@proxy:1", Source::Explicit).unwrap();
        let header = with.authorization.as_ref().unwrap().expose().to_owned();
        assert_eq!(
            header,
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode("al@ice:p:ss")
            )
        );
        let shown = format!("{with:?}");
        assert!(
            !shown.contains(&header[6..]) && shown.contains("redacted"),
            "{shown}"
        );
    }
}
