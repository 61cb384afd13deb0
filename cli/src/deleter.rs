//! The workers of `org-api-keys delete`: one client, one rate gate, a
//! stop switch for failures that would repeat for every key, and the run's
//! signals. After a first SIGINT or SIGTERM no key is started and the
//! calls under way finish; after a second the run stops waiting for them.
//!
//! The workers are threads of their own, not scoped ones: a run that a
//! second signal ends returns (through the one place that closes the
//! client) without joining workers still waiting for an answer; a worker
//! left so sends nothing more, starts nothing more, and ends with its call.

use crate::exit::{Category, Missing};
use crate::interrupt::{Signal, Watch};
use crate::rate::{self, RateGate, MAX_RATE_LIMITED_ROUNDS};
use crate::report::{Outcome, Report};
use crate::resolve::Target;
use atlas_admin::{ApiKey, Client, DeleteOptions, Error, ErrorKind, Interrupt, API_KEY_NOT_FOUND};
use indicatif::ProgressBar;
use std::collections::HashSet;
use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::Duration;

/// Only Atlas saying the key itself is missing makes a key "not found";
/// an unknown organization means the command is wrong.
pub const MISSING: Missing = Missing::Only(API_KEY_NOT_FOUND);

/// How often the printing thread, while it waits for the workers (or the
/// listing), looks whether a signal asks it to stop waiting.
const POLL: Duration = Duration::from_millis(20);

/// Why a call of the run ended without its result.
#[derive(Debug)]
enum Failure {
    /// It failed with this error, after this many requests in all.
    Failed(Error, u32),
    /// It was not made: an earlier failure stops the run, for this reason.
    Stopped(String),
    /// It was not made: a signal stopped the run first.
    Interrupted,
    /// It was rate limited with this error, after this many requests, and
    /// a signal stopped the run before its next round.
    Cut(Error, u32),
}

/// What the run's one listing came to.
#[derive(Debug)]
pub enum Listing {
    /// The keys it looked for that it found.
    Found(Vec<ApiKey>),
    /// It failed with this error, after this many requests.
    Failed(Error, u32),
    /// A signal came first; no key was deleted.
    Interrupted,
}

/// How a batch of deletes ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// Every worker is done.
    Finished,
    /// A second signal: the workers still waiting for an answer are left
    /// to it.
    Abandoned,
}

/// What every worker shares.
pub struct Deleter {
    /// The one client: its pooled connections and Digest state serve all.
    pub client: Arc<Client>,
    /// The organization the keys belong to.
    pub org: String,
    /// `pretty`, `envelope` and `missing_ok`, as given.
    pub options: DeleteOptions,
    /// Read each key back after its delete and expect it gone.
    pub verify: bool,
    /// Where a shared pause is announced (a hidden bar announces nothing).
    pub progress: ProgressBar,
    gate: RateGate,
    /// Why the keys not yet started are skipped, once that is known.
    stop: OnceLock<String>,
    /// The run's signals, when it catches them.
    signals: Option<Watch>,
}

impl Deleter {
    /// A deleter of `org`'s keys through `client`, stopped by the signals
    /// `signals` watches (none for a run that does not catch them).
    pub fn new(
        client: Arc<Client>,
        org: String,
        options: DeleteOptions,
        verify: bool,
        progress: ProgressBar,
        signals: Option<Watch>,
    ) -> Self {
        // After the first signal the calls under way finish, but none
        // waits on to send: not a held first attempt (nothing was sent:
        // not attempted), nor a retry.
        let mut options = options;
        if let Some(watch) = signals {
            options.call = options
                .call
                .stop_waiting(Interrupt::new(move || watch.stopping()));
        }
        Deleter {
            client,
            org,
            options,
            verify,
            progress,
            gate: RateGate::new(),
            stop: OnceLock::new(),
            signals,
        }
    }

    /// The first signal the run had, if any.
    pub fn signal(&self) -> Option<Signal> {
        self.signals.and_then(Watch::signal)
    }

