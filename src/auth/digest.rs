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
//!
//! Sessions belong to the process that received their challenge: a forked
//! child forgets those it inherited, whose counts its parent goes on
//! using (see [`crate::fork`]).

use crate::fork::{self, Generation};
use crate::secret::Secret;
use crate::Error;
use digest_auth::{
    Algorithm, AlgorithmType, AuthContext, AuthorizationHeader, HttpMethod, Qop,
    WwwAuthenticateHeader,
};
use md5::Digest;
use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard};

/// The most idle sessions kept: more than any sane number of threads
/// sharing a client, few enough that a burst cannot grow memory for good.
const MAX_IDLE_SESSIONS: usize = 256;

/// One challenge and the nonce count reached with it; held by one request
/// at a time.
#[derive(Debug)]
pub(crate) struct Session {
    challenge: WwwAuthenticateHeader,
    /// What the common answer to this challenge keeps from one request to
    /// the next; made at its first use.
    common: Option<Common>,
    /// The fork generation of the process that received the challenge.
    generation: u64,
}

/// The parts of the common answer (MD5 or SHA-256, `qop=auth` or none)
/// that are the same for every request made with one challenge.
#[derive(Debug)]
struct Common {
    sha256: bool,
    qop: bool,
    /// H(A1) = H(user:realm:password) in hex: password-equivalent, so a
    /// Secret.
    ha1: Secret,
    /// `Digest username="…", realm="…", nonce="…", uri="`.
    head: String,
    /// What follows the response: `, opaque="…"` and the algorithm.
    tail: String,
}

