//! Writing a request: its head and body into one buffer, sent with one
//! system call.

use crate::Error;

/// What a request head says.
#[derive(Debug)]
pub(crate) struct RequestHead<'a> {
    /// `DELETE`, `CONNECT`...
    pub method: &'a str,
    /// The origin-form path and query (`/api/...?x=y`), or `host:port` for
    /// a CONNECT.
    pub target: &'a str,
    /// The `Host` header: `host`, or `host:port` when the port is not the
    /// scheme's default.
    pub host: &'a str,
    /// Further headers, written in this order after `Host`.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body and its media type.
    pub body: Option<(&'a str, &'a [u8])>,
}

/// Appends `head` and its body to `out`. A method, target or header that
/// could break the request's framing (a line break, a control character)
/// is refused without being quoted: it may be a credential.
pub(crate) fn write_request(out: &mut Vec<u8>, head: &RequestHead<'_>) -> Result<(), Error> {
    if head.method.is_empty() || !head.method.bytes().all(is_token) {
        return Err(refused("method"));
    }
    if head.target.is_empty() || !visible(head.target.as_bytes(), false) {
        return Err(refused("request target"));
    }
    let body_length = head.body.map(|(_, bytes)| bytes.len());
    out.reserve(
        64 + head.target.len()
            + head.host.len()
            + head
                .headers
                .iter()
                .map(|(name, value)| name.len() + value.len() + 4)
                .sum::<usize>()
            + body_length.unwrap_or(0),
    );
    out.extend_from_slice(head.method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(head.target.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\n");
    field(out, "Host", head.host)?;
    for (name, value) in head.headers {
        field(out, name, value)?;
    }
    if let Some((content_type, bytes)) = head.body {
        field(out, "Content-Type", content_type)?;
        out.extend_from_slice(b"Content-Length: ");
        decimal(out, bytes.len());
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(bytes);
    } else {
        out.extend_from_slice(b"\r\n");
    }
    Ok(())
}

fn field(out: &mut Vec<u8>, name: &str, value: &str) -> Result<(), Error> {
    if name.is_empty() || !name.bytes().all(is_token) {
        return Err(refused("header name"));
    }
    // Field values are visible ASCII, spaces and tabs (RFC 9110 §5.5;
    // obsolete non-ASCII text is not sent).
    if !visible(value.as_bytes(), true) {
        return Err(Error::invalid(
            "request",
            format!("the {name} header holds a line break or another control character"),
        ));
    }
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
    Ok(())
}

/// Whether `bytes` are all visible ASCII (or spaces and tabs, with
/// `blanks`). This runs over every header value of every request, so it
/// looks at 8 bytes at a time (is any below the lowest allowed, or above
/// `~`?) and byte by byte only in the rare word that holds a tab or a
/// fault.
fn visible(bytes: &[u8], blanks: bool) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let lowest: u8 = if blanks { b' ' } else { b'!' };
    let allowed = |b: u8| (lowest..0x7f).contains(&b) || (blanks && b == b'\t');
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut array = [0; 8];
        array.copy_from_slice(word);
        let x = u64::from_ne_bytes(array);
        // Exact tests for "some byte is below `lowest`" and "some byte is
        // 0x7f or above" (a carry only ever leaves a byte already found).
        let below = x.wrapping_sub(ONES * u64::from(lowest)) & !x & HIGH_BITS;
        let above = (x.wrapping_add(ONES) | x) & HIGH_BITS;
        if below | above != 0 && !word.iter().all(|&b| allowed(b)) {
            return false;
        }
    }
    words.remainder().iter().all(|&b| allowed(b))
}

fn refused(what: &str) -> Error {
    Error::invalid(
        "request",
        format!("the {what} holds a character that HTTP does not allow there"),
    )
}

/// A `tchar` of RFC 9110 §5.6.2.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `n` in decimal, without the formatting machinery.
fn decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn written(head: &RequestHead<'_>) -> Result<String, Error> {
        let mut out = b"kept".to_vec();
        write_request(&mut out, head)?;
        assert!(out.starts_with(b"kept"), "appends");
        Ok(String::from_utf8(out[4..].to_vec()).unwrap())
    }

    #[test]
    fn writes_a_delete_without_a_body() {
        let text = written(&RequestHead {
            method: "DELETE",
            target: "/api/atlas/v1.0/orgs/o/apiKeys/k?pretty=true",
            host: "cloud.mongodb.com",
            headers: &[
                ("User-Agent", "atlas-admin/0.1.0"),
                ("Authorization", "Digest x=\"y\""),
            ],
            body: None,
        })
        .unwrap();
        assert_eq!(
            text,
            "DELETE /api/atlas/v1.0/orgs/o/apiKeys/k?pretty=true HTTP/1.1\r\n\
             Host: cloud.mongodb.com\r\nUser-Agent: atlas-admin/0.1.0\r\n\
             Authorization: Digest x=\"y\"\r\n\r\n"
        );
    }

    #[test]
    fn writes_a_body_with_its_type_and_length() {
        for body in [&b""[..], b"{}", &[b'x'; 12345]] {
            let text = written(&RequestHead {
                method: "POST",
                target: "/x",
                host: "h:8443",
                headers: &[],
                body: Some(("application/json", body)),
            })
            .unwrap();
            let head = format!(
                "POST /x HTTP/1.1\r\nHost: h:8443\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n",
                body.len()
            );
            assert_eq!(text.as_bytes(), [head.as_bytes(), body].concat());
        }
    }

    #[test]
    fn refuses_what_would_break_the_framing_without_quoting_it() {
        let secret = "Digest response=\"s3cr3t\"\r\nX-Injected: 1";
        for (method, target, headers) in [
            ("DELETE", "/x", &[("Authorization", secret)][..]),
            ("DELETE", "/x", &[("Accept", "a\0b")][..]),
            ("DELETE", "/x", &[("Bad Name", "v")][..]),
            ("DELETE", "/x", &[("", "v")][..]),
            ("DELETE", "/x y", &[][..]),
            ("DELETE", "", &[][..]),
            ("DEL\nETE", "/x", &[][..]),
        ] {
            let err = written(&RequestHead {
                method,
                target,
                host: "h",
                headers,
                body: None,
            })
            .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
            assert!(!err.to_string().contains("s3cr3t"), "{err}");
        }
    }

    #[test]
    fn visible_checks_every_byte() {
        for blanks in [false, true] {
            assert!(visible(b"", blanks));
            assert!(visible(b"abcdefghijklmnopqrstuvwxyz!~0123456789", blanks));
            for at in 0..20 {
                for bad in [0u8, b'\r', b'\n', 0x1f, 0x7f, 0x80, 0xff] {
                    let mut text = vec![b'a'; 20];
                    text[at] = bad;
                    assert!(!visible(&text, blanks), "{bad:#x} at {at}");
                }
                let mut text = vec![b'a'; 20];
                text[at] = b'\t';
                assert_eq!(visible(&text, blanks), blanks, "a tab at {at}");
                text[at] = b' ';
                assert_eq!(visible(&text, blanks), blanks, "a space at {at}");
            }
        }
    }

    #[test]
    fn decimals_without_fmt() {
        for n in [0, 7, 10, 99, 1234567890, usize::MAX] {
            let mut out = Vec::new();
            decimal(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }
}
