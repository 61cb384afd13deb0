//! `ApiRequest`: one API call described as data, so endpoints are thin
//! functions and the transport needs to know nothing about them.

use crate::Error;
use std::fmt::Write as _;
use ureq::http::Method;

/// A request body and its media type.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// One API call: method, escaped path, query, version, body, and how the
/// transport may treat it.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    /// The `Accept` header, which selects the API version.
    pub accept: &'static str,
    pub body: Option<Body>,
    /// Whether sending it twice does no more than sending it once; calls
    /// that are not are only retried when they surely did not arrive.
    pub idempotent: bool,
    /// Whether `envelope=true` is asked for, so the envelope's status
    /// decides the outcome.
    pub envelope: bool,
}

impl ApiRequest {
    /// A request for `{base_path}/{segments...}`, each segment
    /// percent-escaped. Empty and dot segments are refused: escaping cannot
    /// stop a server from reading `..` as "up one level".
    pub(crate) fn new(
        method: Method,
        base_path: &str,
        accept: &'static str,
        segments: &[&str],
    ) -> Result<Self, Error> {
        let mut path = base_path.to_owned();
        for segment in segments {
            if segment.is_empty() || segment.bytes().all(|b| b == b'.') {
                return Err(Error::invalid(
                    "path",
                    format!("{segment:?} cannot be a path segment"),
                ));
            }
            path.push('/');
            escape_into(&mut path, segment);
        }
        Ok(ApiRequest {
            idempotent: method.is_idempotent(),
            method,
            path,
            query: Vec::new(),
            accept,
            body: None,
            envelope: false,
        })
    }

    /// Adds `name=true` to the query when `on`.
    pub(crate) fn flag(mut self, name: &'static str, on: bool) -> Self {
        if on {
            self.query.push((name, "true".to_owned()));
        }
        self
    }

    /// Asks for `envelope=true` when `on`.
    pub(crate) fn envelope(mut self, on: bool) -> Self {
        self.envelope = on;
        self.flag("envelope", on)
    }

    /// Path and query, as sent on the request line and in Digest's `uri`.
    pub(crate) fn target(&self) -> String {
        let mut target = self.path.clone();
        for (i, (name, value)) in self.query.iter().enumerate() {
            target.push(if i == 0 { '?' } else { '&' });
            escape_into(&mut target, name);
            target.push('=');
            escape_into(&mut target, value);
        }
        target
    }
}

/// Percent-escapes everything but RFC 3986's unreserved characters.
fn escape_into(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_segments_and_builds_the_query() {
        let request = ApiRequest::new(
            Method::DELETE,
            "/api/atlas/v2",
            "application/json",
            &["orgs", "a/b?c", "apiKeys", "é"],
        )
        .unwrap()
        .flag("pretty", true)
        .flag("other", false)
        .envelope(true);
        assert_eq!(
            request.target(),
            "/api/atlas/v2/orgs/a%2Fb%3Fc/apiKeys/%C3%A9?pretty=true&envelope=true"
        );
        assert!(request.envelope && request.idempotent);
        let post = ApiRequest::new(Method::POST, "", "application/json", &["x"]).unwrap();
        assert!(!post.idempotent);
        assert_eq!(post.target(), "/x");
    }

    #[test]
    fn refuses_segments_that_move_through_the_path() {
        for bad in ["", ".", ".."] {
            assert!(ApiRequest::new(Method::GET, "", "application/json", &[bad]).is_err());
        }
    }
}
