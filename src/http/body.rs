//! Response body framing: a known length, chunked, or until the server
//! closes; decoded incrementally from whatever bytes have arrived, up to a
//! limit past which nothing more is read.

use crate::Error;

/// The longest chunk-size line (size, extensions and line end) accepted:
/// a server sending an endless line cannot make the client read for ever.
const MAX_CHUNK_LINE: usize = 4096;
/// The most bytes of trailer fields accepted after the last chunk, as for
/// a response head.
const MAX_TRAILER_BYTES: usize = super::MAX_HEAD_BYTES;

/// How a response says where its body ends (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Framing {
    /// No body: a 204, a 304, a 1xx, an answer to HEAD or a CONNECT that
    /// opened a tunnel.
    #[default]
    Empty,
    /// `Content-Length` bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Everything until the server closes the connection.
    UntilClose,
}

/// Where a decode left the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Progress {
    /// The body needs more bytes.
    More,
    /// The body is complete; what follows belongs to the next response.
    Done,
    /// The limit was reached before the body's end; the rest is not read.
    Full,
}

/// Decodes one response body.
#[derive(Debug)]
pub(crate) struct BodyDecoder {
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// This many bytes of a length-delimited body are still to come.
    Length(u64),
    /// Reading a chunk-size line.
    Size(SizeLine),
    /// This many bytes of chunk data are still to come.
    Data(u64),
    /// The line end after a chunk's data; `true` once its CR was seen.
    DataEnd(bool),
    /// Trailer fields after the last chunk.
    Trailers {
        line: usize,
        total: usize,
    },
    UntilClose,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct SizeLine {
    size: u64,
    digits: usize,
    /// Past the size: in extensions or whitespace, skipped.
    extensions: bool,
    /// The CR of the line end was seen.
    cr: bool,
    length: usize,
}

fn malformed(what: &str) -> Error {
    Error::protocol(format!("malformed chunked body: {what}"))
}

impl BodyDecoder {
    /// A decoder for a body framed as `framing`.
    pub(crate) fn new(framing: Framing) -> Self {
        let state = match framing {
            Framing::Empty | Framing::Length(0) => State::Done,
            Framing::Length(n) => State::Length(n),
            Framing::Chunked => State::Size(SizeLine::default()),
            Framing::UntilClose => State::UntilClose,
        };
        BodyDecoder { state }
    }

    /// Whether the body is complete.
    #[cfg(test)]
    pub(crate) fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Decodes from `input`, appending body bytes to `out` while it holds
    /// fewer than `limit`. Returns how many input bytes were used: all of
    /// them unless the body ended (the rest is the next response's) or the
    /// limit was reached.
    pub(crate) fn decode(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        limit: usize,
    ) -> Result<(usize, Progress), Error> {
        let mut used = 0;
        loop {
            if self.state == State::Done {
                return Ok((used, Progress::Done));
            }
            let rest = &input[used..];
            if rest.is_empty() {
                return Ok((used, Progress::More));
            }
            match &mut self.state {
                State::Length(left) | State::Data(left) => {
                    let room = limit.saturating_sub(out.len());
                    if room == 0 {
                        return Ok((used, Progress::Full));
                    }
                    let take = rest
                        .len()
                        .min(room)
                        .min(usize::try_from(*left).unwrap_or(usize::MAX));
                    out.extend_from_slice(&rest[..take]);
                    used += take;
                    *left -= take as u64;
                    if *left == 0 {
                        self.state = match self.state {
                            State::Length(_) => State::Done,
                            _ => State::DataEnd(false),
                        };
                    }
                }
                State::UntilClose => {
                    let room = limit.saturating_sub(out.len());
                    if room == 0 {
                        return Ok((used, Progress::Full));
                    }
                    let take = rest.len().min(room);
                    out.extend_from_slice(&rest[..take]);
                    used += take;
                }
                State::Size(line) => {
                    used += 1;
                    if let Some(size) = size_line(line, rest[0])? {
                        self.state = if size == 0 {
                            State::Trailers { line: 0, total: 0 }
                        } else {
                            State::Data(size)
                        };
                    }
                }
                State::DataEnd(cr) => {
                    used += 1;
                    match (rest[0], *cr) {
                        (b'\r', false) => *cr = true,
                        (b'\n', _) => self.state = State::Size(SizeLine::default()),
                        _ => return Err(malformed("chunk data is not followed by a line end")),
                    }
                }
                State::Trailers { line, total } => {
                    used += 1;
                    *total += 1;
                    if *total > MAX_TRAILER_BYTES {
                        return Err(malformed("the trailer fields exceed 64 KiB"));
                    }
                    match rest[0] {
                        b'\n' if *line == 0 => self.state = State::Done,
                        b'\n' => *line = 0,
                        // A CR only ends a line with the LF after it.
                        b'\r' => {}
                        _ => *line += 1,
                    }
                }
                State::Done => unreachable!("returned above"),
            }
        }
    }

