//! SIGINT and SIGTERM while `delete` runs: caught, so that the run stops
//! handing out keys, lets the calls under way finish, and prints every
//! outcome before it exits 130 or 143; a second signal ends it at once.
//!
//! The handler only counts, in lock-free atomics (all a signal handler may
//! safely touch); the run reads the count. The handlers are installed for
//! the run and the previous ones put back after it, so a program that runs
//! the command line as a library (the Python console script) keeps its
//! own. `sigaction` directly rather than a crate: two signals, one counter,
//! and the previous handlers put back exactly, which signal-hook's registry
//! does not do (once its last action is removed, its own handler stays and
//! the signal is ignored).

use crate::exit::Exit;
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard};

/// A signal that stops a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT: Ctrl-C.
    Interrupt,
    /// SIGTERM: `kill`, a service manager, a CI job's time limit.
    Terminate,
}

impl Signal {
    /// Both, as caught.
    const ALL: [Signal; 2] = [Signal::Interrupt, Signal::Terminate];

    /// `SIGINT` or `SIGTERM`.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// The exit code of a run it stopped.
    pub fn exit(self) -> Exit {
        match self {
            Signal::Interrupt => Exit::Interrupted,
            Signal::Terminate => Exit::Terminated,
        }
    }

    /// Its number.
    fn number(self) -> i32 {
        match self {
            Signal::Interrupt => libc::SIGINT,
            Signal::Terminate => libc::SIGTERM,
        }
    }

    /// The signal numbered `number`, if it is one of these.
    fn from_number(number: i32) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.number() == number)
    }
}

/// Signals received since the handlers were installed.
static RECEIVED: AtomicU32 = AtomicU32::new(0);
/// The number of the first of them; 0 before any.
static FIRST: AtomicI32 = AtomicI32::new(0);
/// Which installation the two counts above belong to: bumped before they
/// are reset, so that a reader can tell a reset from a quiet run.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The runs catching signals now, and the handlers their first one
/// replaced.
static INSTALLED: Mutex<Installed> = Mutex::new(Installed {
    runs: 0,
    previous: Vec::new(),
});

struct Installed {
    runs: usize,
    previous: Vec<platform::Saved>,
}

fn installed() -> MutexGuard<'static, Installed> {
    // Plain counts and saved handlers: a panic elsewhere cannot leave them
    // half written.
    INSTALLED.lock().unwrap_or_else(|p| p.into_inner())
}

/// SIGINT and SIGTERM caught for as long as this lives. Runs at the same
/// time (threads of one program running the command line) share the
/// handlers and the count: a signal stops them all.
pub struct Interrupts {
    watch: Watch,
}

impl Interrupts {
    /// Catches SIGINT and SIGTERM, except a signal the process ignores (a
    /// job started in the background with `&` ignores SIGINT, and must
    /// go on ignoring the Ctrl-C meant for the foreground).
    pub fn catch() -> Self {
        let mut installed = installed();
        if installed.runs == 0 {
            GENERATION.fetch_add(1, SeqCst);
            FIRST.store(0, SeqCst);
            RECEIVED.store(0, SeqCst);
            installed.previous = Signal::ALL
                .iter()
                .filter_map(|signal| platform::install(signal.number()))
                .collect();
        }
        installed.runs += 1;
        Interrupts {
            watch: Watch {
                generation: GENERATION.load(SeqCst),
            },
        }
    }

    /// What the run's workers read.
    pub fn watch(&self) -> Watch {
        self.watch
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        let mut installed = installed();
        installed.runs -= 1;
        if installed.runs == 0 {
            for saved in installed.previous.drain(..) {
                platform::restore(&saved);
            }
        }
    }
}

/// The signals of one run, as its threads read them, even threads that
/// outlive it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    generation: u64,
}

impl Watch {
    /// How many signals the run has had, and the number of the first. A
    /// run that is over, its counts reset by a later run, reads as stopped
    /// twice, so that a worker it left behind starts nothing more.
    fn read(self) -> (u32, i32) {
        let before = GENERATION.load(SeqCst);
        let (received, first) = (RECEIVED.load(SeqCst), FIRST.load(SeqCst));
        if before == self.generation && GENERATION.load(SeqCst) == self.generation {
            (received, first)
        } else {
            (u32::MAX, 0)
        }
    }

    /// A signal came: start nothing new.
    pub fn stopping(self) -> bool {
        self.read().0 >= 1
    }

    /// A second signal came: end the run now, with what is known.
    pub fn abandoning(self) -> bool {
        self.read().0 >= 2
    }

    /// The first signal that came, which decides the exit code.
    pub fn signal(self) -> Option<Signal> {
        Signal::from_number(self.read().1)
    }

    /// `SIGINT`, `SIGTERM`, or "a signal" for a run already over.
    pub fn signal_name(self) -> &'static str {
        self.signal().map_or("a signal", Signal::name)
    }
}

/// The handler: counts, and remembers which signal came first. Only
/// lock-free atomic operations, which are async-signal-safe; the first
/// signal is stored before the count grows, so whoever sees the count sees
/// which it was.
extern "C" fn on_signal(number: libc::c_int) {
    let _ = FIRST.compare_exchange(0, number, SeqCst, SeqCst);
    RECEIVED.fetch_add(1, SeqCst);
}

