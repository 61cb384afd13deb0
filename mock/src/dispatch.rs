//! Serving an API request in Atlas' order: the OAuth endpoints aside,
//! authentication first, then v2's version check, then the route, its
//! ObjectIds and the caller's access lists, then the handler.

use crate::auth::{authenticate, Caller};
use crate::call::{Call, Outcome};
use crate::errors::AtlasError;
use crate::flavour::Flavour;
use crate::http::{Request, Response};
use crate::oauth;
use crate::routes::{self, Routed};
use crate::shared::Shared;
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
    match serve(shared, request, peer, &caller) {
        Ok(answer) => answer.render(request),
        Err(error) => error.respond(request),
    }
}

/// Everything after authentication.
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
