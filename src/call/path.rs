//! The path of a generic call: relative to the client's API base, checked
//! and escaped before anything is sent.

use crate::Error;
use std::fmt::Write as _;

/// Where the API flavours live below a host; a path starting with one was
/// written as if it were not relative to the base URL.
const FLAVOUR_ROOTS: [&str; 2] = ["/api/atlas/", "/api/public/"];

/// Checks `path` (e.g. `/orgs/{ORG-ID}/apiKeys`) and returns it as it goes
/// on the request line: characters a path may not hold are
/// percent-escaped, escapes already there are kept. Refused, naming what
/// is wrong: a path that does not start with `/`, a URL (scheme or host),
/// a query or fragment, control characters, `.` and `..` segments (escaped
/// or not) and empty segments, and a path that repeats the API's own base
/// (`base` names it in the message).
pub(crate) fn checked_path(path: &str, base: &str) -> Result<String, Error> {
    let refuse = |reason: String| Err(Error::invalid("path", format!("{path:?} {reason}")));
    if path.contains("://") || path.starts_with("//") {
        return refuse(format!(
            "is a URL; give the path below the client's base URL ({base}), e.g. \
             /orgs/{{ORG-ID}}/apiKeys"
        ));
    }
    if !path.starts_with('/') {
        return refuse(format!(
            "must start with / and is relative to the client's base URL ({base}), e.g. \
             /orgs/{{ORG-ID}}/apiKeys"
        ));
    }
    if let Some(root) = FLAVOUR_ROOTS.iter().find(|root| path.starts_with(*root)) {
        return refuse(format!(
            "repeats the API's own path ({root}…): it is relative to the client's base URL \
             ({base}); drop that part"
        ));
    }
    if path.bytes().any(|b| b.is_ascii_control()) {
        return refuse("holds control characters".to_owned());
    }
    if path.contains('#') {
        return refuse("holds a fragment (#), which is never sent".to_owned());
    }
    if path.contains('?') {
        return refuse("holds a query (?): give query parameters separately".to_owned());
    }
    let mut out = String::with_capacity(path.len());
    if path == "/" {
        out.push('/');
        return Ok(out);
    }
    for segment in path[1..].split('/') {
        let Some(decoded) = percent_decoded(segment) else {
            return refuse(format!(
                "has a malformed percent-escape in {segment:?}: % must be followed by two \
                 hex digits"
            ));
        };
        if decoded.is_empty() {
            return refuse("has an empty segment (//, or a / at the end)".to_owned());
        }
        if decoded == b"." || decoded == b".." {
            return refuse(format!(
                "has a {segment:?} segment, which a server may read as moving up the path"
            ));
        }
        out.push('/');
        for c in segment.chars() {
            if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%".contains(c) {
                out.push(c);
            } else {
                let mut utf8 = [0; 4];
                for b in c.encode_utf8(&mut utf8).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    Ok(out)
}

/// The bytes `segment` stands for, or `None` for a `%` not followed by
/// two hex digits.
fn percent_decoded(segment: &str) -> Option<Vec<u8>> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://cloud.mongodb.com/api/atlas/v1.0";

    #[test]
    fn keeps_paths_and_their_escapes_and_escapes_the_rest() {
        for (path, sent) in [
            ("/orgs/5f1a/apiKeys", "/orgs/5f1a/apiKeys"),
            ("/", "/"),
            (
                "/orgs/o/apiKeys/k/accessList/10.0.0.0%2F24",
                "/orgs/o/apiKeys/k/accessList/10.0.0.0%2F24",
            ),
            (
                "/groups/g/clusters/my cluster",
                "/groups/g/clusters/my%20cluster",
            ),
            ("/x/é", "/x/%C3%A9"),
            ("/x/a:b@c", "/x/a:b@c"),
        ] {
            assert_eq!(checked_path(path, BASE).unwrap(), sent, "{path}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_path_below_the_base() {
        for (path, says) in [
            ("orgs/x", "must start with /"),
            ("https://evil.example/orgs", "is a URL"),
            ("//evil.example/orgs", "is a URL"),
            ("/api/atlas/v1.0/orgs", "repeats the API's own path"),
            ("/api/public/v1.0/orgs", "repeats the API's own path"),
            ("/orgs/../admin", "moving up"),
            ("/orgs/%2e%2E/admin", "moving up"),
            ("/orgs/./x", "moving up"),
            ("/orgs//x", "empty segment"),
            ("/orgs/", "empty segment"),
            ("/orgs#frag", "fragment"),
            ("/orgs?pretty=true", "query"),
            ("/orgs/\r\nHost: x", "control characters"),
            ("/orgs/%zz", "percent-escape"),
            ("/orgs/%2", "percent-escape"),
        ] {
            let err = checked_path(path, BASE).unwrap_err().to_string();
            assert!(
                err.contains("`path`") && err.contains(says),
                "{path:?}: {err}"
            );
        }
        let err = checked_path("orgs", BASE).unwrap_err().to_string();
        assert!(err.contains(BASE), "{err}");
    }
}
