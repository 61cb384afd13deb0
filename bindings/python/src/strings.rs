//! Arguments that are sequences of str (roles, access list entries), read
//! with TypeErrors that name the argument and say what was given instead.

use crate::errors::type_name;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PySequence, PyString};

/// Declares a newtype over `Vec<String>` for each argument name: pyo3
/// names a refused argument only in an exception note (Python 3.11 and
/// later), so each type carries its name into the message itself.
macro_rules! string_lists {
    ($($(#[doc = $doc:literal])* $name:ident = $argument:literal;)*) => {
        $(
            $(#[doc = $doc])*
            pub(crate) struct $name(pub(crate) Vec<String>);

            impl<'a, 'py> FromPyObject<'a, 'py> for $name {
                type Error = PyErr;

                fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
                    read(&value, $argument).map($name)
                }
            }
        )*
    };
}

string_lists! {
    /// `roles`: organization role names.
    Roles = "roles";
    /// `entries`: IP addresses and CIDR blocks.
    Entries = "entries";
    /// `access_list`: IP addresses and CIDR blocks, for the mock.
    AccessList = "access_list";
}

/// The items of `value`, a list, tuple or other sequence of str, in order.
/// A str alone is refused although it is a sequence (of characters):
/// `roles="ORG_MEMBER"` would otherwise be ten one-letter roles.
fn read(value: &Bound<'_, PyAny>, argument: &str) -> PyResult<Vec<String>> {
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{argument} must be a sequence of str such as a list, not a single str \
             (write [\"...\"])"
        )));
    }
    let sequence = value.cast::<PySequence>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{argument} must be a sequence of str such as a list, not {}",
            type_name(value)
        ))
    })?;
    let mut strings = Vec::with_capacity(sequence.len().unwrap_or(0));
    for (index, item) in sequence.try_iter()?.enumerate() {
        let item = item?;
        let Ok(text) = item.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "{argument}[{index}] must be a str, not {}",
                type_name(&item)
            )));
        };
        strings.push(text.to_cow()?.into_owned());
    }
    Ok(strings)
}
