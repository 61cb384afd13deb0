//! An organization API key's access list:
//! `/orgs/{ORG-ID}/apiKeys/{API-KEY-ID}/accessList[/{IP-OR-CIDR}]`.

use crate::ids::check_object_id;
use crate::model::access_list::Entry;
use crate::{AccessListEntry, CallOptions, Client, Error, Method};

/// The answer to adding entries: the access list's first page.
#[derive(serde::Deserialize)]
struct Page {
    results: Vec<AccessListEntry>,
}

impl Client {
    /// Every entry of API key `api_key_id`'s access list
    /// (`GET /orgs/{ORG-ID}/apiKeys/{API-KEY-ID}/accessList`), all pages.
    pub fn list_org_api_key_access_list(
        &self,
        org_id: &str,
        api_key_id: &str,
        options: &CallOptions,
    ) -> Result<Vec<AccessListEntry>, Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        let segments = ["orgs", org_id, "apiKeys", api_key_id, "accessList"];
        let request = self.request(Method::Get, &segments)?;
        self.send_listing(request, options).collect()
    }

    /// Adds `entries` (IP addresses such as `192.0.2.1`, or CIDR blocks
    /// such as `10.0.0.0/24`) to API key `api_key_id`'s access list
    /// (`POST .../accessList`); each is checked before anything is sent.
    /// Returns the entries Atlas answers with (its first page).
    pub fn add_org_api_key_access_list<E: AsRef<str>>(
        &self,
        org_id: &str,
        api_key_id: &str,
        entries: &[E],
        options: &CallOptions,
    ) -> Result<Vec<AccessListEntry>, Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        if entries.is_empty() {
            return Err(Error::invalid("entries", "must name at least one entry"));
        }
        let body = entries
            .iter()
            .map(|entry| Entry::parse("entries", entry.as_ref()).map(|e| e.to_json()))
            .collect::<Result<Vec<_>, _>>()?;
        let segments = ["orgs", org_id, "apiKeys", api_key_id, "accessList"];
        let request = self
            .request(Method::Post, &segments)?
            .json(serde_json::Value::Array(body).to_string().into_bytes());
        self.send_json::<Page>(request, options)
            .map(|page| page.results)
    }

    /// Removes `entry` (an IP address or CIDR block, as listed) from API
    /// key `api_key_id`'s access list (`DELETE .../accessList/{IP-OR-CIDR}`,
    /// a CIDR's `/` sent as `%2F`).
    pub fn delete_org_api_key_access_list_entry(
        &self,
        org_id: &str,
        api_key_id: &str,
        entry: &str,
        options: &CallOptions,
    ) -> Result<(), Error> {
        check_object_id("org_id", org_id)?;
        check_object_id("api_key_id", api_key_id)?;
        let entry = Entry::parse("entry", entry)?.segment();
        let segments = ["orgs", org_id, "apiKeys", api_key_id, "accessList", &entry];
        let request = self.request(Method::Delete, &segments)?;
        self.send_empty(request, options).map(|_| ())
    }
}
