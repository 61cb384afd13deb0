//! A query written as one string, `name=value&name=value`, as the C skin
//! takes it.

use crate::Error;

/// The pairs of `query` (`pageNum=2&itemsPerPage=500`): split at `&` and
/// at each pair's first `=`, then percent-decoded, so `%26` is an `&`
/// inside a value. `+` is a plus sign, not a space. A pair without `=`
/// has an empty value; empty pairs are skipped.
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decoded(name, pair)?;
        if name.is_empty() {
            return Err(Error::invalid(
                "query",
                format!("{pair:?} has no name before its ="),
            ));
        }
        pairs.push((name, decoded(value, pair)?));
    }
    Ok(pairs)
}

/// `text` with its percent-escapes decoded, as UTF-8; errors name `pair`.
fn decoded(text: &str, pair: &str) -> Result<String, Error> {
    let refuse = |what: &str| {
        Error::invalid(
            "query",
            format!("{pair:?} {what}; write a % in a value as %25"),
        )
    };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| refuse("has a % not followed by two hex digits"))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| refuse("decodes to bytes that are not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_decodes_pairs() {
        let pairs = parse_query("pageNum=2&&itemsPerPage=500&q=a%26b%3Dc+d&flag").unwrap();
        let expected = [
            ("pageNum", "2"),
            ("itemsPerPage", "500"),
            ("q", "a&b=c+d"),
            ("flag", ""),
        ];
        assert_eq!(
            pairs,
            expected.map(|(n, v)| (n.to_owned(), v.to_owned())).to_vec()
        );
        assert!(parse_query("").unwrap().is_empty());
    }

    #[test]
    fn refuses_broken_escapes_and_nameless_pairs() {
        for bad in ["a=%zz", "a=%4", "=x", "a=%FF%FE"] {
            let err = parse_query(bad).unwrap_err().to_string();
            assert!(err.contains("`query`"), "{bad}: {err}");
        }
    }
}
