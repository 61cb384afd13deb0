//! Serving an API request in Atlas' order: the OAuth endpoints aside,
//! authentication first, then the rate limit, then v2's version check,
//! then the route, its ObjectIds and the caller's access lists, then the
//! handler.

use crate::auth::{authenticate, Caller};
use crate::call::{Call, Outcome};
use crate::errors::AtlasError;
use crate::flavour::Flavour;
use crate::http::{Request, Response};
use crate::oauth;
use crate::rate_limit::Quota;
use crate::routes::{self, Routed};
use crate::shared::Shared;
use crate::stats::Counters;
use crate::versioning;
use std::net::IpAddr;

/// The answer to an API request from `peer`.
pub(crate) fn handle(shared: &Shared, request: &Request, peer: IpAddr) -> Response {
    if request.path == oauth::TOKEN_PATH {
        return oauth::token_endpoint(shared, request);
    }
    if request.path == oauth::REVOKE_PATH {
        return oauth::revoke_endpoint(shared, request);
    }
    let caller = match authenticate(shared, request) {
        Ok(caller) => caller,
        Err(refusal) => return refusal,
    };
    let quota = match take_token(shared, request) {
        Ok(quota) => quota,
        Err(refusal) => return refusal,
    };
    quota.label(match serve(shared, request, peer, &caller) {
        Ok(answer) => answer.render(request),
        Err(error) => error.respond(request),
    })
}

/// A token from the rate limit's bucket, if a limit is set; else the
/// refusal to send, counted.
fn take_token(shared: &Shared, request: &Request) -> Result<Quota, Response> {
    let mut bucket = shared.rate_limit();
    let Some(bucket) = bucket.as_mut() else {
        return Ok(Quota::default());
    };
    bucket
        .admit(shared.clock.now(), request)
        .inspect_err(|_| Counters::bump(&shared.counters.rate_limited))
}

/// Everything after authentication, and after the rate limit.
fn serve(shared: &Shared, request: &Request, peer: IpAddr, caller: &Caller) -> Outcome {
    versioning::check(request)?;
    let not_found = || AtlasError::resource_not_found(&request.path);
    let (flavour, rest) = Flavour::split(&request.path).ok_or_else(not_found)?;
    let (handler, params) = match routes::route(&request.method, rest) {
        Routed::Found { handler, params } => (handler, params),
        Routed::WrongMethod => return Err(AtlasError::method_not_allowed(&request.method)),
        Routed::Unknown => return Err(not_found()),
    };
    routes::check_ids(&params)?;
    caller.admit(shared, peer)?;
    handler(&Call {
        shared,
        request,
        flavour,
        caller,
        peer,
        params,
    })
}
