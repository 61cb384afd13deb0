//! `api METHOD PATH`: any endpoint through the core's generic call, its
//! answer printed as JSON.

use crate::args::ApiArgs;
use crate::exit::{Exit, Missing};
use crate::output::{Layout, Printer, Shape};
use crate::report::Report;
use crate::{client, fail, Console};
use atlas_admin::CallOptions;
use indicatif::ProgressBar;
use std::io::Write;

/// One call: its body in text, one object with `request` and `body` in
/// JSON.
const SHAPE: Shape = Shape {
    item: "request",
    items: "requests",
    done: "ok",
    payload: Some("body"),
    layout: Layout::Single,
};

/// Runs `api` with the run's `call` options. The body is indented when
/// `--pretty` was given or standard output is a terminal.
pub fn run(args: &ApiArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    // Read before credentials are loaded: a body that is not JSON is
    // refused with nothing else tried.
    let body = match args.data.as_ref().map(|data| data.read(&mut console.stdin)) {
        None => None,
        Some(Ok(body)) => Some(body),
        Some(Err(message)) => return fail(console, &message),
    };
    client::with(&args.connection, 1, console, |client, console| {
        let indent = call.pretty || console.stdout_is_terminal;
        let options = match &args.api_version {
            Some(date) => call.api_version(date),
            None => call,
        };
        let query: Vec<(&str, &str)> = args
            .query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let item = format!("{} {}", args.method, args.path);
        let report = match client.call(args.method, &args.path, &query, body.as_ref(), &options) {
            Ok(response) => Report {
                http_status: Some(response.status),
                payload: response.body,
                ..Report::done(&item)
            },
            Err(error) => Report::failed(&item, &error, error.attempts(), Missing::Any),
        };
        let progress = ProgressBar::hidden();
        let streams: (&mut dyn Write, &mut dyn Write) = (&mut console.stdout, &mut console.stderr);
        let mut printer = Printer::new(args.output, SHAPE, indent, streams, &progress);
        printer.add(0, report);
        printer.finish().0
    })
}
