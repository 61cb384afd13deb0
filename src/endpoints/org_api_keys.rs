//! Organization API keys: `/orgs/{ORG-ID}/apiKeys[/{API-KEY-ID}]`.
//!
//! Each call is one row: its checks, method and path; the shared sending
//! (`crate::call`) does the rest.

use crate::ids::check_object_id;
use crate::model::api_key::{check_description, check_public_key, check_roles};
use crate::{ApiKey, CallOptions, Client, Error, Listing, Method};
use serde_json::json;

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

/// What [`Client::delete_org_api_key`] did, for callers that keep a record
/// of it (an audit must tell a key deleted from one already gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deleted {
    /// The HTTP status of the answer that decided it (with `envelope`, the
    /// envelope's): a 2xx, or Atlas' `API_KEY_NOT_FOUND` status (400 on
    /// v1.0, 404 on v2) when [`Deleted::already_gone`].
    pub status: u16,
    /// How many attempts the call made.
    pub attempts: u32,
    /// Atlas said the key does not exist, which `missing_ok` accepts: this
    /// call deleted nothing, unless an earlier attempt of it did (see
    /// [`Deleted::earlier_attempt_may_have_succeeded`]).
    pub already_gone: bool,
    /// With [`Deleted::already_gone`]: an earlier attempt of this call lost
    /// its answer (a dropped connection, a timeout, a 5xx), so it may have
    /// been the one that deleted the key.
    pub earlier_attempt_may_have_succeeded: bool,
}

/// The `errorCode` with which Atlas says an API key does not exist.
pub const API_KEY_NOT_FOUND: &str = "API_KEY_NOT_FOUND";

impl Client {
    /// Every API key of organization `org_id`
    /// (`GET /orgs/{ORG-ID}/apiKeys`), fetched 500 to a page as the
    /// iteration reaches them. The organization ID is checked now; request
    /// errors come as the listing's last item.
    pub fn list_org_api_keys(
        &self,
        org_id: &str,
        options: &CallOptions,
    ) -> Result<Listing<'_, ApiKey>, Error> {
        check_object_id("org_id", org_id)?;
        let request = self.request(Method::Get, &["orgs", org_id, "apiKeys"])?;
        Ok(self.send_listing(request, options))
    }

    /// API key `api_key_id` of organization `org_id`
    /// (`GET /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`); a key that does not
    /// exist is [`ErrorKind::NotFound`](crate::ErrorKind::NotFound).
    pub fn get_org_api_key(
        &self,
        org_id: &str,
        api_key_id: &str,
        options: &CallOptions,
    ) -> Result<ApiKey, Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        let request = self.request(Method::Get, &["orgs", org_id, "apiKeys", api_key_id])?;
        self.send_json(request, options)
    }

    /// The API key of organization `org_id` whose public key (its Digest
    /// user name, what a leak report shows) is `public_key`, or `None`:
    /// one listing of the organization, stopping at the match.
    pub fn find_org_api_key(
        &self,
        org_id: &str,
        public_key: &str,
        options: &CallOptions,
    ) -> Result<Option<ApiKey>, Error> {
        check_public_key(public_key)?;
        for key in self.list_org_api_keys(org_id, options)? {
            let key = key?;
            if key.public_key == public_key {
                return Ok(Some(key));
            }
        }
        Ok(None)
    }

    /// Creates an API key in organization `org_id`
    /// (`POST /orgs/{ORG-ID}/apiKeys`) with `description` (1 to 250
    /// characters) and `roles` (organization roles, see
    /// [`ORG_ROLES`](crate::ORG_ROLES)). The answer holds the only full
    /// copy of its private key ([`ApiKey::private_key`]). Not retried
    /// unless the request surely was not sent: a retry could create a
    /// second key.
    pub fn create_org_api_key<R: AsRef<str>>(
        &self,
        org_id: &str,
        description: &str,
        roles: &[R],
        options: &CallOptions,
    ) -> Result<ApiKey, Error> {
        check_object_id("org_id", org_id)?;
        check_description(description)?;
        check_roles(roles)?;
        let roles: Vec<&str> = roles.iter().map(AsRef::as_ref).collect();
        let body = json!({ "desc": description, "roles": roles });
        let request = self
            .request(Method::Post, &["orgs", org_id, "apiKeys"])?
            .json(body.to_string().into_bytes());
        self.send_json(request, options)
    }

    /// Changes the description and/or the roles of API key `api_key_id`
    /// (`PATCH /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`); at least one must be
    /// given. Returns the key as it now is.
    pub fn update_org_api_key<R: AsRef<str>>(
        &self,
        org_id: &str,
        api_key_id: &str,
        description: Option<&str>,
        roles: Option<&[R]>,
        options: &CallOptions,
    ) -> Result<ApiKey, Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        let mut body = serde_json::Map::new();
        if let Some(description) = description {
            check_description(description)?;
            body.insert("desc".into(), description.into());
        }
        if let Some(roles) = roles {
            check_roles(roles)?;
            let roles: Vec<&str> = roles.iter().map(AsRef::as_ref).collect();
            body.insert("roles".into(), roles.into());
        }
        if body.is_empty() {
            return Err(Error::invalid(
                "description",
                "nothing to update: give a description, roles, or both",
            ));
        }
        let request = self
            .request(Method::Patch, &["orgs", org_id, "apiKeys", api_key_id])?
            .json(serde_json::Value::Object(body).to_string().into_bytes());
        self.send_json(request, options)
    }

    /// Deletes API key `api_key_id` from organization `org_id`
    /// (`DELETE /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}`).
    ///
    /// Both IDs must be 24 lowercase hex characters; anything else is
    /// [`Error::InvalidArgument`] and nothing is sent. Any 2xx is success. A
    /// key that does not exist is [`ErrorKind::NotFound`](crate::ErrorKind::NotFound)
    /// (Atlas v1.0 answers HTTP 400 `API_KEY_NOT_FOUND`, v2 HTTP 404),
    /// unless `missing_ok` is set, when it is success with
    /// [`Deleted::already_gone`]. Failures are retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn delete_org_api_key(
        &self,
        org_id: &str,
        api_key_id: &str,
        options: &DeleteOptions,
    ) -> Result<Deleted, Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        let request = self.request(Method::Delete, &["orgs", org_id, "apiKeys", api_key_id])?;
        match self.send_empty(request, &options.call) {
            Ok(sent) => Ok(Deleted {
                status: sent.status,
                attempts: sent.attempts,
                already_gone: false,
                earlier_attempt_may_have_succeeded: false,
            }),
            Err(Error::Api(api)) if options.missing_ok && api.is_atlas_error(API_KEY_NOT_FOUND) => {
                log::debug!(
                    "DELETE organization {org_id} API key {api_key_id}: it does not exist, \
                     which missing_ok accepts"
                );
                Ok(Deleted {
                    status: api.status,
                    attempts: api.attempts,
                    already_gone: true,
                    earlier_attempt_may_have_succeeded: api.earlier_attempt_may_have_succeeded,
                })
            }
            Err(e) => Err(e),
        }
    }
}
