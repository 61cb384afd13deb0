//! Who is calling: a Bearer token or Digest, checked before anything else
//! as Atlas does, then the caller's access lists.

use crate::digest::Verdict;
use crate::errors::{unauthorized_body, AtlasError};
use crate::http::{Request, Response};
use crate::oauth::{check_bearer, Bearer};
use crate::shared::Shared;
use crate::stats::Counters;
use crate::world::Admission;
use std::net::IpAddr;

/// Who a request was authenticated as.
pub(crate) enum Caller {
    /// A programmatic API key, by its public key.
    ApiKey(String),
    /// A service account's access token, which no IP access list restricts.
    ServiceAccount,
}

impl Caller {
    /// The public key of an API key caller.
    pub fn public_key(&self) -> Option<&str> {
        match self {
            Caller::ApiKey(public_key) => Some(public_key),
            Caller::ServiceAccount => None,
        }
    }

    /// `403 IP_ADDRESS_NOT_ON_ACCESS_LIST` when an access list of the
    /// caller's key leaves `peer` out.
    pub fn admit(&self, shared: &Shared, peer: IpAddr) -> Result<(), AtlasError> {
        let Some(public_key) = self.public_key() else {
            return Ok(());
        };
        let now = shared.clock.wall();
        match shared.world().admit(public_key, peer, now) {
            Admission::Allowed => Ok(()),
            Admission::Refused => Err(AtlasError::ip_address_not_on_access_list(&peer.to_string())),
        }
    }
}

/// Authenticates `request` by its Bearer token or its Digest answer;
/// otherwise the 401 to send.
pub(crate) fn authenticate(shared: &Shared, request: &Request) -> Result<Caller, Response> {
    let caller = match check_bearer(shared, request) {
        Bearer::Accepted => Caller::ServiceAccount,
        Bearer::Refused(response) => return Err(response),
        Bearer::Absent => {
            let password_of = |user: &str| shared.world().private_key(user);
            match shared.digest.verify(request, password_of, &shared.counters) {
                Verdict::Authorized(public_key) => Caller::ApiKey(public_key),
                Verdict::Challenge { stale } => return Err(challenge(shared, request, stale)),
            }
        }
    };
    Counters::bump(&shared.counters.authenticated);
    Ok(caller)
}

/// The 401 with Digest challenges that Atlas sends before anything else.
fn challenge(shared: &Shared, request: &Request, stale: bool) -> Response {
    Counters::bump(&shared.counters.challenges);
    if stale {
        Counters::bump(&shared.counters.stale_challenges);
    }
    let mut response = Response::json(401, &unauthorized_body(), request.flag("pretty"));
    for value in shared.digest.challenges(stale) {
        response = response.with_header("WWW-Authenticate", value);
    }
    response
}
