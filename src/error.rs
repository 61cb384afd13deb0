//! Everything that can go wrong in a call, with what a caller needs to react.

#[cfg(feature = "capi")]
use std::ffi::CStr;
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
    Timeout(TimeoutError),
    /// The request did not get an HTTP answer (refused, DNS, TLS, reset),
    /// or the proxy did not open a tunnel.
    #[error("{kind} failed: {message}{gave_up}{advice}", gave_up = GaveUp(*attempts), advice = Advice(*kind))]
    Transport {
        /// Which part of the transport failed.
        kind: TransportKind,
        /// A description from the network stack.
        message: String,
        /// How many attempts the call made.
        attempts: u32,
    },
    /// The server answered, but not in a form this client can use (a broken
    /// Digest challenge, an unreadable envelope, malformed HTTP).
    #[error("protocol error: {0}; check that the base URL points at the Atlas Administration API")]
    Protocol(ProtocolError),
    /// The call was stopped before it finished: its
    /// [`Interrupt`](crate::Interrupt) said so, or
    /// [`Client::cancel_all`](crate::Client::cancel_all) was called while it
    /// was in flight.
    #[error("call cancelled: {0}")]
    Cancelled(CancelledError),
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
            Error::Cancelled(_) => ErrorKind::Cancelled,
        }
    }

    /// How many attempts the call made: 0 only when it made none (an
    /// invalid argument), more than 1 after retries.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::InvalidArgument { .. } => 0,
            Error::Api(api) => api.attempts,
            Error::Timeout(timeout) => timeout.attempts,
            Error::Transport { attempts, .. } => *attempts,
            Error::Protocol(protocol) => protocol.attempts,
            Error::Cancelled(cancelled) => cancelled.attempts,
        }
    }

    /// Whether Atlas itself answered with error code `code` in its JSON
    /// error body; see [`ApiError::is_atlas_error`].
    pub fn is_atlas_error(&self, code: &str) -> bool {
        self.api().is_some_and(|api| api.is_atlas_error(code))
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

    /// An [`Error::Protocol`] from one attempt.
    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        Error::Protocol(ProtocolError::from(message.into()))
    }

    /// An [`Error::Cancelled`] during one attempt, or after it.
    pub(crate) fn cancelled(message: impl Into<String>) -> Self {
        Error::Cancelled(CancelledError {
            message: message.into(),
            attempts: 1,
        })
    }

    /// An [`Error::Transport`] from one attempt.
    pub(crate) fn transport(kind: TransportKind, message: impl Into<String>) -> Self {
        Error::Transport {
            kind,
            message: message.into(),
            attempts: 1,
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

/// Declares [`ErrorKind`] from one table: each kind with its description
/// (also C's `atlas_status_str`) and the Python exception class raised for
/// it. The C status of each kind is matched exhaustively in `capi::status`,
/// whose enum cbindgen must see written out; so a kind added here fails to
/// compile until C has a status for it, and fails every Python import
/// until `atlas_admin.errors` has its class.
macro_rules! error_kinds {
    ($($(#[$doc:meta])* $kind:ident => $description:literal, $python:literal;)*) => {
        /// The classification of an [`Error`]; the C status enum and the
        /// Python exception classes mirror it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[$doc])* $kind,)*
        }

        impl ErrorKind {
            /// Every kind, in the order of their C status numbers.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$kind),*];

            /// A short English description, e.g. "not found" (the text of
            /// C's `atlas_status_str` too).
            pub fn description(self) -> &'static str {
                match self {
                    $(ErrorKind::$kind => $description,)*
                }
            }

            /// [`ErrorKind::description`] as a static C string.
            #[cfg(feature = "capi")]
            pub(crate) fn c_description(self) -> &'static CStr {
                match self {
                    $(ErrorKind::$kind => const { nul_terminated(concat!($description, "\0")) },)*
                }
            }

            /// The name, in the Python package's `atlas_admin.errors`, of
            /// the exception class raised for this kind.
            pub fn python_exception(self) -> &'static str {
                match self {
                    $(ErrorKind::$kind => $python,)*
                }
            }
        }
    };
}

