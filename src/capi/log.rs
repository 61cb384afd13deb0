//! `atlas_set_log_callback`: the core's log messages, handed to C.

use super::error::atlas_error;
use super::fallible::fallible;
use super::status::atlas_status;
use log::{Level, LevelFilter, Log, Metadata, Record};
use std::ffi::{c_char, c_void, CString};
use std::sync::{Once, PoisonError, RwLock};

/// The severity of a log message. The numbers are stable.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum atlas_log_level {
    /// A failure that no return value reports.
    Error = 1,
    /// A failure being handled, e.g. an attempt about to be retried.
    Warn = 2,
    /// A noteworthy event.
    Info = 3,
    /// Each attempt, Digest challenge and outcome.
    Debug = 4,
    /// Finer detail.
    Trace = 5,
}

impl From<Level> for atlas_log_level {
    fn from(level: Level) -> Self {
        match level {
            Level::Error => atlas_log_level::Error,
            Level::Warn => atlas_log_level::Warn,
            Level::Info => atlas_log_level::Info,
            Level::Debug => atlas_log_level::Debug,
            Level::Trace => atlas_log_level::Trace,
        }
    }
}

/// Receives one log message. `message` is NUL-terminated UTF-8, valid only
/// during the call; it never contains a private key. Called on the thread
/// that makes the request, possibly on several threads at once.
pub type atlas_log_callback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, level: atlas_log_level, message: *const c_char),
>;

struct Sink {
    callback: unsafe extern "C" fn(*mut c_void, atlas_log_level, *const c_char),
    /// The caller's pointer, kept as an integer: the caller vouches that it
    /// may be used from any thread.
    user_data: usize,
    max_level: LevelFilter,
}

static SINK: RwLock<Option<Sink>> = RwLock::new(None);
static INSTALL: Once = Once::new();

struct CallbackLogger;

impl Log for CallbackLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Only this library's own messages: dependencies log at trace level
        // what crosses the wire, request headers included.
        metadata.target().starts_with("atlas_admin")
            && SINK
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .as_ref()
                .is_some_and(|sink| metadata.level() <= sink.max_level)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let text = record.args().to_string().replace('\0', " ");
        let Ok(message) = CString::new(text) else {
            return;
        };
        if let Some(sink) = SINK.read().unwrap_or_else(PoisonError::into_inner).as_ref() {
            // SAFETY: the caller of atlas_set_log_callback promised the
            // callback and user_data stay valid until replaced.
            unsafe {
                (sink.callback)(
                    sink.user_data as *mut c_void,
                    record.level().into(),
                    message.as_ptr(),
                )
            };
        }
    }

    fn flush(&self) {}
}

/// Sends atlas-admin's log messages up to `max_level` (an atlas_log_level;
/// ATLAS_LOG_LEVEL_DEBUG shows every attempt, retry and wait) to `callback`
/// with `user_data`. A NULL callback turns logging off. Messages never
/// contain a private key.
///
/// The setting is process-wide. `callback` and `user_data` must stay valid
/// until replaced, and must be safe to use from any thread. The callback
/// must not call atlas_set_log_callback.
///
/// # Safety
/// `callback` is NULL or a function with the atlas_log_callback signature;
/// `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn atlas_set_log_callback(
    callback: atlas_log_callback,
    user_data: *mut c_void,
    max_level: u32,
    out_error: *mut *mut atlas_error,
) -> atlas_status {
    fallible(out_error, || {
        let max_level = match max_level {
            1 => LevelFilter::Error,
            2 => LevelFilter::Warn,
            3 => LevelFilter::Info,
            4 => LevelFilter::Debug,
            5 => LevelFilter::Trace,
            _ => {
                return Err(atlas_error::invalid(
                    "max_level",
                    "must be an atlas_log_level, 1 (error) to 5 (trace)",
                ))
            }
        };
        INSTALL.call_once(|| {
            // This library's copy of `log` has no other logger to clash with.
            let _ = log::set_logger(&CallbackLogger);
            log::set_max_level(LevelFilter::Trace);
        });
        *SINK.write().unwrap_or_else(PoisonError::into_inner) = callback.map(|callback| Sink {
            callback,
            user_data: user_data as usize,
            max_level,
        });
        Ok(())
    })
}
