//! Everything that can go wrong in a call, with what a caller needs to react.

use crate::auth::Scheme;
use std::fmt;
use std::time::Duration;

/// An error from the Atlas client.
///
/// Messages never contain the private key. Match on [`Error::kind`] for a
/// stable classification; the variants carry the details.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument was refused before any network I/O.
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument {
        /// The parameter name, as in the function signature.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Atlas (or a server in its place) answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// A connect or overall timeout expired.
    #[error(
        "request timed out: {0}; check that the base URL's host is reachable, or raise the timeout"
    )]
    Timeout(String),
    /// The request did not get an HTTP answer (refused, DNS, TLS, reset).
    #[error("{kind} failed: {message}; {advice}", advice = kind.advice())]
    Transport {
        /// Which part of the transport failed.
        kind: TransportKind,
        /// A description from the network stack.
        message: String,
    },
    /// The server answered, but not in a form this client can use (a broken
    /// Digest challenge, an unreadable envelope, malformed HTTP).
    #[error("protocol error: {0}; check that the base URL points at the Atlas Administration API")]
    Protocol(String),
}

impl Error {
    /// The stable classification of this error; the C status enum and the
    /// Python exception classes mirror it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::Api(api) => api.kind(),
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Protocol(_) => ErrorKind::Protocol,
        }
    }

    /// The API error details, when the server answered with an error.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// An [`Error::InvalidArgument`] for parameter `name`.
    pub(crate) fn invalid(name: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            name,
            reason: reason.into(),
        }
    }

    /// Which part of the transport failed, for [`Error::Transport`].
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Error::Transport { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// The classification of an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A caller argument was refused before any request was sent.
    InvalidArgument,
    /// HTTP 401: the key pair was not accepted.
    Unauthorized,
    /// HTTP 403: authenticated but not allowed (role, IP access list).
    Forbidden,
    /// HTTP 404, or `API_KEY_NOT_FOUND` whatever its status.
    NotFound,
    /// HTTP 429.
    RateLimited,
    /// Any other 3xx or 4xx status.
    HttpError,
    /// HTTP 5xx.
    ServerError,
    /// A timeout expired.
    Timeout,
    /// No HTTP answer was received.
    Transport,
    /// The answer could not be understood.
    Protocol,
}

/// Which part of the transport failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The TCP connection could not be made (refused, unreachable).
    Connect,
    /// The host name did not resolve.
    Dns,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The proxy could not be used.
    Proxy,
    /// The connection broke while sending or receiving.
    Io,
}

impl TransportKind {
    /// What to check when this part of the transport fails.
    fn advice(self) -> &'static str {
        match self {
            TransportKind::Connect => "check the base URL and that the server is up",
            TransportKind::Dns => "check the host name in the base URL",
            TransportKind::Tls => {
                "check the server's certificate, or give the CA bundle that signed it"
            }
            TransportKind::Proxy => {
                "check the proxy setting (HTTPS_PROXY, ALL_PROXY, NO_PROXY, or the explicit proxy)"
            }
            TransportKind::Io => "the connection broke; trying again may succeed",
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connection",
            TransportKind::Dns => "DNS lookup",
            TransportKind::Tls => "TLS",
            TransportKind::Proxy => "proxy",
            TransportKind::Io => "network I/O",
        })
    }
}

/// An error answer from the Atlas Administration API.
///
/// Fields come from Atlas' JSON error body
/// (`{"detail", "error", "errorCode", "parameters", "reason"}`), falling back
/// to the `X-Error-Code` header; any of them may be missing when the server
/// is not Atlas (a proxy's HTML page, an empty body).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status, or the envelope's `status` when `envelope=true`.
    pub status: u16,
    /// Atlas' `errorCode`, e.g. `API_KEY_NOT_FOUND`.
    pub error_code: Option<String>,
    /// Atlas' human-readable `detail`.
    pub detail: Option<String>,
    /// Atlas' `reason` (the HTTP reason phrase, e.g. `Bad Request`).
    pub reason: Option<String>,
    /// Atlas' `parameters`, each rendered as a string.
    pub parameters: Vec<String>,
    /// The `Retry-After` delay, when the server sent one (in seconds or as
    /// an HTTP date).
    pub retry_after: Option<Duration>,
    /// The `Location` of a redirect, which is reported and never followed.
    pub location: Option<String>,
    /// The response body as received (lossy UTF-8, at most 1 MiB).
    pub body: String,
    /// How many attempts the call made (more than one after retries).
    pub attempts: u32,
    /// An earlier attempt of this call lost its answer (a dropped connection,
    /// a timeout, a 500/502/504), so it may have taken effect: a delete that
    /// now says "not found" probably deleted the key itself.
    pub earlier_attempt_may_have_succeeded: bool,
    /// Who answered, and with which credentials, for classification and advice.
    pub(crate) context: Context,
}

