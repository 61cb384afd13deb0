//! Making calls: the options every call takes, the generic call, and what
//! endpoints share: sending a request and reading its answer into a type.
//!
//! An endpoint is then one function in `crate::endpoints`: it checks its
//! arguments, names its method and path segments, and lets the shared
//! sending do the rest (retries, authentication, envelope, errors,
//! decoding).

mod generic;
mod interrupt;
mod options;
mod paging;
mod path;
mod query;

pub use generic::Response;
pub use interrupt::{CancelToken, Interrupt};
pub use options::CallOptions;
pub use paging::{Listing, MAX_ITEMS_PER_PAGE};
pub use query::parse_query;

use crate::response::Success;

/// What a call whose answer holds nothing to read did.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent {
    /// The HTTP status (with `envelope`, the envelope's).
    pub status: u16,
    /// How many attempts it took.
    pub attempts: u32,
}
use crate::transport::ApiRequest;
use crate::{Client, Error};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use zeroize::Zeroize;

impl Client {
    /// Sends `request` with `options`; any 2xx is success and its body,
    /// if any, is not read.
    pub(crate) fn send_empty(
        &self,
        request: ApiRequest,
        options: &CallOptions,
    ) -> Result<Sent, Error> {
        let mut success = self.send(request, options)?;
        success.body.zeroize();
        Ok(Sent {
            status: success.status,
            attempts: success.attempts,
        })
    }

    /// Sends `request` with `options` and reads the answer as a `T`. The
    /// answer's bytes are wiped once read: they may hold a secret (a new
    /// key's private key).
    pub(crate) fn send_json<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        options: &CallOptions,
    ) -> Result<T, Error> {
        let description = format!("{} {}", request.method, request.path());
        let mut success = self.send(request, options)?;
        let decoded = decode(&success, &description);
        success.body.zeroize();
        decoded
    }

    /// Every item of the listing at `request`, a page at a time.
    pub(crate) fn send_listing<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        options: &CallOptions,
    ) -> Listing<'_, T> {
        Listing::new(self, request, options.clone())
    }

    /// Applies `options` (checked first, so nothing is sent when they are
    /// wrong), then sends, stopping if their interrupt says so.
    pub(crate) fn send(
        &self,
        request: ApiRequest,
        options: &CallOptions,
    ) -> Result<Success, Error> {
        options.check()?;
        self.execute(
            &request.options(options),
            options.interrupt.as_ref(),
            options.stop_waiting.as_ref(),
        )
    }
}

/// Reads a successful answer to `description` (`GET /path`) as a `T`. The
/// error names the place and kind of the problem but never quotes the
/// body, which may hold a secret.
pub(crate) fn decode<'a, T: Deserialize<'a>>(
    success: &'a Success,
    description: &str,
) -> Result<T, Error> {
    serde_json::from_slice(&success.body).map_err(|e| {
        use serde_json::error::Category;
        let problem = match e.classify() {
            Category::Syntax => "is not JSON",
            Category::Eof => "is cut short",
            Category::Data | Category::Io => "is not the JSON expected",
        };
        Error::protocol(format!(
            "the answer to {description} {problem} (line {}, column {}; Content-Type: {})",
            e.line(),
            e.column(),
            success.content_type.as_deref().unwrap_or("none")
        ))
    })
}
