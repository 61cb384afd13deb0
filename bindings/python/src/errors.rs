//! Core errors as instances of the exception classes in `atlas_admin.errors`.

use atlas_admin::{Error, ErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

/// The exception class of each kind, in the order of `ErrorKind::ALL`,
/// looked up once by the names the core's table gives them.
static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

/// Looks up every kind's class in `atlas_admin.errors`. Called when the
/// module is imported, so a kind without its class fails the import itself
/// rather than a raise, some day, in the field.
pub(crate) fn load(py: Python<'_>) -> PyResult<()> {
    CLASSES.get_or_try_init(py, || {
        let module = py.import("atlas_admin.errors")?;
        let base = module.getattr("AtlasError")?;
        ErrorKind::ALL
            .iter()
            .map(|kind| {
                let class = module
                    .getattr(kind.python_exception())?
                    .cast_into::<PyType>()?;
                if !class.is_subclass(&base)? {
                    return Err(PyRuntimeError::new_err(format!(
                        "atlas_admin.errors.{} is not an AtlasError",
                        kind.python_exception()
                    )));
                }
                Ok(class.unbind())
            })
            .collect()
    })?;
    Ok(())
}

/// The Python exception for a core error, carrying the API details.
pub(crate) fn to_py(py: Python<'_>, error: Error) -> PyErr {
    build(py, &error).unwrap_or_else(|failure| failure)
}

/// An `InvalidArgumentError` raised by the skin itself.
pub(crate) fn invalid_argument(py: Python<'_>, name: &'static str, reason: &str) -> PyErr {
    to_py(
        py,
        Error::InvalidArgument {
            name,
            reason: reason.to_owned(),
        },
    )
}

/// The name of `value`'s type, for messages about arguments.
pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|name| name.to_string())
        .unwrap_or_else(|_| "an unknown type".to_owned())
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let kind = error.kind();
    let class = CLASSES
        .get(py)
        .zip(ErrorKind::ALL.iter().position(|&k| k == kind))
        .map(|(classes, index)| classes[index].bind(py))
        .ok_or_else(|| PyRuntimeError::new_err(format!("no exception class for {kind:?}")))?;
    let details = PyDict::new(py);
    details.set_item("attempts", error.attempts())?;
    if let Some(api) = error.api() {
        details.set_item("status", api.status)?;
        details.set_item("error_code", api.error_code.as_deref())?;
        details.set_item("detail", api.detail.as_deref())?;
        details.set_item("reason", api.reason.as_deref())?;
        details.set_item("parameters", &api.parameters)?;
        details.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
        details.set_item("body", &api.body)?;
        details.set_item("location", api.location.as_deref())?;
    }
    let instance = class.call((error.to_string(),), Some(&details))?;
    Ok(PyErr::from_value(instance))
}
