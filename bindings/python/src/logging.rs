//! The core's log messages, forwarded to Python's `logging` as the logger
//! named `atlas_admin`, so applications configure them as they do any other.

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static PYTHON_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

struct ForwardToPython;

impl Log for ForwardToPython {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Only this library's own messages: dependencies log at trace level
        // what crosses the wire, request headers included.
        metadata.target().starts_with("atlas_admin")
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level: u8 = match record.level() {
            Level::Error => 40,
            Level::Warn => 30,
            Level::Info => 20,
            Level::Debug => 10,
            Level::Trace => 5,
        };
        // A record that cannot reach Python (the interpreter is shutting
        // down, a handler raised) is dropped rather than disturb the call.
        Python::try_attach(|py| -> PyResult<()> {
            let logger = PYTHON_LOGGER.get_or_try_init(py, || {
                py.import("logging")?
                    .call_method1("getLogger", ("atlas_admin",))
                    .map(Bound::unbind)
            })?;
            let logger = logger.bind(py);
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
