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
    AlgorithmType, AuthContext, AuthorizationHeader, HttpMethod, Qop, WwwAuthenticateHeader,
};
use md5::Digest;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};

/// The most idle sessions kept: more than any sane number of threads
/// sharing a client, few enough that a burst cannot grow memory for good.
const MAX_IDLE_SESSIONS: usize = 256;

/// One challenge and the nonce count reached with it; held by one request
/// at a time.
#[derive(Debug)]
pub(crate) struct Session {
    challenge: WwwAuthenticateHeader,
    /// H(A1) = H(user:realm:password), the same for every answer to this
    /// challenge: password-equivalent, so a Secret.
    ha1: Option<Secret>,
}

impl Session {
    /// A session for a challenge just received: its first answer is
    /// `nc=00000001`.
    pub(crate) fn new(mut challenge: WwwAuthenticateHeader) -> Self {
        challenge.nc = 0;
        Session {
            challenge,
            ha1: None,
        }
    }

    #[cfg(test)]
    pub(crate) fn nc(&self) -> u32 {
        self.challenge.nc
    }

    /// The session as if `nc` counts had been used already.
    #[cfg(test)]
    pub(crate) fn with_nc(mut self, nc: u32) -> Self {
        self.challenge.nc = nc;
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
            if session.challenge.nc < u32::MAX {
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
        if let Some(header) = self.answer_common(session, method, uri) {
            return Ok(header_string(&header));
        }
        let context = AuthContext::new_with_method(
            self.username.as_str(),
            self.password.expose(),
            uri,
            None::<&[u8]>,
            HttpMethod(Cow::Borrowed(method)),
        );
        session
            .challenge
            .respond(&context)
            .map(|header| header_string(&header))
            .map_err(|e| Error::protocol(format!("cannot answer the Digest challenge: {e}")))
    }

    /// The answer to what Atlas (and most servers) send, MD5 or SHA-256
    /// with `qop="auth"` or none, computed here with H(A1) kept per
    /// session: two hashes per request instead of digest_auth's three, and
    /// none of its formatting (callgrind: a quarter of a delete's
    /// instructions). `None` for anything else, which digest_auth answers.
    fn answer_common(
        &self,
        session: &mut Session,
        method: &str,
        uri: &str,
    ) -> Option<AuthorizationHeader> {
        let challenge = &session.challenge;
        let qop = match &challenge.qop {
            None => None,
            Some(offered) if offered.contains(&Qop::AUTH) && !offered.contains(&Qop::AUTH_INT) => {
                Some(Qop::AUTH)
            }
            Some(_) => return None,
        };
        let sha256 = match (challenge.algorithm.algo, challenge.algorithm.sess) {
            _ if challenge.userhash => return None,
            (AlgorithmType::MD5, false) => false,
            (AlgorithmType::SHA2_256, false) => true,
            _ => return None,
        };
        let ha1 = session.ha1.get_or_insert_with(|| {
            let a1 = Secret::new(format!(
                "{}:{}:{}",
                self.username,
                challenge.realm,
                self.password.expose()
            ));
            Secret::new(hex_hash(sha256, &[a1.expose()]))
        });
        session.challenge.nc = session.challenge.nc.checked_add(1)?;
        let challenge = &session.challenge;
        let ha2 = hex_hash(sha256, &[method, ":", uri]);
        let cnonce = random_cnonce();
        let nc = format!("{:08x}", challenge.nc);
        let response = match qop {
            Some(_) => hex_hash(
                sha256,
                &[
                    ha1.expose(),
                    ":",
                    &challenge.nonce,
                    ":",
                    &nc,
                    ":",
                    &cnonce,
                    ":auth:",
                    &ha2,
                ],
            ),
            None => hex_hash(sha256, &[ha1.expose(), ":", &challenge.nonce, ":", &ha2]),
        };
        Some(AuthorizationHeader {
            realm: challenge.realm.clone(),
            nonce: challenge.nonce.clone(),
            opaque: challenge.opaque.clone(),
            userhash: false,
            algorithm: challenge.algorithm,
            response,
            username: self.username.clone(),
            uri: uri.to_owned(),
            qop,
            cnonce: qop.map(|_| cnonce),
            nc: challenge.nc,
        })
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

/// Lower-case hex digits; `write!` with `{:02x}` costs more than the hash.
const HEX: [char; 16] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
];

/// Lower-case hex of the MD5 (or SHA-256) of `parts` joined.
fn hex_hash(sha256: bool, parts: &[&str]) -> String {
    fn hex<D: Digest>(parts: &[&str]) -> String {
        let mut hasher = D::new();
        for part in parts {
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let mut out = String::with_capacity(digest.len() * 2);
        for byte in digest {
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        }
        out
    }
    if sha256 {
        hex::<sha2::Sha256>(parts)
    } else {
        hex::<md5::Md5>(parts)
    }
}

/// 128 random bits in hex, as digest_auth makes its client nonces. It
/// needs to be unpredictable to the server, not secret: std's randomly
/// keyed hasher provides that without another dependency.
fn random_cnonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::with_capacity(32);
    for _ in 0..2 {
        let bits = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let _ = write!(out, "{bits:016x}");
    }
    out
}

/// `name="value"`, with `\` and `"` escaped.
fn quoted(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str("=\"");
    let mut rest = value;
    while let Some(at) = rest.bytes().position(|b| b == b'\\' || b == b'"') {
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
    fn the_common_answer_is_the_one_digest_auth_computes() {
        let auth = auth();
        for prompt in [
            r#"realm="MMS Public API", nonce="669gyxpgL6MGDuSZvQ80Spv3k+Jc99ed", algorithm=MD5, qop="auth""#,
            r#"realm="r", nonce="n", opaque="op", qop="auth", algorithm=SHA-256"#,
            r#"realm="legacy \"q\"", nonce="n2""#,
            r#"realm="r", nonce="n3", algorithm=SHA-256"#,
        ] {
            let mut session = Session::new(WwwAuthenticateHeader::parse(prompt).unwrap());
            for _ in 0..3 {
                let ours = auth
                    .answer(&mut session, "DELETE", "/x?pretty=true")
                    .unwrap();
                let parsed = AuthorizationHeader::parse(&ours).unwrap();
                let mut theirs = WwwAuthenticateHeader::parse(prompt).unwrap();
                theirs.nc = parsed.nc - 1;
                let mut context = AuthContext::new_with_method(
                    "pub",
                    "priv-secret",
                    "/x?pretty=true",
                    None::<&[u8]>,
                    HttpMethod(Cow::Borrowed("DELETE")),
                );
                if let Some(cnonce) = &parsed.cnonce {
                    context.set_custom_cnonce(cnonce.clone());
                }
                let expected = header_string(&theirs.respond(&context).unwrap());
                assert_eq!(ours, expected, "{prompt}");
            }
            assert_eq!(session.nc(), 3);
            assert!(session.ha1.is_some(), "{prompt}");
            assert!(!format!("{session:?}").contains(session.ha1.as_ref().unwrap().expose()));
        }
    }

    #[test]
    fn other_challenges_are_left_to_digest_auth() {
        let auth = auth();
        for prompt in [
            r#"realm="r", nonce="n", qop="auth", algorithm=MD5-sess"#,
            r#"realm="r", nonce="n", qop="auth,auth-int", algorithm=MD5"#,
            r#"realm="r", nonce="n", qop="auth", algorithm=SHA-512-256"#,
            r#"realm="r", nonce="n", qop="auth", algorithm=SHA-256, userhash=true"#,
        ] {
            let mut session = Session::new(WwwAuthenticateHeader::parse(prompt).unwrap());
            assert!(
                auth.answer_common(&mut session, "DELETE", "/x").is_none(),
                "{prompt}"
            );
            assert!(
                auth.answer(&mut session, "DELETE", "/x").is_ok(),
                "{prompt}"
            );
            assert!(session.ha1.is_none());
        }
    }

    #[test]
    fn client_nonces_differ() {
        let (a, b) = (random_cnonce(), random_cnonce());
        assert_eq!((a.len(), b.len()), (32, 32));
        assert_ne!(a, b);
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