error_kinds! {
    /// A caller argument was refused before any request was sent.
    InvalidArgument => "invalid argument", "InvalidArgumentError";
    /// HTTP 401: the key pair was not accepted.
    Unauthorized => "unauthorized", "AuthenticationError";
    /// HTTP 403: authenticated but not allowed (role, IP access list).
    Forbidden => "forbidden", "PermissionDeniedError";
    /// Atlas said that what the call names does not exist: an error code
    /// such as `API_KEY_NOT_FOUND` (sent as HTTP 400 by v1.0, 404 by v2) or
    /// `ORG_NOT_FOUND` in its own JSON error body. A 404 for a path Atlas
    /// does not serve (`RESOURCE_NOT_FOUND`), or from a server that is not
    /// Atlas, is an [`ErrorKind::HttpError`]: it says nothing about the key.
    NotFound => "not found", "NotFoundError";
    /// The server refused the request for its rate, so it had no effect:
    /// HTTP 429 whatever the body, or Atlas' own `errorCode` naming a rate
    /// limit (`RATE_LIMITED`, `*_RATE_LIMITED`, `*RATE_LIMITED_*`) whatever
    /// the status, such as `400 INVITATIONS_RATE_LIMITED_IP`. Retried as
    /// a 429 is, for every method; see [`ApiError::is_rate_limited`].
    RateLimited => "rate limited", "RateLimitError";
    /// Any other 3xx or 4xx status, including a 404 that is not Atlas
    /// saying a resource does not exist (a wrong base URL, a proxy).
    HttpError => "HTTP error", "HTTPError";
    /// HTTP 5xx.
    ServerError => "server error", "ServerError";
    /// A timeout expired.
    Timeout => "timeout", "TimeoutError";
    /// No HTTP answer was received.
    Transport => "transport error", "TransportError";
    /// The answer could not be understood.
    Protocol => "protocol error", "ProtocolError";
    /// The call was stopped from outside before it finished: its
    /// interrupt hook or cancel token, or a cancellation of every call in
    /// flight on its client. A request already sent may have taken effect.
    Cancelled => "cancelled", "CancelledError";
}

/// `text`, which ends in its only NUL byte, as a C string; evaluated at
/// compile time, so a stray NUL fails the build.
#[cfg(feature = "capi")]
const fn nul_terminated(text: &'static str) -> &'static CStr {
    match CStr::from_bytes_with_nul(text.as_bytes()) {
        Ok(text) => text,
        Err(_) => panic!("a description must not contain a NUL byte"),
    }
}

/// A timeout: which one expired, and after how many attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimeoutError {
    /// Which timeout expired, e.g. "the connect timeout expired".
    pub message: String,
    /// How many attempts the call made.
    pub attempts: u32,
}

/// One attempt that timed out, as `message` says.
impl From<String> for TimeoutError {
    fn from(message: String) -> Self {
        TimeoutError {
            message,
            attempts: 1,
        }
    }
}

/// One attempt that timed out, as `message` says.
impl From<&str> for TimeoutError {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.message, GaveUp(self.attempts))
    }
}

/// An answer that could not be understood, and on which attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProtocolError {
    /// What was wrong with the answer.
    pub message: String,
    /// How many attempts the call made; the last one got this answer.
    pub attempts: u32,
}

/// The answer to a call's only attempt could not be understood, as
/// `message` says.
impl From<String> for ProtocolError {
    fn from(message: String) -> Self {
        ProtocolError {
            message,
            attempts: 1,
        }
    }
}

/// The answer to a call's only attempt could not be understood, as
/// `message` says.
impl From<&str> for ProtocolError {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A call stopped from outside: when, and after how many attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CancelledError {
    /// What the call was doing when it stopped, e.g. "while waiting for
    /// the answer; the request was sent and may have taken effect".
    pub message: String,
    /// How many attempts the call made, the one it stopped in included.
    pub attempts: u32,
}

impl fmt::Display for CancelledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// " (gave up after N attempts)", when there was more than one.
struct GaveUp(u32);

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 1 {
            write!(f, " (gave up after {} attempts)", self.0)?;
        }
        Ok(())
    }
}

