//! Checking a base URL or host and splitting it into origin and path.

use crate::Error;
use ::http::Uri;
use std::net::IpAddr;

/// A checked base URL or host.
#[derive(Debug)]
pub(super) struct Parsed {
    /// `https://host:port`.
    pub origin: String,
    /// The path, without a trailing slash.
    pub path: String,
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The host name or address, for choosing a proxy.
    pub host: String,
}

/// Checks `url` (the setting `name`) and splits it, refusing plain http to
/// hosts other than loopback unless `insecure_ok`.
pub(super) fn split(name: &'static str, url: &str, insecure_ok: bool) -> Result<Parsed, Error> {
    let shown = without_userinfo(url);
    let bad = |why: &str| Error::invalid(name, format!("{shown:?} {why}"));
    let uri: Uri = url
        .parse()
        .map_err(|_| bad("is not a URL such as https://cloud.mongodb.com/api/atlas/v1.0"))?;
    let scheme = match uri.scheme_str() {
        Some("http") => "http",
        Some("https") => "https",
        _ => return Err(bad("must start with https:// (or http://)")),
    };
    let authority = uri.authority().ok_or_else(|| bad("has no host"))?;
    if authority.as_str().contains('@') {
        return Err(bad("must not carry credentials; set the API key instead"));
    }
    if uri.query().is_some() {
        return Err(bad("must not have a query string"));
    }
    if scheme == "http" && !insecure_ok && !is_loopback(authority.host()) {
        return Err(bad(
            "uses plain http to a host that is not loopback; use https, or allow insecure http explicitly",
        ));
    }
    Ok(Parsed {
        origin: format!("{scheme}://{authority}"),
        path: uri.path().trim_end_matches('/').to_owned(),
        scheme,
        host: authority.host().to_owned(),
    })
}

/// `url` as messages may show it: a `user:password@` before the host is
/// replaced by `***@`, since the password is a secret whatever the URL's
/// other faults.
fn without_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    match url[after_scheme..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..after_scheme], &url[after_scheme + at..]).into(),
        None => url.into(),
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_never_shown() {
        for url in [
            "https://user:s3cr3t@127.0.0.1/x",
            "https://user:s3cr3t@cloud.mongodb.com",
            "ftp://user:s3cr3t@host/",
            "https://user:s3cr3t@bad host/",
        ] {
            let message = split("base_url", url, false).unwrap_err().to_string();
            assert!(!message.contains("s3cr3t"), "{message}");
            assert!(message.contains("***@"), "{message}");
        }
        assert_eq!(without_userinfo("https://a.b/c@d"), "https://a.b/c@d");
    }

    #[test]
    fn keeps_origin_and_path_apart() {
        let parsed = split("base_url", "http://127.0.0.1:8080/api/public/v1.0/", false).unwrap();
        assert_eq!(parsed.origin, "http://127.0.0.1:8080");
        assert_eq!(parsed.path, "/api/public/v1.0");
        assert_eq!((parsed.scheme, parsed.host.as_str()), ("http", "127.0.0.1"));
        let host = split("host", "https://cloud.mongodb.com/", false).unwrap();
        assert_eq!(
            (host.origin.as_str(), host.path.as_str()),
            ("https://cloud.mongodb.com", "")
        );
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        for url in [
            "http://127.0.0.1:1/x",
            "http://127.3.4.5/x",
            "http://[::1]:8/x",
            "http://LOCALHOST/x",
        ] {
            assert!(split("host", url, false).is_ok(), "{url}");
        }
        let err = split("host", "http://ops.example.com:8080/", false).unwrap_err();
        assert!(err.to_string().contains("plain http") && err.to_string().contains("`host`"));
        assert!(split("host", "http://ops.example.com:8080/", true).is_ok());
    }

    #[test]
    fn refuses_bad_urls() {
        for url in [
            "",
            "cloud.mongodb.com",
            "ftp://x/y",
            "https://u:p@h/x",
            "https://h/x?y=1",
        ] {
            let err = split("base_url", url, false).unwrap_err();
            assert!(err.to_string().contains("base_url"), "{url}: {err}");
        }
    }
}
