//! `org-api-keys delete`: workers sharing one client, one rate gate, and
//! a stop switch for failures that would repeat for every key.

use crate::args::DeleteArgs;
use crate::exit::{Exit, Missing};
use crate::output::{Layout, Printer, Shape};
use crate::rate::{self, RateGate, MAX_RATE_LIMITED_ROUNDS};
use crate::report::Report;
use crate::{client, fail, keys, progress, Console};
use atlas_admin::{CallOptions, Client, DeleteOptions, Error, ErrorKind, API_KEY_NOT_FOUND};
use indicatif::ProgressBar;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, OnceLock};

/// A line per key: `deleted KEY`, `not found KEY (CODE)`...
const SHAPE: Shape = Shape {
    item: "key",
    items: "keys",
    done: "deleted",
    payload: None,
    layout: Layout::Lines,
};

/// Only Atlas saying the key itself is missing makes a key "not found";
/// an unknown organization means the command is wrong.
const MISSING: Missing = Missing::Only(API_KEY_NOT_FOUND);

/// Runs `org-api-keys delete` with the run's `call` options.
pub fn run(args: &DeleteArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let keys = match keys::collect(&args.keys, args.from_file.as_deref(), &mut console.stdin) {
        Ok(keys) => keys,
        Err(message) => return fail(console, &message),
    };
    let workers = usize::from(args.concurrency).min(keys.len()).max(1);
    let client = match client::build(&args.connection, workers) {
        Ok(client) => client,
        Err(message) => return fail(console, &message),
    };
    let options = DeleteOptions::from(call).missing_ok(args.missing_ok);
    let progress = progress::bar(keys.len(), console.stderr_is_terminal);
    let deleter = Deleter::new(&client, &args.org, options, &progress);
    let streams: (&mut dyn Write, &mut dyn Write) = (&mut console.stdout, &mut console.stderr);
    let mut printer = Printer::new(args.output, SHAPE, false, streams, &progress);
    deleter.delete_all(&keys, workers, |index, report| printer.add(index, report));
    progress.finish_and_clear();
    printer.finish().0
}

/// What every worker shares.
pub struct Deleter<'a> {
    /// The one client: its pooled connections and Digest state serve all.
    pub client: &'a Client,
    /// The organization the keys belong to.
    pub org: &'a str,
    /// `pretty`, `envelope` and `missing_ok`, as given.
    pub options: DeleteOptions,
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
        progress: &'a ProgressBar,
    ) -> Self {
        Deleter {
            client,
            org,
            options,
            progress,
            gate: RateGate::new(),
            stop: OnceLock::new(),
        }
    }

    /// Deletes `keys` with `workers` threads, handing each report with the
    /// key's index to `on_report` on the calling thread as it arrives.
    pub fn delete_all(
        &self,
        keys: &[String],
        workers: usize,
        mut on_report: impl FnMut(usize, Report),
    ) {
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..workers.clamp(1, keys.len().max(1)) {
                let sender = sender.clone();
                let next = &next;
                scope.spawn(move || loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(key) = keys.get(index) else { break };
                    if sender.send((index, self.delete_one(key))).is_err() {
                        break;
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

    /// Deletes one key, going back for another try (after everyone's
    /// pause) while its calls end rate limited.
    fn delete_one(&self, key: &str) -> Report {
        let mut attempts = 0;
        let mut round = 0;
        loop {
            self.gate.wait();
            if round > 0 {
                self.progress.set_message("");
            }
            if let Some(reason) = self.stop.get() {
                return Report::skipped(key, reason);
            }
            let error = match self.client.delete_org_api_key(self.org, key, &self.options) {
                Ok(()) => return Report::done(key),
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
            if stops_the_run(&error) {
                let _ = self.stop.set(format!(
                    "not attempted, since deleting {key} failed: {}",
                    error.kind().description()
                ));
            }
            return Report::failed(key, &error, attempts, MISSING);
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