/// What an [`ApiError`] answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// An API request made with these credentials.
    Request(Scheme),
    /// A service account's token request.
    TokenEndpoint,
}

impl Default for Context {
    fn default() -> Self {
        Context::Request(Scheme::default())
    }
}

impl ApiError {
    /// The classification: `API_KEY_NOT_FOUND` is not-found whatever the
    /// status, since real Atlas sends it as HTTP 400.
    pub fn kind(&self) -> ErrorKind {
        if self.error_code.as_deref() == Some("API_KEY_NOT_FOUND") {
            return ErrorKind::NotFound;
        }
        // OAuth token endpoints refuse bad client credentials with 400
        // (invalid_grant, invalid_request) as well as 401 (invalid_client).
        if self.context == Context::TokenEndpoint && matches!(self.status, 400 | 401) {
            return ErrorKind::Unauthorized;
        }
        match self.status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::HttpError,
        }
    }

    fn advice(&self) -> Option<&'static str> {
        Some(match self.kind() {
            ErrorKind::Unauthorized => match self.context {
                Context::Request(Scheme::ApiKey) => {
                    "check the public and private key pair and that the key belongs to this organization"
                }
                Context::Request(Scheme::ServiceAccount) => {
                    "a freshly issued access token was refused: check that the service account \
                     has access to this organization"
                }
                Context::TokenEndpoint => {
                    "the service account was refused: check its client ID and secret, and that \
                     the secret has not expired"
                }
            },
            ErrorKind::Forbidden => {
                "the key needs the Organization Owner role, and the caller's IP address must be on the key's access list"
            }
            ErrorKind::RateLimited => "slow down and retry later",
            ErrorKind::ServerError => "the server failed; retrying later may succeed",
            _ => return None,
        })
    }
}

impl fmt::Display for ApiError {
    /// One sentence: what Atlas said, then what it means and what to do,
    /// e.g. "Atlas answered HTTP 403 Forbidden (IP_ADDRESS_NOT_ON_ACCESS_LIST):
    /// IP address 192.0.2.1 is not allowed to access this resource; the key
    /// needs ...".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut clauses = Vec::new();
        if (300..400).contains(&self.status) {
            let target = self.location.as_deref().unwrap_or("an unnamed location");
            clauses.push(format!(
                "a redirect to {target}; redirects are not followed, so credentials never go \
                 to another host: set the base URL to the final address"
            ));
        }
        clauses.extend(self.advice().map(str::to_owned));
        if self.earlier_attempt_may_have_succeeded {
            clauses.push(
                "an earlier attempt of this call lost its answer and may already have succeeded"
                    .to_owned(),
            );
        }
        let mut notes = Vec::new();
        if let Some(wait) = self.retry_after {
            notes.push(format!("Retry-After: {} s", wait.as_secs()));
        }
        if self.attempts > 1 {
            notes.push(format!("after {} attempts", self.attempts));
        }

        match self.context {
            Context::TokenEndpoint => {
                write!(f, "Atlas' token endpoint answered HTTP {}", self.status)?
            }
            Context::Request(_) => write!(f, "Atlas answered HTTP {}", self.status)?,
        }
        if let Some(reason) = &self.reason {
            write!(f, " {reason}")?;
        }
        if let Some(code) = &self.error_code {
            write!(f, " ({code})")?;
        }
        if let Some(detail) = &self.detail {
            // The detail is Atlas' own sentence; drop its full stop when
            // more of this sentence follows.
            let more = !clauses.is_empty() || !notes.is_empty();
            let detail = if more {
                detail.trim_end_matches('.')
            } else {
                detail
            };
            write!(f, ": {detail}")?;
        }
        for clause in &clauses {
            write!(f, "; {clause}")?;
        }
        if !notes.is_empty() {
            write!(f, " ({})", notes.join(", "))?;
        }
        Ok(())
    }
}

impl ApiError {
    /// Fills in the code and detail from an OAuth error body
    /// (`{"error": "invalid_client", "error_description": "..."}`), which a
    /// token endpoint sends instead of Atlas' own form.
    pub(crate) fn read_oauth_error(&mut self, body: &[u8]) {
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
            return;
        };
        let text = |name: &str| json.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        if self.error_code.is_none() {
            self.error_code = text("error");
        }
        if self.detail.is_none() {
            self.detail = text("error_description");
        }
    }
}

impl std::error::Error for ApiError {}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}