/// Which part of the transport failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The TCP connection could not be made (refused, unreachable).
    Connect,
    /// The host name did not resolve: there is no such host.
    Dns,
    /// The name server could not answer for now (`EAI_AGAIN`, or no answer
    /// in time); retried like a failed connection.
    DnsUnavailable,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The proxy could not be reached, or it refused to open a tunnel (a
    /// `CONNECT` answered 403, 407, 502...). The message names the proxy
    /// and where its setting came from ("from HTTPS_PROXY", "set
    /// explicitly"), never its credentials, and says what to check. A
    /// proxy that could not be reached is retried as a failed connect; a
    /// refusal is not.
    Proxy,
    /// The connection broke while sending or receiving.
    Io,
}

/// "; what to check" after a transport error's message, when its kind
/// has advice of its own (a proxy's error carries advice for its case).
struct Advice(TransportKind);

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.advice() {
            Some(advice) => write!(f, "; {advice}"),
            None => Ok(()),
        }
    }
}

impl TransportKind {
    /// What to check when this part of the transport fails; none for a
    /// proxy, whose message says what to check about it.
    fn advice(self) -> Option<&'static str> {
        Some(match self {
            TransportKind::Connect => "check the base URL and that the server is up",
            TransportKind::Dns => "check the host name in the base URL",
            TransportKind::DnsUnavailable => {
                "the name server did not answer; trying again later may succeed"
            }
            TransportKind::Tls => {
                "check the server's certificate, or give the CA bundle that signed it"
            }
            TransportKind::Proxy => return None,
            TransportKind::Io => "the connection broke; trying again may succeed",
        })
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connection",
            TransportKind::Dns | TransportKind::DnsUnavailable => "DNS lookup",
            TransportKind::Tls => "TLS",
            TransportKind::Proxy => "proxy",
            TransportKind::Io => "network I/O",
        })
    }
}

/// An error answer from the Atlas Administration API.
///
/// Fields come from Atlas' JSON error body
/// (`{"detail", "error", "errorCode", "parameters", "reason"}`); without one
/// (a proxy's HTML page, an empty body) the error code comes from the
/// `X-Error-Code` header if any, the rest is missing, and the message names
/// "the server at" the base URL's host rather than Atlas.
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
    /// `host[:port]` of the server asked (the base URL's), named in the
    /// message when the answer is not Atlas' own.
    pub(crate) server: String,
    /// The URL asked, without the query, named when Atlas serves no such
    /// path: the base URL is then the likely mistake.
    pub(crate) url: String,
    /// Whether the body was Atlas' JSON error form (an object with
    /// `errorCode`, `error` or `detail`). Without it nothing shows that Atlas
    /// answered, rather than a proxy or a server at a wrong base URL.
    pub(crate) atlas_body: bool,
}

/// What an [`ApiError`] answered: a request made with an API key or a
/// service account, or the token endpoint. Written here rather than taken
/// from the authentication layer, which sits above errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Context {
    /// An API request signed with an API key (HTTP Digest).
    #[default]
    ApiKeyRequest,
    /// An API request carrying a service account's bearer token.
    ServiceAccountRequest,
    /// A service account's token request.
    TokenEndpoint,
}

/// The `errorCode` Atlas gives a path it does not serve: a wrong base URL
/// or API flavour, not a missing resource.
const NO_SUCH_PATH: &str = "RESOURCE_NOT_FOUND";

/// Whether an Atlas `errorCode` names a rate limit: Atlas' documented
/// `RATE_LIMITED` and `RATE_LIMITED_TOKEN_BUCKET`, and the codes of
/// particular limits such as `INVITATIONS_RATE_LIMITED_IP` or
/// `X_RATE_LIMITED`. `RATE_LIMITED` alone comes with 429 on Atlas; sent
/// with another status it still says the request was refused for its rate.
fn names_a_rate_limit(code: &str) -> bool {
    code == "RATE_LIMITED" || code.ends_with("_RATE_LIMITED") || code.contains("RATE_LIMITED_")
}

impl ApiError {
    /// Atlas' own `errorCode`: from its JSON error body, never from a header
    /// alone, which any server or proxy may echo.
    pub fn atlas_error_code(&self) -> Option<&str> {
        self.error_code.as_deref().filter(|_| self.atlas_body)
    }