    /// A signal came: start nothing new.
    fn stopping(&self) -> bool {
        self.signals.is_some_and(Watch::stopping)
    }

    /// A second signal came: stop waiting.
    fn abandoning(&self) -> bool {
        self.signals.is_some_and(Watch::abandoning)
    }

    /// The first signal's name, for reports.
    pub fn signal_name(&self) -> &'static str {
        self.signals.map_or("a signal", Watch::signal_name)
    }

    /// The report of `target`, never started since a signal came first.
    pub fn not_attempted(&self, target: &Target) -> Report {
        Report::not_attempted(&target.given, self.signal_name()).with_fields(target.fields(false))
    }

    /// The organization's keys that are `public_keys` or `ids`: one
    /// listing, read until all are found or the pages end, started again
    /// after a rate-limited round. When the run catches signals, the
    /// listing runs on a thread of its own and a signal ends the wait for
    /// it at once: a listing deletes nothing, so no outcome is lost.
    pub fn list(self: &Arc<Self>, public_keys: HashSet<String>, ids: HashSet<String>) -> Listing {
        if self.signals.is_none() {
            return self.list_now(&public_keys, &ids);
        }
        let deleter = Arc::clone(self);
        let listing = thread::spawn(move || deleter.list_now(&public_keys, &ids));
        while !listing.is_finished() {
            if self.stopping() {
                return Listing::Interrupted;
            }
            thread::sleep(POLL);
        }
        listing
            .join()
            .unwrap_or_else(|panicked| panic::resume_unwind(panicked))
    }

    /// The listing, on this thread.
    fn list_now(&self, public_keys: &HashSet<String>, ids: &HashSet<String>) -> Listing {
        let listed = self.in_rounds(false, || {
            let mut found = Vec::new();
            let (mut public_keys_left, mut ids_left) = (public_keys.len(), ids.len());
            for key in self
                .client
                .list_org_api_keys(&self.org, &self.options.call)?
            {
                let key = key?;
                let by_public_key = public_keys.contains(&key.public_key);
                let by_id = ids.contains(&key.id);
                public_keys_left = public_keys_left.saturating_sub(usize::from(by_public_key));
                ids_left = ids_left.saturating_sub(usize::from(by_id));
                if by_public_key || by_id {
                    found.push(key);
                }
                if public_keys_left == 0 && ids_left == 0 {
                    break;
                }
            }
            Ok(found)
        });
        match listed {
            Ok((found, _)) => Listing::Found(found),
            Err(Failure::Failed(error, attempts)) => Listing::Failed(error, attempts),
            Err(Failure::Interrupted | Failure::Cut(..)) => Listing::Interrupted,
            Err(Failure::Stopped(_)) => unreachable!("a call that cannot be stopped was stopped"),
        }
    }

    /// Deletes `targets` (each with its index in the output) with
    /// `workers` threads, handing each report with its index to
    /// `on_report` on the calling thread as it arrives; every target gets
    /// exactly one report, however the run ends: its outcome, `not
    /// attempted` when a signal came before it was started, or, when a
    /// second signal ended the wait, `unknown` if it was under way.
    pub fn delete_all(
        self: &Arc<Self>,
        targets: Vec<(usize, Target)>,
        workers: usize,
        mut on_report: impl FnMut(usize, Report),
    ) {
        let targets = Arc::new(targets);
        // Keys are handed out in order: positions below `next` were taken.
        let next = Arc::new(AtomicUsize::new(0));
        let (sender, receiver) = mpsc::channel();
        let threads: Vec<_> = (0..workers.clamp(1, targets.len().max(1)))
            .map(|_| {
                let (deleter, targets) = (Arc::clone(self), Arc::clone(&targets));
                let (next, sender) = (Arc::clone(&next), sender.clone());
                thread::spawn(move || deleter.work(&targets, &next, &sender))
            })
            .collect();
        // Output stays on the caller's thread, so the streams it was given
        // need not be shared with the workers.
        drop(sender);
        let mut reported = vec![false; targets.len()];
        let ended = loop {
            let got = if self.abandoning() {
                // What already came is known: it is printed as it is.
                match receiver.try_recv() {
                    Ok(got) => got,
                    Err(_) => break Ended::Abandoned,
                }
            } else {
                match receiver.recv_timeout(POLL) {
                    Ok(got) => got,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => break Ended::Finished,
                }
            };
            let (position, report) = got;
            reported[position] = true;
            on_report(targets[position].0, report);
        };
        if ended == Ended::Finished {
            // Every worker is done; one that panicked passes it on here,
            // before its key could be printed as not attempted.
            for worker in threads {
                worker
                    .join()
                    .unwrap_or_else(|panicked| panic::resume_unwind(panicked));
            }
        }
        // Keys left without a report: in a finished batch, keys no worker
        // took once a signal came. In an abandoned one also keys taken and
        // not answered yet; `next` is read after the second signal was
        // seen, so a key taken after this read was taken after that signal
        // too, and its worker, which looks once more after taking it, does
        // not start it.
        let taken = next.load(SeqCst);
        for (position, (index, target)) in targets.iter().enumerate() {
            if reported[position] {
                continue;
            }
            let report = if position < taken {
                Report::unknown(&target.given, self.signal_name(), "deleted")
                    .with_fields(target.fields(false))
            } else {
                self.not_attempted(target)
            };
            on_report(*index, report);
        }
    }

    /// A worker: takes the next key and deletes it, until none is left or
    /// a signal came.
    fn work(
        &self,
        targets: &[(usize, Target)],
        next: &AtomicUsize,
        sender: &Sender<(usize, Report)>,
    ) {
        while !self.stopping() {
            let position = next.fetch_add(1, SeqCst);
            let Some((_, target)) = targets.get(position) else {
                return;
            };
            // Looked at again once the key is taken: a signal that came in
            // between still starts nothing.
            let report = if self.stopping() {
                self.not_attempted(target)
            } else {
                self.delete_one(target)
            };
            if sender.send((position, report)).is_err() {
                return;
            }
        }
    }

    /// Deletes one key and, with `verify`, reads it back unless Atlas
    /// already said it is gone.
    fn delete_one(&self, target: &Target) -> Report {
        let item = target.given.as_str();
        let deleted = self.in_rounds(true, || {
            self.client
                .delete_org_api_key(&self.org, &target.id, &self.options)
        });
        let report = match deleted {
            Ok((deleted, earlier)) => {
                let attempts = earlier + deleted.attempts;
                if deleted.already_gone {
                    // Atlas just said what --verify would read back.
                    Report::already_gone(
                        item,
                        deleted.status,
                        attempts,
                        deleted.earlier_attempt_may_have_succeeded,
                    )
                } else if self.verify {
                    self.verify_gone(target, Report::deleted(item, deleted.status, attempts))
                } else {
                    Report::deleted(item, deleted.status, attempts)
                }
            }
            Err(Failure::Stopped(reason)) => Report::skipped(item, &reason),
            Err(Failure::Interrupted) => return self.not_attempted(target),
            Err(Failure::Cut(error, attempts)) => Report::failed(item, &error, attempts, MISSING)
                .with_message(format!(
                    "{error}; not tried again, since the run was interrupted by {}",
                    self.signal_name()
                )),
            Err(Failure::Failed(error, attempts)) => {
                if stops_the_run(&error) {
                    let _ = self.stop.set(format!(
                        "not attempted, since deleting {item} failed: {}",
                        error.kind().description()
                    ));
                }
                Report::failed(item, &error, attempts, MISSING)
            }
        };
        report.with_fields(target.fields(false))
    }

    /// Reads `target` back after the delete that `deleted` reports: gone
    /// leaves that report as it is, still there is a failure of its own
    /// kind. The delete's status and attempts stay on the report, except
    /// when the read back fails, whose error then is the report's.
    fn verify_gone(&self, target: &Target, deleted: Report) -> Report {
        let item = target.given.as_str();
        match self
            .client
            .get_org_api_key(&self.org, &target.id, &self.options.call)
        {
            Err(error) if error.is_atlas_error(API_KEY_NOT_FOUND) => deleted,
            // The credentials went with their key: only a key that is gone
            // is refused so.
            Err(error) if target.own && error.kind() == ErrorKind::Unauthorized => deleted,
            Ok(_) => Report {
                outcome: Outcome::Failed,
                category: Some(Category::StillExists),
                message: Some(
                    "the delete was answered with success, but the key still exists when \
                     read back"
                        .to_owned(),
                ),
                ..deleted
            },
            // Atlas answered the delete; the signal only stopped the check.
            Err(error) if error.kind() == ErrorKind::Cancelled => deleted.with_message(format!(
                "not verified: the run was interrupted by {} before the key was read back",
                self.signal_name()
            )),
            Err(error) => Report::failed(item, &error, error.attempts(), MISSING).with_message(
                format!("deleted, but reading the key back to verify it is gone failed: {error}"),
            ),
        }
    }

    /// Makes `call`, going back for another try (after everyone's pause)
    /// while it ends rate limited; when `stoppable`, not at all once a
    /// failure stopped the run; never once a signal came. A success comes
    /// with the requests of the rate-limited rounds before it.
    fn in_rounds<T>(
        &self,
        stoppable: bool,
        mut call: impl FnMut() -> Result<T, Error>,
    ) -> Result<(T, u32), Failure> {
        let mut attempts = 0;
        let mut round = 0;
        // The rate-limited answer of the round before, if any.
        let mut limited = None;
        loop {
            self.gate.wait(|| self.stopping());
            if round > 0 {
                self.progress.set_message("");
            }
            if let Some(reason) = self.stop.get().filter(|_| stoppable) {
                return Err(Failure::Stopped(reason.clone()));
            }
            if self.stopping() {
                return Err(match limited {
                    Some(error) => Failure::Cut(error, attempts),
                    None => Failure::Interrupted,
                });
            }
            let error = match call() {
                Ok(value) => return Ok((value, attempts)),
                Err(error) => error,
            };
            attempts += error.attempts();
            if error.kind() == ErrorKind::Cancelled && self.stopping() {
                // A wait ended by the signal: before anything was sent,
                // the key was not attempted; after a failure, that failure
                // was not tried again.
                return Err(match (attempts, limited) {
                    (0, _) => Failure::Interrupted,
                    (_, Some(limited)) if error.attempts() == 0 => Failure::Cut(limited, attempts),
                    _ => Failure::Cut(error, attempts),
                });
            }
            if error.kind() == ErrorKind::RateLimited && round < MAX_RATE_LIMITED_ROUNDS {
                let pause = rate::pause(error.api().and_then(|a| a.retry_after), round);
                self.gate.pause_for(pause);
                self.progress.set_message(format!(
                    "rate limited: every worker pauses {:.1} s",
                    pause.as_secs_f64()
                ));
                round += 1;
                limited = Some(error);
                continue;
            }
            return Err(Failure::Failed(error, attempts));
        }
    }
}

/// Failures that would repeat for every other key of the run: refused
/// credentials, a forbidden organization, an unknown or malformed
/// organization (Atlas saying something other than the key is missing),
/// or a 404 that is not Atlas' word at all (a wrong base URL, a proxy).
/// Going on would only send the same doomed request again, and repeated
/// 401s can get a caller's address blocked.
fn stops_the_run(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Unauthorized | ErrorKind::Forbidden => true,
        ErrorKind::NotFound => !error.is_atlas_error(API_KEY_NOT_FOUND),
        ErrorKind::HttpError => error.api().is_some_and(|api| api.status == 404),
        ErrorKind::InvalidArgument => {
            matches!(error, Error::InvalidArgument { name: "org_id", .. })
        }
        _ => false,
    }
}