    /// The server closed the connection: the end of a body that lasts
    /// until then, a truncated body otherwise.
    pub(crate) fn finish_at_close(&mut self) -> Result<(), Error> {
        match self.state {
            State::UntilClose | State::Done => {
                self.state = State::Done;
                Ok(())
            }
            _ => Err(Error::transport(
                crate::TransportKind::Io,
                "the server closed the connection before the end of the response body",
            )),
        }
    }
}

/// Feeds one byte of a chunk-size line (`1a;name=value\r\n`); the size
/// once the line is complete.
fn size_line(line: &mut SizeLine, byte: u8) -> Result<Option<u64>, Error> {
    line.length += 1;
    if line.length > MAX_CHUNK_LINE {
        return Err(malformed("a chunk-size line is longer than 4 KiB"));
    }
    if line.cr && byte != b'\n' {
        return Err(malformed("a CR in a chunk-size line is not followed by LF"));
    }
    match byte {
        b'\n' if line.digits == 0 => Err(malformed("a chunk-size line holds no size")),
        b'\n' => Ok(Some(line.size)),
        b'\r' => {
            line.cr = true;
            Ok(None)
        }
        _ if line.extensions => Ok(None),
        b';' | b' ' | b'\t' if line.digits > 0 => {
            line.extensions = true;
            Ok(None)
        }
        _ => {
            let digit = char::from(byte)
                .to_digit(16)
                .ok_or_else(|| malformed("a chunk size is not hexadecimal"))?;
            line.size = line
                .size
                .checked_mul(16)
                .and_then(|size| size.checked_add(u64::from(digit)))
                .ok_or_else(|| malformed("a chunk size overflows 64 bits"))?;
            line.digits += 1;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// Decodes `input` fed in pieces of `step` bytes, with `limit`.
    fn decode_in(
        framing: Framing,
        input: &[u8],
        step: usize,
        limit: usize,
    ) -> Result<(Vec<u8>, usize, Progress), Error> {
        let mut decoder = BodyDecoder::new(framing);
        let mut out = Vec::new();
        let mut at = 0;
        let mut progress = if decoder.is_done() {
            Progress::Done
        } else {
            Progress::More
        };
        while at < input.len() && progress == Progress::More {
            let end = (at + step).min(input.len());
            let (used, now) = decoder.decode(&input[at..end], &mut out, limit)?;
            assert!(used <= end - at);
            if now == Progress::More {
                assert_eq!(used, end - at, "a decoder needing more takes it all");
            }
            at += used;
            progress = now;
        }
        Ok((out, at, progress))
    }

    fn decode(framing: Framing, input: &[u8]) -> Result<(Vec<u8>, usize, Progress), Error> {
        decode_in(framing, input, usize::MAX, 1 << 20)
    }

    #[test]
    fn a_length_ends_the_body_and_leaves_the_rest() {
        for step in [1, 3, 100] {
            let (body, used, progress) =
                decode_in(Framing::Length(5), b"helloHTTP/1.1", step, 100).unwrap();
            assert_eq!(
                (&body[..], used, progress),
                (&b"hello"[..], 5, Progress::Done)
            );
        }
        let (body, _, progress) = decode(Framing::Length(9), b"hello").unwrap();
        assert_eq!((&body[..], progress), (&b"hello"[..], Progress::More));
        assert!(BodyDecoder::new(Framing::Length(0)).is_done());
        assert!(BodyDecoder::new(Framing::Empty).is_done());
    }

    #[test]
    fn chunks_with_extensions_and_trailers() {
        let input = b"5;name=\"v\"\r\nhello\r\n1A \r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\nNEXT";
        for step in [1, 2, 7, 1000] {
            let (body, used, progress) = decode_in(Framing::Chunked, input, step, 1000).unwrap();
            assert_eq!(
                String::from_utf8(body).unwrap(),
                "helloabcdefghijklmnopqrstuvwxyz"
            );
            assert_eq!(
                (used, progress),
                (input.len() - 4, Progress::Done),
                "{step}"
            );
        }
        // Bare LF line ends, as many servers send and parsers accept.
        let (body, _, progress) = decode(Framing::Chunked, b"3\nabc\n0\n\n").unwrap();
        assert_eq!((&body[..], progress), (&b"abc"[..], Progress::Done));
    }

    #[test]
    fn broken_chunks_are_protocol_errors() {
        for input in [
            &b"zz\r\n"[..],
            b"\r\n",
            b";ext\r\n",
            b"5\r\nhelloX\r\n",
            b"5\rX",
            b"10000000000000000\r\n",
            b"ffffffffffffffff0\r\n",
        ] {
            let err = decode(Framing::Chunked, input).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Protocol, "{input:?}: {err}");
        }
    }

    #[test]
    fn an_endless_chunk_size_line_or_trailer_is_refused() {
        let mut line = b"1;".to_vec();
        line.extend(std::iter::repeat_n(b'x', MAX_CHUNK_LINE));
        let err = decode(Framing::Chunked, &line).unwrap_err();
        assert!(err.to_string().contains("4 KiB"), "{err}");
        let mut trailers = b"0\r\n".to_vec();
        trailers.extend(std::iter::repeat_n(b'x', MAX_TRAILER_BYTES + 1));
        let err = decode(Framing::Chunked, &trailers).unwrap_err();
        assert!(err.to_string().contains("trailer"), "{err}");
    }

    #[test]
    fn the_limit_stops_reading() {
        let (body, used, progress) = decode_in(Framing::Length(10), b"0123456789", 3, 4).unwrap();
        assert_eq!(
            (&body[..], used, progress),
            (&b"0123"[..], 4, Progress::Full)
        );
        let (body, _, progress) =
            decode_in(Framing::Chunked, b"a\r\n0123456789\r\n0\r\n\r\n", 2, 4).unwrap();
        assert_eq!((&body[..], progress), (&b"0123"[..], Progress::Full));
        let (body, _, progress) = decode_in(Framing::UntilClose, b"0123456789", 5, 4).unwrap();
        assert_eq!((&body[..], progress), (&b"0123"[..], Progress::Full));
        // A body exactly as long as the limit is complete, not cut.
        let (body, _, progress) = decode(Framing::Length(4), b"0123").unwrap();
        assert_eq!((body.len(), progress), (4, Progress::Done));
        let mut decoder = BodyDecoder::new(Framing::Length(4));
        let mut out = Vec::new();
        assert_eq!(
            decoder.decode(b"0123", &mut out, 4).unwrap(),
            (4, Progress::Done)
        );
    }

    #[test]
    fn a_close_ends_only_a_body_that_lasts_until_then() {
        let mut until_close = BodyDecoder::new(Framing::UntilClose);
        let mut out = Vec::new();
        until_close.decode(b"all of it", &mut out, 100).unwrap();
        until_close.finish_at_close().unwrap();
        assert!(until_close.is_done());
        for framing in [Framing::Length(3), Framing::Chunked] {
            let err = BodyDecoder::new(framing).finish_at_close().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
        }
    }
}
