//! The organization API key lifecycle on `atlas_admin.Client`: one entry
//! per core call, which checks everything; here arguments and records are
//! only converted.

use crate::call::atlas_calls;
use crate::client::Client;
use crate::keys::{all, AccessListEntry, ApiKey};
use crate::strings::{Entries, Roles};
use atlas_admin::CallOptions;
use pyo3::prelude::*;

atlas_calls! {
    Client {
        /// Every API key of organization org_id
        /// (GET /orgs/{ORG-ID}/apiKeys), as a list of ApiKey in Atlas'
        /// order: all pages are fetched, 500 keys a page.
        ///
        /// org_id must be 24 lowercase hex characters, or
        /// InvalidArgumentError is raised before anything is sent. An
        /// unknown organization raises NotFoundError.
        fn list_org_api_keys(org_id: &str;) -> Vec<ApiKey> => list_keys;

        /// API key api_key_id of organization org_id
        /// (GET /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}), as an ApiKey
        /// (private_key is None: Atlas masks it after creation).
        ///
        /// Both IDs must be 24 lowercase hex characters, or
        /// InvalidArgumentError is raised before anything is sent. A key
        /// that does not exist raises NotFoundError (Atlas v1.0 answers
        /// HTTP 400 API_KEY_NOT_FOUND, v2 HTTP 404).
        fn get_org_api_key(org_id: &str, api_key_id: &str;) -> ApiKey => get_key;

        /// The API key of organization org_id whose public key is
        /// public_key (its Digest user name, what a leak report shows), or
        /// None when the organization has none: the keys are listed, page
        /// by page, until it is found.
        ///
        /// public_key must be 8 lowercase letters or digits, and org_id 24
        /// lowercase hex characters, or InvalidArgumentError is raised
        /// before anything is sent.
        fn find_org_api_key(org_id: &str, public_key: &str;) -> Option<ApiKey> => find_key;

        /// Creates an API key in organization org_id
        /// (POST /orgs/{ORG-ID}/apiKeys) with description (1 to 250
        /// characters) and roles (a non-empty sequence of organization role
        /// names: ORG_OWNER, ORG_MEMBER, ORG_GROUP_CREATOR,
        /// ORG_BILLING_ADMIN, ORG_BILLING_READ_ONLY, ORG_READ_ONLY), and
        /// returns it as an ApiKey whose private_key is set: Atlas shows
        /// it this once, so store it now. It is never in the ApiKey's
        /// repr() and never logged.
        ///
        /// Everything is checked before anything is sent: a bad ID,
        /// description or role raises InvalidArgumentError; roles given as
        /// a str rather than a sequence of str raises TypeError. Not retried
        /// unless the request surely was not sent, since a retry could
        /// create a second key.
        fn create_org_api_key(org_id: &str, description: &str, roles: Roles;) -> ApiKey
            => create_key;

        /// Changes the description and/or the roles of API key api_key_id
        /// (PATCH /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}) and returns the key
        /// as it now is. roles replaces all the key's organization roles.
        ///
        /// At least one of description and roles must be given, and each is
        /// checked as by create_org_api_key(), before anything is sent
        /// (InvalidArgumentError, or TypeError for roles that are not a
        /// sequence of str). A key that does not exist raises NotFoundError.
        fn update_org_api_key(
            org_id: &str,
            api_key_id: &str;
            description: Option<&str> = None,
            roles: Option<Roles> = None
        ) -> ApiKey => update_key;

        /// Every entry of API key api_key_id's access list
        /// (GET /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}/accessList), all pages,
        /// as a list of AccessListEntry. An empty list means the key may be
        /// used from anywhere.
        ///
        /// Both IDs must be 24 lowercase hex characters, or
        /// InvalidArgumentError is raised before anything is sent. A key
        /// that does not exist raises NotFoundError.
        fn list_org_api_key_access_list(org_id: &str, api_key_id: &str;)
            -> Vec<AccessListEntry> => list_access;

        /// Adds entries, a non-empty sequence of IP addresses ("192.0.2.1",
        /// "2001:db8::1") and CIDR blocks ("10.0.0.0/24"), to API key
        /// api_key_id's access list (POST .../accessList) and returns the
        /// entries Atlas answers with (the list's first page).
        ///
        /// Each entry is checked before anything is sent
        /// (InvalidArgumentError; TypeError for a str rather than a
        /// sequence of str).
        fn add_org_api_key_access_list(org_id: &str, api_key_id: &str, entries: Entries;)
            -> Vec<AccessListEntry> => add_access;

        /// Removes entry, an IP address or CIDR block as listed, from API
        /// key api_key_id's access list
        /// (DELETE .../accessList/{IP-OR-CIDR}, a CIDR's "/" sent as "%2F")
        /// and returns None.
        ///
        /// The IDs and the entry are checked before anything is sent
        /// (InvalidArgumentError). An entry not on the list raises
        /// NotFoundError.
        fn delete_org_api_key_access_list_entry(org_id: &str, api_key_id: &str, entry: &str;)
            -> () => delete_access;
    }
}

