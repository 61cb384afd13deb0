//! Request authentication behind one interface: HTTP Digest for API keys,
//! OAuth bearer tokens for service accounts. The transport asks for a
//! header before each request and what to do after a 401; it never knows
//! which scheme it carries.

mod challenge;
mod digest;
mod service_account;
mod token;

pub(crate) use challenge::digest_challenge;
pub(crate) use token::{
    parse_grant, Grant, FORM_CONTENT_TYPE, GRANT_BODY, REVOKE_HINT, REVOKE_PATH,
    REVOKE_TOKEN_FIELD, TOKEN_PATH,
};

use crate::clock::Clock;
use crate::error::Context;
use crate::secret::Secret;
use crate::{Credentials, Error};
pub(crate) use digest::{DigestAuth, Session};
use service_account::ServiceAccountAuth;

/// How many fresh Digest nonces in a row one request may see declared
/// stale before it gives up.
const MAX_STALE_RENEWALS: u32 = 3;

/// Which kind of credentials a client holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// An API key, by HTTP Digest.
    ApiKey,
    /// A service account, by bearer token.
    ServiceAccount,
}

/// A client's credentials and what it remembers between requests.
#[derive(Debug)]
pub(crate) enum Auth {
    Digest(DigestAuth),
    ServiceAccount(ServiceAccountAuth),
}

/// What a request carries in its `Authorization` header.
#[derive(Debug)]
enum Credential {
    /// Nothing yet: the client has not seen a Digest challenge.
    Anonymous,
    /// An answer to a remembered challenge, or a cached token.
    Reused(Secret),
    /// An answer to a challenge, or a token, obtained for this request.
    Fresh(Secret),
}

/// One request's progress through authentication.
#[derive(Debug)]
pub(crate) struct Handshake {
    credential: Credential,
    /// Fresh answers refused as stale so far in this request.
    stale_renewals: u32,
    token_generation: u64,
    /// The Digest session this request holds, returned by [`Auth::finish`].
    session: Option<Session>,
}

impl Handshake {
    fn new(credential: Credential) -> Self {
        Handshake {
            credential,
            stale_renewals: 0,
            token_generation: 0,
            session: None,
        }
    }

    /// The `Authorization` header to send, if any.
    pub(crate) fn authorization(&self) -> Option<&str> {
        match &self.credential {
            Credential::Anonymous => None,
            Credential::Reused(h) | Credential::Fresh(h) => Some(h.expose()),
        }
    }
}

/// Where a service account's token comes from: the transport's request to
/// the token endpoint. Its error type is the transport's, so that a token
/// fetch fails like any other attempt.
pub(crate) type FetchToken<'a, F> = &'a mut dyn FnMut() -> Result<Grant, F>;

impl Auth {
    pub(crate) fn new(credentials: Credentials) -> Self {
        match credentials {
            Credentials::ApiKey {
                public_key,
                private_key,
            } => Auth::Digest(DigestAuth::new(public_key, private_key)),
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => Auth::ServiceAccount(ServiceAccountAuth::new(client_id, client_secret)),
        }
    }

    pub(crate) fn scheme(&self) -> Scheme {
        match self {
            Auth::Digest(_) => Scheme::ApiKey,
            Auth::ServiceAccount(_) => Scheme::ServiceAccount,
        }
    }

    /// How an error answered to a request signed here is explained.
    pub(crate) fn error_context(&self) -> Context {
        match self {
            Auth::Digest(_) => Context::ApiKeyRequest,
            Auth::ServiceAccount(_) => Context::ServiceAccountRequest,
        }
    }

    /// The public key or client ID.
    pub(crate) fn id(&self) -> &str {
        match self {
            Auth::Digest(digest) => digest.username(),
            Auth::ServiceAccount(account) => account.client_id(),
        }
    }

    /// The token request's `Authorization` header, for a service account.
    pub(crate) fn token_authorization(&self) -> Option<&str> {
        match self {
            Auth::Digest(_) => None,
            Auth::ServiceAccount(account) => Some(account.basic_authorization()),
        }
    }

    /// The access token a closing client should revoke, forgotten here:
    /// one this process minted and that has not expired at `now`. API keys
    /// have none.
    pub(crate) fn token_to_revoke(&self, now: std::time::Instant) -> Option<Secret> {
        match self {
            Auth::Digest(_) => None,
            Auth::ServiceAccount(account) => account.surrender(now),
        }
    }

