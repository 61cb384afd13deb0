//! Percent-decoding (RFC 3986 §2.1) of path segments and query values:
//! a CIDR block's `/` reaches the mock as `%2F`.

/// `text` with every `%XX` decoded; `None` when an escape is malformed or
/// the result is not UTF-8.
pub(crate) fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = bytes.get(i + 1..i + 3)?;
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `text` with everything but RFC 3986's unreserved characters escaped, for
/// putting an access list entry back into a link.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn decodes_escapes_and_refuses_broken_ones() {
        assert_eq!(decode("10.0.0.0%2F24").as_deref(), Some("10.0.0.0/24"));
        assert_eq!(decode("a%2fb%20c").as_deref(), Some("a/b c"));
        assert_eq!(decode("plain").as_deref(), Some("plain"));
        assert_eq!(decode("%C3%A9").as_deref(), Some("é"));
        for bad in ["%", "%2", "%zz", "%FF", "x%2"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn encodes_what_decode_reads_back() {
        assert_eq!(encode("10.0.0.0/24"), "10.0.0.0%2F24");
        assert_eq!(encode("2001:db8::/32"), "2001%3Adb8%3A%3A%2F32");
        assert_eq!(decode(&encode("a b/c")).as_deref(), Some("a b/c"));
    }
}
