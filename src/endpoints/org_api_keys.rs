//! Organization API keys: `/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`.

use crate::ids::check_object_id;
use crate::{ApiError, Client, Error};
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
    /// Only Atlas' own word counts (`API_KEY_NOT_FOUND` in its JSON error
    /// body): a bare 404 from a proxy or a wrong base URL is still an error,
    /// since a false success would leave the key alive. An unknown
    /// organization is still an error.
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

/// Atlas itself says the key does not exist. Deleting a key is how a leaked
/// one is revoked, so nothing less will do: not an unknown organization,
/// not a 404 from whatever else answered (a proxy, a wrong base URL), not
/// an `X-Error-Code` header on a body that is not Atlas'.
fn key_is_missing(error: &Error) -> bool {
    error
        .api()
        .and_then(ApiError::atlas_error_code)
        .is_some_and(|code| code == "API_KEY_NOT_FOUND")
}
