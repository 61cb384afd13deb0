//! Organization API keys: `/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`.

use crate::ids::check_object_id;
use crate::{Client, Error, ErrorKind};
use ureq::http::Method;

/// Options for [`Client::delete_org_api_key`]; all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteOptions {
    /// Ask Atlas to pretty-print the response body (`pretty=true`).
    pub pretty: bool,
    /// Ask Atlas to wrap the response in `{"status", "content"}` and answer
    /// HTTP 200 (`envelope=true`); the envelope's status decides the outcome.
    pub envelope: bool,
    /// Treat "the key does not exist" as success, like `rm -f`: useful when
    /// a retried delete finds that its lost first attempt already did it.
    /// An unknown organization is still an error.
    pub missing_ok: bool,
}

impl DeleteOptions {
    /// All options off.
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

    /// Sets `missing_ok`.
    pub fn missing_ok(mut self, on: bool) -> Self {
        self.missing_ok = on;
        self
    }
}

impl Client {
    /// Deletes API key `api_key_id` from organization `org_id`
    /// (`DELETE /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`).
    ///
    /// Both IDs must be 24 lowercase hex characters; anything else is
    /// [`Error::InvalidArgument`] and nothing is sent. Any 2xx is success. A
    /// key that does not exist is [`ErrorKind::NotFound`](crate::ErrorKind::NotFound)
    /// even though Atlas reports it as HTTP 400 `API_KEY_NOT_FOUND`, unless
    /// `missing_ok` is set. Failures are retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn delete_org_api_key(
        &self,
        org_id: &str,
        api_key_id: &str,
        options: &DeleteOptions,
    ) -> Result<(), Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        let request = self
            .request(Method::DELETE, &["orgs", org_id, "apiKeys", api_key_id])?
            .flag("pretty", options.pretty)
            .envelope(options.envelope);
        match self.execute(&request) {
            Ok(_) => Ok(()),
            Err(e) if options.missing_ok && key_is_missing(&e) => {
                log::debug!(
                    "DELETE {}: the key does not exist, which missing_ok accepts",
                    request.target()
                );
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// Not found, and not because the organization (or path) is unknown.
fn key_is_missing(error: &Error) -> bool {
    error.kind() == ErrorKind::NotFound
        && error.api().is_some_and(|api| {
            matches!(api.error_code.as_deref(), None | Some("API_KEY_NOT_FOUND"))
        })
}
