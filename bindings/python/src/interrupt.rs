//! Stopping a call that waits with the GIL released: Ctrl-C, and an
//! `AsyncClient` task that was cancelled.
//!
//! Every call carries [`hook`], which the core asks between the slices of
//! its waits (200 ms at most; a call answered sooner never asks). The hook
//! takes the GIL back briefly and runs Python's signal handlers: one that
//! raises (SIGINT's `KeyboardInterrupt`) stops the call, and [`outcome`]
//! raises that same exception once the call has returned. It also stops
//! the call when the [`CancelToken`] the calling thread runs under has been
//! cancelled, which is how `AsyncClient` stops a worker whose task was
//! cancelled.

use crate::errors::to_py;
use atlas_admin::{Error, Interrupt};
use pyo3::prelude::*;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

thread_local! {
    /// What a signal handler raised during the call on this thread, kept
    /// until the call returns.
    static RAISED: RefCell<Option<PyErr>> = const { RefCell::new(None) };
    /// The token the calls on this thread run under, if any.
    static TOKEN: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// The interrupt of every call: one for all, so a call clones an `Arc`
/// rather than making a closure.
pub(crate) fn hook() -> Interrupt {
    static HOOK: OnceLock<Interrupt> = OnceLock::new();
    HOOK.get_or_init(|| Interrupt::new(should_stop)).clone()
}

fn should_stop() -> bool {
    if TOKEN.with(|token| {
        token
            .borrow()
            .as_ref()
            .is_some_and(|cancelled| cancelled.load(Ordering::Relaxed))
    }) {
        return true;
    }
    // Signal handlers run on the main thread only; elsewhere this returns
    // at once. During interpreter shutdown there is no GIL to take.
    let raised = Python::try_attach(|py| py.check_signals().err()).flatten();
    let stop = raised.is_some();
    if stop {
        RAISED.with(|slot| *slot.borrow_mut() = raised);
    }
    stop
}

/// Runs `call` (which releases the GIL and carries [`hook`]) and gives
/// its outcome, its error as the exception of its kind; but a call a
/// signal handler's exception stopped raises that exception
/// (`KeyboardInterrupt` for SIGINT), which is never lost.
pub(crate) fn raising<T>(py: Python<'_>, call: impl FnOnce() -> Result<T, Error>) -> PyResult<T> {
    RAISED.with(|slot| slot.borrow_mut().take());
    let result = call();
    let raised = RAISED.with(|slot| slot.borrow_mut().take());
    result.map_err(|error| raised.unwrap_or_else(|| to_py(py, error)))
}

/// A flag that stops the calls made under it (with `run`) once cancelled:
/// AsyncClient runs each call in a worker thread under one, and cancels it
/// when the task awaiting the call is cancelled. Private to the package.
#[pyclass(frozen, module = "atlas_admin._native", name = "_CancelToken")]
#[derive(Default)]
pub(crate) struct CancelToken {
    cancelled: Arc<AtomicBool>,
}

#[pymethods]
impl CancelToken {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Stops the calls running under this token at their next slice (within
    /// about 200 ms), and any started under it later.
    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether cancel() was called.
    #[getter]
    fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Calls `function()` with the calls it makes on this thread running
    /// under this token, and returns what it returns.
    fn run(&self, function: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let outer = TOKEN.with(|token| token.replace(Some(Arc::clone(&self.cancelled))));
        let result = function.call0();
        TOKEN.with(|token| *token.borrow_mut() = outer);
        result.map(Bound::unbind)
    }
}