impl Client {
    fn list_keys(&self, py: Python<'_>, org_id: &str, call: CallOptions) -> PyResult<Vec<ApiKey>> {
        // The whole listing, every page, while the GIL is released.
        self.run(py, |c| c.list_org_api_keys(org_id, &call)?.collect())
            .map(all)
    }

    fn get_key(
        &self,
        py: Python<'_>,
        org_id: &str,
        key: &str,
        call: CallOptions,
    ) -> PyResult<ApiKey> {
        self.run(py, |c| c.get_org_api_key(org_id, key, &call))
            .map(ApiKey::from)
    }

    fn find_key(
        &self,
        py: Python<'_>,
        org_id: &str,
        public_key: &str,
        call: CallOptions,
    ) -> PyResult<Option<ApiKey>> {
        self.run(py, |c| c.find_org_api_key(org_id, public_key, &call))
            .map(|found| found.map(ApiKey::from))
    }

    fn create_key(
        &self,
        py: Python<'_>,
        org_id: &str,
        description: &str,
        roles: Roles,
        call: CallOptions,
    ) -> PyResult<ApiKey> {
        self.run(py, |c| {
            c.create_org_api_key(org_id, description, &roles.0, &call)
        })
        .map(ApiKey::from)
    }

    fn update_key(
        &self,
        py: Python<'_>,
        org_id: &str,
        key: &str,
        description: Option<&str>,
        roles: Option<Roles>,
        call: CallOptions,
    ) -> PyResult<ApiKey> {
        let roles = roles.as_ref().map(|roles| roles.0.as_slice());
        self.run(py, |c| {
            c.update_org_api_key(org_id, key, description, roles, &call)
        })
        .map(ApiKey::from)
    }

    fn list_access(
        &self,
        py: Python<'_>,
        org_id: &str,
        key: &str,
        call: CallOptions,
    ) -> PyResult<Vec<AccessListEntry>> {
        self.run(py, |c| c.list_org_api_key_access_list(org_id, key, &call))
            .map(all)
    }

    fn add_access(
        &self,
        py: Python<'_>,
        org_id: &str,
        key: &str,
        entries: Entries,
        call: CallOptions,
    ) -> PyResult<Vec<AccessListEntry>> {
        self.run(py, |c| {
            c.add_org_api_key_access_list(org_id, key, &entries.0, &call)
        })
        .map(all)
    }

    fn delete_access(
        &self,
        py: Python<'_>,
        org_id: &str,
        key: &str,
        entry: &str,
        call: CallOptions,
    ) -> PyResult<()> {
        self.run(py, |c| {
            c.delete_org_api_key_access_list_entry(org_id, key, entry, &call)
        })
    }
}
