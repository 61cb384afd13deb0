//! Finding the Digest challenge among `WWW-Authenticate` headers.
//!
//! A server may send several headers, and one header may hold several
//! challenges (`Basic realm="x", Digest realm="y", nonce="z"`). The scheme
//! name is case-insensitive. `digest_auth` 0.3 panics on non-ASCII text, so
//! only visible ASCII ever reaches it.

use crate::Error;
use digest_auth::WwwAuthenticateHeader;

/// The longest piece of a server header quoted back in an error message.
const QUOTE_LIMIT: usize = 120;

/// Picks the first usable Digest challenge from the raw `WWW-Authenticate`
/// header values of a 401 response.
pub(crate) fn digest_challenge(values: &[Vec<u8>]) -> Result<WwwAuthenticateHeader, Error> {
    let mut problem = None;
    let mut schemes = Vec::new();
    for raw in values {
        let Some(text) = visible_ascii(raw) else {
            problem.get_or_insert_with(|| {
                "a WWW-Authenticate header holds bytes that are not visible ASCII".to_owned()
            });
            continue;
        };
        for (scheme, params) in split_challenges(text) {
            if !scheme.eq_ignore_ascii_case("digest") {
                schemes.push(scheme.to_owned());
                continue;
            }
            match WwwAuthenticateHeader::parse(&params) {
                Ok(challenge) => return Ok(challenge),
                Err(e) => {
                    problem.get_or_insert_with(|| {
                        format!("unusable Digest challenge: {}", quote(&e.to_string()))
                    });
                }
            }
        }
    }
    Err(Error::protocol(problem.unwrap_or_else(|| {
        if schemes.is_empty() {
            "the server demanded authentication (401) but sent no Digest challenge".to_owned()
        } else {
            format!(
                "the server demanded authentication (401) but offered only {}, not Digest",
                quote(&schemes.join(", "))
            )
        }
    })))
}

fn visible_ascii(raw: &[u8]) -> Option<&str> {
    raw.iter()
        .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
        .then(|| std::str::from_utf8(raw).ok())
        .flatten()
}

fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Splits one header value into `(scheme, parameters)` pairs.
///
/// Commas separate both challenges and the parameters inside one, so an
/// item that starts with a bare token followed by a space begins a new
/// challenge; any other item is another parameter of the current one.
fn split_challenges(value: &str) -> Vec<(&str, String)> {
    let mut challenges: Vec<(&str, String)> = Vec::new();
    for item in split_top_level_commas(value) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (head, rest) = item
            .split_once([' ', '\t'])
            .map_or((item, ""), |(h, r)| (h, r.trim_start()));
        if !head.contains('=') && !head.contains('"') && !rest.starts_with('=') {
            challenges.push((head, rest.to_owned()));
        } else if let Some((_, params)) = challenges.last_mut() {
            if !params.is_empty() {
                params.push_str(", ");
            }
            params.push_str(item);
        }
    }
    challenges
}

fn split_top_level_commas(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                items.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&value[start..]);
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const ATLAS: &str = r#"Digest realm="MMS Public API", domain="", nonce="669gyxpgL6MGDuSZvQ80Spv3k+Jc99ed", algorithm=MD5, qop="auth", stale=false"#;

    fn pick(values: &[&[u8]]) -> Result<WwwAuthenticateHeader, Error> {
        digest_challenge(&values.iter().map(|v| v.to_vec()).collect::<Vec<_>>())
    }

    #[test]
    fn reads_the_atlas_challenge() {
        let c = pick(&[ATLAS.as_bytes()]).unwrap();
        assert_eq!(c.realm, "MMS Public API");
        assert_eq!(c.nonce, "669gyxpgL6MGDuSZvQ80Spv3k+Jc99ed");
        assert!(!c.stale);
    }

    #[test]
    fn finds_digest_among_several_headers_and_schemes() {
        let c = pick(&[
            b"Bearer realm=\"oauth\"",
            br#"Basic realm="a, b", DIGEST realm="r", nonce="n1", qop="auth", algorithm=SHA-256, stale=true"#,
        ])
        .unwrap();
        assert_eq!(
            (c.realm.as_str(), c.nonce.as_str(), c.stale),
            ("r", "n1", true)
        );
        assert_eq!(c.algorithm.to_string(), "SHA-256");
    }

    #[test]
    fn refuses_non_ascii_without_panicking() {
        let err = pick(&["Digest realm=\"é\", nonce=\"n\"".as_bytes()]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(err.to_string().contains("visible ASCII"), "{err}");
    }

    #[test]
    fn explains_missing_and_broken_challenges() {
        let none = pick(&[b"Basic realm=\"x\""]).unwrap_err().to_string();
        assert!(none.contains("offered only Basic"), "{none}");
        let empty = pick(&[]).unwrap_err().to_string();
        assert!(empty.contains("sent no Digest challenge"), "{empty}");
        let broken = pick(&[b"Digest realm=\"x\""]).unwrap_err().to_string();
        assert!(broken.contains("nonce"), "{broken}");
        let garbage = pick(&[b"Digest \"\"\"=,,=\\"]).unwrap_err();
        assert_eq!(garbage.kind(), ErrorKind::Protocol);
    }
}
