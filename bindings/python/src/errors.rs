//! Core errors as instances of the exception classes in `atlas_admin.errors`.

use atlas_admin::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

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

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "InvalidArgumentError",
        ErrorKind::Unauthorized => "AuthenticationError",
        ErrorKind::Forbidden => "PermissionDeniedError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::RateLimited => "RateLimitError",
        ErrorKind::HttpError => "HTTPError",
        ErrorKind::ServerError => "ServerError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Protocol => "ProtocolError",
        _ => "AtlasError",
    }
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let class = py
        .import("atlas_admin.errors")?
        .getattr(class_name(error.kind()))?;
    let details = PyDict::new(py);
    if let Some(api) = error.api() {
        details.set_item("status", api.status)?;
        details.set_item("error_code", api.error_code.as_deref())?;
        details.set_item("detail", api.detail.as_deref())?;
        details.set_item("reason", api.reason.as_deref())?;
        details.set_item("parameters", &api.parameters)?;
        details.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
        details.set_item("body", &api.body)?;
        details.set_item("location", api.location.as_deref())?;
        details.set_item("attempts", api.attempts)?;
    }
    let instance = class.call((error.to_string(),), Some(&details))?;
    Ok(PyErr::from_value(instance))
}