    /// The credential a request to `uri` starts with: a pre-emptive answer
    /// with an idle Digest session of its own (or none when every session
    /// is in use), or a bearer token.
    pub(crate) fn start<F: From<Error>>(
        &self,
        method: &str,
        uri: &str,
        clock: &dyn Clock,
        fetch: FetchToken<'_, F>,
    ) -> Result<Handshake, F> {
        match self {
            Auth::Digest(digest) => Ok(match digest.checkout() {
                Some(mut session) => {
                    let header = digest.answer(&mut session, method, uri)?;
                    let mut handshake = Handshake::new(Credential::Reused(Secret::new(header)));
                    handshake.session = Some(session);
                    handshake
                }
                None => Handshake::new(Credential::Anonymous),
            }),
            Auth::ServiceAccount(account) => {
                let (bearer, fetched) = account.bearer(&|| clock.now(), fetch)?;
                let mut handshake = Handshake::new(if fetched {
                    Credential::Fresh(bearer.header)
                } else {
                    Credential::Reused(bearer.header)
                });
                handshake.token_generation = bearer.generation;
                Ok(handshake)
            }
        }
    }

    /// After a 401: whether to send the request again with the new
    /// credential now in `handshake`. A reused credential (a pooled Digest
    /// session, a cached token) always earns one fresh one; a fresh one is
    /// retried only once more for a Digest nonce that went stale. `false`
    /// means the 401 is the outcome: the answer to a challenge or token
    /// that no other request saw was refused.
    pub(crate) fn after_unauthorized<F: From<Error>>(
        &self,
        handshake: &mut Handshake,
        challenges: &[Vec<u8>],
        method: &str,
        uri: &str,
        clock: &dyn Clock,
        fetch: FetchToken<'_, F>,
    ) -> Result<bool, F> {
        let fresh = matches!(handshake.credential, Credential::Fresh(_));
        match self {
            Auth::Digest(digest) => {
                let challenge = match digest_challenge(challenges) {
                    Ok(challenge) => challenge,
                    Err(_) if fresh => return Ok(false),
                    Err(e) => return Err(e.into()),
                };
                if fresh {
                    // A fresh answer refused without stale=true is a refusal
                    // of the key. With stale=true the nonce merely expired on
                    // the way: answer the new one, a few times at most, so a
                    // server whose nonces never live long enough cannot keep
                    // this request going for ever.
                    if !challenge.stale {
                        return Ok(false);
                    }
                    handshake.stale_renewals += 1;
                    if handshake.stale_renewals > MAX_STALE_RENEWALS {
                        return Err(Error::protocol(format!(
                            "the server declared {MAX_STALE_RENEWALS} fresh Digest nonces in a \
                             row stale before their first use; its nonce lifetime is shorter \
                             than a round trip"
                        ))
                        .into());
                    }
                }
                log::debug!(
                    "{method} {uri}: answering a Digest challenge (stale={})",
                    challenge.stale
                );
                // The refused session is dead; the new one stays private to
                // this request until the server has answered it.
                handshake.session = None;
                let mut session = Session::new(challenge);
                let header = digest.answer(&mut session, method, uri)?;
                handshake.credential = Credential::Fresh(Secret::new(header));
                handshake.session = Some(session);
                Ok(true)
            }
            Auth::ServiceAccount(account) => {
                if fresh {
                    return Ok(false);
                }
                log::debug!("{method} {uri}: the access token was refused; fetching a new one");
                account.discard(handshake.token_generation);
                *handshake = self.start(method, uri, clock, fetch)?;
                // A token another thread fetched meanwhile is as new as one
                // fetched here: a second refusal is final either way.
                if let Credential::Reused(header) = &handshake.credential {
                    handshake.credential = Credential::Fresh(header.clone());
                }
                Ok(true)
            }
        }
    }

    /// Ends a request the server answered with something other than a 401:
    /// its Digest session goes back to the pool for the next request. A
    /// request that got no answer, or a final 401, drops its session.
    pub(crate) fn finish(&self, handshake: Handshake) {
        if let (Auth::Digest(digest), Some(session)) = (self, handshake.session) {
            digest.checkin(session);
        }
    }
}
