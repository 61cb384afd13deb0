//! HTTP Digest authentication (RFC 7616 / 2617) with a pool of sessions.
//!
//! A session is one server challenge (nonce, opaque, realm, algorithm) and
//! the nonce count (`nc`) reached with it. A request checks a session out,
//! answers it pre-emptively with the next `nc`, and checks it back in once
//! the server has answered, so no two requests in flight ever share a
//! nonce: each session's counts reach the server strictly in order, as
//! servers that check them (Apache's `AuthDigestNcCheck`) demand. A new
//! session costs one challenge, and only when every session is in use; N
//! threads cost at most N challenges, then one round trip per request.

use crate::secret::Secret;
use crate::Error;
use digest_auth::{
    AlgorithmType, AuthContext, AuthorizationHeader, HttpMethod, WwwAuthenticateHeader,
};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};

/// The most idle sessions kept: more than any sane number of threads
/// sharing a client, few enough that a burst cannot grow memory for good.
const MAX_IDLE_SESSIONS: usize = 256;

/// One challenge and the nonce count reached with it; held by one request
/// at a time.
#[derive(Debug)]
pub(crate) struct Session(WwwAuthenticateHeader);

impl Session {
    /// A session for a challenge just received: its first answer is
    /// `nc=00000001`.
    pub(crate) fn new(mut challenge: WwwAuthenticateHeader) -> Self {
        challenge.nc = 0;
        Session(challenge)
    }

    #[cfg(test)]
    pub(crate) fn nc(&self) -> u32 {
        self.0.nc
    }

    /// The session as if `nc` counts had been used already.
    #[cfg(test)]
    pub(crate) fn with_nc(mut self, nc: u32) -> Self {
        self.0.nc = nc;
        self
    }
}

