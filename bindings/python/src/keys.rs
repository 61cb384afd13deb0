//! `atlas_admin.ApiKey` and `atlas_admin.AccessListEntry`: the core's
//! records, held as they are and shown read-only.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use std::hash::{Hash, Hasher};

/// An organization API key, as Atlas describes it.
///
/// id is its ID (24 hex digits), public_key its public key (the Digest user
/// name, what logs and leak reports show), description what it is for, and
/// roles the names of its roles in the organization, e.g. ["ORG_MEMBER"].
///
/// private_key is None except on the key create_org_api_key() returns:
/// Atlas shows a private key once, when the key is made. Store it at once
/// (in a secrets manager, say). It is never in repr() or str(), the object
/// cannot be pickled, and the key is kept in Rust memory that is wiped when
/// the object is freed (each read of private_key is a Python str of its
/// own, which Python does not wipe).
///
/// Keys compare equal when all their fields are.
#[pyclass(frozen, eq, hash, name = "ApiKey", module = "atlas_admin")]
#[derive(PartialEq)]
pub(crate) struct ApiKey(atlas_admin::ApiKey);

impl From<atlas_admin::ApiKey> for ApiKey {
    fn from(key: atlas_admin::ApiKey) -> Self {
        ApiKey(key)
    }
}

/// Over the fields that are shown; equal keys have them equal too.
impl Hash for ApiKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let key = &self.0;
        (&key.id, &key.public_key, &key.description, &key.roles).hash(state);
    }
}

#[pymethods]
impl ApiKey {
    /// The key's ID, 24 hex digits.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// The public key: the Digest user name, and what logs and leak
    /// reports show.
    #[getter]
    fn public_key(&self) -> &str {
        &self.0.public_key
    }

    /// What the key is for (Atlas' desc).
    #[getter]
    fn description(&self) -> &str {
        &self.0.description
    }

    /// The names of the key's roles in the organization, e.g.
    /// ["ORG_MEMBER"]; a new list on each read.
    #[getter]
    fn roles(&self) -> Vec<String> {
        self.0.roles.clone()
    }

    /// The private key, only on the key create_org_api_key() returned
    /// (Atlas shows it that once); None otherwise. Never print it.
    #[getter]
    fn private_key(&self) -> Option<&str> {
        self.0.private_key()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let key = &self.0;
        let private_key = match key.private_key() {
            Some(_) => "<redacted>",
            None => "None",
        };
        Ok(format!(
            "ApiKey(id={}, public_key={}, description={}, roles={}, private_key={private_key})",
            quote(py, &key.id)?,
            quote(py, &key.public_key)?,
            quote(py, &key.description)?,
            PyList::new(py, &key.roles)?.repr()?,
        ))
    }

    /// Refused: pickling would write the private key out in the clear.
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "an ApiKey cannot be pickled: it may hold a private key, which must not be \
             written out; keep its fields (id, public_key, ...) instead",
        ))
    }

    /// The key itself: it is immutable.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The key itself: it is immutable.
    #[pyo3(signature = (_memo, /))]
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }
}

/// One entry of an API key's access list: where the key may be used from.
///
/// cidr_block is the network allowed, e.g. "10.0.0.0/24" ("192.0.2.1/32"
/// for a single address); ip_address is the address when the entry was
/// added as one. Either may be None when Atlas leaves it out. Entries
/// compare equal when both fields are.
#[pyclass(frozen, eq, hash, name = "AccessListEntry", module = "atlas_admin")]
#[derive(PartialEq)]
pub(crate) struct AccessListEntry(atlas_admin::AccessListEntry);

impl From<atlas_admin::AccessListEntry> for AccessListEntry {
    fn from(entry: atlas_admin::AccessListEntry) -> Self {
        AccessListEntry(entry)
    }
}

impl Hash for AccessListEntry {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.0.cidr_block, &self.0.ip_address).hash(state);
    }
}

#[pymethods]
impl AccessListEntry {
    /// The network allowed, e.g. "10.0.0.0/24", or None.
    #[getter]
    fn cidr_block(&self) -> Option<&str> {
        self.0.cidr_block.as_deref()
    }

    /// The address allowed, when the entry was added as one; else None.
    #[getter]
    fn ip_address(&self) -> Option<&str> {
        self.0.ip_address.as_deref()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let field = |value: &Option<String>| match value {
            Some(text) => quote(py, text),
            None => Ok("None".to_owned()),
        };
        Ok(format!(
            "AccessListEntry(cidr_block={}, ip_address={})",
            field(&self.0.cidr_block)?,
            field(&self.0.ip_address)?
        ))
    }
}

/// `text` as Python's repr() writes a str.
fn quote(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_string())
}

/// Each item of `items` converted: the core's records as the classes above.
pub(crate) fn all<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}
