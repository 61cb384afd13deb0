//! Keys and access list entries as the printer shows them, and finding
//! the one key a command names, by ID or by public key.

use crate::exit::Missing;
use crate::output::Column;
use crate::report::Report;
use atlas_admin::{is_public_key, AccessListEntry, ApiKey, CallOptions, Client, Error};
use serde_json::{json, Value};

/// The columns of a key: `id`, `public_key`, `description`, `roles`.
pub const KEY_COLUMNS: &[Column] = &[
    Column {
        field: "id",
        heading: "ID",
    },
    Column {
        field: "public_key",
        heading: "PUBLIC KEY",
    },
    Column {
        field: "description",
        heading: "DESCRIPTION",
    },
    Column {
        field: "roles",
        heading: "ROLES",
    },
];

/// The columns of an access list entry: `cidr_block`, `ip_address`.
pub const ENTRY_COLUMNS: &[Column] = &[
    Column {
        field: "cidr_block",
        heading: "CIDR BLOCK",
    },
    Column {
        field: "ip_address",
        heading: "IP ADDRESS",
    },
];

/// `key`'s fields: `id`, `public_key`, `description`, `roles`. Never its
/// private key.
pub fn key_fields(key: &ApiKey) -> Vec<(&'static str, Value)> {
    vec![
        ("id", json!(key.id)),
        ("public_key", json!(key.public_key)),
        ("description", json!(key.description)),
        ("roles", json!(key.roles)),
    ]
}

/// `entry`'s fields: `cidr_block`, `ip_address` (`null` when Atlas gave
/// none).
pub fn entry_fields(entry: &AccessListEntry) -> Vec<(&'static str, Value)> {
    vec![
        ("cidr_block", json!(entry.cidr_block)),
        ("ip_address", json!(entry.ip_address)),
    ]
}

/// How an entry is given to Atlas again, in the form it was added: its
/// address when it was added as one, else its CIDR block.
pub fn entry_name(entry: &AccessListEntry) -> Option<&str> {
    entry.ip_address.as_deref().or(entry.cidr_block.as_deref())
}

/// The key `key` names in organization `org`: by ID (`GET` of the key) or
/// by public key (one listing). A failure is the report to print, about
/// `key` as given.
pub fn find(
    client: &Client,
    org: &str,
    key: &str,
    call: &CallOptions,
) -> Result<ApiKey, Box<Report>> {
    if is_public_key(key) {
        match client.find_org_api_key(org, key, call) {
            Ok(Some(found)) => Ok(found),
            Ok(None) => Err(Box::new(no_such_public_key(org, key))),
            Err(error) => Err(failed(key, &error)),
        }
    } else {
        client
            .get_org_api_key(org, key, call)
            .map_err(|error| failed(key, &error))
    }
}

/// The report of a call about `item` that failed with `error`, where any
/// of Atlas' "does not exist" answers is about what the command names.
pub fn failed(item: &str, error: &Error) -> Box<Report> {
    Box::new(Report::failed(item, error, error.attempts(), Missing::Any))
}

/// The ID of the key `key` names: `key` itself unless it is a public key,
/// which one listing resolves. The core checks the ID when it is used.
pub fn find_id(
    client: &Client,
    org: &str,
    key: &str,
    call: &CallOptions,
) -> Result<String, Box<Report>> {
    if is_public_key(key) {
        find(client, org, key, call).map(|found| found.id.clone())
    } else {
        Ok(key.to_owned())
    }
}

/// The report for a public key that no key of `org` has.
pub fn no_such_public_key(org: &str, public_key: &str) -> Report {
    Report::not_found(
        public_key,
        format!("organization {org} has no API key with public key {public_key}"),
    )
}