    /// Whether Atlas itself said `code`, in its own JSON error body (an
    /// envelope's included). A bare status, or an `X-Error-Code` header on
    /// a page that is not Atlas' JSON, never counts: any proxy or server at
    /// a wrong base URL can send those. This is the one test the library,
    /// its `missing_ok` and every skin use for "Atlas said X".
    pub fn is_atlas_error(&self, code: &str) -> bool {
        self.atlas_error_code() == Some(code)
    }

    /// Whether the server refused the request for its rate: HTTP 429, or
    /// Atlas' own `errorCode` naming a rate limit (`RATE_LIMITED`, ending
    /// in `_RATE_LIMITED` or containing `RATE_LIMITED_`) whatever the status,
    /// since Atlas sends some limits as HTTP 400 (`INVITATIONS_RATE_LIMITED_IP`).
    /// The code counts only from Atlas' JSON error body, as in
    /// [`ApiError::is_atlas_error`]: an `X-Error-Code` header on a page that
    /// is not Atlas' does not. Such a request had no effect, so it is
    /// retried whatever its method; this one rule makes both the
    /// [`ErrorKind::RateLimited`] classification and that retry decision.
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429 || self.atlas_error_code().is_some_and(names_a_rate_limit)
    }

    /// Atlas serves no such path: its 404 `RESOURCE_NOT_FOUND`.
    fn is_no_such_path(&self) -> bool {
        self.is_atlas_error(NO_SUCH_PATH)
    }

    /// The classification. A refusal for the request's rate comes first
    /// ([`ApiError::is_rate_limited`]), whatever the status. Not-found is
    /// Atlas' word alone: an error code ending in `_NOT_FOUND` in its JSON
    /// body, whatever the status (v1.0 sends `API_KEY_NOT_FOUND` as HTTP
    /// 400, v2 as 404), except the one for a path it does not serve.
    pub fn kind(&self) -> ErrorKind {
        if self.is_rate_limited() {
            return ErrorKind::RateLimited;
        }
        // OAuth token endpoints refuse bad client credentials with 400
        // (invalid_grant, invalid_request) as well as 401 (invalid_client).
        if self.context == Context::TokenEndpoint && matches!(self.status, 400 | 401) {
            return ErrorKind::Unauthorized;
        }
        if self
            .atlas_error_code()
            .is_some_and(|code| code.ends_with("_NOT_FOUND") && code != NO_SUCH_PATH)
        {
            return ErrorKind::NotFound;
        }
        match self.status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::HttpError,
        }
    }

    /// What the caller should check. Atlas' 403 means its rules; the same
    /// status without Atlas' body is more likely a proxy, or another server
    /// at a wrong base URL, so that is what it points at. A path Atlas does
    /// not serve is named in full: the base URL is the likely mistake.
    fn advice(&self) -> Option<String> {
        if self.is_no_such_path() {
            return Some(format!(
                "Atlas serves no such path as {}: check the base URL (it ends in the API's \
                 path, e.g. /api/atlas/v1.0) and the API flavour",
                self.url
            ));
        }
        Some(match self.kind() {
            ErrorKind::Unauthorized => match self.context {
                Context::ApiKeyRequest => {
                    "check the public and private key pair and that the key belongs to this organization"
                }
                Context::ServiceAccountRequest => {
                    "a freshly issued access token was refused: check that the service account \
                     has access to this organization"
                }
                Context::TokenEndpoint => {
                    "the service account was refused: check its client ID and secret, and that \
                     the secret has not expired"
                }
            },
            ErrorKind::RateLimited => "slow down and retry later",
            ErrorKind::ServerError => "the server failed; retrying later may succeed",
            // A redirect has advice of its own.
            _ if !self.atlas_body && !(300..400).contains(&self.status) => {
                "nothing in the answer shows that it came from Atlas: check the base URL, and \
                 any proxy on the way"
            }
            ErrorKind::Forbidden => {
                "the key needs the Organization Owner role, and the caller's IP address must be on the key's access list"
            }
            _ => return None,
        }
        .to_owned())
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
        clauses.extend(self.advice());
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

        let refused = self.atlas_body && self.kind() == ErrorKind::Unauthorized;
        match (self.atlas_body, self.context) {
            (false, _) => write!(f, "the server at {}", self.server)?,
            // Atlas' 401 carries the code UNEXPECTED_ERROR, which reads like
            // a bug in the tool: the message says what happened instead
            // (the code stays in `error_code`).
            _ if refused => write!(
                f,
                "{} refused the credentials (HTTP {})",
                if self.context == Context::TokenEndpoint {
                    "Atlas' token endpoint"
                } else {
                    "Atlas"
                },
                self.status
            )?,
            (true, Context::TokenEndpoint) => f.write_str("Atlas' token endpoint")?,
            (true, _) => f.write_str("Atlas")?,
        }
        if !refused {
            write!(f, " answered HTTP {}", self.status)?;
            if let Some(reason) = &self.reason {
                write!(f, " {reason}")?;
            }
            if let Some(code) = &self.error_code {
                write!(f, " ({code})")?;
            }
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

#[cfg(test)]
impl ApiError {
    /// An answer with `status`, and `code` in Atlas' JSON error body when
    /// `from_atlas`, else only in an `X-Error-Code` header on a page that
    /// is not Atlas'.
    pub(crate) fn answered(status: u16, code: &str, from_atlas: bool) -> Self {
        let body = if from_atlas {
            format!(r#"{{"error":{status},"errorCode":"{code}"}}"#)
        } else {
            "<html><body>Bad Request</body></html>".to_owned()
        };
        ApiError {
            status,
            error_code: Some(code.to_owned()),
            detail: None,
            reason: None,
            parameters: Vec::new(),
            retry_after: None,
            location: None,
            body,
            attempts: 1,
            earlier_attempt_may_have_succeeded: false,
            context: Context::ApiKeyRequest,
            server: "atlas.example:443".to_owned(),
            url: "https://atlas.example/api/atlas/v1.0/orgs".to_owned(),
            atlas_body: from_atlas,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_are_told_by_429_or_by_atlas_own_code_whatever_the_status() {
        let cases = [
            // Any code, or none of Atlas', with 429.
            (429, "RATE_LIMITED_TOKEN_BUCKET", true, true),
            (429, "UNEXPECTED_ERROR", true, true),
            (429, "API_KEY_NOT_FOUND", true, true),
            (429, "SLOW_DOWN", false, true),
            // Atlas' codes of particular limits, sent with other statuses.
            (400, "INVITATIONS_RATE_LIMITED_IP", true, true),
            (403, "X_RATE_LIMITED", true, true),
            (400, "ORG_RATE_LIMITED_PER_HOUR", true, true),
            (400, "RATE_LIMITED_TOKEN_BUCKET", true, true),
            // Atlas' plain code comes with 429; with another status it
            // still says the request was refused for its rate.
            (400, "RATE_LIMITED", true, true),
            (503, "RATE_LIMITED", true, true),
            // A header on a page that is not Atlas' is nobody's word.
            (400, "RATE_LIMITED", false, false),
            (400, "INVITATIONS_RATE_LIMITED_IP", false, false),
            // Codes that only look alike.
            (400, "RATE_LIMITEDX", true, false),
            (400, "NOT_RATELIMITED", true, false),
            (400, "rate_limited", true, false),
            (400, "API_KEY_NOT_FOUND", true, false),
        ];
        for (status, code, from_atlas, limited) in cases {
            let error = ApiError::answered(status, code, from_atlas);
            assert_eq!(
                error.is_rate_limited(),
                limited,
                "{status} {code} (from Atlas: {from_atlas})"
            );
            assert_eq!(
                error.kind() == ErrorKind::RateLimited,
                limited,
                "{status} {code} (from Atlas: {from_atlas}) is {:?}",
                error.kind()
            );
        }
    }

    #[test]
    fn a_rate_limit_outranks_every_other_reading_of_the_status() {
        let mut token_endpoint = ApiError::answered(400, "TOKEN_RATE_LIMITED", true);
        token_endpoint.context = Context::TokenEndpoint;
        assert_eq!(token_endpoint.kind(), ErrorKind::RateLimited);
        let not_limited = ApiError::answered(403, "X_RATE_LIMITED", false);
        assert_eq!(not_limited.kind(), ErrorKind::Forbidden);
        let message = ApiError::answered(400, "INVITATIONS_RATE_LIMITED_IP", true).to_string();
        assert!(
            message.starts_with("Atlas answered HTTP 400 (INVITATIONS_RATE_LIMITED_IP)")
                && message.contains("slow down and retry later"),
            "{message}"
        );
    }
}
