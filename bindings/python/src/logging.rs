//! The core's log messages, forwarded to Python's `logging` as the logger
//! named `atlas_admin`, so applications configure them as they do any other.
//!
//! A call reads the logger's effective level once, while it still holds
//! the GIL ([`during_call`]); records below it are dropped on the calling
//! thread without taking the GIL back. Asking Python for each record cost
//! a GIL round trip and an `isEnabledFor` call per debug record, about a
//! tenth of a delete's time with logging off.

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::cell::Cell;

static PYTHON_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

thread_local! {
    /// The `atlas_admin` logger's effective level (Python's number) as the
    /// call running on this thread found it; `None` outside a call, where
    /// each record asks Python.
    static CALL_LEVEL: Cell<Option<u8>> = const { Cell::new(None) };
}

/// Python's number for a record's level.
fn python_level(level: Level) -> u8 {
    match level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug => 10,
        Level::Trace => 5,
    }
}

/// The `atlas_admin` logger.
fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    PYTHON_LOGGER
        .get_or_try_init(py, || {
            py.import("logging")?
                .call_method1("getLogger", ("atlas_admin",))
                .map(Bound::unbind)
        })
        .map(|logger| logger.bind(py))
}

/// Runs `call` (which releases the GIL) with the logger's effective level
/// read once beforehand, so the records it logs on this thread need the
/// GIL only when Python will keep them.
pub(crate) fn during_call<T>(py: Python<'_>, call: impl FnOnce() -> T) -> T {
    let level = logger(py)
        .and_then(|logger| logger.call_method0("getEffectiveLevel")?.extract::<u8>())
        .ok();
    let outer = CALL_LEVEL.with(|cell| cell.replace(level));
    let result = call();
    CALL_LEVEL.with(|cell| cell.set(outer));
    result
}

struct ForwardToPython;

impl Log for ForwardToPython {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Only this library's own messages: dependencies log at trace level
        // what crosses the wire, request headers included.
        metadata.target().starts_with("atlas_admin")
            && CALL_LEVEL
                .with(Cell::get)
                .is_none_or(|effective| python_level(metadata.level()) >= effective)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = python_level(record.level());
        // A record that cannot reach Python (the interpreter is shutting
        // down, a handler raised) is dropped rather than disturb the call.
        Python::try_attach(|py| -> PyResult<()> {
            let logger = logger(py)?;
            // Asked again: handlers and `disabled` decide too.
            if logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
                logger.call_method1("log", (level, "%s", record.args().to_string()))?;
            }
            Ok(())
        });
    }

    fn flush(&self) {}
}

/// Installs the forwarding logger; the extension has its own copy of `log`,
/// so nothing else can have installed one first.
pub(crate) fn install() {
    if log::set_logger(&ForwardToPython).is_ok() {
        log::set_max_level(LevelFilter::Debug);
    }
}
