//! The routes the mock serves, one row each, under every flavour's prefix
//! (`/api/atlas/v1.0`, `/api/public/v1.0`, `/api/atlas/v2`). Adding an
//! endpoint is a row here and its handler.

use crate::access_list;
use crate::api_keys;
use crate::call::Handler;
use crate::errors::AtlasError;
use crate::percent;
use crate::records::is_object_id;

/// One endpoint: a method, a path pattern below the flavour's prefix whose
/// `{name}` segments match any one path segment, and its handler.
pub(crate) struct Route {
    pub method: &'static str,
    pub pattern: &'static str,
    pub handler: Handler,
}

const fn row(method: &'static str, pattern: &'static str, handler: Handler) -> Route {
    Route {
        method,
        pattern,
        handler,
    }
}

/// Every endpoint, as Atlas names its parameters.
pub(crate) const ROUTES: &[Route] = &[
    row("GET", "/orgs/{orgId}/apiKeys", api_keys::list),
    row("POST", "/orgs/{orgId}/apiKeys", api_keys::create),
    row("GET", "/orgs/{orgId}/apiKeys/{apiUserId}", api_keys::get),
    row(
        "PATCH",
        "/orgs/{orgId}/apiKeys/{apiUserId}",
        api_keys::update,
    ),
    row(
        "DELETE",
        "/orgs/{orgId}/apiKeys/{apiUserId}",
        api_keys::delete,
    ),
    row(
        "GET",
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList",
        access_list::list,
    ),
    row(
        "POST",
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList",
        access_list::add,
    ),
    row(
        "GET",
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList/{ipAddress}",
        access_list::get,
    ),
    row(
        "DELETE",
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList/{ipAddress}",
        access_list::delete,
    ),
];

/// Placeholders whose values must be ObjectIds (24 lowercase hex digits);
/// anything else there is `400 PATH_PARAM_PARSE_ERROR`, checked in this order.
const OBJECT_ID_PARAMS: [&str; 2] = ["orgId", "apiUserId"];

/// Where a request's path and method lead.
pub(crate) enum Routed {
    /// This handler, with the placeholders' decoded values.
    Found {
        handler: Handler,
        params: Vec<(&'static str, String)>,
    },
    /// A path the mock serves, without this method.
    WrongMethod,
    /// A path the mock does not serve.
    Unknown,
}

/// Routes `method` on `rest`, the path after the flavour's prefix.
pub(crate) fn route(method: &str, rest: &str) -> Routed {
    let mut path_known = false;
    for route in ROUTES {
        if let Some(params) = matches(route.pattern, rest) {
            if route.method == method {
                return Routed::Found {
                    handler: route.handler,
                    params,
                };
            }
            path_known = true;
        }
    }
    if path_known {
        Routed::WrongMethod
    } else {
        Routed::Unknown
    }
}

/// `400 PATH_PARAM_PARSE_ERROR` for the first ObjectId placeholder whose
/// value is not one.
pub(crate) fn check_ids(params: &[(&'static str, String)]) -> Result<(), AtlasError> {
    for name in OBJECT_ID_PARAMS {
        if let Some((_, value)) = params.iter().find(|(n, _)| *n == name) {
            if !is_object_id(value) {
                return Err(AtlasError::path_param_parse_error(value));
            }
        }
    }
    Ok(())
}

/// The placeholders' values when `path` matches `pattern` segment for
/// segment. Literal segments compare as sent; placeholders take one
/// non-empty segment, percent-decoded (so `10.0.0.0%2F24` is one segment).
fn matches(pattern: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let mut pattern_segments = pattern.strip_prefix('/')?.split('/');
    let mut path_segments = path.strip_prefix('/')?.split('/');
    let mut params = Vec::new();
    loop {
        match (pattern_segments.next(), path_segments.next()) {
            (None, None) => return Some(params),
            (Some(want), Some(have)) => {
                match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    Some(name) if !have.is_empty() => params.push((name, percent::decode(have)?)),
                    Some(_) => return None,
                    None if want == have => {}
                    None => return None,
                }
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{check_ids, matches, route, Routed, ROUTES};

    const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";

    #[test]
    fn matches_literals_and_placeholders() {
        let params = matches("/orgs/{orgId}/apiKeys/{apiUserId}", "/orgs/o/apiKeys/k").unwrap();
        assert_eq!(
            params,
            [("orgId", "o".to_owned()), ("apiUserId", "k".to_owned())]
        );
        for path in [
            "/orgs/o/apiKeys",
            "/orgs/o/apiKeys/k/x",
            "/orgs//apiKeys/k",
            "/orgs/o/apikeys/k",
            "orgs/o/apiKeys/k",
            "/orgs/o/apiKeys/k/",
            "",
        ] {
            assert_eq!(
                matches("/orgs/{orgId}/apiKeys/{apiUserId}", path),
                None,
                "{path}"
            );
        }
    }

    #[test]
    fn placeholders_are_decoded_once_split() {
        let params = matches("/a/{ipAddress}", "/a/10.0.0.0%2F24").unwrap();
        assert_eq!(params, [("ipAddress", "10.0.0.0/24".to_owned())]);
        assert_eq!(matches("/a/{ipAddress}", "/a/%zz"), None);
    }

    #[test]
    fn tells_a_wrong_method_from_an_unknown_path() {
        let path = format!("/orgs/{ORG}/apiKeys");
        assert!(matches!(route("GET", &path), Routed::Found { .. }));
        assert!(matches!(route("POST", &path), Routed::Found { .. }));
        assert!(matches!(route("PUT", &path), Routed::WrongMethod));
        assert!(matches!(route("DELETE", &path), Routed::WrongMethod));
        assert!(matches!(route("GET", "/orgs"), Routed::Unknown));
        assert!(matches!(route("GET", ""), Routed::Unknown));
    }

    #[test]
    fn every_row_is_a_distinct_method_and_pattern() {
        for (i, a) in ROUTES.iter().enumerate() {
            assert!(a.pattern.starts_with('/'), "{}", a.pattern);
            for b in &ROUTES[i + 1..] {
                assert!(
                    (a.method, a.pattern) != (b.method, b.pattern),
                    "{} {} twice",
                    a.method,
                    a.pattern
                );
            }
        }
    }

    #[test]
    fn checks_object_id_placeholders_in_order() {
        let params =
            |org: &str, key: &str| vec![("orgId", org.to_owned()), ("apiUserId", key.to_owned())];
        assert!(check_ids(&params(ORG, ORG)).is_ok());
        assert_eq!(check_ids(&params("x", "y")).unwrap_err().parameters, ["x"]);
        assert_eq!(check_ids(&params(ORG, "y")).unwrap_err().parameters, ["y"]);
        assert!(check_ids(&[("ipAddress", "1.2.3.4".to_owned())]).is_ok());
    }
}
