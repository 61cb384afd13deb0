//! A response head: its status, the few headers this client acts on, how
//! its body is framed and whether the connection may carry another request.

use super::body::Framing;
use crate::Error;
use std::mem::MaybeUninit;

/// The largest response head accepted, interim (1xx) heads before it
/// included.
pub(crate) const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most header fields one head may have.
const MAX_HEADERS: usize = 128;

/// What this client keeps of a response head.
#[derive(Debug, Default)]
pub(crate) struct ResponseHead {
    pub status: u16,
    pub framing: Framing,
    /// Whether the connection may carry another request once the body
    /// has been read.
    pub keep_alive: bool,
    pub error_code: Option<String>,
    pub retry_after: Option<String>,
    pub location: Option<String>,
    pub content_type: Option<String>,
    /// The raw `WWW-Authenticate` values of a 401 (none otherwise).
    pub challenges: Vec<Vec<u8>>,
}

/// Parses the response head at the start of `input`, the answer to a
/// `method` request. `None` until the head is complete; then the head and
/// how many bytes it took (interim 1xx heads skipped before it included).
/// A head longer than [`MAX_HEAD_BYTES`], garbage, or framing that
/// contradicts itself is an [`Error::Protocol`].
pub(crate) fn parse_head(
    input: &[u8],
    method: &str,
) -> Result<Option<(ResponseHead, usize)>, Error> {
    let mut start = 0;
    loop {
        let rest = &input[start..];
        let mut slots = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut []);
        let status = httparse::ParserConfig::default()
            .parse_response_with_uninit_headers(&mut response, rest, &mut slots)
            .map_err(|e| match e {
                httparse::Error::TooManyHeaders => Error::protocol(format!(
                    "malformed HTTP response: more than {MAX_HEADERS} header fields"
                )),
                e => Error::protocol(format!("malformed HTTP response: {e}")),
            })?;
        let httparse::Status::Complete(length) = status else {
            if input.len() >= MAX_HEAD_BYTES {
                return Err(too_long());
            }
            return Ok(None);
        };
        if start + length > MAX_HEAD_BYTES {
            return Err(too_long());
        }
        let code = response.code.unwrap_or_default();
        match code {
            101 => {
                return Err(Error::protocol(
                    "the server switched protocols (HTTP 101), which was not asked for",
                ))
            }
            // Interim answers (100 Continue, 103 Early Hints): the real one follows.
            100..=199 => {
                start += length;
                continue;
            }
            _ => {}
        }
        let head = read_head(code, response.version == Some(0), response.headers, method)?;
        return Ok(Some((head, start + length)));
    }
}

fn too_long() -> Error {
    Error::protocol(format!(
        "the response head exceeds {} KiB",
        MAX_HEAD_BYTES / 1024
    ))
}

