//! One HTTP request and its bounded response.

use super::network_error::{from_io, from_ureq};
use super::request::Body;
use super::{Failure, Transport};
use crate::response::{Reply, MAX_BODY_BYTES};
use crate::{Error, Method};
use std::io::Read;
use std::time::Duration;
use ureq::http::{header, Request, Response};
use ureq::AsSendBody;

/// What goes on the wire for one request.
pub(super) struct Exchange<'a> {
    pub method: Method,
    pub url: &'a str,
    pub accept: &'a str,
    pub authorization: Option<&'a str>,
    pub body: Option<&'a Body>,
}

impl Transport {
    /// Sends one request and reads at most [`MAX_BODY_BYTES`] of the answer,
    /// within `time_left` when that is shorter than the client's timeout.
    /// Also returns the raw `WWW-Authenticate` values of a 401.
    pub(super) fn round_trip(
        &self,
        exchange: &Exchange<'_>,
        time_left: Duration,
    ) -> Result<(Reply, Vec<Vec<u8>>), Failure> {
        let mut request = Request::builder()
            .method(exchange.method.as_str())
            .uri(exchange.url)
            .header(header::ACCEPT, exchange.accept);
        if let Some(value) = exchange.authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        let response = match exchange.body {
            None => self.run(request, (), time_left),
            Some(body) => self.run(
                request.header(header::CONTENT_TYPE, body.content_type),
                body.bytes.as_slice(),
                time_left,
            ),
        };
        let mut response = response?;

        let status = response.status().as_u16();
        let headers = response.headers();
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let error_code_header = text("x-error-code");
        let retry_after_header = text("retry-after");
        let location_header = text("location");
        let content_type_header = text("content-type");
        let challenges = if status == 401 {
            headers
                .get_all(header::WWW_AUTHENTICATE)
                .iter()
                .map(|v| v.as_bytes().to_vec())
                .collect()
        } else {
            Vec::new()
        };
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_BODY_BYTES)
            .read_to_end(&mut body)
            .map_err(|e| Failure::answered(from_io(e)))?;
        Ok((
            Reply {
                status,
                error_code_header,
                retry_after_header,
                location_header,
                content_type_header,
                body,
                received_at: self.clock.wall(),
                server: self.server().to_owned(),
                url: exchange
                    .url
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            },
            challenges,
        ))
    }

    /// `host[:port]` of the origin: who is named as having answered when
    /// the answer is not Atlas' own.
    fn server(&self) -> &str {
        self.origin
            .split_once("://")
            .map_or(self.origin.as_str(), |(_, authority)| authority)
    }

    fn run<B: AsSendBody>(
        &self,
        request: ureq::http::request::Builder,
        body: B,
        time_left: Duration,
    ) -> Result<Response<ureq::Body>, Failure> {
        let mut request = request.body(body).map_err(|e| {
            Failure::unanswered(Error::invalid(
                "base_url",
                format!("cannot form a request from it: {e}"),
            ))
        })?;
        if time_left < self.timeout {
            request = self
                .agent
                .configure_request(request)
                .timeout_global(Some(time_left))
                .build();
        }
        self.agent
            .run(request)
            .map_err(|e| Failure::unanswered(from_ureq(e)))
    }
}
