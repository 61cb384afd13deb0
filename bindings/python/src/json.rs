//! JSON between Python values and `serde_json::Value`: the types
//! `json.dumps` and `json.loads` use, but strict on the way out, so that a
//! request body that is not JSON is refused before anything is sent.

use crate::errors::{to_py, type_name};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use serde_json::{Map, Number, Value};

/// How deep a body may nest: serde_json's own limit when it parses, and
/// what stops a container that holds itself from recursing forever.
const MAX_DEPTH: usize = 128;

/// Why a value is not JSON: where (from the innermost step out) and why.
enum Failure {
    /// Not JSON; InvalidArgumentError.
    Refused { at: Vec<String>, reason: String },
    /// Nested deeper than `MAX_DEPTH`, where a path would be as long.
    TooDeep,
    /// Python failed while the value was read.
    Python(PyErr),
}

impl From<PyErr> for Failure {
    fn from(error: PyErr) -> Self {
        Failure::Python(error)
    }
}

impl Failure {
    fn refused(reason: impl Into<String>) -> Self {
        Failure::Refused {
            at: Vec::new(),
            reason: reason.into(),
        }
    }

    /// The same failure, one step (`["name"]`, `[3]`) further out.
    fn within(mut self, step: String) -> Self {
        if let Failure::Refused { at, .. } = &mut self {
            at.push(step);
        }
        self
    }
}

/// The JSON value of a Python request body: dicts (str keys only), lists,
/// tuples, str, int (64 bits), finite floats, bool and None. Anything else
/// is InvalidArgumentError for `json`, naming where it is, e.g.
/// `json["tags"][2]`.
pub(crate) fn from_python(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    convert(value, 0).map_err(|failure| match failure {
        Failure::Python(error) => error,
        Failure::Refused { at, reason } => {
            let place: String = at.iter().rev().map(String::as_str).collect();
            refuse(value.py(), format!("json{place} {reason}"))
        }
        Failure::TooDeep => refuse(
            value.py(),
            format!("json nests deeper than {MAX_DEPTH} levels (does a container hold itself?)"),
        ),
    })
}

/// InvalidArgumentError for `json`.
fn refuse(py: Python<'_>, reason: String) -> PyErr {
    to_py(
        py,
        atlas_admin::Error::InvalidArgument {
            name: "json",
            reason,
        },
    )
}

/// `value`, found `depth` containers deep, as JSON.
fn convert(value: &Bound<'_, PyAny>, depth: usize) -> Result<Value, Failure> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    // Before int: in Python, True is an int.
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return if let Ok(number) = value.extract::<i64>() {
            Ok(Value::from(number))
        } else if let Ok(number) = value.extract::<u64>() {
            Ok(Value::from(number))
        } else {
            Err(Failure::refused(
                "is an int beyond 64 bits, which JSON readers cannot be trusted to keep",
            ))
        };
    }
    if let Ok(number) = value.cast::<PyFloat>() {
        let number = number.value();
        return Number::from_f64(number)
            .map(Value::Number)
            .ok_or_else(|| Failure::refused(format!("is {number}, which JSON cannot hold")));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Value::String(text_of(text)?));
    }
    let is_container = value.is_instance_of::<PyDict>()
        || value.is_instance_of::<PyList>()
        || value.is_instance_of::<PyTuple>();
    if is_container && depth == MAX_DEPTH {
        return Err(Failure::TooDeep);
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut object = Map::new();
        // A snapshot of the items: reading them cannot change what is iterated.
        for pair in dict.items().iter() {
            let (key, item): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair.extract()?;
            let Ok(key) = key.cast::<PyString>() else {
                return Err(Failure::refused(format!(
                    "has a key of type {}: JSON object keys are str",
                    type_name(&key)
                )));
            };
            let key = text_of(key)?;
            let item = convert(&item, depth + 1).map_err(|f| f.within(format!("[{key:?}]")))?;
            object.insert(key, item);
        }
        return Ok(Value::Object(object));
    }
    let items = if let Ok(list) = value.cast::<PyList>() {
        Some(list.iter().collect::<Vec<_>>())
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        Some(tuple.iter().collect())
    } else {
        None
    };
    if let Some(items) = items {
        let mut array = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            array.push(convert(item, depth + 1).map_err(|f| f.within(format!("[{index}]")))?);
        }
        return Ok(Value::Array(array));
    }
    Err(Failure::refused(format!(
        "is {}, which is not JSON: use dict, list, tuple, str, int, float, bool or None",
        a_type(value)
    )))
}

/// The text of a str, or a refusal when it holds lone surrogates, which
/// UTF-8 (and so JSON on the wire) cannot carry.
fn text_of(text: &Bound<'_, PyString>) -> Result<String, Failure> {
    text.to_cow()
        .map(|text| text.into_owned())
        .map_err(|_| Failure::refused("holds a lone surrogate, which UTF-8 cannot carry"))
}

/// "a set", "an object of type Foo": a type's name with its article.
fn a_type(value: &Bound<'_, PyAny>) -> String {
    let name = type_name(value);
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// The Python value of a JSON answer: dict, list, str, int, float, bool or
/// None, as `json.loads` gives.
pub(crate) fn to_python(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    match value {
        Value::Null => Ok(py.None()),
        Value::Bool(flag) => flag.into_py_any(py),
        Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                integer.into_py_any(py)
            } else if let Some(integer) = number.as_u64() {
                integer.into_py_any(py)
            } else {
                // serde_json holds every other number as a finite f64.
                number.as_f64().unwrap_or(f64::NAN).into_py_any(py)
            }
        }
        Value::String(text) => text.into_py_any(py),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            Ok(list.into_any().unbind())
        }
        Value::Object(fields) => {
            let dict = PyDict::new(py);
            for (name, item) in fields {
                dict.set_item(name, to_python(py, item)?)?;
            }
            Ok(dict.into_any().unbind())
        }
    }
}
