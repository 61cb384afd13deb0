//! What a forked child may not use of its parent's client: pooled
//! connections and Digest sessions.
//!
//! After `fork()` the child holds copies of the parent's sockets and of its
//! nonce counts. A request the child sent on an inherited connection would
//! share that socket with the parent, each reading the other's answers, and
//! a Digest answer from an inherited session would reuse counts the parent
//! uses too. So each pool records the fork [`Generation`] it was filled in
//! and forgets, on its next checkout, whatever an earlier generation filled:
//! the child closes its copies of the descriptors, and nothing more (no
//! `shutdown()`, no TLS close_notify: the parent's sockets stay open and
//! untouched), then opens its own. A service account's token is shared
//! state the server allows, and is kept.
//!
//! The generation is counted by a `pthread_atfork` child handler,
//! registered once: a request reads it with one atomic load. Asking
//! `getpid()` instead would cost a system call per request, as much as
//! the send of a kept-alive delete.
//!
//! The same handler keeps forks out of the pools' critical sections
//! ([`hold_off`]): a child has only the thread that forked, so a pool lock
//! held by any other thread at that moment would stay locked in the child
//! for ever.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Once;

/// How many forks separate a process from the one its pools were filled
/// in: 0 until the process forks, then one more in each child.
#[derive(Debug)]
pub(crate) struct Generation(AtomicU64);

impl Generation {
    pub(crate) const fn new() -> Self {
        Generation(AtomicU64::new(0))
    }

    /// The generation now.
    pub(crate) fn current(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// One more fork: what the at-fork handler does in the child, and what
    /// tests do to see a pool forget without forking.
    pub(crate) fn advance(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// This process's generation.
static PROCESS: Generation = Generation::new();

/// The process's generation, with the at-fork handlers registered (once):
/// what every pool watches.
pub(crate) fn process() -> &'static Generation {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // SAFETY: the handlers are plain functions that live for the whole
        // program, touch only atomics and never unwind.
        let failed = unsafe {
            libc::pthread_atfork(
                Some(before_fork),
                Some(after_fork_in_parent),
                Some(after_fork_in_child),
            )
        };
        if failed != 0 {
            // Only ENOMEM is possible; a child would then reuse the
            // parent's connections, as every version before this did.
            log::warn!("pthread_atfork failed ({failed}): pools are not reset after a fork");
        }
    });
    &PROCESS
}

/// Threads inside a pool's critical section (the low half) and forks
/// waiting for them to leave (each adds [`FORKING`]).
static INSIDE: AtomicUsize = AtomicUsize::new(0);
const FORKING: usize = 1 << (usize::BITS / 2);

/// Holds forks off until the guard is dropped: taken around a pool's few
/// instructions under its lock (no I/O but closing descriptors, no
/// logging, no callbacks, never a fork), so that no child inherits the
/// lock held. Costs an atomic add and subtract when no fork is under way.
pub(crate) fn hold_off() -> HeldOff {
    loop {
        if INSIDE.fetch_add(1, Ordering::Acquire) < FORKING {
            return HeldOff(());
        }
        // A fork is waiting for the threads inside to leave: let it go first.
        INSIDE.fetch_sub(1, Ordering::Release);
        while INSIDE.load(Ordering::Acquire) >= FORKING {
            std::thread::yield_now();
        }
    }
}

/// Forks wait while one of these lives; see [`hold_off`].
#[must_use = "forks are held off only while the guard lives"]
pub(crate) struct HeldOff(());

impl Drop for HeldOff {
    fn drop(&mut self) {
        INSIDE.fetch_sub(1, Ordering::Release);
    }
}

/// In the forking thread, before the fork: waits until no thread is inside
/// a critical section, and keeps new ones out until the fork is done.
extern "C" fn before_fork() {
    INSIDE.fetch_add(FORKING, Ordering::Acquire);
    while INSIDE.load(Ordering::Acquire) % FORKING != 0 {
        std::thread::yield_now();
    }
}

/// In the parent after the fork: lets the waiting threads in.
extern "C" fn after_fork_in_parent() {
    INSIDE.fetch_sub(FORKING, Ordering::Release);
}

/// In the child, whose only thread is this one: nobody is inside or
/// waiting, and everything pooled so far is the parent's. Async-signal-safe
/// (two atomic stores), as a child handler must be.
extern "C" fn after_fork_in_child() {
    INSIDE.store(0, Ordering::Release);
    PROCESS.advance();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn generations_count_forks() {
        let generation = Generation::new();
        assert_eq!(generation.current(), 0);
        generation.advance();
        assert_eq!(generation.current(), 1);
        // Registering twice is registering once.
        assert!(std::ptr::eq(process(), process()));
    }

    #[test]
    fn a_fork_waits_for_the_threads_inside_and_keeps_others_out() {
        let inside = Arc::new(AtomicBool::new(false));
        let release = Arc::new(AtomicBool::new(false));
        let holder = {
            let (inside, release) = (Arc::clone(&inside), Arc::clone(&release));
            std::thread::spawn(move || {
                let _held = hold_off();
                inside.store(true, Ordering::SeqCst);
                while !release.load(Ordering::SeqCst) {
                    std::thread::yield_now();
                }
            })
        };
        while !inside.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        let forked = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicBool::new(false));
        let forker = {
            let (forked, done) = (Arc::clone(&forked), Arc::clone(&done));
            std::thread::spawn(move || {
                before_fork();
                forked.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                done.store(true, Ordering::SeqCst);
                after_fork_in_parent();
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            !forked.load(Ordering::SeqCst),
            "the fork went ahead while a thread was inside"
        );
        release.store(true, Ordering::SeqCst);
        holder.join().unwrap();
        while !forked.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        // While the fork is under way a new critical section waits for it.
        let _held = hold_off();
        assert!(done.load(Ordering::SeqCst), "entered during the fork");
        forker.join().unwrap();
    }
}