impl Session {
    /// A session for a challenge just received by a process of fork
    /// generation `generation`: its first answer is `nc=00000001`.
    fn new(mut challenge: WwwAuthenticateHeader, generation: u64) -> Self {
        challenge.nc = 0;
        Session {
            challenge,
            common: None,
            generation,
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
    idle: Mutex<Idle>,
    /// The process's fork generation, which sessions are stamped with.
    forks: &'static Generation,
}

/// The idle sessions and the fork generation they were pooled in.
#[derive(Debug)]
struct Idle {
    sessions: Vec<Session>,
    generation: u64,
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: Secret) -> Self {
        Self::watching(username, password, fork::process())
    }

    /// Credentials whose sessions belong to the process of `forks`.
    fn watching(username: String, password: Secret, forks: &'static Generation) -> Self {
        DigestAuth {
            username,
            password,
            idle: Mutex::new(Idle {
                sessions: Vec::new(),
                generation: forks.current(),
            }),
            forks,
        }
    }

    /// A session for `challenge`, just received by this process.
    pub(crate) fn session(&self, challenge: WwwAuthenticateHeader) -> Session {
        Session::new(challenge, self.forks.current())
    }

    pub(crate) fn username(&self) -> &str {
        &self.username
    }

    /// An idle session for this request alone, or `None` when every
    /// session is in use (the request then earns a challenge of its own).
    /// The most recently used comes first: its nonce is the least likely to
    /// have gone stale. A session whose count is exhausted is dropped.
    /// Sessions pooled before this process was forked are its parent's,
    /// and are forgotten.
    pub(crate) fn checkout(&self) -> Option<Session> {
        let _held = fork::hold_off();
        let idle = &mut self.idle().sessions;
        while let Some(session) = idle.pop() {
            if session.challenge.nc < u32::MAX {
                return Some(session);
            }
        }
        None
    }

    /// Returns a session after the server answered a request made with it;
    /// one from before this process was forked is dropped.
    pub(crate) fn checkin(&self, session: Session) {
        if session.generation != self.forks.current() {
            return;
        }
        let _held = fork::hold_off();
        let idle = &mut self.idle().sessions;
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
            return Ok(header);
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
    /// with `qop="auth"` or none, computed here rather than by digest_auth
    /// (callgrind: it cost a quarter of a delete's instructions): H(A1) and
    /// the header around the per-request fields are made once per session,
    /// so a request costs H(A2), the response hash and one header written
    /// with no formatting machinery. `None` for anything else, which
    /// digest_auth answers.
    fn answer_common(&self, session: &mut Session, method: &str, uri: &str) -> Option<String> {
        if session.common.is_none() {
            session.common = Some(self.common(&session.challenge)?);
        }
        session.challenge.nc = session.challenge.nc.checked_add(1)?;
        let common = session.common.as_ref()?;
        let nonce = &session.challenge.nonce;
        let nc = hex_u32(session.challenge.nc);
        let ha2 = Hex::digest(common.sha256, &[method.as_bytes(), b":", uri.as_bytes()]);
        let ha1 = common.ha1.expose().as_bytes();
        let mut out =
            String::with_capacity(common.head.len() + common.tail.len() + 2 * uri.len() + 200);
        out.push_str(&common.head);
        escape_into(&mut out, uri);
        let response = if common.qop {
            let cnonce = random_cnonce();
            let response = Hex::digest(
                common.sha256,
                &[
                    ha1,
                    b":",
                    nonce.as_bytes(),
                    b":",
                    &nc,
                    b":",
                    &cnonce,
                    b":auth:",
                    ha2.bytes(),
                ],
            );
            out.push_str("\", qop=auth, nc=");
            out.push_str(ascii(&nc));
            out.push_str(", cnonce=\"");
            out.push_str(ascii(&cnonce));
            response
        } else {
            Hex::digest(
                common.sha256,
                &[ha1, b":", nonce.as_bytes(), b":", ha2.bytes()],
            )
        };
        out.push_str("\", response=\"");
        out.push_str(ascii(response.bytes()));
        out.push('"');
        out.push_str(&common.tail);
        Some(out)
    }

    /// The fixed parts of the common answer to `challenge`, or `None` when
    /// it asks for something else (`-sess`, `auth-int` only, SHA-512-256,
    /// `userhash`).
    fn common(&self, challenge: &WwwAuthenticateHeader) -> Option<Common> {
        let qop = match &challenge.qop {
            None => false,
            Some(offered) if offered.contains(&Qop::AUTH) && !offered.contains(&Qop::AUTH_INT) => {
                true
            }
            Some(_) => return None,
        };
        let sha256 = match (challenge.algorithm.algo, challenge.algorithm.sess) {
            _ if challenge.userhash => return None,
            (AlgorithmType::MD5, false) => false,
            (AlgorithmType::SHA2_256, false) => true,
            _ => return None,
        };
        let ha1 = Hex::digest(
            sha256,
            &[
                self.username.as_bytes(),
                b":",
                challenge.realm.as_bytes(),
                b":",
                self.password.expose().as_bytes(),
            ],
        );
        let mut head = String::new();
        head.push_str("Digest ");
        quoted(&mut head, "username", &self.username);
        head.push_str(", ");
        quoted(&mut head, "realm", &challenge.realm);
        head.push_str(", ");
        quoted(&mut head, "nonce", &challenge.nonce);
        head.push_str(", uri=\"");
        let mut tail = String::new();
        if let Some(opaque) = &challenge.opaque {
            tail.push_str(", ");
            quoted(&mut tail, "opaque", opaque);
        }
        // As digest_auth writes it: the default MD5 may be left out without qop.
        if qop || sha256 {
            tail.push_str(", algorithm=");
            tail.push_str(algorithm_name(&challenge.algorithm));
        }
        Some(Common {
            sha256,
            qop,
            ha1: Secret::new(ascii(ha1.bytes())),
            head,
            tail,
        })
    }

    /// The idle sessions of this process, under the lock; those pooled
    /// before a fork are dropped first. Callers hold forks off while they
    /// hold it ([`fork::hold_off`]).
    fn idle(&self) -> MutexGuard<'_, Idle> {
        // A poisoned lock only means another thread panicked while moving a
        // session; the worst outcome of using the list anyway is one extra
        // 401.
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let generation = self.forks.current();
        if idle.generation != generation {
            idle.sessions.clear();
            idle.generation = generation;
        }
        idle
    }
}

/// The `Authorization` value for `header`, as digest_auth's own
/// `to_header_string` writes it, into one buffer sized up front: its
/// version builds a string per field and escapes by copying twice. Used
/// for the challenges digest_auth answers.
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
        out.push_str(", qop=");
        out.push_str(match qop {
            Qop::AUTH => "auth",
            Qop::AUTH_INT => "auth-int",
        });
        out.push_str(", nc=");
        out.push_str(ascii(&hex_u32(header.nc)));
        out.push_str(", ");
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
        out.push_str(", algorithm=");
        out.push_str(algorithm_name(&header.algorithm));
    }
    if header.userhash {
        out.push_str(", userhash=true");
    }
    out
}

/// An algorithm's name as digest_auth's `Display` writes it.
fn algorithm_name(algorithm: &Algorithm) -> &'static str {
    match (algorithm.algo, algorithm.sess) {
        (AlgorithmType::MD5, false) => "MD5",
        (AlgorithmType::MD5, true) => "MD5-sess",
        (AlgorithmType::SHA2_256, false) => "SHA-256",
        (AlgorithmType::SHA2_256, true) => "SHA-256-sess",
        (AlgorithmType::SHA2_512_256, false) => "SHA-512-256",
        (AlgorithmType::SHA2_512_256, true) => "SHA-512-256-sess",
    }
}

/// Lower-case hex digits; `write!` with `{:02x}` costs more than the hash.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A digest in lower-case hex, on the stack: 32 digits for MD5, 64 for
/// SHA-256.
struct Hex {
    digits: [u8; 64],
    len: usize,
}

