//! One open connection and the exchange of a request and its answer over
//! it, through the sans-IO codec in [`crate::http`], within a deadline.

use super::stop::Stop;
use super::stream::{Stream, StreamError};
use super::tcp;
use crate::clock::{Clock, SLICE};
use crate::http::{self, BodyDecoder, Framing, Progress, RequestHead, ResponseHead};
use crate::{Error, TransportKind};
use std::time::{Duration, Instant};
use zeroize::Zeroize;

/// Input buffer to start with: an API answer's head and a small body.
const INITIAL_INPUT: usize = 8 * 1024;
/// A buffer that grew past this for one big request or head is wiped and
/// given back.
const KEEP_BUFFER: usize = 64 * 1024;

/// When an exchange (or the opening of a connection) must be over, by the
/// client's clock, and how to name that limit in a timeout's message.
#[derive(Clone, Copy)]
pub(super) struct Deadline<'a> {
    pub clock: &'a dyn Clock,
    pub at: Instant,
    /// How long was allowed, and which limit that was.
    pub allowed: Duration,
    pub limit: &'static str,
    /// What to ask between the slices of a wait for the answer; `None`
    /// waits in one piece.
    pub stop: Option<&'a Stop<'a>>,
}

impl Deadline<'_> {
    /// The time left, rounded up to the socket timeout step; a timeout
    /// once none is left.
    fn left(&self) -> Result<Duration, StreamError> {
        let left = self.at.saturating_duration_since(self.clock.now());
        if left.is_zero() {
            return Err(StreamError::TimedOut);
        }
        Ok(tcp::stepped(left))
    }

    /// "within 30.0 s (the timeout of one exchange)".
    pub(super) fn within(&self) -> String {
        format!(
            "within {:.1} s ({})",
            self.allowed.as_secs_f64(),
            self.limit
        )
    }
}

/// What a connection holds of what it sent and received: requests carry
/// `Authorization` values and answers may carry tokens or new keys, so
/// both are wiped when the connection goes.
#[derive(Debug, Default)]
struct Buffers {
    /// Bytes received and not yet used are `input[..filled]`.
    input: Vec<u8>,
    filled: usize,
    output: Vec<u8>,
}

impl Drop for Buffers {
    fn drop(&mut self) {
        self.input.zeroize();
        self.output.zeroize();
    }
}

/// A connection, its buffers, and its socket timeouts as last set.
#[derive(Debug)]
pub(super) struct Connection {
    stream: Stream,
    buffers: Buffers,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    /// When its last answer was read, by the client's clock.
    pub(super) answered_at: Instant,
    /// The fork generation of the process that opened it (see
    /// [`crate::fork`]), set by the pool.
    pub(super) generation: u64,
}

/// What an exchange was doing when it failed, for the error's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    Sending,
    AwaitingAnswer,
    ReadingBody,
}

impl Connection {
    pub(super) fn new(stream: Stream, now: Instant) -> Self {
        Connection {
            stream,
            buffers: Buffers::default(),
            read_timeout: None,
            write_timeout: None,
            answered_at: now,
            generation: 0,
        }
    }

    pub(super) fn stream(&self) -> &Stream {
        &self.stream
    }

    /// The connection over another byte stream (TLS over its TCP),
    /// keeping its buffers and timeouts.
    pub(super) fn map_stream(
        self,
        wrap: impl FnOnce(Stream) -> Result<Stream, StreamError>,
    ) -> Result<Self, StreamError> {
        let Connection {
            stream,
            buffers,
            read_timeout,
            write_timeout,
            answered_at,
            generation,
        } = self;
        Ok(Connection {
            stream: wrap(stream)?,
            buffers,
            read_timeout,
            write_timeout,
            answered_at,
            generation,
        })
    }

    /// Whether nothing arrived beyond the answers read so far: a
    /// connection holding more is not reused.
    pub(super) fn is_clean(&self) -> bool {
        self.buffers.filled == 0
    }

