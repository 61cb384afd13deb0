//! One HTTP request and its bounded response, on a pooled connection or a
//! new one.

use super::connection::{Connection, Deadline};
use super::request::Body;
use super::{Failure, Transport, USER_AGENT};
use crate::http::RequestHead;
use crate::response::{Reply, MAX_BODY_BYTES};
use crate::Method;
use std::time::Duration;

/// What goes on the wire for one request.
pub(super) struct Exchange<'a> {
    pub method: Method,
    /// Path and query, below the origin.
    pub target: &'a str,
    pub accept: &'a str,
    pub authorization: Option<&'a str>,
    pub body: Option<&'a Body>,
}

impl Transport {
    /// Sends one request and reads at most [`MAX_BODY_BYTES`] of the answer,
    /// within `time_left` when that is shorter than the client's timeout.
    /// Also returns the raw `WWW-Authenticate` values of a 401. A failure
    /// before the answer's head arrived is unanswered (and may be retried),
    /// one after it answered.
    pub(super) fn round_trip(
        &self,
        exchange: &Exchange<'_>,
        time_left: Duration,
    ) -> Result<(Reply, Vec<Vec<u8>>), Failure> {
        let clock = &*self.clock;
        let deadline = if time_left < self.timeout {
            Deadline {
                clock,
                at: clock.now() + time_left,
                allowed: time_left,
                limit: "what was left of the call's time budget",
            }
        } else {
            Deadline {
                clock,
                at: clock.now() + self.timeout,
                allowed: self.timeout,
                limit: "the timeout of one exchange",
            }
        };
        let mut connection = match self.pool.take(clock.now()) {
            Some(connection) => connection,
            None => self.connector.open(clock, deadline.at)?,
        };
        let method = exchange.method.as_str();
        let headers = [
            ("User-Agent", USER_AGENT),
            ("Accept", exchange.accept),
            ("Authorization", exchange.authorization.unwrap_or_default()),
        ];
        let head = RequestHead {
            method,
            target: exchange.target,
            host: &self.connector.target().host_header,
            headers: &headers[..if exchange.authorization.is_some() {
                3
            } else {
                2
            }],
            body: exchange
                .body
                .map(|body| (body.content_type, body.bytes.as_slice())),
        };
        connection
            .send(&head, &deadline)
            .map_err(Failure::unanswered)?;
        let answer = connection
            .receive_head(method, &deadline)
            .map_err(Failure::unanswered)?;
        let limit = usize::try_from(MAX_BODY_BYTES).unwrap_or(usize::MAX);
        let (body, complete) = connection
            .receive_body(answer.framing, limit, &deadline)
            .map_err(Failure::answered)?;
        if complete && answer.keep_alive && connection.is_clean() {
            self.keep(connection);
        }
        let received_at = clock.wall();
        let path = exchange.target.split('?').next().unwrap_or_default();
        let mut url = String::with_capacity(self.origin.len() + path.len());
        url.push_str(&self.origin);
        url.push_str(path);
        Ok((
            Reply {
                status: answer.status,
                error_code_header: answer.error_code,
                retry_after_header: answer.retry_after,
                location_header: answer.location,
                content_type_header: answer.content_type,
                body,
                received_at,
                server: self.server().to_owned(),
                url,
            },
            answer.challenges,
        ))
    }

    /// Puts a connection whose answer has just been read back in the pool.
    fn keep(&self, mut connection: Connection) {
        connection.answered_at = self.clock.now();
        self.pool.put(connection);
    }

    /// `host[:port]` of the origin: who is named as having answered when
    /// the answer is not Atlas' own.
    fn server(&self) -> &str {
        let origin = self.origin.as_str();
        origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or(origin)
    }
}
