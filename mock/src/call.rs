//! One routed API call, as its handler sees it.

use crate::answer::Answer;
use crate::auth::Caller;
use crate::errors::AtlasError;
use crate::flavour::Flavour;
use crate::http::Request;
use crate::records::ApiKey;
use crate::shared::Shared;
use crate::world::{Org, World};
use std::net::IpAddr;

/// What a handler answers: a success, or an Atlas error.
pub(crate) type Outcome = Result<Answer, AtlasError>;

/// A handler of one route.
pub(crate) type Handler = fn(&Call<'_>) -> Outcome;

/// An authenticated request matched to a route.
pub(crate) struct Call<'a> {
    pub shared: &'a Shared,
    pub request: &'a Request,
    pub flavour: Flavour,
    pub caller: &'a Caller,
    pub peer: IpAddr,
    /// The route's placeholders and the decoded path segments they matched.
    pub params: Vec<(&'static str, String)>,
}

impl Call<'_> {
    /// The decoded path segment the route's `{name}` matched. Handlers ask
    /// only for the placeholders of their own routes (the routes' tests
    /// call every one of them).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    /// `http://127.0.0.1:PORT/api/...`: the flavour's base URL, for links.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.shared.origin, self.flavour.prefix())
    }

    /// The `{orgId}` organization; `404 ORG_NOT_FOUND` when there is none.
    pub fn org<'w>(&self, world: &'w World) -> Result<&'w Org, AtlasError> {
        let org_id = self.param("orgId");
        world
            .org(org_id)
            .ok_or_else(|| AtlasError::org_not_found(org_id))
    }

    /// The `{apiUserId}` key of the `{orgId}` organization; else
    /// `ORG_NOT_FOUND` or `API_KEY_NOT_FOUND` (400 or 404 by flavour).
    pub fn key<'w>(&self, world: &'w World) -> Result<&'w ApiKey, AtlasError> {
        let key_id = self.param("apiUserId");
        self.org(world)?
            .get(key_id)
            .ok_or_else(|| self.key_not_found())
    }

    /// As [`Call::key`], to change it.
    pub fn key_mut<'w>(&self, world: &'w mut World) -> Result<&'w mut ApiKey, AtlasError> {
        self.org(world)?;
        let (org_id, key_id) = (self.param("orgId"), self.param("apiUserId"));
        world
            .key_mut(org_id, key_id)
            .ok_or_else(|| self.key_not_found())
    }

    /// `API_KEY_NOT_FOUND` for the `{apiUserId}` key, with the flavour's status.
    pub fn key_not_found(&self) -> AtlasError {
        AtlasError::api_key_not_found(self.flavour.not_found_status(), self.param("apiUserId"))
    }
}
