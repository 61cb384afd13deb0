//! The workers of `org-api-keys delete`: one client, one rate gate, and a
//! stop switch for failures that would repeat for every key.

use crate::exit::{Category, Missing};
use crate::rate::{self, RateGate, MAX_RATE_LIMITED_ROUNDS};
use crate::report::Report;
use crate::resolve::Target;
use atlas_admin::{ApiKey, Client, DeleteOptions, Error, ErrorKind, API_KEY_NOT_FOUND};
use indicatif::ProgressBar;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, OnceLock};

/// Only Atlas saying the key itself is missing makes a key "not found";
/// an unknown organization means the command is wrong.
pub const MISSING: Missing = Missing::Only(API_KEY_NOT_FOUND);

/// Why a call of the run ended without its result.
#[derive(Debug)]
enum Failure {
    /// It failed with this error, after this many requests in all.
    Failed(Error, u32),
    /// It was not made: an earlier failure stops the run, for this reason.
    Stopped(String),
}

/// What every worker shares.
pub struct Deleter<'a> {
    /// The one client: its pooled connections and Digest state serve all.
    pub client: &'a Client,
    /// The organization the keys belong to.
    pub org: &'a str,
    /// `pretty`, `envelope` and `missing_ok`, as given.
    pub options: DeleteOptions,
    /// Read each key back after its delete and expect it gone.
    pub verify: bool,
    /// Where a shared pause is announced (a hidden bar announces nothing).
    pub progress: &'a ProgressBar,
    gate: RateGate,
    /// Why the keys not yet started are skipped, once that is known.
    stop: OnceLock<String>,
}

impl<'a> Deleter<'a> {
    /// A deleter of `org`'s keys through `client`.
    pub fn new(
        client: &'a Client,
        org: &'a str,
        options: DeleteOptions,
        verify: bool,
        progress: &'a ProgressBar,
    ) -> Self {
        Deleter {
            client,
            org,
            options,
            verify,
            progress,
            gate: RateGate::new(),
            stop: OnceLock::new(),
        }
    }

    /// The organization's keys that are `public_keys` or `ids`: one
    /// listing, read until all are found or the pages end, started again
    /// after a rate-limited round. Its error comes with the requests made.
    pub fn list(
        &self,
        public_keys: &HashSet<String>,
        ids: &HashSet<String>,
    ) -> Result<Vec<ApiKey>, (Error, u32)> {
        let listed = self.in_rounds(false, || {
            let mut found = Vec::new();
            let (mut public_keys_left, mut ids_left) = (public_keys.len(), ids.len());
            for key in self
                .client
                .list_org_api_keys(self.org, &self.options.call)?
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
        listed.map_err(|failure| match failure {
            Failure::Failed(error, attempts) => (error, attempts),
            Failure::Stopped(_) => unreachable!("a call that cannot be stopped was stopped"),
        })
    }

    /// Deletes `targets` (each with its index in the output) with
    /// `workers` threads, handing each report with its index to
    /// `on_report` on the calling thread as it arrives.
    pub fn delete_all(
        &self,
        targets: &[(usize, &Target)],
        workers: usize,
        mut on_report: impl FnMut(usize, Report),
    ) {
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..workers.clamp(1, targets.len().max(1)) {
                let sender = sender.clone();
                let next = &next;
                scope.spawn(move || {
                    while let Some((index, target)) =
                        targets.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        if sender.send((*index, self.delete_one(target))).is_err() {
                            break;
                        }
                    }
                });
            }
            // Output stays on the caller's thread, so the streams it was
            // given need not be shared with the workers.
            drop(sender);
            for (index, report) in receiver {
                on_report(index, report);
            }
        });
    }

    /// Deletes one key and, with `verify`, reads it back.
    fn delete_one(&self, target: &Target) -> Report {
        let item = target.given.as_str();
        let deleted = self.in_rounds(true, || {
            self.client
                .delete_org_api_key(self.org, &target.id, &self.options)
        });
        let report = match deleted {
            Ok(()) if self.verify => self.verify_gone(target),
            Ok(()) => Report::done(item),
            Err(Failure::Stopped(reason)) => Report::skipped(item, &reason),
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

    /// Reads `target` back after its delete: gone is done, still there is
    /// a failure of its own kind.
    fn verify_gone(&self, target: &Target) -> Report {
        let item = target.given.as_str();
        match self
            .client
            .get_org_api_key(self.org, &target.id, &self.options.call)
        {
            Err(error) if error.is_atlas_error(API_KEY_NOT_FOUND) => Report::done(item),
            // The credentials went with their key: only a key that is gone
            // is refused so.
            Err(error) if target.own && error.kind() == ErrorKind::Unauthorized => {
                Report::done(item)
            }
            Ok(_) => Report::refused(
                item,
                Category::StillExists,
                "the delete was answered with success, but the key still exists when read back"
                    .to_owned(),
            ),
            Err(error) => Report::failed(item, &error, error.attempts(), MISSING).with_message(
                format!("deleted, but reading the key back to verify it is gone failed: {error}"),
            ),
        }
    }

    /// Makes `call`, going back for another try (after everyone's pause)
    /// while it ends rate limited; when `stoppable`, not at all once the
    /// run is stopped.
    fn in_rounds<T>(
        &self,
        stoppable: bool,
        mut call: impl FnMut() -> Result<T, Error>,
    ) -> Result<T, Failure> {
        let mut attempts = 0;
        let mut round = 0;
        loop {
            self.gate.wait();
            if round > 0 {
                self.progress.set_message("");
            }
            if let Some(reason) = self.stop.get().filter(|_| stoppable) {
                return Err(Failure::Stopped(reason.clone()));
            }
            let error = match call() {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            attempts += error.attempts();
            if error.kind() == ErrorKind::RateLimited && round < MAX_RATE_LIMITED_ROUNDS {
                let pause = rate::pause(error.api().and_then(|a| a.retry_after), round);
                self.gate.pause_for(pause);
                self.progress.set_message(format!(
                    "rate limited: every worker pauses {:.1} s",
                    pause.as_secs_f64()
                ));
                round += 1;
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