    /// Sets both socket timeouts to what is left until `deadline`.
    pub(super) fn set_timeouts(&mut self, deadline: &Deadline<'_>) -> Result<(), StreamError> {
        self.read_timeout_for(deadline)?;
        self.write_timeout_for(deadline)
    }

    /// Sets the read timeout to what is left until `deadline`, or to a
    /// slice of it when the wait may be stopped. The slice is the same for
    /// every request, so a socket whose answers come within it has its
    /// timeout set once.
    fn read_timeout_for(&mut self, deadline: &Deadline<'_>) -> Result<(), StreamError> {
        let mut wanted = deadline.left()?;
        if deadline.stop.is_some() {
            wanted = wanted.min(SLICE);
        }
        let wanted = Some(wanted);
        if wanted != self.read_timeout {
            self.stream.tcp().set_read_timeout(wanted)?;
            self.read_timeout = wanted;
        }
        Ok(())
    }

    fn write_timeout_for(&mut self, deadline: &Deadline<'_>) -> Result<(), StreamError> {
        let wanted = Some(deadline.left()?);
        if wanted != self.write_timeout {
            self.stream.tcp().set_write_timeout(wanted)?;
            self.write_timeout = wanted;
        }
        Ok(())
    }

    /// Sends `head` (and its body) in one write.
    pub(super) fn send(
        &mut self,
        head: &RequestHead<'_>,
        deadline: &Deadline<'_>,
    ) -> Result<(), Error> {
        let output = &mut self.buffers.output;
        output.clear();
        http::write_request(output, head)?;
        let sent = self
            .write_timeout_for(deadline)
            .and_then(|()| self.stream.write_all(&self.buffers.output));
        if self.buffers.output.capacity() > KEEP_BUFFER {
            self.buffers.output.zeroize();
            self.buffers.output = Vec::new();
        }
        sent.map_err(|e| failure(e, Phase::Sending, deadline))
    }

    /// Reads more into the input buffer, growing it up to `most` bytes;
    /// 0 when the peer closed the connection. A wait that may be stopped
    /// is made in slices, asking the deadline's `stop` after each. The
    /// slices waited count against the time allowed, so a clock that stands
    /// still (a test's) cannot make the wait endless.
    fn fill(&mut self, most: usize, deadline: &Deadline<'_>, phase: Phase) -> Result<usize, Error> {
        let buffers = &mut self.buffers;
        if buffers.filled == buffers.input.len() {
            let grown = (buffers.input.len() * 2).clamp(INITIAL_INPUT, most.max(INITIAL_INPUT));
            buffers.input.resize(grown, 0);
        }
        let mut waited = Duration::ZERO;
        loop {
            self.read_timeout_for(deadline)
                .map_err(|e| failure(e, phase, deadline))?;
            let buffers = &mut self.buffers;
            match self.stream.read(&mut buffers.input[buffers.filled..]) {
                Ok(n) => {
                    buffers.filled += n;
                    return Ok(n);
                }
                Err(StreamError::TimedOut) if deadline.stop.is_some() => {
                    // A slice ended (or the deadline, which the next
                    // round's timeout finds).
                    if deadline.stop.is_some_and(Stop::requested) {
                        return Err(cancelled(phase));
                    }
                    waited += self.read_timeout.unwrap_or(SLICE);
                    if waited >= deadline.allowed {
                        return Err(failure(StreamError::TimedOut, phase, deadline));
                    }
                }
                Err(e) => return Err(failure(e, phase, deadline)),
            }
        }
    }

    /// Drops the first `used` input bytes.
    fn consume(&mut self, used: usize) {
        let buffers = &mut self.buffers;
        buffers.input.copy_within(used..buffers.filled, 0);
        buffers.filled -= used;
    }