impl Hex {
    /// The hex digest of `parts` joined, MD5 or SHA-256.
    fn digest(sha256: bool, parts: &[&[u8]]) -> Hex {
        fn hex<D: Digest>(parts: &[&[u8]]) -> Hex {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            let mut out = Hex {
                digits: [0; 64],
                len: 0,
            };
            for byte in hasher.finalize() {
                out.digits[out.len] = HEX[usize::from(byte >> 4)];
                out.digits[out.len + 1] = HEX[usize::from(byte & 0xf)];
                out.len += 2;
            }
            out
        }
        if sha256 {
            hex::<sha2::Sha256>(parts)
        } else {
            hex::<md5::Md5>(parts)
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.digits[..self.len]
    }
}

/// `n` as 8 hex digits, as Digest's `nc` is written.
fn hex_u32(n: u32) -> [u8; 8] {
    let mut out = [0; 8];
    for (i, digit) in out.iter_mut().enumerate() {
        *digit = HEX[((n >> (28 - 4 * i)) & 0xf) as usize];
    }
    out
}

/// Hex digits as text; they are ASCII by construction.
fn ascii(digits: &[u8]) -> &str {
    std::str::from_utf8(digits).unwrap_or_default()
}

/// 128 random bits in hex, as digest_auth makes its client nonces. It
/// needs to be unpredictable to the server, not secret: std's randomly
/// keyed hasher provides that without another dependency.
fn random_cnonce() -> [u8; 32] {
    use std::hash::{BuildHasher, Hasher};
    let mut out = [0; 32];
    for half in out.chunks_mut(16) {
        let bits = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        for (i, digit) in half.iter_mut().enumerate() {
            *digit = HEX[((bits >> (60 - 4 * i)) & 0xf) as usize];
        }
    }
    out
}

/// `name="value"`, with `\` and `"` escaped.
fn quoted(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value);
    out.push('"');
}

/// `value` with `\` and `"` escaped, as in a quoted string.
fn escape_into(out: &mut String, value: &str) {
    // Checked without an early exit, which the compiler vectorizes: the
    // common case (a request URI) has nothing to escape.
    let plain = value
        .bytes()
        .fold(true, |plain, b| plain & (b != b'\\') & (b != b'"'));
    if plain {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
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
        let mut session = auth.session(challenge("abc"));
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
        auth.checkin(auth.session(challenge("one")));
        let held = auth.checkout().unwrap();
        assert!(auth.checkout().is_none(), "the only session is in use");
        auth.checkin(auth.session(challenge("two")));
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
        auth.checkin(auth.session(challenge("spent")).with_nc(u32::MAX));
        assert!(auth.checkout().is_none());
        auth.checkin(auth.session(challenge("last")).with_nc(u32::MAX - 1));
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
            let mut session = auth.session(WwwAuthenticateHeader::parse(prompt).unwrap());
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
            let ha1 = session.common.as_ref().expect(prompt).ha1.expose();
            assert!(!format!("{session:?}").contains(ha1));
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
            let mut session = auth.session(WwwAuthenticateHeader::parse(prompt).unwrap());
            assert!(
                auth.answer_common(&mut session, "DELETE", "/x").is_none(),
                "{prompt}"
            );
            assert!(
                auth.answer(&mut session, "DELETE", "/x").is_ok(),
                "{prompt}"
            );
            assert!(session.common.is_none());
        }
    }

    #[test]
    fn client_nonces_differ() {
        let (a, b) = (random_cnonce(), random_cnonce());
        assert_ne!(a, b);
        assert!(a.iter().all(u8::is_ascii_hexdigit), "{a:?}");
    }

    #[test]
    fn hex_without_fmt() {
        for n in [0, 1, 0xabc, u32::MAX] {
            assert_eq!(ascii(&hex_u32(n)), format!("{n:08x}"));
        }
        let md5 = Hex::digest(false, &[b"a", b"bc"]);
        assert_eq!(ascii(md5.bytes()), "900150983cd24fb0d6963f7d28e17f72");
        let sha = Hex::digest(true, &[b"abc"]);
        assert_eq!(
            ascii(sha.bytes()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut out = String::new();
        escape_into(&mut out, r#"a"b\c/é"#);
        assert_eq!(out, r#"a\"b\\c/é"#);
    }

    #[test]
    fn a_forked_child_never_answers_its_parent_s_nonces() {
        static FORKS: Generation = Generation::new();
        let auth = DigestAuth::watching("pub".into(), Secret::new("priv-secret"), &FORKS);
        auth.checkin(auth.session(challenge("pooled")));
        auth.checkin(auth.session(challenge("in-flight")));
        let in_flight = auth.checkout().unwrap();
        FORKS.advance();
        assert!(
            auth.checkout().is_none(),
            "the parent's session was forgotten"
        );
        auth.checkin(in_flight);
        assert!(
            auth.checkout().is_none(),
            "a session checked out before the fork is not pooled after it"
        );
        auth.checkin(auth.session(challenge("child")));
        let mut own = auth.checkout().unwrap();
        let header = auth.answer(&mut own, "DELETE", "/x").unwrap();
        assert!(
            header.contains("nonce=\"child\"") && header.contains("nc=00000001"),
            "{header}"
        );
    }

    #[test]
    fn idle_sessions_are_bounded() {
        let auth = auth();
        for i in 0..MAX_IDLE_SESSIONS + 10 {
            auth.checkin(auth.session(challenge(&i.to_string())));
        }
        assert_eq!(auth.idle().sessions.len(), MAX_IDLE_SESSIONS);
    }
}
