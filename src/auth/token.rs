//! OAuth 2.0 client credentials: the token request, its answer, and the
//! cache that keeps a token until shortly before it expires. No I/O here;
//! time comes in as an argument.

use crate::secret::Secret;
use crate::Error;
use base64::Engine as _;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The token endpoint's path below the host.
pub(crate) const TOKEN_PATH: &str = "/api/oauth/token";
/// The only body the token request ever carries.
pub(crate) const GRANT_BODY: &[u8] = b"grant_type=client_credentials";
/// The token request's content type.
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// Atlas documents a lifetime of one hour; used when an answer names none.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// How long before expiry a token is replaced, at most: a request must not
/// set out with a token that expires on the way.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// `Authorization: Basic base64(client_id:client_secret)`.
pub(crate) fn basic_authorization(client_id: &str, client_secret: &Secret) -> Secret {
    let pair = Secret::new(format!("{client_id}:{}", client_secret.expose()));
    Secret::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair.expose())
    ))
}

/// A token the endpoint granted.
#[derive(Debug)]
pub(crate) struct Grant {
    token: Secret,
    lifetime: Duration,
}

/// Reads a 2xx answer of the token endpoint. Errors never quote the body:
/// it holds the token. The caller wipes `body` afterwards.
pub(crate) fn parse_grant(body: &[u8]) -> Result<Grant, Error> {
    let broken = |what: &str| {
        Error::protocol(format!(
            "the token endpoint's answer {what}, so no access token could be read"
        ))
    };
    let mut json: Value = serde_json::from_slice(body).map_err(|_| broken("is not JSON"))?;
    // Moved, not copied, into a Secret, so no unwiped copy outlives the call.
    let token = match json.get_mut("access_token") {
        Some(Value::String(token)) => Secret::new(std::mem::take(token)),
        _ => return Err(broken("has no usable access_token")),
    };
    if token.expose().is_empty() || !token.expose().bytes().all(|b| b.is_ascii_graphic()) {
        return Err(broken("has no usable access_token"));
    }
    if let Some(kind) = json.get("token_type").and_then(Value::as_str) {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(broken(&format!("has token_type {kind:?}, not Bearer")));
        }
    }
    let lifetime = json
        .get("expires_in")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_LIFETIME, Duration::from_secs);
    Ok(Grant { token, lifetime })
}

/// A cached token, as the header that carries it.
#[derive(Debug, Clone)]
pub(crate) struct Bearer {
    /// `Bearer <token>`.
    pub header: Secret,
    /// Which grant this is, so that a 401 discards only the token it refused.
    pub generation: u64,
}

/// The current token and when to replace it.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    current: Option<(Bearer, Instant)>,
    grants: u64,
}

impl TokenCache {
    /// The cached token, unless it is due for replacement at `now`.
    pub(crate) fn get(&self, now: Instant) -> Option<Bearer> {
        self.current
            .as_ref()
            .filter(|(_, refresh_at)| now < *refresh_at)
            .map(|(bearer, _)| bearer.clone())
    }

    /// Keeps `grant`, obtained at `now`, until shortly before it expires
    /// (a minute early, or halfway through a lifetime shorter than two).
    pub(crate) fn store(&mut self, grant: Grant, now: Instant) -> Bearer {
        self.grants += 1;
        let bearer = Bearer {
            header: Secret::new(format!("Bearer {}", grant.token.expose())),
            generation: self.grants,
        };
        let early = REFRESH_MARGIN.min(grant.lifetime / 2);
        self.current = Some((bearer.clone(), now + (grant.lifetime - early)));
        bearer
    }

    /// Forgets the token of `generation` after the server refused it; a
    /// newer one that another thread fetched meanwhile stays.
    pub(crate) fn discard(&mut self, generation: u64) {
        if self
            .current
            .as_ref()
            .is_some_and(|(bearer, _)| bearer.generation == generation)
        {
            self.current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(seconds: u64) -> Grant {
        parse_grant(
            format!(
                r#"{{"access_token":"tok-{seconds}","token_type":"Bearer","expires_in":{seconds}}}"#
            )
            .as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn basic_header_encodes_id_and_secret() {
        let header = basic_authorization("id", &Secret::new("secret"));
        assert_eq!(header.expose(), "Basic aWQ6c2VjcmV0");
        assert!(!format!("{header:?}").contains("aWQ6"));
    }

    #[test]
    fn keeps_a_token_until_a_minute_before_it_expires() {
        let t0 = Instant::now();
        let mut cache = TokenCache::default();
        assert!(cache.get(t0).is_none());
        let first = cache.store(grant(3600), t0);
        assert_eq!(first.header.expose(), "Bearer tok-3600");
        assert_eq!(
            cache
                .get(t0 + Duration::from_secs(3539))
                .unwrap()
                .generation,
            first.generation
        );
        assert!(cache.get(t0 + Duration::from_secs(3540)).is_none());
    }

    #[test]
    fn short_lived_tokens_are_replaced_halfway() {
        let t0 = Instant::now();
        let mut cache = TokenCache::default();
        cache.store(grant(2), t0);
        assert!(cache.get(t0 + Duration::from_millis(999)).is_some());
        assert!(cache.get(t0 + Duration::from_secs(1)).is_none());
    }

    #[test]
    fn discarding_a_refused_token_keeps_a_newer_one() {
        let t0 = Instant::now();
        let mut cache = TokenCache::default();
        let old = cache.store(grant(3600), t0);
        let new = cache.store(grant(3600), t0);
        cache.discard(old.generation);
        assert_eq!(cache.get(t0).unwrap().generation, new.generation);
        cache.discard(new.generation);
        assert!(cache.get(t0).is_none());
    }

    #[test]
    fn broken_answers_never_quote_the_token() {
        for body in [
            &br#"{"access_token":"secret-tok","token_type":"mac"}"#[..],
            br#"{"access_token":"","expires_in":5}"#,
            br#"{"access_token":"has space"}"#,
            b"secret-tok",
        ] {
            let err = parse_grant(body).unwrap_err().to_string();
            assert!(!err.contains("secret-tok"), "{err}");
        }
        assert_eq!(
            parse_grant(br#"{"access_token":"t"}"#).unwrap().lifetime,
            DEFAULT_LIFETIME
        );
    }
}
