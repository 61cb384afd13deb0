//! Stopping a call from outside it: a hook asked between the slices of its
//! waits and reads, or a token another thread sets.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A check a call makes while it waits (to retry, or for an answer) to
/// learn whether it should stop; set on a call with
/// [`CallOptions::interrupt`](crate::CallOptions::interrupt).
///
/// Waits and reads are cut into slices of at most 200 ms, and the check is
/// made between them, so a call stops within about that long of the check
/// first saying yes, with [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled).
/// A call answered within its first slice, with no retry to wait for,
/// never asks. Opening a connection (within the connect timeout) and
/// sending a request are not cut into slices. A connection whose
/// exchange was stopped is closed, never reused, and so is its Digest
/// session. The check runs on the calling thread and should be quick.
///
/// ```
/// use atlas_admin::{CallOptions, CancelToken, Interrupt};
///
/// let token = CancelToken::new();
/// let options = CallOptions::new().interrupt(token.clone());
/// // Another thread: token.cancel() stops the call at its next slice.
/// # assert!(!options.interrupt.as_ref().unwrap().is_set());
/// # token.cancel();
/// # assert!(options.interrupt.unwrap().is_set());
///
/// let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
/// let options = CallOptions::new().interrupt(Interrupt::new(move || std::time::Instant::now() > deadline));
/// ```
#[derive(Clone)]
pub struct Interrupt(Arc<dyn Fn() -> bool + Send + Sync>);

impl Interrupt {
    /// An interrupt that stops the call once `check` returns `true`.
    pub fn new(check: impl Fn() -> bool + Send + Sync + 'static) -> Self {
        Interrupt(Arc::new(check))
    }

    /// Whether the call should stop now.
    pub fn is_set(&self) -> bool {
        (self.0)()
    }
}

impl fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Interrupt(..)")
    }
}

/// The same check: clones of one interrupt are equal.
impl PartialEq for Interrupt {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(Arc::as_ptr(&self.0), Arc::as_ptr(&other.0))
    }
}

impl Eq for Interrupt {}

/// A flag that stops the calls given it (as their
/// [`Interrupt`]) once any clone of it is cancelled: for a thread, or an
/// async task, that gives up on a call another thread is making.
/// Cancelling is one atomic store, safe in a signal handler.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the calls given this token, now and later.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`CancelToken::cancel`] was called on it or a clone.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The token's check.
impl From<CancelToken> for Interrupt {
    fn from(token: CancelToken) -> Self {
        Interrupt::new(move || token.is_cancelled())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_stops_every_clone_s_calls() {
        let token = CancelToken::new();
        let interrupt = Interrupt::from(token.clone());
        assert!(!interrupt.is_set());
        token.clone().cancel();
        assert!(interrupt.is_set() && token.is_cancelled());
        assert_eq!(interrupt, interrupt.clone());
        assert_ne!(interrupt, Interrupt::from(token));
        assert_eq!(format!("{interrupt:?}"), "Interrupt(..)");
    }
}