/// Digest credentials and the idle sessions of a client.
#[derive(Debug)]
pub(crate) struct DigestAuth {
    username: String,
    password: Secret,
    idle: Mutex<Vec<Session>>,
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: Secret) -> Self {
        DigestAuth {
            username,
            password,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn username(&self) -> &str {
        &self.username
    }

    /// An idle session for this request alone, or `None` when every
    /// session is in use (the request then earns a challenge of its own).
    /// The most recently used comes first: its nonce is the least likely to
    /// have gone stale. A session whose count is exhausted is dropped.
    pub(crate) fn checkout(&self) -> Option<Session> {
        let mut idle = self.idle();
        while let Some(session) = idle.pop() {
            if session.0.nc < u32::MAX {
                return Some(session);
            }
        }
        None
    }

    /// Returns a session after the server answered a request made with it.
    pub(crate) fn checkin(&self, session: Session) {
        let mut idle = self.idle();
        if idle.len() < MAX_IDLE_SESSIONS {
            idle.push(session);
        }
    }

    /// The `Authorization` value for the session's next use (`nc` + 1).
    pub(crate) fn answer(
        &self,
        session: &mut Session,
        method: &str,
        uri: &str,
    ) -> Result<String, Error> {
        let context = AuthContext::new_with_method(
            self.username.as_str(),
            self.password.expose(),
            uri,
            None::<&[u8]>,
            HttpMethod(Cow::Borrowed(method)),
        );
        session
            .0
            .respond(&context)
            .map(|header| header_string(&header))
            .map_err(|e| Error::protocol(format!("cannot answer the Digest challenge: {e}")))
    }

    /// A poisoned lock only means another thread panicked while moving a
    /// session; the worst outcome of using the list anyway is one extra 401.
    fn idle(&self) -> MutexGuard<'_, Vec<Session>> {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The `Authorization` value for `header`, as digest_auth's own
/// `to_header_string` writes it, into one buffer sized up front: its
/// version builds a string per field and escapes by copying twice, which
/// callgrind showed was a third of a delete's instructions.
fn header_string(header: &AuthorizationHeader) -> String {
    let mut out = String::with_capacity(
        200 + header.username.len()
            + header.realm.len()
            + header.nonce.len()
            + header.uri.len()
            + header.opaque.as_ref().map_or(0, String::len),
    );
    out.push_str("Digest ");
    quoted(&mut out, "username", &header.username);
    out.push_str(", ");
    quoted(&mut out, "realm", &header.realm);
    out.push_str(", ");
    quoted(&mut out, "nonce", &header.nonce);
    out.push_str(", ");
    quoted(&mut out, "uri", &header.uri);
    if let (Some(qop), Some(cnonce)) = (&header.qop, &header.cnonce) {
        let _ = write!(out, ", qop={qop}, nc={:08x}, ", header.nc);
        quoted(&mut out, "cnonce", cnonce);
    }
    out.push_str(", ");
    quoted(&mut out, "response", &header.response);
    if let Some(opaque) = &header.opaque {
        out.push_str(", ");
        quoted(&mut out, "opaque", opaque);
    }
    // As digest_auth does: the default MD5 may be left out without qop.
    if header.qop.is_some() || header.algorithm.algo != AlgorithmType::MD5 {
        let _ = write!(out, ", algorithm={}", header.algorithm);
    }
    if header.userhash {
        out.push_str(", userhash=true");
    }
    out
}

/// `name="value"`, with `\` and `"` escaped.
fn quoted(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str("=\"");
    let mut rest = value;
    while let Some(at) = rest.find(['\\', '"']) {
        out.push_str(&rest[..at]);
        out.push('\\');
        out.push_str(&rest[at..at + 1]);
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(nonce: &str) -> WwwAuthenticateHeader {
        WwwAuthenticateHeader::parse(&format!(
            r#"realm="MMS Public API", nonce="{nonce}", qop="auth", algorithm=MD5"#
        ))
        .unwrap()
    }

    fn auth() -> DigestAuth {
        DigestAuth::new("pub".into(), Secret::new("priv-secret"))
    }

    #[test]
    fn counts_each_session_from_one() {
        let auth = auth();
        assert!(auth.checkout().is_none());
        let mut session = Session::new(challenge("abc"));
        let first = auth.answer(&mut session, "DELETE", "/x").unwrap();
        assert!(first.contains("nc=00000001"), "{first}");
        auth.checkin(session);
        let mut session = auth.checkout().unwrap();
        let second = auth.answer(&mut session, "DELETE", "/x").unwrap();
        assert!(second.contains("nc=00000002"), "{second}");
        assert!(!second.contains("priv-secret"));
        assert!(!format!("{auth:?}").contains("priv-secret"));
    }

    #[test]
    fn a_checked_out_session_is_nobody_else_s() {
        let auth = auth();
        auth.checkin(Session::new(challenge("one")));
        let held = auth.checkout().unwrap();
        assert!(auth.checkout().is_none(), "the only session is in use");
        auth.checkin(Session::new(challenge("two")));
        auth.checkin(held);
        let mut nonces = Vec::new();
        while let Some(mut s) = auth.checkout() {
            let header = auth.answer(&mut s, "DELETE", "/x").unwrap();
            nonces.push(header.contains("nonce=\"one\""));
        }
        assert_eq!(nonces, [true, false], "most recently returned first");
    }

    #[test]
    fn an_exhausted_count_is_never_reused() {
        let auth = auth();
        auth.checkin(Session::new(challenge("spent")).with_nc(u32::MAX));
        assert!(auth.checkout().is_none());
        auth.checkin(Session::new(challenge("last")).with_nc(u32::MAX - 1));
        let mut session = auth.checkout().unwrap();
        let header = auth.answer(&mut session, "DELETE", "/x").unwrap();
        assert!(header.contains("nc=ffffffff"), "{header}");
        assert_eq!(session.nc(), u32::MAX);
        auth.checkin(session);
        assert!(auth.checkout().is_none());
    }

    #[test]
    fn headers_are_written_as_digest_auth_writes_them() {
        for prompt in [
            r#"realm="MMS Public API", nonce="abc", qop="auth", algorithm=MD5"#,
            r#"realm="r \"q\" \\b", nonce="n", opaque="o\"p", qop="auth", algorithm=SHA-256"#,
            r#"realm="legacy", nonce="n2""#,
            r#"realm="r", nonce="n3", algorithm=SHA-256"#,
            r#"realm="r", nonce="n4", qop="auth", algorithm=MD5-sess, userhash=true"#,
        ] {
            let mut challenge = WwwAuthenticateHeader::parse(prompt).unwrap();
            let context = AuthContext::new_with_method(
                "pub",
                "priv",
                "/api/atlas/v1.0/orgs/x?pretty=true",
                None::<&[u8]>,
                HttpMethod(Cow::Borrowed("DELETE")),
            );
            let header = challenge.respond(&context).unwrap();
            assert_eq!(
                header_string(&header),
                header.to_header_string(),
                "{prompt}"
            );
        }
    }

    #[test]
    fn idle_sessions_are_bounded() {
        let auth = auth();
        for i in 0..MAX_IDLE_SESSIONS + 10 {
            auth.checkin(Session::new(challenge(&i.to_string())));
        }
        assert_eq!(auth.idle().len(), MAX_IDLE_SESSIONS);
    }
}