/// The headers of a final response, and the framing they imply.
fn read_head(
    status: u16,
    http10: bool,
    headers: &[httparse::Header<'_>],
    method: &str,
) -> Result<ResponseHead, Error> {
    let mut head = ResponseHead {
        status,
        ..ResponseHead::default()
    };
    let mut length: Option<u64> = None;
    let mut chunked_last = None;
    let (mut close, mut keep_alive) = (false, false);
    for header in headers {
        let name = header.name;
        let value = header.value;
        if name.eq_ignore_ascii_case("content-length") {
            for part in value.split(|&b| b == b',') {
                let n = content_length(part)?;
                if length.is_some_and(|seen| seen != n) {
                    return Err(Error::protocol(
                        "malformed HTTP response: conflicting Content-Length values",
                    ));
                }
                length = Some(n);
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // The last coding decides: chunked, or a body that lasts until
            // the connection closes (RFC 9112 §6.3).
            if let Some(last) = tokens(value).last() {
                chunked_last = Some(last.eq_ignore_ascii_case(b"chunked"));
            }
        } else if name.eq_ignore_ascii_case("connection") {
            for token in tokens(value) {
                close |= token.eq_ignore_ascii_case(b"close");
                keep_alive |= token.eq_ignore_ascii_case(b"keep-alive");
            }
        } else if status == 401 && name.eq_ignore_ascii_case("www-authenticate") {
            head.challenges.push(value.to_vec());
        } else {
            let slot = if name.eq_ignore_ascii_case("x-error-code") {
                &mut head.error_code
            } else if name.eq_ignore_ascii_case("retry-after") {
                &mut head.retry_after
            } else if name.eq_ignore_ascii_case("location") {
                &mut head.location
            } else if name.eq_ignore_ascii_case("content-type") {
                &mut head.content_type
            } else {
                continue;
            };
            if slot.is_none() {
                *slot = text(value);
            }
        }
    }
    let no_body = method.eq_ignore_ascii_case("HEAD")
        || matches!(status, 204 | 304)
        || (method.eq_ignore_ascii_case("CONNECT") && (200..300).contains(&status));
    head.framing = match (chunked_last, length) {
        _ if no_body => Framing::Empty,
        (Some(true), _) => Framing::Chunked,
        (Some(false), _) => Framing::UntilClose,
        (None, Some(n)) => Framing::Length(n),
        (None, None) => Framing::UntilClose,
    };
    // Both a length and a coding: a message that two parsers may frame
    // differently (request smuggling); the coding wins, the connection ends.
    let ambiguous = chunked_last.is_some() && length.is_some();
    head.keep_alive =
        !close && !ambiguous && head.framing != Framing::UntilClose && (!http10 || keep_alive);
    Ok(head)
}

/// One `Content-Length` value: decimal digits only, no sign, within 64 bits.
fn content_length(raw: &[u8]) -> Result<u64, Error> {
    let digits = raw.trim_ascii();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Error::protocol(
            "malformed HTTP response: a Content-Length is not a number",
        ));
    }
    digits.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or_else(|| Error::protocol("malformed HTTP response: a Content-Length overflows"))
    })
}

/// The comma-separated tokens of a header value, trimmed, empty ones left out.
fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|token| !token.is_empty())
}

