//! The emulated Atlas endpoints and their real error bodies.

use crate::digest::Verdict;
use crate::http::{reason, Request, Response};
use crate::oauth::{self, Bearer};
use crate::stats::Counters;
use crate::{versioning, Shared};
use serde_json::{json, Value};
use std::net::IpAddr;

/// Path prefixes the mock serves: Atlas v1.0, Cloud/Ops Manager, Atlas v2.
const PREFIXES: [&str; 3] = ["/api/atlas/v1.0", "/api/public/v1.0", "/api/atlas/v2"];

/// An Atlas `ApiError` body.
pub(crate) fn error_body(status: u16, code: &str, detail: &str, parameters: &[&str]) -> Value {
    json!({
        "detail": detail,
        "error": status,
        "errorCode": code,
        "parameters": parameters,
        "reason": reason(status),
    })
}

/// An Atlas error answer: JSON body plus the `X-Error-Code` header; wrapped
/// in an HTTP 200 envelope when the request asked for one.
pub(crate) fn error_response(request: &Request, status: u16, code: &str, body: Value) -> Response {
    let pretty = request.flag("pretty");
    if request.flag("envelope") {
        return Response::json(200, &json!({"status": status, "content": body}), pretty);
    }
    Response::json(status, &body, pretty).with_header("X-Error-Code", code)
}

/// The body of Atlas' 401, which (unlike other errors) has no `parameters`.
pub(crate) fn unauthorized_body() -> Value {
    json!({
        "detail": "You are not authorized for this resource.",
        "error": 401,
        "errorCode": "UNEXPECTED_ERROR",
        "reason": "Unauthorized",
    })
}

/// The 401 with Digest challenges that Atlas sends before anything else.
pub(crate) fn challenge(shared: &Shared, request: &Request, stale: bool) -> Response {
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

/// The 405 Atlas sends for a method a resource does not have.
pub(crate) fn method_not_allowed(request: &Request) -> Response {
    let body = error_body(
        405,
        "METHOD_NOT_ALLOWED",
        &format!(
            "Method {} is not allowed for this resource.",
            request.method
        ),
        &[],
    );
    error_response(request, 405, "METHOD_NOT_ALLOWED", body)
}

/// Who a request was authenticated as.
enum Caller {
    /// A programmatic API key, by its public key.
    ApiKey(String),
    /// A service account's access token, which no IP access list restricts.
    ServiceAccount,
}

/// Serves an API request: the token endpoint, or authentication first (as
/// Atlas does), then the API version, then the route.
pub(crate) fn handle(shared: &Shared, request: &Request, peer: IpAddr) -> Response {
    if request.path == oauth::TOKEN_PATH {
        return oauth::token_endpoint(shared, request);
    }
    let caller = match oauth::check_bearer(shared, request) {
        Bearer::Accepted => Caller::ServiceAccount,
        Bearer::Refused(response) => return response,
        Bearer::Absent => match shared
            .digest
            .verify(request, &shared.credentials, &shared.counters)
        {
            Verdict::Authorized(key) => Caller::ApiKey(key),
            Verdict::Challenge { stale } => return challenge(shared, request, stale),
        },
    };
    Counters::bump(&shared.counters.authenticated);
    if let Some(refusal) = versioning::check(request) {
        return refusal;
    }

    let Some((org_id, key_id)) = route(&request.path) else {
        let path = request.path.as_str();
        let body = error_body(
            404,
            "RESOURCE_NOT_FOUND",
            &format!("Cannot find resource {path}."),
            &[path],
        );
        return error_response(request, 404, "RESOURCE_NOT_FOUND", body);
    };
    if request.method != "DELETE" {
        return method_not_allowed(request);
    }
    for id in [org_id, key_id] {
        if !is_object_id(id) {
            let body = error_body(
                400,
                "PATH_PARAM_PARSE_ERROR",
                &format!("One or more path parameter values is invalid: {id}."),
                &[id],
            );
            return error_response(request, 400, "PATH_PARAM_PARSE_ERROR", body);
        }
    }
    let credential = match &caller {
        Caller::ApiKey(public_key) => shared
            .credentials
            .iter()
            .find(|c| &c.public_key == public_key),
        Caller::ServiceAccount => None,
    };
    if let Some(list) = credential.and_then(|c| c.ip_access_list.as_ref()) {
        let ip = peer.to_string();
        if !list.contains(&ip) {
            let body = error_body(
                403,
                "IP_ADDRESS_NOT_ON_ACCESS_LIST",
                &format!("IP address {ip} is not allowed to access this resource."),
                &[&ip],
            );
            return error_response(request, 403, "IP_ADDRESS_NOT_ON_ACCESS_LIST", body);
        }
    }
    let mut world = shared.world();
    let Some(keys) = world.get_mut(org_id) else {
        let body = error_body(
            404,
            "ORG_NOT_FOUND",
            &format!("No organization with ID {org_id} exists."),
            &[org_id],
        );
        return error_response(request, 404, "ORG_NOT_FOUND", body);
    };
    if !keys.remove(key_id) {
        let body = error_body(
            400,
            "API_KEY_NOT_FOUND",
            &format!("No API key with ID {key_id} exists."),
            &[key_id],
        );
        return error_response(request, 400, "API_KEY_NOT_FOUND", body);
    }
    Counters::bump(&shared.counters.deleted);
    if request.flag("envelope") {
        return Response::json(
            200,
            &json!({"status": 204, "content": {}}),
            request.flag("pretty"),
        );
    }
    Response::empty(204)
}

/// `{prefix}/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}` -> the two IDs.
fn route(path: &str) -> Option<(&str, &str)> {
    let rest = PREFIXES.iter().find_map(|p| path.strip_prefix(p))?;
    let mut parts = rest.strip_prefix('/')?.split('/');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("orgs"), Some(org), Some("apiKeys"), Some(key), None) => Some((org, key)),
        _ => None,
    }
}

fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The answer to an injected status fault: what Atlas sends for that status.
pub(crate) fn fault_response(status: u16, retry_after: Option<u64>) -> Response {
    let (code, detail) = match status {
        429 => ("RATE_LIMITED", "Rate limit exceeded. Try again later."),
        500..=599 => ("UNEXPECTED_ERROR", "Unexpected error."),
        _ => ("INJECTED_FAULT", "An error injected by the mock."),
    };
    let response = Response::json(status, &error_body(status, code, detail, &[]), false)
        .with_header("X-Error-Code", code);
    match retry_after {
        Some(secs) => response.with_header("Retry-After", secs.to_string()),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::route;

    #[test]
    fn routes_every_flavour() {
        for prefix in super::PREFIXES {
            assert_eq!(
                route(&format!("{prefix}/orgs/o/apiKeys/k")),
                Some(("o", "k"))
            );
        }
        assert_eq!(route("/api/atlas/v1.0/orgs/o/apiKeys/k/x"), None);
        assert_eq!(route("/api/atlas/v1.0/orgs/o/apiKeys"), None);
        assert_eq!(route("/other/orgs/o/apiKeys/k"), None);
    }
}
