//! Atlas' errors: the `ApiError` body, the `X-Error-Code` header, and every
//! error the mock sends, with Atlas' codes and wording in one place.

use crate::answer::enveloped;
use crate::http::{reason, Request, Response};
use crate::records::MAX_DESC_CHARS;
use serde_json::{json, Value};

/// An Atlas error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AtlasError {
    pub status: u16,
    pub code: &'static str,
    pub detail: String,
    pub parameters: Vec<String>,
}

impl AtlasError {
    fn new(status: u16, code: &'static str, detail: String, parameters: &[&str]) -> Self {
        AtlasError {
            status,
            code,
            detail,
            parameters: parameters.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    /// Atlas' `ApiError` body.
    pub fn body(&self) -> Value {
        json!({
            "detail": self.detail,
            "error": self.status,
            "errorCode": self.code,
            "parameters": self.parameters,
            "reason": reason(self.status),
        })
    }

    /// The answer to `request`: the body with `X-Error-Code`, or inside an
    /// HTTP 200 envelope when the request asked for one.
    pub fn respond(&self, request: &Request) -> Response {
        if request.flag("envelope") {
            return enveloped(request, self.status, Some(&self.body()));
        }
        Response::json(self.status, &self.body(), request.flag("pretty"))
            .with_header("X-Error-Code", self.code)
    }

    /// 404: no resource at this path.
    pub fn resource_not_found(path: &str) -> Self {
        Self::new(
            404,
            "RESOURCE_NOT_FOUND",
            format!("Cannot find resource {path}."),
            &[path],
        )
    }

    /// 405: the resource exists, without this method.
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            405,
            "METHOD_NOT_ALLOWED",
            format!("Method {method} is not allowed for this resource."),
            &[],
        )
    }

    /// 406: a v2 request that does not ask for a version the resource has.
    pub fn invalid_version() -> Self {
        Self::new(
            406,
            "INVALID_VERSION",
            "Invalid accept header or version date.".into(),
            &[],
        )
    }

    /// 400: a path parameter that is not an ObjectId.
    pub fn path_param_parse_error(value: &str) -> Self {
        Self::new(
            400,
            "PATH_PARAM_PARSE_ERROR",
            format!("One or more path parameter values is invalid: {value}."),
            &[value],
        )
    }

    /// 403: the caller's address is not on its key's access list.
    pub fn ip_address_not_on_access_list(ip: &str) -> Self {
        Self::new(
            403,
            "IP_ADDRESS_NOT_ON_ACCESS_LIST",
            format!("IP address {ip} is not allowed to access this resource."),
            &[ip],
        )
    }

    /// 404: no such organization.
    pub fn org_not_found(org_id: &str) -> Self {
        Self::new(
            404,
            "ORG_NOT_FOUND",
            format!("No organization with ID {org_id} exists."),
            &[org_id],
        )
    }

    /// No such API key: `status` is 400 on v1.0 and Ops Manager, 404 on v2.
    pub fn api_key_not_found(status: u16, key_id: &str) -> Self {
        Self::new(
            status,
            "API_KEY_NOT_FOUND",
            format!("No API key with ID {key_id} exists."),
            &[key_id],
        )
    }

    /// 400: a paging or other query parameter out of range.
    pub fn invalid_query_parameter(name: &str) -> Self {
        Self::new(
            400,
            "INVALID_QUERY_PARAMETER",
            format!("Invalid query parameter {name} specified."),
            &[name],
        )
    }

    /// 400: a body that is not JSON, or not the JSON type expected.
    pub fn invalid_json() -> Self {
        Self::new(
            400,
            "INVALID_JSON",
            "Received JSON does not match expected format.".into(),
            &[],
        )
    }

    /// 400: an attribute of the wrong JSON type.
    pub fn invalid_json_attribute(name: &str) -> Self {
        Self::new(
            400,
            "INVALID_JSON_ATTRIBUTE",
            format!("Received JSON for the {name} attribute does not match expected format."),
            &[name],
        )
    }

    /// 400: an attribute the resource does not have.
    pub fn invalid_attribute(name: &str) -> Self {
        Self::new(
            400,
            "INVALID_ATTRIBUTE",
            format!("Invalid attribute {name} specified."),
            &[name],
        )
    }

