//! `ApiRequest`: one API call described as data, so endpoints are thin
//! functions and the transport needs to know nothing about them.

use crate::{CallOptions, Error, Method};
use std::borrow::Cow;

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
    query: Vec<(Cow<'static, str>, String)>,
    /// The `Accept` header, which selects the API version.
    pub accept: Cow<'static, str>,
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
        // Room for every segment escaped at worst: one allocation.
        let most = segments.iter().map(|s| 1 + 3 * s.len()).sum::<usize>();
        let mut path = String::with_capacity(base_path.len() + most);
        path.push_str(base_path);
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
        Ok(Self::with_path(method, path, accept))
    }

    /// A request for `path`, which the caller has already checked and
    /// escaped (see [`crate::call`]).
    pub(crate) fn with_path(method: Method, path: String, accept: &'static str) -> Self {
        ApiRequest {
            idempotent: method.is_idempotent(),
            method,
            path,
            query: Vec::new(),
            accept: Cow::Borrowed(accept),
            body: None,
            envelope: false,
        }
    }

    /// Adds `name=value` to the query.
    pub(crate) fn query(mut self, name: impl Into<Cow<'static, str>>, value: String) -> Self {
        self.query.push((name.into(), value));
        self
    }

    /// Adds `name=true` to the query when `on`.
    pub(crate) fn flag(self, name: &'static str, on: bool) -> Self {
        if on {
            self.query(name, "true".to_owned())
        } else {
            self
        }
    }

    /// Applies the options every call takes: `pretty`, `envelope` and a
    /// media type in place of the client's.
    pub(crate) fn options(mut self, options: &CallOptions) -> Self {
        if let Some(accept) = &options.accept {
            self.accept = Cow::Owned(accept.clone());
        }
        self.envelope = options.envelope;
        self.flag("pretty", options.pretty)
            .flag("envelope", options.envelope)
    }

    /// Sends `bytes` as a JSON body.
    pub(crate) fn json(mut self, bytes: Vec<u8>) -> Self {
        self.body = Some(Body {
            content_type: "application/json",
            bytes,
        });
        self
    }

    /// The path, without the query: what messages name.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// Path and query, as sent on the request line and in Digest's `uri`.
    pub(crate) fn target(&self) -> String {
        let query = self
            .query
            .iter()
            .map(|(name, value)| 2 + 3 * (name.len() + value.len()))
            .sum::<usize>();
        let mut target = String::with_capacity(self.path.len() + query);
        target.push_str(&self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            target.push(if i == 0 { '?' } else { '&' });
            escape_into(&mut target, name);
            target.push('=');
            escape_into(&mut target, value);
        }
        target
    }
}

/// Which bytes RFC 3986 calls unreserved: letters, digits, `-._~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Percent-escapes everything but RFC 3986's unreserved characters.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    // IDs, the common case, have nothing to escape: one copy.
    if text.bytes().all(|b| UNRESERVED[usize::from(b)]) {
        out.push_str(text);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if UNRESERVED[usize::from(b)] {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_segments_and_builds_the_query() {
        let request = ApiRequest::new(
            Method::Delete,
            "/api/atlas/v2",
            "application/json",
            &["orgs", "a/b?c", "apiKeys", "é"],
        )
        .unwrap()
        .flag("other", false)
        .options(&CallOptions::new().pretty(true).envelope(true));
        assert_eq!(
            request.target(),
            "/api/atlas/v2/orgs/a%2Fb%3Fc/apiKeys/%C3%A9?pretty=true&envelope=true"
        );
        assert!(request.envelope && request.idempotent);
        let post = ApiRequest::new(Method::Post, "", "application/json", &["x"]).unwrap();
        assert!(!post.idempotent);
        assert_eq!(post.target(), "/x");
    }

    #[test]
    fn a_media_type_given_for_the_call_replaces_the_clients() {
        let request = ApiRequest::new(Method::Get, "", "application/json", &["x"])
            .unwrap()
            .options(&CallOptions::new().accept("application/vnd.atlas.2024-08-05+json"));
        assert_eq!(request.accept, "application/vnd.atlas.2024-08-05+json");
        assert!(!request.envelope);
    }

    #[test]
    fn refuses_segments_that_move_through_the_path() {
        for bad in ["", ".", ".."] {
            assert!(ApiRequest::new(Method::Get, "", "application/json", &[bad]).is_err());
        }
    }
}
