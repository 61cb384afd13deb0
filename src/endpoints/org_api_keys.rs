//! Organization API keys: `/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`.

use crate::ids::check_object_id;
use crate::{CallOptions, Client, Error, Method};

/// Options for [`Client::delete_org_api_key`]: those of every call, and
/// `missing_ok`, which only a delete has. All off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteOptions {
    /// `pretty`, `envelope` and the media type, as for every call.
    pub call: CallOptions,
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

    /// Sets `pretty`, an option of every call.
    pub fn pretty(mut self, on: bool) -> Self {
        self.call = self.call.pretty(on);
        self
    }

    /// Sets `envelope`, an option of every call.
    pub fn envelope(mut self, on: bool) -> Self {
        self.call = self.call.envelope(on);
        self
    }

    /// Sets `missing_ok`.
    pub fn missing_ok(mut self, on: bool) -> Self {
        self.missing_ok = on;
        self
    }
}

/// A delete with these call options and `missing_ok` off.
impl From<CallOptions> for DeleteOptions {
    fn from(call: CallOptions) -> Self {
        DeleteOptions {
            call,
            missing_ok: false,
        }
    }
}

/// The `errorCode` with which Atlas says an API key does not exist.
pub const API_KEY_NOT_FOUND: &str = "API_KEY_NOT_FOUND";

impl Client {
    /// Deletes API key `api_key_id` from organization `org_id`
    /// (`DELETE /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`).
    ///
    /// Both IDs must be 24 lowercase hex characters; anything else is
    /// [`Error::InvalidArgument`] and nothing is sent. Any 2xx is success. A
    /// key that does not exist is [`ErrorKind::NotFound`](crate::ErrorKind::NotFound)
    /// (Atlas v1.0 answers HTTP 400 `API_KEY_NOT_FOUND`, v2 HTTP 404),
    /// unless `missing_ok` is set. Failures are retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn delete_org_api_key(
        &self,
        org_id: &str,
        api_key_id: &str,
        options: &DeleteOptions,
    ) -> Result<(), Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        let request = self.request(Method::Delete, &["orgs", org_id, "apiKeys", api_key_id])?;
        match self.send_empty(request, &options.call) {
            Err(e) if options.missing_ok && e.is_atlas_error(API_KEY_NOT_FOUND) => {
                log::debug!(
                    "DELETE organization {org_id} API key {api_key_id}: it does not exist, \
                     which missing_ok accepts"
                );
                Ok(())
            }
            outcome => outcome,
        }
    }
}
