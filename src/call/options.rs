//! `CallOptions`: what every call takes, whatever its endpoint.

use super::interrupt::Interrupt;
use crate::Error;

/// Options every call takes; all off, or the client's, by default.
///
/// `missing_ok`, which only a delete has, is in
/// [`DeleteOptions`](crate::DeleteOptions) beside these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Ask Atlas to pretty-print the response body (`pretty=true`).
    pub pretty: bool,
    /// Ask Atlas to wrap the response in `{"status", "content"}` and answer
    /// HTTP 200 (`envelope=true`); the envelope's status decides the outcome.
    pub envelope: bool,
    /// The `Accept` media type to send instead of the client's, e.g.
    /// `application/vnd.atlas.2024-08-05+json`: Atlas v2 versions each
    /// resource by date. `None` keeps the client's.
    pub accept: Option<String>,
    /// Asked between the slices of the call's waits and reads; the call
    /// stops with [`ErrorKind::Cancelled`](crate::ErrorKind) once it says
    /// so. `None`: only [`Client::cancel_all`](crate::Client::cancel_all)
    /// stops it.
    pub interrupt: Option<Interrupt>,
    /// Asked while the call waits before sending (to retry, or held by a
    /// rate limit's `Retry-After` given to the client), never while a
    /// request is out: the call stops with
    /// [`ErrorKind::Cancelled`](crate::ErrorKind) at its next wait once
    /// it says so, and an answer already asked for is waited for. For a
    /// caller that lets calls under way finish but starts nothing more,
    /// as the command line does after a first Ctrl-C.
    pub stop_waiting: Option<Interrupt>,
}

impl CallOptions {
    /// All options off, and the client's media type.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `pretty`.
    pub fn pretty(mut self, on: bool) -> Self {
        self.pretty = on;
        self
    }

    /// Sets `envelope`.
    pub fn envelope(mut self, on: bool) -> Self {
        self.envelope = on;
        self
    }

    /// Sends `media_type` as the `Accept` header instead of the client's.
    pub fn accept(mut self, media_type: impl Into<String>) -> Self {
        self.accept = Some(media_type.into());
        self
    }

    /// Stops the call once `interrupt` says so: an [`Interrupt`] of a
    /// check, or a [`CancelToken`](crate::CancelToken).
    pub fn interrupt(mut self, interrupt: impl Into<Interrupt>) -> Self {
        self.interrupt = Some(interrupt.into());
        self
    }

    /// Ends the call's waits before sending once `interrupt` says so
    /// ([`CallOptions::stop_waiting`]'s field).
    pub fn stop_waiting(mut self, interrupt: impl Into<Interrupt>) -> Self {
        self.stop_waiting = Some(interrupt.into());
        self
    }

    /// Asks for Atlas v2 resource version `date` (`YYYY-MM-DD`), i.e.
    /// `Accept: application/vnd.atlas.{date}+json`.
    pub fn api_version(self, date: &str) -> Self {
        self.accept(format!("{VERSIONED_PREFIX}{date}{VERSIONED_SUFFIX}"))
    }

    /// Refuses a media type that cannot be a header value, or an Atlas
    /// version that is not a date; run before anything is sent.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let Some(accept) = &self.accept else {
            return Ok(());
        };
        let invalid = |reason: String| Err(Error::invalid("accept", reason));
        if accept.is_empty() || !accept.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return invalid(format!(
                "{accept:?} is not a media type: use printable ASCII, e.g. \
                 application/vnd.atlas.2024-08-05+json"
            ));
        }
        if let Some(date) = accept
            .strip_prefix(VERSIONED_PREFIX)
            .and_then(|rest| rest.strip_suffix(VERSIONED_SUFFIX))
        {
            if !is_date(date) {
                return invalid(format!(
                    "{date:?} is not an Atlas API version: versions are dates, YYYY-MM-DD \
                     (e.g. 2023-01-01)"
                ));
            }
        }
        Ok(())
    }
}

/// Atlas' versioned media type is this, the version date, then the suffix.
const VERSIONED_PREFIX: &str = "application/vnd.atlas.";
const VERSIONED_SUFFIX: &str = "+json";

/// `YYYY-MM-DD`, with a month and day that can exist.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && digits(0..4).is_some()
        && digits(5..7).is_some_and(|m| (1..=12).contains(&m))
        && digits(8..10).is_some_and(|d| (1..=31).contains(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_dates_and_media_types_are_header_values() {
        assert!(CallOptions::new().check().is_ok());
        let v = CallOptions::new().api_version("2024-08-05");
        assert_eq!(
            v.accept.as_deref(),
            Some("application/vnd.atlas.2024-08-05+json")
        );
        assert!(v.check().is_ok());
        assert!(CallOptions::new()
            .accept("application/json")
            .check()
            .is_ok());
        for bad in ["2024-13-01", "24-08-05", "2024-08-5", "latest", ""] {
            let err = CallOptions::new()
                .api_version(bad)
                .check()
                .unwrap_err()
                .to_string();
            assert!(err.contains("YYYY-MM-DD"), "{bad}: {err}");
        }
        for bad in ["", "application/json\r\nX-Evil: 1", "tëxt/plain"] {
            let err = CallOptions::new().accept(bad).check().unwrap_err();
            assert!(err.to_string().contains("`accept`"), "{bad:?}: {err}");
        }
    }
}
