//! The last API requests seen, so tests can prove which headers a client sent.

use crate::http::Request;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Mutex;

/// How many requests the log keeps; older ones are dropped first.
const CAPACITY: usize = 256;

/// What the mock saw of one API request. Credentials are never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeenRequest {
    /// The HTTP method, e.g. `DELETE`.
    pub method: String,
    /// The path and query exactly as sent.
    pub target: String,
    /// The `Accept` header, when sent.
    pub accept: Option<String>,
    /// The `Content-Type` header, when sent.
    pub content_type: Option<String>,
    /// The first word of `Authorization` (`Digest`, `Bearer`, `Basic`...),
    /// when sent.
    pub auth_scheme: Option<String>,
}

impl SeenRequest {
    fn of(request: &Request) -> Self {
        let header = |name| request.header(name).map(str::to_owned);
        SeenRequest {
            method: request.method.clone(),
            target: request.target.clone(),
            accept: header("accept"),
            content_type: header("content-type"),
            auth_scheme: request
                .header("authorization")
                .and_then(|value| value.split_whitespace().next())
                .map(str::to_owned),
        }
    }
}

/// The last [`CAPACITY`] API requests, oldest first.
#[derive(Default)]
pub(crate) struct RequestLog(Mutex<VecDeque<SeenRequest>>);

impl RequestLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<SeenRequest>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn record(&self, request: &Request) {
        let seen = SeenRequest::of(request);
        let mut log = self.lock();
        if log.len() == CAPACITY {
            log.pop_front();
        }
        log.push_back(seen);
    }

    pub fn snapshot(&self) -> Vec<SeenRequest> {
        self.lock().iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::{RequestLog, CAPACITY};
    use crate::http::read_request;

    #[test]
    fn keeps_the_last_requests_without_credentials() {
        let log = RequestLog::default();
        for i in 0..CAPACITY + 2 {
            let head = format!(
                "DELETE /x/{i}?pretty=true HTTP/1.1\r\nAuthorization: Digest username=\"u\", response=\"r\"\r\nAccept: application/json\r\n\r\n"
            );
            log.record(&read_request(&mut head.as_bytes()).unwrap().unwrap());
        }
        let seen = log.snapshot();
        assert_eq!(seen.len(), CAPACITY);
        assert_eq!(seen[0].target, "/x/2?pretty=true");
        let last = seen.last().unwrap();
        assert_eq!(last.method, "DELETE");
        assert_eq!(last.accept.as_deref(), Some("application/json"));
        assert_eq!(last.content_type, None);
        assert_eq!(last.auth_scheme.as_deref(), Some("Digest"));
        log.clear();
        assert!(log.snapshot().is_empty());
    }
}
