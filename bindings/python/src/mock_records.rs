//! The mock's API key records as Python dicts, and a record from
//! `MockAtlas.add_api_key()`'s arguments. Private keys go in, never out.

use crate::strings::{AccessList, Roles};
use atlas_admin_mock::{AccessListEntry, ApiKey};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A record to seed: what is left `None` is left empty, which the mock
/// fills in (an ID, a public key, a private key, a description, the role
/// ORG_MEMBER). Access list entries holding a `/` are CIDR blocks, the
/// others IP addresses; the mock checks them all.
pub(crate) struct NewKey {
    pub(crate) id: Option<String>,
    pub(crate) public_key: Option<String>,
    pub(crate) private_key: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) roles: Option<Roles>,
    pub(crate) access_list: Option<AccessList>,
}

impl NewKey {
    /// The mock's record of these fields.
    pub(crate) fn record(self) -> ApiKey {
        let entry = |text: String| {
            if text.contains('/') {
                AccessListEntry::cidr(text)
            } else {
                AccessListEntry::ip(text)
            }
        };
        ApiKey {
            id: self.id.unwrap_or_default(),
            public_key: self.public_key.unwrap_or_default(),
            private_key: self.private_key.unwrap_or_default(),
            desc: self.description.unwrap_or_default(),
            roles: self.roles.map(|r| r.0).unwrap_or_default(),
            access_list: self
                .access_list
                .map(|entries| entries.0.into_iter().map(entry).collect())
                .unwrap_or_default(),
        }
    }
}

/// `key` as a dict: id, public_key, description, roles and access_list
/// (dicts of cidr_block, ip_address, created, count, last_used and
/// last_used_address). The private key is left out, masked or not: the
/// mock's mask shows the key's last group, which is the whole of a key
/// without dashes.
pub(crate) fn key_dict<'py>(py: Python<'py>, key: &ApiKey) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("id", &key.id)?;
    dict.set_item("public_key", &key.public_key)?;
    dict.set_item("description", &key.desc)?;
    dict.set_item("roles", &key.roles)?;
    let entries = key
        .access_list
        .iter()
        .map(|entry| entry_dict(py, entry))
        .collect::<PyResult<Vec<_>>>()?;
    dict.set_item("access_list", entries)?;
    Ok(dict)
}

fn entry_dict<'py>(py: Python<'py>, entry: &AccessListEntry) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("cidr_block", &entry.cidr_block)?;
    dict.set_item("ip_address", &entry.ip_address)?;
    dict.set_item("created", &entry.created)?;
    dict.set_item("count", entry.count)?;
    dict.set_item("last_used", &entry.last_used)?;
    dict.set_item("last_used_address", &entry.last_used_address)?;
    Ok(dict)
}
