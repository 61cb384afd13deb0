//! Atlas v2 resource versioning: the version is chosen with the `Accept`
//! header, and v2 answers are labelled with the same media type.

use crate::errors::AtlasError;
use crate::flavour::Flavour;
use crate::http::{Request, Response};

/// The only version of the organization API key resources (and so of every
/// route the mock serves), as an `Accept` media type.
pub(crate) const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// Whether `path` is under `/api/atlas/v2` (not merely starting with it).
fn is_v2(path: &str) -> bool {
    Flavour::split(path).is_some_and(|(flavour, _)| flavour == Flavour::AtlasV2)
}

/// The `406 INVALID_VERSION` Atlas sends when a v2 request does not ask for
/// a version it serves; `Ok` when the request may go on.
pub(crate) fn check(request: &Request) -> Result<(), AtlasError> {
    if !is_v2(&request.path) || accepts(request) {
        return Ok(());
    }
    Err(AtlasError::invalid_version())
}

/// Whether any media type in any `Accept` header, parameters such as `;q=`
/// aside, is exactly [`MEDIA_TYPE`].
fn accepts(request: &Request) -> bool {
    request
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("accept"))
        .flat_map(|(_, value)| value.split(','))
        .any(|item| item.split(';').next().map(str::trim) == Some(MEDIA_TYPE))
}

/// Gives a v2 answer with a JSON body the versioned media type as its
/// `Content-Type`, as Atlas does; other answers are returned unchanged.
pub(crate) fn label(request: &Request, mut response: Response) -> Response {
    if is_v2(&request.path) {
        for (name, value) in &mut response.headers {
            if name.eq_ignore_ascii_case("content-type") {
                *value = MEDIA_TYPE.to_owned();
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{accepts, is_v2};
    use crate::http::read_request;

    fn accepted(accept_lines: &[&str]) -> bool {
        let mut head = String::from("GET /api/atlas/v2/x HTTP/1.1\r\n");
        for line in accept_lines {
            head.push_str(&format!("Accept: {line}\r\n"));
        }
        head.push_str("\r\n");
        let request = read_request(&mut head.as_bytes()).unwrap().unwrap();
        accepts(&request)
    }

    #[test]
    fn v2_is_a_path_segment() {
        assert!(is_v2("/api/atlas/v2"));
        assert!(is_v2("/api/atlas/v2/orgs/o/apiKeys/k"));
        assert!(!is_v2("/api/atlas/v2x/orgs"));
        assert!(!is_v2("/api/atlas/v1.0/orgs"));
        assert!(!is_v2("/api/public/v1.0/orgs"));
    }

    #[test]
    fn accepts_the_version_among_others_and_with_parameters() {
        assert!(accepted(&["application/vnd.atlas.2023-01-01+json"]));
        assert!(accepted(&[
            "application/json;q=0.5, application/vnd.atlas.2023-01-01+json;charset=utf-8"
        ]));
        assert!(accepted(&[
            "application/json",
            "application/vnd.atlas.2023-01-01+json"
        ]));
    }

    #[test]
    fn refuses_other_versions_and_types() {
        assert!(!accepted(&[]));
        assert!(!accepted(&["application/json"]));
        assert!(!accepted(&["*/*"]));
        assert!(!accepted(&["application/vnd.atlas.2024-08-05+json"]));
        assert!(!accepted(&["application/vnd.atlas.2023-01-01+json-x"]));
    }
}
