//! OAuth 2.0 client credentials: the token request, its answer, the
//! cache that keeps a token until shortly before it expires, and what a
//! closing client revokes. No I/O here; time and the process ID come in
//! as arguments.

use crate::secret::Secret;
use crate::Error;
use base64::Engine as _;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The token endpoint's path below the host.
pub(crate) const TOKEN_PATH: &str = "/api/oauth/token";
/// The only body the token request ever carries.
pub(crate) const GRANT_BODY: &[u8] = b"grant_type=client_credentials";
/// The revocation endpoint's path below the host (RFC 7009).
pub(crate) const REVOKE_PATH: &str = "/api/oauth/revoke";
/// What follows the escaped token in a revocation's form body.
pub(crate) const REVOKE_HINT: &str = "&token_type_hint=access_token";
/// What precedes it.
pub(crate) const REVOKE_TOKEN_FIELD: &str = "token=";
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

/// The token in use, and what its revocation needs to know.
#[derive(Debug)]
struct Current {
    bearer: Bearer,
    /// The token alone, for its revocation.
    token: Secret,
    refresh_at: Instant,
    expires_at: Instant,
    /// The process that minted it. A child forked from that process may
    /// use the token it inherited, but revoking it would cut the parent
    /// off: only the minting process revokes.
    minted_by: u32,
}

/// What a closing client does about its token.
#[derive(Debug)]
pub(crate) enum Surrendered {
    /// No token, or one already expired: nothing to revoke.
    Nothing,
    /// A token another process minted (this one was forked from it): it
    /// is forgotten here and left valid for that process.
    Inherited,
    /// A token this process minted, now forgotten: revoke it.
    Revoke(Secret),
}

/// The current token and when to replace it.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    current: Option<Current>,
    grants: u64,
}

impl TokenCache {
    /// The cached token, unless it is due for replacement at `now`.
    pub(crate) fn get(&self, now: Instant) -> Option<Bearer> {
        self.current
            .as_ref()
            .filter(|current| now < current.refresh_at)
            .map(|current| current.bearer.clone())
    }

    /// Keeps `grant`, obtained at `now` by process `pid`, until shortly
    /// before it expires (a minute early, or halfway through a lifetime
    /// shorter than two).
    pub(crate) fn store(&mut self, grant: Grant, now: Instant, pid: u32) -> Bearer {
        self.grants += 1;
        let bearer = Bearer {
            header: Secret::new(format!("Bearer {}", grant.token.expose())),
            generation: self.grants,
        };
        let early = REFRESH_MARGIN.min(grant.lifetime / 2);
        self.current = Some(Current {
            bearer: bearer.clone(),
            token: grant.token,
            refresh_at: now + (grant.lifetime - early),
            expires_at: now + grant.lifetime,
            minted_by: pid,
        });
        bearer
    }

    /// Forgets the token of `generation` after the server refused it; a
    /// newer one that another thread fetched meanwhile stays.
    pub(crate) fn discard(&mut self, generation: u64) {
        if self
            .current
            .as_ref()
            .is_some_and(|current| current.bearer.generation == generation)
        {
            self.current = None;
        }
    }

    /// Forgets the token, for a client closing at `now` in process `pid`,
    /// and says whether it should be revoked: only a live one that this
    /// process minted. The next request fetches a new one.
    pub(crate) fn surrender(&mut self, now: Instant, pid: u32) -> Surrendered {
        match self.current.take() {
            Some(current) if now >= current.expires_at => Surrendered::Nothing,
            Some(current) if current.minted_by != pid => Surrendered::Inherited,
            Some(current) => Surrendered::Revoke(current.token),
            None => Surrendered::Nothing,
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
        let first = cache.store(grant(3600), t0, 1);
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
        cache.store(grant(2), t0, 1);
        assert!(cache.get(t0 + Duration::from_millis(999)).is_some());
        assert!(cache.get(t0 + Duration::from_secs(1)).is_none());
    }

    #[test]
    fn discarding_a_refused_token_keeps_a_newer_one() {
        let t0 = Instant::now();
        let mut cache = TokenCache::default();
        let old = cache.store(grant(3600), t0, 1);
        let new = cache.store(grant(3600), t0, 1);
        cache.discard(old.generation);
        assert_eq!(cache.get(t0).unwrap().generation, new.generation);
        cache.discard(new.generation);
        assert!(cache.get(t0).is_none());
    }

    #[test]
    fn closing_revokes_only_a_live_token_this_process_minted() {
        let t0 = Instant::now();
        let mut cache = TokenCache::default();
        assert!(matches!(cache.surrender(t0, 7), Surrendered::Nothing));
        cache.store(grant(3600), t0, 7);
        match cache.surrender(t0, 7) {
            Surrendered::Revoke(token) => assert_eq!(token.expose(), "tok-3600"),
            other => panic!("{other:?}"),
        }
        assert!(cache.get(t0).is_none(), "a closed client forgets its token");
        assert!(
            matches!(cache.surrender(t0, 7), Surrendered::Nothing),
            "twice revokes once"
        );
        // A forked child holds its parent's token: forgotten, not revoked.
        cache.store(grant(3600), t0, 7);
        assert!(matches!(cache.surrender(t0, 8), Surrendered::Inherited));
        assert!(cache.get(t0).is_none());
        // An expired token needs no revocation, even one due after the
        // refresh point (a minute early) but still alive.
        cache.store(grant(3600), t0, 7);
        let late = t0 + Duration::from_secs(3599);
        assert!(cache.get(late).is_none());
        assert!(matches!(cache.surrender(late, 7), Surrendered::Revoke(_)));
        cache.store(grant(3600), t0, 7);
        let expired = t0 + Duration::from_secs(3600);
        assert!(matches!(cache.surrender(expired, 7), Surrendered::Nothing));
        assert!(!format!("{cache:?}").contains("tok-"));
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
