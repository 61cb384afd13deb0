//! One HTTP request and its bounded response.

use super::transport_error::{from_io, from_ureq};
use crate::response::{Reply, MAX_BODY_BYTES};
use crate::{Client, Error};
use std::io::Read;
use ureq::http::{header, Request};

impl Client {
    /// Sends one request and reads at most [`MAX_BODY_BYTES`] of the answer.
    /// Also returns the raw `WWW-Authenticate` values of a 401.
    pub(super) fn round_trip(
        &self,
        method: &str,
        url: &str,
        authorization: Option<&str>,
    ) -> Result<(Reply, Vec<Vec<u8>>), Error> {
        let mut request = Request::builder()
            .method(method)
            .uri(url)
            .header(header::ACCEPT, "application/json");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        let request = request.body(()).map_err(|e| Error::InvalidArgument {
            name: "base_url",
            reason: format!("cannot form a request from it: {e}"),
        })?;
        let mut response = self.agent().run(request).map_err(from_ureq)?;

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
            .map_err(from_io)?;
        Ok((
            Reply {
                status,
                error_code_header,
                retry_after_header,
                body,
            },
            challenges,
        ))
    }
}
