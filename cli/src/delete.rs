//! `org-api-keys delete`: keys given by ID or public key, resolved with
//! one listing, the caller's own key guarded, then deleted by workers (or,
//! with `--dry-run`, only shown).

use crate::args::DeleteArgs;
use crate::deleter::{Deleter, Listing, MISSING};
use crate::exit::Exit;
use crate::interrupt::Interrupts;
use crate::output::{Layout, Printer, Shape};
use crate::report::{Outcome, Report};
use crate::resolve::{self, Step, Target};
use crate::{client, fail, keys, progress, Console};
use atlas_admin::{is_public_key, CallOptions, Client, DeleteOptions, Error, API_KEY_NOT_FOUND};
use indicatif::ProgressBar;
use serde_json::json;
use std::io::Write;
use std::sync::Arc;

/// A line per key: `deleted KEY`, `not found KEY (CODE)`...
const SHAPE: Shape = Shape {
    item: "key",
    items: "keys",
    done: "deleted",
    payload: None,
    layout: Layout::Lines,
};

/// `--dry-run`: `would delete KEY (public key ..., description ...)`.
const DRY_RUN: Shape = Shape {
    done: "would_delete",
    ..SHAPE
};

/// Runs `org-api-keys delete` with the run's `call` options.
pub fn run(args: &DeleteArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let given = match keys::collect(&args.keys, args.from_file.as_deref(), &mut console.stdin) {
        Ok(keys) => keys,
        Err(message) => return fail(console, &message),
    };
    let workers = usize::from(args.concurrency).min(given.len()).max(1);
    client::with(&args.connection, workers, console, |client, console| {
        let options = DeleteOptions::from(call).missing_ok(args.missing_ok);
        delete(args, &given, workers, Arc::clone(client), options, console)
    })
}

/// Deletes (or, with `--dry-run`, shows) the keys `given`, with `workers`
/// threads sharing `client`.
fn delete(
    args: &DeleteArgs,
    given: &[String],
    workers: usize,
    client: Arc<Client>,
    options: DeleteOptions,
    console: &mut Console<'_>,
) -> Exit {
    // Signed in with a service account, there is no key of the caller's.
    let caller = client.public_key().map(str::to_owned);
    let progress = if args.dry_run {
        ProgressBar::hidden()
    } else {
        progress::bar(given.len(), console.stderr_is_terminal)
    };
    // SIGINT and SIGTERM are the run's own until it returns, so that it
    // can account for every key; not for a dry run, which changes nothing
    // and may as well stop at once.
    let interrupts = (!args.dry_run).then(Interrupts::catch);
    let deleter = Arc::new(Deleter::new(
        client,
        args.org.clone(),
        options,
        args.verify,
        progress.clone(),
        interrupts.as_ref().map(Interrupts::watch),
    ));
    let shape = if args.dry_run { DRY_RUN } else { SHAPE };
    let streams: (&mut dyn Write, &mut dyn Write) = (&mut console.stdout, &mut console.stderr);
    let mut printer =
        Printer::new(args.output, shape, false, streams, &progress).with_text_summary();
    let caller = caller.as_deref();

    let listed = if args.dry_run || caller.is_some() || given.iter().any(|k| is_public_key(k)) {
        let (public_keys, ids) = resolve::wanted(given, caller);
        match deleter.list(public_keys, ids) {
            Listing::Found(listed) => Some(listed),
            Listing::Failed(error, attempts) => {
                let reports = listing_failed(given, &args.org, &error, attempts);
                for (index, report) in reports.into_iter().enumerate() {
                    printer.add(index, report);
                }
                return finish(printer, &deleter, &progress);
            }
            Listing::Interrupted => {
                // Nothing was deleted: every key is as it was.
                for (index, key) in given.iter().enumerate() {
                    let report = Report::not_attempted(key, deleter.signal_name())
                        .with_fields(resolve::given_fields(key));
                    printer.add(index, report);
                }
                return finish(printer, &deleter, &progress);
            }
        }
    } else {
        None
    };
    let steps = resolve::plan(
        given,
        listed.as_deref(),
        &args.org,
        caller,
        args.allow_self,
        args.missing_ok,
    );
    progress.set_length(u64::try_from(steps.len()).unwrap_or(u64::MAX));
    let (mut others, mut own) = (Vec::new(), Vec::new());
    for (index, step) in steps.into_iter().enumerate() {
        match step {
            // A dry run says of every key it would send nothing for, with
            // --missing-ok, what it says of a key found by ID and already
            // gone: `would delete`, counted as done (exit 0).
            Step::Report(report) if args.dry_run && report.outcome == Outcome::AlreadyGone => {
                printer.add(index, Report::done(&report.item).with_fields(report.fields));
            }
            Step::Report(report) => printer.add(index, report),
            Step::Delete(target) if args.dry_run => {
                printer.add(index, would_delete(&deleter, &target));
            }
            Step::Delete(target) if target.own => own.push((index, target)),
            Step::Delete(target) => others.push((index, target)),
        }
    }
    deleter.delete_all(others, workers, |index, report| printer.add(index, report));
    // The caller's own key (with --allow-self) goes last: once it is gone,
    // the command can no longer sign in. After a signal it is not started.
    deleter.delete_all(own, 1, |index, report| printer.add(index, report));
    finish(printer, &deleter, &progress)
}

/// Ends the run's output: the summary, and the exit code, that of the
/// signal that stopped the run if one did.
fn finish(mut printer: Printer<'_>, deleter: &Deleter, progress: &ProgressBar) -> Exit {
    progress.finish_and_clear();
    if let Some(signal) = deleter.signal() {
        printer.interrupted_by(signal);
    }
    printer.finish().0
}

/// The reports of a run whose listing failed with `error` after
/// `attempts` requests: the failure on the first key, the others skipped.
/// Nothing is deleted without it, since only the listing tells which key
/// is the caller's own.
fn listing_failed(given: &[String], org: &str, error: &Error, attempts: u32) -> Vec<Report> {
    let reason = format!(
        "not attempted, since listing the organization's keys failed: {}",
        error.kind().description()
    );
    let message =
        format!("listing organization {org}'s keys failed, so no key was deleted: {error}");
    given
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let report = if index == 0 {
                Report::failed(key, error, attempts, MISSING).with_message(message.clone())
            } else {
                Report::skipped(key, &reason)
            };
            // Every key's line names both forms, `null` where unknown.
            report.with_fields(resolve::given_fields(key))
        })
        .collect()
}

/// `--dry-run`'s report for `target`: what the listing said about it, or,
/// for an ID the listing did not hold, what reading it says (the core
/// refuses a malformed ID without sending it).
fn would_delete(deleter: &Deleter, target: &Target) -> Report {
    let item = target.given.as_str();
    if target.public_key.is_some() {
        return Report::done(item).with_fields(target.fields(true));
    }
    let (client, call) = (&deleter.client, &deleter.options.call);
    match client.get_org_api_key(&deleter.org, &target.id, call) {
        Ok(key) => Report::done(item).with_fields(vec![
            ("id", json!(key.id)),
            ("public_key", json!(key.public_key)),
            ("description", json!(key.description)),
        ]),
        Err(error) if deleter.options.missing_ok && error.is_atlas_error(API_KEY_NOT_FOUND) => {
            Report::done(item).with_fields(target.fields(true))
        }
        Err(error) => {
            Report::failed(item, &error, error.attempts(), MISSING).with_fields(target.fields(true))
        }
    }
}
