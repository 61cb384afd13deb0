//! `Client.request()`: the core's generic call, with Python's arguments
//! converted and checked before anything is sent.

use crate::client::Client;
use crate::errors::{invalid_argument, to_py, type_name};
use crate::json;
use atlas_admin::{CallOptions, Method};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyMapping, PyString};

impl Client {
    /// `request()`, with the options of every call.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn call(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        params: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        accept: Option<String>,
        call: CallOptions,
    ) -> PyResult<Py<PyAny>> {
        let method: Method = method.parse().map_err(|e| to_py(py, e))?;
        let query = match params {
            Some(params) => query_pairs(params)?,
            None => Vec::new(),
        };
        let body = json.map(json::from_python).transpose()?;
        let options = match accept {
            Some(media_type) => call.accept(media_type),
            None => call,
        };
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let response = self.run(py, |c| {
            c.call(method, path, &pairs, body.as_ref(), &options)
        })?;
        match response.body {
            Some(body) => json::to_python(py, &body),
            None => Ok(py.None()),
        }
    }
}

/// The query parameters of a mapping of str to str, int, float or bool,
/// in its order. Bools are `true` and `false`, as Atlas spells them (and
/// are told apart from ints, which they are in Python); numbers are written
/// in decimal. Other types are a TypeError, a float that is not finite an
/// InvalidArgumentError.
fn query_pairs(params: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let py = params.py();
    let mapping = params.cast::<PyMapping>().map_err(|_| {
        PyTypeError::new_err(format!(
            "params must be a mapping of str to str, int, float or bool, not {}",
            type_name(params)
        ))
    })?;
    let mut pairs = Vec::new();
    for item in mapping.items()?.iter() {
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let Ok(name) = name.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "params: names must be str, not {}",
                type_name(&name)
            )));
        };
        let name = name.to_cow()?.into_owned();
        let text = if let Ok(flag) = value.cast::<PyBool>() {
            if flag.is_true() { "true" } else { "false" }.to_owned()
        } else if value.is_instance_of::<PyInt>() {
            // Read as a number rather than by str(), which an IntEnum may
            // spell as its member's name.
            let number: i128 = value.extract().map_err(|_| {
                invalid_argument(py, "params", &format!("{name:?} is too large a number"))
            })?;
            number.to_string()
        } else if let Ok(number) = value.cast::<PyFloat>() {
            let number = number.value();
            if !number.is_finite() {
                return Err(invalid_argument(
                    py,
                    "params",
                    &format!("{name:?} is {number}, which is not a number a query can carry"),
                ));
            }
            number.to_string()
        } else if let Ok(text) = value.cast::<PyString>() {
            text.to_cow()?.into_owned()
        } else {
            return Err(PyTypeError::new_err(format!(
                "params: the value of {name:?} must be str, int, float or bool, not {}",
                type_name(&value)
            )));
        };
        pairs.push((name, text));
    }
    Ok(pairs)
}
