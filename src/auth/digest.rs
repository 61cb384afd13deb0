//! HTTP Digest authentication (RFC 7616 / 2617) with challenge reuse.
//!
//! After the first 401 the challenge is remembered, and later requests answer
//! it pre-emptively with the next nonce count, so one delete costs one round
//! trip instead of two.

use crate::secret::Secret;
use crate::Error;
use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard};

/// Digest credentials and the challenge shared by all threads using a client.
#[derive(Debug)]
pub(crate) struct DigestAuth {
    username: String,
    password: Secret,
    remembered: Mutex<Option<WwwAuthenticateHeader>>,
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: Secret) -> Self {
        DigestAuth {
            username,
            password,
            remembered: Mutex::new(None),
        }
    }

    pub(crate) fn username(&self) -> &str {
        &self.username
    }

    /// An `Authorization` value answering the remembered challenge with the
    /// next `nc`, or `None` before the first challenge.
    pub(crate) fn preemptive(&self, method: &str, uri: &str) -> Result<Option<String>, Error> {
        let mut remembered = self.lock();
        match remembered.as_mut() {
            Some(challenge) if challenge.nc < u32::MAX => {
                self.respond(challenge, method, uri).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Remembers a fresh challenge and answers it (`nc=00000001`).
    pub(crate) fn answer(
        &self,
        mut challenge: WwwAuthenticateHeader,
        method: &str,
        uri: &str,
    ) -> Result<String, Error> {
        challenge.nc = 0;
        let header = self.respond(&mut challenge, method, uri)?;
        *self.lock() = Some(challenge);
        Ok(header)
    }

    fn respond(
        &self,
        challenge: &mut WwwAuthenticateHeader,
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
        challenge
            .respond(&context)
            .map(|header| header.to_header_string())
            .map_err(|e| Error::Protocol(format!("cannot answer the Digest challenge: {e}")))
    }

    /// A poisoned lock only means another thread panicked mid-update of a
    /// cache entry; the worst outcome of using it is one extra 401.
    fn lock(&self) -> MutexGuard<'_, Option<WwwAuthenticateHeader>> {
        self.remembered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge() -> WwwAuthenticateHeader {
        WwwAuthenticateHeader::parse(
            r#"realm="MMS Public API", nonce="abc", qop="auth", algorithm=MD5"#,
        )
        .unwrap()
    }

    #[test]
    fn counts_nonce_uses_from_one() {
        let auth = DigestAuth::new("pub".into(), Secret::new("priv-secret"));
        assert_eq!(auth.preemptive("DELETE", "/x").unwrap(), None);
        let first = auth.answer(challenge(), "DELETE", "/x").unwrap();
        assert!(first.contains("nc=00000001"), "{first}");
        let second = auth.preemptive("DELETE", "/x").unwrap().unwrap();
        assert!(second.contains("nc=00000002"), "{second}");
        assert!(!second.contains("priv-secret"));
        assert!(!format!("{auth:?}").contains("priv-secret"));
    }
}