    /// Reads the head of the answer to a `method` request (interim 1xx
    /// answers skipped).
    pub(super) fn receive_head(
        &mut self,
        method: &str,
        deadline: &Deadline<'_>,
    ) -> Result<ResponseHead, Error> {
        let mut new_from: usize = 0;
        loop {
            let filled = self.buffers.filled;
            let input = &self.buffers.input[..filled];
            // A head ends with an empty line: parse again only once one may
            // have arrived, so that a server sending a byte at a time costs
            // one parse per line, not per byte. A full buffer is parsed to
            // be refused.
            let fresh = &input[new_from.saturating_sub(3)..];
            if filled >= http::MAX_HEAD_BYTES || may_end_a_head(fresh) {
                if let Some((head, used)) = http::parse_head(input, method)? {
                    self.consume(used);
                    return Ok(head);
                }
            }
            new_from = filled;
            let n = self.fill(http::MAX_HEAD_BYTES, deadline, Phase::AwaitingAnswer)?;
            if n == 0 {
                return Err(Error::transport(
                    TransportKind::Io,
                    if filled == 0 {
                        "the server closed the connection without answering"
                    } else {
                        "the server closed the connection in the middle of its answer"
                    },
                ));
            }
        }
    }

    /// Reads a body framed as `framing`, keeping at most `limit` bytes;
    /// the rest is not read. Returns the body and whether it is complete.
    pub(super) fn receive_body(
        &mut self,
        framing: Framing,
        limit: usize,
        deadline: &Deadline<'_>,
    ) -> Result<(Vec<u8>, bool), Error> {
        let mut decoder = BodyDecoder::new(framing);
        let mut body = Vec::new();
        if let Framing::Length(n) = framing {
            body.reserve_exact(usize::try_from(n).unwrap_or(usize::MAX).min(limit));
        }
        loop {
            let buffers = &self.buffers;
            let (used, progress) =
                decoder.decode(&buffers.input[..buffers.filled], &mut body, limit)?;
            self.consume(used);
            match progress {
                Progress::Done => break,
                Progress::Full => return Ok((body, false)),
                Progress::More => {}
            }
            // Everything given was used: the buffer is empty.
            let n = self.fill(INITIAL_INPUT, deadline, Phase::ReadingBody)?;
            if n == 0 {
                decoder.finish_at_close()?;
                return Ok((body, false));
            }
        }
        if self.buffers.input.len() > KEEP_BUFFER && self.buffers.filled == 0 {
            self.buffers.input.zeroize();
            self.buffers.input = Vec::new();
        }
        Ok((body, true))
    }
}

/// Whether `bytes` hold `\n\r` or `\n\n`, as the end of a head does;
/// without an early exit, so the compiler checks many bytes at a time.
fn may_end_a_head(bytes: &[u8]) -> bool {
    let pairs = bytes.iter().zip(bytes.iter().skip(1));
    pairs.fold(false, |found, (&a, &b)| {
        found | ((a == b'\n') & ((b == b'\r') | (b == b'\n')))
    })
}

/// The error for an exchange stopped from outside in `phase`.
fn cancelled(phase: Phase) -> Error {
    Error::cancelled(match phase {
        Phase::Sending => "while sending the request; it may have arrived in part",
        Phase::AwaitingAnswer => {
            "while waiting for the answer; the request was sent and may have taken effect"
        }
        Phase::ReadingBody => {
            "while the answer's body was arriving; the server had answered, so it processed the \
             request"
        }
    })
}

/// The error for a stream failure in `phase`.
pub(super) fn failure(e: StreamError, phase: Phase, deadline: &Deadline<'_>) -> Error {
    match e {
        StreamError::TimedOut => Error::Timeout(
            format!(
                "{} {}",
                match phase {
                    Phase::Sending => "the request could not be sent",
                    Phase::AwaitingAnswer => "no answer came",
                    Phase::ReadingBody => "the response body did not arrive",
                },
                deadline.within()
            )
            .into(),
        ),
        StreamError::Io(e) => Error::transport(
            TransportKind::Io,
            format!(
                "{}: {e}",
                match phase {
                    Phase::Sending => "sending the request failed",
                    Phase::AwaitingAnswer => "receiving the answer failed",
                    Phase::ReadingBody => "receiving the response body failed",
                }
            ),
        ),
        StreamError::Tls(e) => Error::transport(TransportKind::Tls, e.to_string()),
    }
}