    /// 400: a description that is missing, empty or too long.
    pub fn invalid_api_key_desc() -> Self {
        Self::new(
            400,
            "INVALID_API_KEY_DESC",
            format!(
                "API key descriptions are required and must be less than {MAX_DESC_CHARS} characters."
            ),
            &[&MAX_DESC_CHARS.to_string()],
        )
    }

    /// 400: no roles.
    pub fn missing_api_key_roles() -> Self {
        Self::new(
            400,
            "MISSING_API_KEY_ROLES",
            "API keys must have at least one role.".into(),
            &[],
        )
    }

    /// 400: a real Atlas role that is not an organization role.
    pub fn invalid_role_for_org(role: &str, org_id: &str) -> Self {
        Self::new(
            400,
            "INVALID_ROLE_FOR_ORG",
            format!("Role {role} invalid for organization {org_id}."),
            &[role, org_id],
        )
    }

    /// 400: a value that is no role at all.
    pub fn invalid_enum_value(value: &str) -> Self {
        Self::new(
            400,
            "INVALID_ENUM_VALUE",
            format!("An invalid enumeration value {value} was specified."),
            &[value],
        )
    }

    /// 400: an access list entry that is neither an IP address nor a CIDR block.
    pub fn invalid_ip_address_or_cidr(address: &str) -> Self {
        Self::new(
            400,
            "INVALID_IP_ADDRESS_OR_CIDR_NOTATION",
            format!("The address {address} must be in valid IP address or CIDR notation."),
            &[address],
        )
    }

    /// 400: an access list entry with both `ipAddress` and `cidrBlock`.
    pub fn both_ip_and_cidr() -> Self {
        Self::new(
            400,
            "BAD_WHITELIST_ADD_REQUEST",
            "Should not specify both the IP address and the CIDR block.".into(),
            &[],
        )
    }

    /// 400: an access list entry with neither `ipAddress` nor `cidrBlock`.
    pub fn neither_ip_nor_cidr() -> Self {
        Self::new(
            400,
            "MISSING_ONE_OF_ATTRIBUTES",
            "Either the ipAddress attribute or the cidrBlock attribute must be specified.".into(),
            &["ipAddress", "cidrBlock"],
        )
    }

    /// 400: one request naming the same address twice.
    pub fn duplicate_addresses_in_input() -> Self {
        Self::new(
            400,
            "DUPLICATE_ADDRESSES_IN_INPUT",
            "Two or more of the IP addresses being added to the access list are the same.".into(),
            &[],
        )
    }

    /// 400: an address already on the key's access list.
    pub fn address_already_in_access_list(address: &str) -> Self {
        Self::new(
            400,
            "ADDRESS_ALREADY_IN_ACCESS_LIST",
            format!("Address {address} is already in the access list."),
            &[address],
        )
    }

    /// 404: an address not on the key's access list.
    pub fn access_list_entry_not_found(address: &str, key_id: &str) -> Self {
        Self::new(
            404,
            "API_KEY_ACCESS_LIST_ENTRY_NOT_FOUND",
            format!("IP address {address} not on access list for API key {key_id}."),
            &[address, key_id],
        )
    }

    /// 500: what should not happen did (the detail says what).
    pub fn unexpected(detail: &str) -> Self {
        Self::new(
            500,
            "UNEXPECTED_ERROR",
            format!("Unexpected error: {detail}."),
            &[],
        )
    }

    /// 400: a key removing the entry that lets its own caller in.
    pub fn cannot_remove_caller(address: &str) -> Self {
        Self::new(
            400,
            "CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST",
            format!("Cannot remove caller's IP address {address} from access list."),
            &[address],
        )
    }
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

/// The answer to an injected status fault: what Atlas sends for that status.
pub(crate) fn fault_response(status: u16, retry_after: Option<u64>) -> Response {
    let (code, detail) = match status {
        429 => ("RATE_LIMITED", "Rate limit exceeded. Try again later."),
        500..=599 => ("UNEXPECTED_ERROR", "Unexpected error."),
        _ => ("INJECTED_FAULT", "An error injected by the mock."),
    };
    let error = AtlasError::new(status, code, detail.into(), &[]);
    let response = Response::json(status, &error.body(), false).with_header("X-Error-Code", code);
    match retry_after {
        Some(secs) => response.with_header("Retry-After", secs.to_string()),
        None => response,
    }
}