#[cfg(unix)]
mod platform {
    use std::mem::MaybeUninit;
    use std::ptr;

    /// A signal's number and the action it had before.
    pub struct Saved(i32, libc::sigaction);

    /// Points `number` at the handler, unless the process ignores it;
    /// returns the action to put back.
    pub fn install(number: i32) -> Option<Saved> {
        // SAFETY: an all-zero sigaction is valid (no flags, and the mask
        // is set right after); `on_signal` has the signature
        // `sa_sigaction` expects without SA_SIGINFO.
        let mut action: libc::sigaction = unsafe { MaybeUninit::zeroed().assume_init() };
        action.sa_sigaction = super::on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // Restarted: a call under way must not fail with EINTR because of
        // the very signal that asked it to finish.
        action.sa_flags = libc::SA_RESTART;
        let mut previous = MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: both pointers are to valid sigaction values for the
        // duration of the calls.
        let status = unsafe {
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(number, &action, previous.as_mut_ptr())
        };
        if status != 0 {
            return None;
        }
        // SAFETY: sigaction succeeded, so it wrote the previous action.
        let saved = Saved(number, unsafe { previous.assume_init() });
        if saved.1.sa_sigaction == libc::SIG_IGN {
            restore(&saved);
            return None;
        }
        Some(saved)
    }

    /// Puts a saved action back.
    pub fn restore(saved: &Saved) {
        // SAFETY: the action is one sigaction returned, unchanged.
        unsafe { libc::sigaction(saved.0, &saved.1, ptr::null_mut()) };
    }
}

#[cfg(not(unix))]
mod platform {
    /// Nothing: signals are not caught here, Ctrl-C ends a run as before.
    pub struct Saved;

    pub fn install(_: i32) -> Option<Saved> {
        None
    }

    pub fn restore(_: &Saved) {}
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::mem::MaybeUninit;

    /// The tests change the process's own handlers: one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The handler `number` has now.
    fn handler(number: i32) -> libc::sighandler_t {
        let mut current = MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: a null new action only reads the current one.
        assert_eq!(
            unsafe { libc::sigaction(number, std::ptr::null(), current.as_mut_ptr()) },
            0
        );
        // SAFETY: written by the successful call above.
        unsafe { current.assume_init() }.sa_sigaction
    }

    fn raise(number: i32) {
        // SAFETY: raise runs the handler on this thread before returning;
        // every caller holds an `Interrupts`, so the handler is ours.
        assert_eq!(unsafe { libc::raise(number) }, 0);
    }

    #[test]
    fn signals_are_counted_the_first_decides_and_the_old_handlers_come_back() {
        let _serial = serial();
        let before = (handler(libc::SIGINT), handler(libc::SIGTERM));
        let interrupts = Interrupts::catch();
        let watch = interrupts.watch();
        assert_ne!(handler(libc::SIGINT), before.0);
        assert!(!watch.stopping() && watch.signal().is_none());
        raise(libc::SIGTERM);
        assert!(watch.stopping() && !watch.abandoning());
        assert_eq!(watch.signal(), Some(Signal::Terminate));
        raise(libc::SIGINT);
        assert!(watch.abandoning());
        assert_eq!(watch.signal_name(), "SIGTERM", "the first signal decides");
        drop(interrupts);
        assert_eq!((handler(libc::SIGINT), handler(libc::SIGTERM)), before);
    }

    #[test]
    fn runs_at_once_share_the_handlers_until_the_last_ends() {
        let _serial = serial();
        let before = handler(libc::SIGINT);
        let first = Interrupts::catch();
        let second = Interrupts::catch();
        assert_eq!(first.watch(), second.watch());
        drop(first);
        raise(libc::SIGINT);
        assert_eq!(second.watch().signal(), Some(Signal::Interrupt));
        drop(second);
        assert_eq!(handler(libc::SIGINT), before);
    }

    #[test]
    fn a_watch_outliving_its_run_reads_as_stopped_once_another_run_starts() {
        let _serial = serial();
        let earlier = Interrupts::catch().watch();
        assert!(!earlier.stopping(), "its counts were not reset yet");
        let later = Interrupts::catch();
        assert!(earlier.abandoning());
        assert!(!later.watch().stopping());
    }

    #[test]
    fn an_ignored_signal_stays_ignored() {
        let _serial = serial();
        let mut ignore: libc::sigaction = unsafe { MaybeUninit::zeroed().assume_init() };
        ignore.sa_sigaction = libc::SIG_IGN;
        let mut previous = MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: valid actions for the duration of the calls.
        unsafe { libc::sigaction(libc::SIGINT, &ignore, previous.as_mut_ptr()) };
        let interrupts = Interrupts::catch();
        assert_eq!(handler(libc::SIGINT), libc::SIG_IGN);
        raise(libc::SIGINT);
        assert!(!interrupts.watch().stopping());
        assert_ne!(handler(libc::SIGTERM), libc::SIG_DFL, "SIGTERM is caught");
        drop(interrupts);
        assert_eq!(handler(libc::SIGINT), libc::SIG_IGN);
        // SAFETY: puts back what the test found.
        unsafe { libc::sigaction(libc::SIGINT, previous.as_ptr(), std::ptr::null_mut()) };
    }
}
