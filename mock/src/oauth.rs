//! Service accounts: the OAuth 2.0 client credentials grant at
//! `POST /api/oauth/token`, the Bearer tokens it issues (at most a capped
//! number alive per account, as Atlas does), and their revocation at
//! `POST /api/oauth/revoke` (RFC 7009).

use crate::base64;
use crate::config::ServiceAccount;
use crate::digest::REALM;
use crate::errors::{unauthorized_body, AtlasError};
use crate::http::{Request, Response};
use crate::percent;
use crate::shared::Shared;
use crate::stats::Counters;
use crate::tokens::Revocation;
use serde_json::json;

/// Where service accounts get access tokens.
pub(crate) const TOKEN_PATH: &str = "/api/oauth/token";
/// Where service accounts revoke them.
pub(crate) const REVOKE_PATH: &str = "/api/oauth/revoke";

/// The token of an `Authorization: Bearer` header (possibly empty), or
/// `None` when the request does not use Bearer.
fn bearer_token(request: &Request) -> Option<&str> {
    let header = request.header("authorization")?;
    let (scheme, token) = header.split_once(' ').unwrap_or((header, ""));
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// How a request's Bearer token fared.
pub(crate) enum Bearer {
    /// The request does not use Bearer.
    Absent,
    /// A live token: the request is authenticated as a service account.
    Accepted,
    /// Refused: send this 401.
    Refused(Response),
}

/// Checks the request's Bearer token, counting the outcome.
pub(crate) fn check_bearer(shared: &Shared, request: &Request) -> Bearer {
    let Some(token) = bearer_token(request) else {
        return Bearer::Absent;
    };
    if shared.tokens.is_valid(token) {
        Counters::bump(&shared.counters.bearer_authenticated);
        return Bearer::Accepted;
    }
    Counters::bump(&shared.counters.bearer_rejected);
    // A Digest challenge would tell a Bearer client to switch schemes; the
    // RFC 6750 challenge tells it to get a new token.
    let response = Response::json(401, &unauthorized_body(), request.flag("pretty")).with_header(
        "WWW-Authenticate",
        format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
    );
    Bearer::Refused(response)
}

/// `POST /api/oauth/token` with the client credentials grant (RFC 6749 §4.4).
pub(crate) fn token_endpoint(shared: &Shared, request: &Request) -> Response {
    let account = match form_request(shared, request, "unsupported_grant_type") {
        Ok(account) => account,
        Err(refusal) => return refusal,
    };
    let refusal = match form_value(&request.body, "grant_type") {
        Some("client_credentials") => None,
        Some(_) => Some((
            "unsupported_grant_type",
            "Only the client_credentials grant type is supported.",
        )),
        None => Some(("invalid_request", "The grant_type parameter is missing.")),
    };
    if let Some((error, description)) = refusal {
        return oauth_error(400, error, description);
    }
    let Ok(token) = shared.tokens.issue(&account.client_id) else {
        Counters::bump(&shared.counters.tokens_refused);
        return oauth_error(403, "access_denied", "Access Token limit reached");
    };
    Counters::bump(&shared.counters.tokens_issued);
    let body = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": shared.tokens.lifetime().as_secs(),
    });
    no_store(Response::json(200, &body, false))
}

/// `POST /api/oauth/revoke` (RFC 7009): `token=...&token_type_hint=...`
/// with the account's Basic credentials. A live token of that account is
/// revoked; an unknown, expired or revoked one is a success too, as the
/// RFC says; another account's token is refused and left alive.
pub(crate) fn revoke_endpoint(shared: &Shared, request: &Request) -> Response {
    let account = match form_request(shared, request, "invalid_request") {
        Ok(account) => account,
        Err(refusal) => return refusal,
    };
    let Some(token) = form_value(&request.body, "token").and_then(percent::decode) else {
        return oauth_error(400, "invalid_request", "The token parameter is missing.");
    };
    match form_value(&request.body, "token_type_hint") {
        None | Some("access_token" | "refresh_token") => {}
        Some(_) => {
            return oauth_error(
                400,
                "unsupported_token_type",
                "Only access tokens can be revoked.",
            )
        }
    }
    match shared.tokens.revoke(&token, &account.client_id) {
        Revocation::Revoked => Counters::bump(&shared.counters.tokens_revoked),
        Revocation::Unknown => {}
        Revocation::NotYours => {
            return oauth_error(
                400,
                "invalid_grant",
                "The token was issued to another client.",
            )
        }
    }
    no_store(Response::empty(200))
}

/// The checks both endpoints make, in order: `POST`, the service account's
/// Basic credentials, a form body (else error `wrong_type`). The account,
/// or the answer refusing it.
fn form_request<'a>(
    shared: &'a Shared,
    request: &Request,
    wrong_type: &str,
) -> Result<&'a ServiceAccount, Response> {
    if request.method != "POST" {
        return Err(AtlasError::method_not_allowed(&request.method).respond(request));
    }
    let Some(account) = client(request, &shared.service_accounts) else {
        return Err(oauth_error(
            401,
            "invalid_client",
            "Invalid client credentials.",
        ));
    };
    let media_type = request
        .header("content-type")
        .and_then(|value| value.split(';').next())
        .map(str::trim);
    if !media_type.is_some_and(|m| m.eq_ignore_ascii_case("application/x-www-form-urlencoded")) {
        return Err(oauth_error(
            400,
            wrong_type,
            "The request body must be application/x-www-form-urlencoded.",
        ));
    }
    Ok(account)
}

/// The service account named by the request's `Authorization: Basic`.
fn client<'a>(request: &Request, accounts: &'a [ServiceAccount]) -> Option<&'a ServiceAccount> {
    let (scheme, encoded) = request.header("authorization")?.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64::decode(encoded.trim())?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    accounts
        .iter()
        .find(|a| a.client_id == id && a.client_secret == secret)
}

/// The value of `name` in a form body, `name=value&...`, as sent (values
/// the mock compares need no percent-decoding; a token is decoded).
fn form_value<'a>(body: &'a [u8], name: &str) -> Option<&'a str> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// An RFC 6749 §5.2 error answer.
fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let body = json!({"error": error, "error_description": description});
    no_store(Response::json(status, &body, false))
}

/// RFC 6749 §5.1: token answers must not be cached.
fn no_store(response: Response) -> Response {
    response.with_header("Cache-Control", "no-store")
}

#[cfg(test)]
mod tests {
    use super::form_value;

    #[test]
    fn reads_form_values() {
        let body = b"scope=&grant_type=client_credentials&x";
        assert_eq!(form_value(body, "grant_type"), Some("client_credentials"));
        assert_eq!(form_value(body, "scope"), Some(""));
        assert_eq!(form_value(body, "x"), Some(""));
        assert_eq!(form_value(body, "grant"), None);
        assert_eq!(form_value(b"\xff", "grant_type"), None);
    }
}
