//! Which HTTP proxy a client goes through.

use crate::Error;

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
    /// This proxy, e.g. `http://proxy.example.com:3128` or `socks5://127.0.0.1:1080`.
    Url(String),
}

/// The proxy URL to use for `scheme://host`, reading the environment
/// through `env` (a parameter so tests need not change the process's).
pub(crate) fn choose(
    config: &ProxyConfig,
    scheme: &str,
    host: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    match config {
        ProxyConfig::Disabled => None,
        ProxyConfig::Url(url) => Some(url.clone()),
        ProxyConfig::Environment => {
            // Upper-case HTTP_PROXY is ignored, as curl does: a CGI program
            // gets it from the client's `Proxy:` header ("httpoxy").
            let names: &[&str] = if scheme == "https" {
                &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
            } else {
                &["http_proxy", "ALL_PROXY", "all_proxy"]
            };
            let url = names
                .iter()
                .find_map(|name| env(name).filter(|v| !v.trim().is_empty()))?;
            let no_proxy = env("NO_PROXY")
                .or_else(|| env("no_proxy"))
                .unwrap_or_default();
            (!bypassed(&no_proxy, host)).then_some(url)
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

/// The ureq proxy for `url`, with an error that does not echo the URL
/// (it may hold a proxy password).
pub(crate) fn to_ureq(url: &str) -> Result<ureq::Proxy, Error> {
    ureq::Proxy::new(url).map_err(|_| {
        Error::invalid(
            "proxy",
            "is not a proxy URL such as http://proxy.example.com:3128",
        )
    })
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
    fn environment_by_scheme() {
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
        assert_eq!(choose_env("https").as_deref(), Some("http://secure:1"));
        assert_eq!(choose_env("http").as_deref(), Some("http://all:3"));
        let lower = [("https_proxy", "http://lower:4")];
        assert_eq!(
            choose(&ProxyConfig::Environment, "https", "h", with_env(&lower)).as_deref(),
            Some("http://lower:4")
        );
        assert_eq!(
            choose(&ProxyConfig::Environment, "https", "h", with_env(&[])),
            None
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
            choose(&url, "https", "h", with_env(&env)).as_deref(),
            Some("http://mine:2")
        );
    }

    #[test]
    fn bad_proxy_urls_are_not_echoed() {
        let err = to_ureq("http://user:hunter2@[bad").unwrap_err().to_string();
        assert!(err.contains("proxy") && !err.contains("hunter2"), "{err}");
    }
}