/// A header value as text when it is visible ASCII (spaces and tabs
/// allowed), as `http`'s `HeaderValue::to_str` reads it; `None` otherwise.
fn text(value: &[u8]) -> Option<String> {
    value
        .iter()
        .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
        .then(|| String::from_utf8_lossy(value).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn parse(input: &[u8]) -> Result<Option<(ResponseHead, usize)>, Error> {
        parse_head(input, "DELETE")
    }

    fn head(input: &str) -> ResponseHead {
        let (head, used) = parse(input.as_bytes()).unwrap().expect("a complete head");
        assert_eq!(used, input.find("\r\n\r\n").unwrap() + 4, "{input}");
        head
    }

    fn protocol_error(input: &[u8]) -> String {
        let err = parse(input).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
        err.to_string()
    }

    #[test]
    fn reads_the_status_and_the_headers_acted_on() {
        let h = head(
            "HTTP/1.1 429 Too Many Requests\r\nX-Error-Code: RATE_LIMITED\r\nretry-after: 3\r\n\
             Location: /elsewhere\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        );
        assert_eq!(h.status, 429);
        assert_eq!(h.error_code.as_deref(), Some("RATE_LIMITED"));
        assert_eq!(h.retry_after.as_deref(), Some("3"));
        assert_eq!(h.location.as_deref(), Some("/elsewhere"));
        assert_eq!(h.content_type.as_deref(), Some("application/json"));
        assert_eq!((h.framing, h.keep_alive), (Framing::Length(2), true));
        assert!(h.challenges.is_empty());
        let odd = head("HTTP/1.1 400 Bad\r\nX-Error-Code: café\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(odd.error_code, None, "not visible ASCII");
    }

    #[test]
    fn keeps_every_challenge_of_a_401_only() {
        let h = head(
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\
             www-authenticate: Digest realm=\"r\", nonce=\"n\"\r\nContent-Length: 0\r\n\r\n",
        );
        assert_eq!(h.challenges.len(), 2);
        assert_eq!(h.challenges[1], b"Digest realm=\"r\", nonce=\"n\"");
        let h = head(
            "HTTP/1.1 403 Forbidden\r\nWWW-Authenticate: Digest x\r\nContent-Length: 0\r\n\r\n",
        );
        assert!(h.challenges.is_empty());
    }

    #[test]
    fn incomplete_heads_wait_for_more() {
        for cut in [0, 5, 17, 30] {
            let full = b"HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";
            assert!(parse(&full[..cut]).unwrap().is_none(), "{cut}");
        }
    }

    #[test]
    fn interim_answers_are_skipped() {
        let input = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n\
                     HTTP/1.1 204 No Content\r\n\r\nnext";
        let (h, used) = parse(input.as_bytes()).unwrap().unwrap();
        assert_eq!((h.status, used), (204, input.len() - 4));
        assert!(parse(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2")
            .unwrap()
            .is_none());
        assert!(protocol_error(b"HTTP/1.1 101 Switching Protocols\r\n\r\n").contains("101"));
    }

    #[test]
    fn framing_follows_rfc_9112() {
        let framing = |input: &str, method: &str| {
            let (h, _) = parse_head(input.as_bytes(), method).unwrap().unwrap();
            (h.framing, h.keep_alive)
        };
        for (input, expected) in [
            (
                "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
                (Framing::Empty, true),
            ),
            ("HTTP/1.1 304 Not Modified\r\n\r\n", (Framing::Empty, true)),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n",
                (Framing::Length(7), true),
            ),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n",
                (Framing::Length(7), true),
            ),
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                (Framing::Chunked, true),
            ),
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n",
                (Framing::Chunked, true),
            ),
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                (Framing::UntilClose, false),
            ),
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n",
                (Framing::Chunked, false),
            ),
            ("HTTP/1.1 200 OK\r\n\r\n", (Framing::UntilClose, false)),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                (Framing::Length(0), false),
            ),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive, Close\r\n\r\n",
                (Framing::Length(0), false),
            ),
            (
                "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
                (Framing::Length(0), false),
            ),
            (
                "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n",
                (Framing::Length(0), true),
            ),
        ] {
            assert_eq!(framing(input, "DELETE"), expected, "{input}");
        }
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n";
        assert_eq!(framing(ok, "HEAD").0, Framing::Empty);
        assert_eq!(
            framing(ok, "CONNECT").0,
            Framing::Empty,
            "a tunnel has no body"
        );
        let refused = "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 7\r\n\r\n";
        assert_eq!(framing(refused, "CONNECT").0, Framing::Length(7));
    }

    #[test]
    fn conflicting_or_broken_lengths_are_refused() {
        for input in [
            &b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        ] {
            protocol_error(input);
        }
    }

    #[test]
    fn garbage_and_huge_heads_are_protocol_errors() {
        for input in [
            &b"SSH-2.0-OpenSSH_9.6\r\n\r\n"[..],
            b"HTTP/2 200\r\n\r\n",
            b"HTTP/1.1 20 OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        ] {
            protocol_error(input);
        }
        let mut many = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..=MAX_HEADERS {
            many.extend(format!("X-{i}: y\r\n").bytes());
        }
        many.extend(b"\r\n");
        assert!(protocol_error(&many).contains("header fields"));
        let mut huge = b"HTTP/1.1 200 OK\r\nX-Padding: ".to_vec();
        huge.resize(MAX_HEAD_BYTES, b'a');
        assert!(protocol_error(&huge).contains("64 KiB"));
        huge.extend(b"\r\n\r\n");
        assert!(protocol_error(&huge).contains("64 KiB"));
        let mut endless_interim = Vec::new();
        while endless_interim.len() < MAX_HEAD_BYTES {
            endless_interim.extend(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        assert!(protocol_error(&endless_interim).contains("64 KiB"));
    }
}
