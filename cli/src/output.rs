//! Printing results of any command: reports in input order, as text or
//! JSON lines, shaped by the command's [`Shape`]; the exit code follows
//! from what was printed.

use crate::args::Output;
use crate::exit::{Category, Exit};
use crate::interrupt::Signal;
use crate::report::{Outcome, Report, LOST_ANSWER};
use crate::{text, Console};
use indicatif::ProgressBar;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::time::{Duration, Instant};

/// How a command's results read: its words, and where each part goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The JSON field that names the item, e.g. `key`.
    pub item: &'static str,
    /// What the JSON summary counts, e.g. `keys`.
    pub items: &'static str,
    /// The word for [`Outcome::Done`] in JSON, e.g. `deleted`; text reads
    /// it with spaces for underscores (`would_delete`, `would delete`).
    pub done: &'static str,
    /// The JSON field holding a successful call's payload, e.g. `body`;
    /// `None` for commands whose calls answer nothing worth printing.
    pub payload: Option<&'static str>,
    /// Many items or one call.
    pub layout: Layout,
}

/// Where results go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Many items: a text line for each on standard output, failures
    /// included, its [`Report::fields`] in parentheses; in JSON an object
    /// for each, then a summary.
    Lines,
    /// One call: in text its payload as JSON on standard output (nothing
    /// without one) and its failure on standard error; in JSON one object
    /// on standard output.
    Single,
    /// Many records (keys of a listing): in text a table of these columns
    /// of the done items' fields, failures on standard error; in JSON the
    /// fields of each done item as one object, a failure as the object
    /// [`Layout::Lines`] prints, then a summary.
    Table(&'static [Column]),
    /// One record: as [`Layout::Table`], without the JSON summary.
    Record(&'static [Column]),
}

impl Layout {
    /// The columns of a layout of records.
    fn columns(self) -> Option<&'static [Column]> {
        match self {
            Layout::Table(columns) | Layout::Record(columns) => Some(columns),
            Layout::Lines | Layout::Single => None,
        }
    }

    /// Whether JSON output ends with a summary line.
    fn summarized(self) -> bool {
        matches!(self, Layout::Lines | Layout::Table(_))
    }
}

/// A column of a table: the field it shows and its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The name of the [`Report::fields`] entry shown.
    pub field: &'static str,
    /// The heading over it, e.g. `PUBLIC KEY`.
    pub heading: &'static str,
}

/// How many items ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Done.
    pub done: usize,
    /// Already gone (`delete --missing-ok`).
    pub already_gone: usize,
    /// Not found.
    pub not_found: usize,
    /// Failed.
    pub failed: usize,
    /// Skipped after a failure that would have repeated.
    pub skipped: usize,
    /// Not attempted: a signal stopped the run first.
    pub not_attempted: usize,
    /// Under way when a second signal ended the run.
    pub unknown: usize,
}

impl Counts {
    /// Every item counted.
    pub fn total(&self) -> usize {
        self.done
            + self.already_gone
            + self.not_found
            + self.failed
            + self.skipped
            + self.not_attempted
            + self.unknown
    }
}

/// Prints reports as they arrive, holding back those that overtook an
/// earlier item so results come out in input order.
pub struct Printer<'a> {
    format: Output,
    shape: Shape,
    indent: bool,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    progress: &'a ProgressBar,
    waiting: BTreeMap<usize, Report>,
    next: usize,
    counts: Counts,
    categories: BTreeSet<Category>,
    /// The cells of the records printed as a table at the end.
    rows: Vec<Vec<String>>,
    write_error: Option<io::Error>,
    /// When the run began, for the summary's elapsed time.
    started: Instant,
    /// The signal that stopped the run, which decides the exit code.
    interrupted: Option<Signal>,
    /// Also end text output with a summary line on standard error.
    text_summary: bool,
}

impl<'a> Printer<'a> {
    /// A printer of `shape`d results in `format` to `out` (and, for a
    /// single call's failure in text, `err`), around `progress`. `indent`
    /// pretty-prints payloads in text.
    pub fn new(
        format: Output,
        shape: Shape,
        indent: bool,
        (out, err): (&'a mut dyn Write, &'a mut dyn Write),
        progress: &'a ProgressBar,
    ) -> Self {
        Printer {
            format,
            shape,
            indent,
            out,
            err,
            progress,
            waiting: BTreeMap::new(),
            next: 0,
            counts: Counts::default(),
            categories: BTreeSet::new(),
            rows: Vec::new(),
            write_error: None,
            started: Instant::now(),
            interrupted: None,
            text_summary: false,
        }
    }

    /// This printer, ending text output with a one-line summary on
    /// standard error (counts and elapsed time) as JSON output ends with
    /// one on standard output; standard output keeps a line per item.
    pub fn with_text_summary(mut self) -> Self {
        self.text_summary = true;
        self
    }

    /// Records that `signal` stopped the run: the exit code is its own.
    pub fn interrupted_by(&mut self, signal: Signal) {
        self.interrupted = Some(signal);
    }

    /// Takes the report of item number `index` and prints every report
    /// now due.
    pub fn add(&mut self, index: usize, report: Report) {
        self.progress.inc(1);
        match report.outcome {
            Outcome::Done => self.counts.done += 1,
            Outcome::AlreadyGone => self.counts.already_gone += 1,
            Outcome::NotFound => self.counts.not_found += 1,
            Outcome::Failed => self.counts.failed += 1,
            Outcome::Skipped => self.counts.skipped += 1,
            Outcome::NotAttempted => self.counts.not_attempted += 1,
            Outcome::Unknown => self.counts.unknown += 1,
        }
        self.categories.extend(report.category);
        self.waiting.insert(index, report);
        while let Some(report) = self.waiting.remove(&self.next) {
            self.next += 1;
            self.print(&report);
        }
    }

    /// Prints the table (text of records) or the summary (JSON of many
    /// items, and text when asked) and returns the exit code.
    pub fn finish(mut self) -> (Exit, Counts) {
        let mut exit = match self.interrupted {
            Some(signal) => signal.exit(),
            None => Exit::for_failures(&self.categories),
        };
        let elapsed = self.started.elapsed();
        if let Some(columns) = self.shape.layout.columns() {
            if !self.rows.is_empty() {
                let headings: Vec<&str> = columns.iter().map(|c| c.heading).collect();
                for line in text::table(&headings, &std::mem::take(&mut self.rows)) {
                    self.write_out(&line);
                }
            }
        }
        if self.format == Output::Json && self.shape.layout.summarized() {
            let c = self.counts;
            let counts = object(&[
                (self.shape.items, json!(c.total())),
                (self.shape.done, json!(c.done)),
                ("already_gone", json!(c.already_gone)),
                ("not_found", json!(c.not_found)),
                ("failed", json!(c.failed)),
                ("skipped", json!(c.skipped)),
                ("not_attempted", json!(c.not_attempted)),
                ("unknown", json!(c.unknown)),
            ]);
            let summary = format!(
                r#"{{"summary":{counts},"elapsed_seconds":{},"interrupted_by":{},"exit_code":{}}}"#,
                json!(seconds(elapsed)),
                json!(self.interrupted.map(Signal::name)),
                exit.code()
            );
            self.write_out(&summary);
        }
        if let Err(e) = self.out.flush() {
            self.write_error.get_or_insert(e);
        }
        // The work was done, but a script reading the results lost some.
        if self.write_error.is_some() && exit == Exit::Success {
            exit = Exit::Setup;
        }
        if self.format == Output::Text && self.text_summary {
            let line = text_summary(&self.shape, &self.counts, elapsed, self.interrupted, exit);
            let err = &mut self.err;
            // Standard error failing leaves nowhere to say so.
            let _ = self
                .progress
                .suspend(|| writeln!(err, "{line}").and_then(|()| err.flush()));
        }
        (exit, self.counts)
    }

    fn print(&mut self, report: &Report) {
        let done = report.outcome == Outcome::Done;
        match (self.format, self.shape.layout) {
            (Output::Json, Layout::Table(_) | Layout::Record(_)) if done => {
                let line = object(&report.fields);
                self.write_out(&line);
            }
            (Output::Text, Layout::Table(columns) | Layout::Record(columns)) if done => {
                let cells = columns
                    .iter()
                    .map(|column| text::cell(field(report, column.field)))
                    .collect();
                self.rows.push(cells);
            }
            (Output::Json, _) => {
                let line = json_line(&self.shape, report);
                self.write_out(&line);
            }
            (Output::Text, Layout::Lines) => {
                let line = text_line(&self.shape, report);
                self.write_out(&line);
            }
            (Output::Text, Layout::Single) if done => {
                if let Some(payload) = &report.payload {
                    let text = if self.indent {
                        serde_json::to_string_pretty(payload)
                    } else {
                        serde_json::to_string(payload)
                    };
                    // A Value always serializes.
                    self.write_out(&text.unwrap_or_default());
                }
            }
            (Output::Text, Layout::Single | Layout::Table(_) | Layout::Record(_)) => {
                let message = report.message.as_deref().unwrap_or_default();
                let err = &mut self.err;
                // Standard error failing leaves nowhere to say so.
                let _ = self
                    .progress
                    .suspend(|| writeln!(err, "{}", error_line(message)));
            }
        }
    }

    fn write_out(&mut self, line: &str) {
        if self.write_error.is_some() {
            return;
        }
        let out = &mut self.out;
        if let Err(e) = self.progress.suspend(|| writeln!(out, "{line}")) {
            // The work goes on (it was asked for); the results are lost.
            self.write_error = Some(e);
        }
    }
}

/// Prints `reports`, in order, shaped `shape` in `format` on the
/// console's standard output (failures of one call or of records on its
/// standard error); returns the exit code.
pub fn print(
    console: &mut Console<'_>,
    format: Output,
    shape: Shape,
    reports: impl IntoIterator<Item = Report>,
) -> Exit {
    print_on(
        &mut console.stdout,
        &mut console.stderr,
        format,
        shape,
        reports,
    )
}

/// As [`print`], on standard error: for a run whose standard output holds
/// a private key alone. Only for [`Layout::Lines`], which prints failures
/// as lines too.
pub fn print_on_stderr(
    console: &mut Console<'_>,
    format: Output,
    shape: Shape,
    reports: impl IntoIterator<Item = Report>,
) -> Exit {
    debug_assert_eq!(shape.layout, Layout::Lines);
    print_on(&mut console.stderr, &mut io::sink(), format, shape, reports)
}

/// Prints `reports` to `out` and `err`.
fn print_on(
    out: &mut dyn Write,
    err: &mut dyn Write,
    format: Output,
    shape: Shape,
    reports: impl IntoIterator<Item = Report>,
) -> Exit {
    let progress = ProgressBar::hidden();
    let mut printer = Printer::new(format, shape, false, (out, err), &progress);
    for (index, report) in reports.into_iter().enumerate() {
        printer.add(index, report);
    }
    printer.finish().0
}

/// `atlas-admin: error: MESSAGE`, as every error on standard error reads.
pub fn error_line(message: &str) -> String {
    format!("atlas-admin: error: {message}")
}

/// The outcome's name in JSON.
fn outcome_name(shape: &Shape, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Done => shape.done,
        Outcome::AlreadyGone => "already_gone",
        Outcome::NotFound => "not_found",
        Outcome::Failed => "failed",
        Outcome::Skipped => "skipped",
        Outcome::NotAttempted => "not_attempted",
        Outcome::Unknown => "unknown",
    }
}

/// `elapsed` in seconds, to the millisecond.
fn seconds(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 1000.0).round() / 1000.0
}

/// `n` items, as a person would say it: "1 key", "2 keys", "1 entry".
fn counted(n: usize, items: &str) -> String {
    match (n, items.strip_suffix("ies"), items.strip_suffix('s')) {
        (1, Some(stem), _) => format!("1 {stem}y"),
        (1, None, Some(one)) => format!("1 {one}"),
        _ => format!("{n} {items}"),
    }
}

/// `atlas-admin: N ITEMS in S s: N DONE, N not found...`, the counts
/// that are not zero (the done count always), then why the run stopped and
/// its exit code when not 0.
fn text_summary(
    shape: &Shape,
    counts: &Counts,
    elapsed: Duration,
    interrupted: Option<Signal>,
    exit: Exit,
) -> String {
    let done = shape.done.replace('_', " ");
    let mut parts = vec![format!("{} {done}", counts.done)];
    for (count, name) in [
        (counts.already_gone, "already gone"),
        (counts.not_found, "not found"),
        (counts.failed, "failed"),
        (counts.skipped, "skipped"),
        (counts.not_attempted, "not attempted"),
        (counts.unknown, "unknown"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {name}"));
        }
    }
    let mut line = format!(
        "atlas-admin: {} in {:.1} s: {}",
        counted(counts.total(), shape.items),
        elapsed.as_secs_f64(),
        parts.join(", ")
    );
    match (interrupted, exit) {
        (Some(signal), _) => {
            line.push_str(&format!(
                "; interrupted by {}, exit {}",
                signal.name(),
                exit.code()
            ));
        }
        (None, Exit::Success) => {}
        (None, _) => line.push_str(&format!("; exit {}", exit.code())),
    }
    line
}

/// Field `name` of `report`, `null` when it has none.
fn field<'r>(report: &'r Report, name: &str) -> &'r Value {
    report
        .fields
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&Value::Null, |(_, value)| value)
}

/// `DONE ITEM (FIELDS)` (e.g. `deleted KEY (public key abcdefgh)`),
/// `already gone ITEM (CODE)`, `not found ITEM (CODE)`, `failed ITEM:
/// message`, `skipped ITEM: reason`, `not attempted ITEM: reason` or
/// `unknown ITEM: reason`.
pub fn text_line(shape: &Shape, report: &Report) -> String {
    // One line per item is the contract scripts rely on, whatever a server
    // put in its detail or a user in an argument: an item that is not one
    // plain word is quoted, its control characters escaped.
    let item = format!("{}{}", text::inline(&json!(report.item)), also(report));
    let message = report
        .message
        .as_deref()
        .unwrap_or_default()
        .replace(['\n', '\r'], " ");
    match report.outcome {
        Outcome::Done => format!(
            "{} {item}",
            outcome_name(shape, report.outcome).replace('_', " ")
        ),
        Outcome::AlreadyGone => {
            let code = report.error_code.clone().unwrap_or(message);
            let note = if report.earlier_attempt_may_have_succeeded {
                format!("; {LOST_ANSWER}")
            } else {
                String::new()
            };
            format!("already gone {item} ({code}{note})")
        }
        Outcome::NotFound => {
            let code = match (&report.error_code, &report.message) {
                (Some(code), _) => code.clone(),
                (None, Some(_)) => message,
                (None, None) => "not found".to_owned(),
            };
            let note = if report.earlier_attempt_may_have_succeeded {
                format!(
                    "; an earlier attempt lost its answer and may have {} it",
                    shape.done
                )
            } else {
                String::new()
            };
            format!("not found {item} ({code}{note})")
        }
        Outcome::Failed => format!("failed {item}: {message}"),
        Outcome::Skipped => format!("skipped {item}: {message}"),
        Outcome::NotAttempted => format!("not attempted {item}: {message}"),
        Outcome::Unknown => format!("unknown {item}: {message}"),
    }
}

/// The item's known fields, ` (name value, ...)`: those that are not
/// `null` and not the item's own name; nothing when none is left.
fn also(report: &Report) -> String {
    let shown: Vec<String> = report
        .fields
        .iter()
        .filter(|(_, value)| !value.is_null() && value.as_str() != Some(&report.item))
        .map(|(name, value)| format!("{} {}", name.replace('_', " "), text::inline(value)))
        .collect();
    if shown.is_empty() {
        String::new()
    } else {
        format!(" ({})", shown.join(", "))
    }
}

/// One JSON object: the item, `outcome`, `http_status`, `error_code`,
/// `detail`, `message`, `attempts`, `earlier_attempt_may_have_succeeded`,
/// the item's fields, and the payload when the shape has one.
pub fn json_line(shape: &Shape, report: &Report) -> String {
    let mut fields = vec![
        (shape.item, json!(report.item)),
        ("outcome", json!(outcome_name(shape, report.outcome))),
        ("http_status", json!(report.http_status)),
        ("error_code", json!(report.error_code)),
        ("detail", json!(report.detail)),
        ("message", json!(report.message)),
        ("attempts", json!(report.attempts)),
        (
            "earlier_attempt_may_have_succeeded",
            json!(report.earlier_attempt_may_have_succeeded),
        ),
    ];
    fields.extend(report.fields.iter().cloned());
    if let Some(name) = shape.payload {
        fields.push((name, report.payload.clone().unwrap_or(Value::Null)));
    }
    object(&fields)
}

/// A JSON object with its fields in this order (serde_json's own map sorts
/// them, which would put the item in the middle of every line).
fn object(fields: &[(&str, Value)]) -> String {
    let fields: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{}:{value}", Value::from(*name)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_spoken() {
        assert_eq!(counted(1, "keys"), "1 key");
        assert_eq!(counted(1, "entries"), "1 entry");
        assert_eq!(counted(1, "requests"), "1 request");
        assert_eq!(counted(0, "keys"), "0 keys");
        assert_eq!(counted(2, "entries"), "2 entries");
    }

    const KEYS: Shape = Shape {
        item: "key",
        items: "keys",
        done: "deleted",
        payload: None,
        layout: Layout::Lines,
    };

    const CALL: Shape = Shape {
        item: "request",
        items: "requests",
        done: "ok",
        payload: Some("body"),
        layout: Layout::Single,
    };

    fn not_found(key: &str) -> Report {
        Report {
            outcome: Outcome::NotFound,
            category: Some(Category::NotFound),
            http_status: Some(400),
            error_code: Some("API_KEY_NOT_FOUND".into()),
            attempts: Some(1),
            ..Report::done(key)
        }
    }

    /// Prints `reports` (index, report) shaped `shape` in `format`; returns
    /// the exit, the counts, stdout and stderr.
    fn print(
        format: Output,
        shape: Shape,
        indent: bool,
        reports: Vec<(usize, Report)>,
    ) -> (Exit, Counts, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let bar = ProgressBar::hidden();
        let mut printer = Printer::new(format, shape, indent, (&mut out, &mut err), &bar);
        for (index, report) in reports {
            printer.add(index, report);
        }
        let (exit, counts) = printer.finish();
        let text = |bytes| String::from_utf8(bytes).unwrap();
        (exit, counts, text(out), text(err))
    }

    #[test]
    fn lines_come_out_in_input_order() {
        let (exit, counts, out, err) = print(
            Output::Text,
            KEYS,
            false,
            vec![
                (2, Report::done("c")),
                (0, not_found("a")),
                (1, Report::skipped("b", "not attempted")),
            ],
        );
        assert_eq!(exit, Exit::NotFound);
        assert_eq!((counts.done, counts.not_found, counts.skipped), (1, 1, 1));
        assert_eq!(
            out,
            "not found a (API_KEY_NOT_FOUND)\nskipped b: not attempted\ndeleted c\n"
        );
        assert_eq!(err, "");
    }

    #[test]
    fn json_has_every_field_and_a_summary() {
        let (exit, _, out, _) = print(
            Output::Json,
            KEYS,
            false,
            vec![(0, not_found("a")), (1, Report::done("b"))],
        );
        assert_eq!(exit, Exit::NotFound);
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["outcome"], "not_found");
        assert_eq!(lines[0]["error_code"], "API_KEY_NOT_FOUND");
        assert_eq!(lines[0]["http_status"], 400);
        assert_eq!(lines[1]["outcome"], "deleted");
        assert!(lines[1]["attempts"].is_null());
        assert!(lines[1].get("body").is_none(), "{}", lines[1]);
        assert_eq!(lines[2]["summary"]["not_found"], 1);
        assert_eq!(lines[2]["summary"]["keys"], 2);
        assert_eq!(lines[2]["exit_code"], 3);
    }

    #[test]
    fn one_call_prints_its_payload_or_its_error() {
        let ok = Report {
            http_status: Some(200),
            payload: Some(json!({"results": [1], "totalCount": 1})),
            ..Report::done("GET /orgs")
        };
        let (exit, _, out, err) = print(Output::Text, CALL, false, vec![(0, ok.clone())]);
        assert_eq!(
            (exit, out.as_str(), err.as_str()),
            (Exit::Success, "{\"results\":[1],\"totalCount\":1}\n", "")
        );
        let (_, _, out, _) = print(Output::Text, CALL, true, vec![(0, ok.clone())]);
        assert_eq!(
            out,
            "{\n  \"results\": [\n    1\n  ],\n  \"totalCount\": 1\n}\n"
        );
        let (_, _, out, _) = print(Output::Json, CALL, true, vec![(0, ok)]);
        let line: Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(out.lines().count(), 1, "one line, no summary: {out}");
        assert_eq!(line["request"], "GET /orgs");
        assert_eq!(line["outcome"], "ok");
        assert_eq!(line["http_status"], 200);
        assert_eq!(line["body"]["totalCount"], 1);

        let empty = print(
            Output::Text,
            CALL,
            true,
            vec![(0, Report::done("DELETE /x"))],
        );
        assert_eq!((empty.2.as_str(), empty.3.as_str()), ("", ""));

        let failed = Report {
            outcome: Outcome::Failed,
            category: Some(Category::Forbidden),
            message: Some("HTTP 403 ...".into()),
            ..Report::done("GET /orgs")
        };
        let (exit, _, out, err) = print(Output::Text, CALL, false, vec![(0, failed.clone())]);
        assert_eq!(exit, Exit::Forbidden);
        assert_eq!(
            (out.as_str(), err.as_str()),
            ("", "atlas-admin: error: HTTP 403 ...\n")
        );
        let (_, _, out, err) = print(Output::Json, CALL, false, vec![(0, failed)]);
        assert_eq!(err, "");
        let line: Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(
            (line["outcome"].as_str(), line["body"].is_null()),
            (Some("failed"), true)
        );
    }

    const COLUMNS: &[Column] = &[
        Column {
            field: "id",
            heading: "ID",
        },
        Column {
            field: "description",
            heading: "DESCRIPTION",
        },
    ];

    fn row(id: &str, description: &str) -> Report {
        Report::done(id).with_fields(vec![("id", json!(id)), ("description", json!(description))])
    }

    #[test]
    fn records_make_a_table_in_text_and_objects_in_json() {
        let table = Shape {
            item: "org",
            items: "keys",
            done: "listed",
            payload: None,
            layout: Layout::Table(COLUMNS),
        };
        let reports = || vec![(1, row("b", "two\nlines")), (0, row("aaaa", "one"))];
        let (exit, _, out, err) = print(Output::Text, table, false, reports());
        assert_eq!((exit, err.as_str()), (Exit::Success, ""));
        assert_eq!(out, "ID    DESCRIPTION\naaaa  one\nb     two\\nlines\n");
        let (_, _, out, _) = print(Output::Json, table, false, reports());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], r#"{"id":"aaaa","description":"one"}"#);
        assert_eq!(lines[1], r#"{"id":"b","description":"two\nlines"}"#);
        assert!(
            lines[2].starts_with(r#"{"summary":{"keys":2,"listed":2,"#),
            "{out}"
        );

        let failed = Report::not_found("x", "no such key".into());
        let (exit, _, out, err) = print(Output::Text, table, false, vec![(0, failed.clone())]);
        assert_eq!(exit, Exit::NotFound);
        assert_eq!(
            (out.as_str(), err.as_str()),
            ("", "atlas-admin: error: no such key\n")
        );
        let one = Shape {
            layout: Layout::Record(COLUMNS),
            ..table
        };
        let (_, _, out, _) = print(Output::Json, one, false, vec![(0, failed)]);
        let line: Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(out.lines().count(), 1, "no summary for one record: {out}");
        assert_eq!(
            (line["org"].as_str(), line["outcome"].as_str()),
            (Some("x"), Some("not_found"))
        );
    }

    #[test]
    fn lines_name_what_else_is_known_and_quote_what_is_not_a_word() {
        let report = Report::done("abcdefgh").with_fields(vec![
            ("id", json!("6a1b2c3d4e5f6a7b8c9d0e1f")),
            ("public_key", json!("abcdefgh")),
            ("description", json!("CI\ndeploy")),
            ("unknown", Value::Null),
        ]);
        assert_eq!(
            text_line(&KEYS, &report),
            r#"deleted abcdefgh (id 6a1b2c3d4e5f6a7b8c9d0e1f, description "CI\ndeploy")"#
        );
        let dry = Shape {
            done: "would_delete",
            ..KEYS
        };
        assert!(text_line(&dry, &report).starts_with("would delete abcdefgh "));
        let json: Value = serde_json::from_str(&json_line(&dry, &report)).unwrap();
        assert_eq!(json["outcome"], "would_delete");
        assert_eq!(json["id"], "6a1b2c3d4e5f6a7b8c9d0e1f");
        assert!(json["unknown"].is_null());
        assert_eq!(
            text_line(&KEYS, &Report::done("two words\n")),
            r#"deleted "two words\n""#
        );
        let missing = Report::not_found("zzzzzzzz", "no key has it".into());
        assert_eq!(
            text_line(&KEYS, &missing),
            "not found zzzzzzzz (no key has it)"
        );
    }

    #[test]
    fn an_interrupted_run_counts_what_was_left_and_exits_with_the_signals_code() {
        let reports = || {
            vec![
                (0, Report::done("a")),
                (1, not_found("b")),
                (2, Report::unknown("c", "SIGINT", "deleted")),
                (3, Report::not_attempted("d", "SIGINT")),
            ]
        };
        let printed = |format| {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let bar = ProgressBar::hidden();
            let streams: (&mut dyn Write, &mut dyn Write) = (&mut out, &mut err);
            let mut printer = Printer::new(format, KEYS, false, streams, &bar).with_text_summary();
            for (index, report) in reports() {
                printer.add(index, report);
            }
            printer.interrupted_by(Signal::Interrupt);
            let (exit, counts) = printer.finish();
            let text = |bytes| String::from_utf8(bytes).unwrap();
            (exit, counts, text(out), text(err))
        };
        let (exit, counts, out, err) = printed(Output::Text);
        assert_eq!(
            exit,
            Exit::Interrupted,
            "the signal's code, not not-found's"
        );
        assert_eq!(
            (counts.unknown, counts.not_attempted, counts.total()),
            (1, 1, 4)
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[2],
            "unknown c: in flight when a second signal ended the run interrupted by SIGINT: \
             it may have been deleted"
        );
        assert_eq!(
            lines[3],
            "not attempted d: the run was interrupted by SIGINT before this was started"
        );
        let (head, tail) = err.split_once(" in ").unwrap();
        assert_eq!(head, "atlas-admin: 4 keys");
        assert!(
            tail.ends_with(
                " s: 1 deleted, 1 not found, 1 not attempted, 1 unknown; \
                 interrupted by SIGINT, exit 130\n"
            ),
            "{err}"
        );

        let (exit, _, out, err) = printed(Output::Json);
        assert_eq!((exit, err.as_str()), (Exit::Interrupted, ""));
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[2]["outcome"], "unknown");
        assert!(lines[2]["attempts"].is_null());
        assert_eq!(lines[3]["outcome"], "not_attempted");
        assert_eq!(lines[3]["attempts"], 0);
        let summary = &lines[4];
        assert_eq!(summary["summary"]["keys"], 4);
        assert_eq!(summary["summary"]["not_attempted"], 1);
        assert_eq!(summary["summary"]["unknown"], 1);
        assert_eq!(summary["interrupted_by"], "SIGINT");
        assert_eq!(summary["exit_code"], 130);
        assert!(summary["elapsed_seconds"].as_f64().is_some());
    }

    #[test]
    fn a_key_already_gone_is_its_own_outcome_and_count() {
        let gone = |lost| Report::already_gone("b", 404, 2, lost);
        let reports = vec![
            (0, Report::deleted("a", 204, 1)),
            (1, gone(false)),
            (2, gone(true)),
            (3, not_found("c")),
        ];
        let (exit, counts, out, _) = print(Output::Text, KEYS, false, reports.clone());
        assert_eq!(
            exit,
            Exit::NotFound,
            "not found's code; already gone has none"
        );
        assert_eq!(
            (counts.done, counts.already_gone, counts.total()),
            (1, 2, 4)
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "deleted a");
        assert_eq!(lines[1], "already gone b (API_KEY_NOT_FOUND)");
        assert_eq!(
            lines[2],
            "already gone b (API_KEY_NOT_FOUND; an earlier attempt of this call lost its \
             answer and may have deleted it)"
        );
        assert_eq!(
            text_summary(&KEYS, &counts, Duration::ZERO, None, exit),
            "atlas-admin: 4 keys in 0.0 s: 1 deleted, 2 already gone, 1 not found; exit 3"
        );

        let (_, _, out, _) = print(Output::Json, KEYS, false, reports);
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            (
                &lines[0]["outcome"],
                &lines[0]["http_status"],
                &lines[0]["attempts"]
            ),
            (&json!("deleted"), &json!(204), &json!(1))
        );
        assert!(lines[0]["error_code"].is_null(), "{}", lines[0]);
        for (line, lost) in [(&lines[1], false), (&lines[2], true)] {
            assert_eq!(line["outcome"], "already_gone", "{line}");
            assert_eq!(line["http_status"], 404, "{line}");
            assert_eq!(line["attempts"], 2, "{line}");
            assert_eq!(line["error_code"], "API_KEY_NOT_FOUND", "{line}");
            assert_eq!(line["earlier_attempt_may_have_succeeded"], lost, "{line}");
            let message = line["message"].as_str().unwrap();
            assert_eq!(message.contains("may have deleted it"), lost, "{line}");
        }
        assert_eq!(lines[4]["summary"]["deleted"], 1);
        assert_eq!(lines[4]["summary"]["already_gone"], 2);
        assert_eq!(lines[4]["summary"]["keys"], 4);
    }

    #[test]
    fn a_text_summary_names_the_exit_code_only_when_not_0() {
        let counts = Counts {
            done: 3,
            ..Counts::default()
        };
        let second = Duration::from_millis(1234);
        assert_eq!(
            text_summary(&KEYS, &counts, second, None, Exit::Success),
            "atlas-admin: 3 keys in 1.2 s: 3 deleted"
        );
        let counts = Counts {
            failed: 1,
            ..counts
        };
        assert_eq!(
            text_summary(&KEYS, &counts, second, None, Exit::Unreachable),
            "atlas-admin: 4 keys in 1.2 s: 3 deleted, 1 failed; exit 7"
        );
    }

    #[test]
    fn a_failed_write_turns_success_into_exit_1() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (mut out, mut err) = (Broken, Vec::new());
        let bar = ProgressBar::hidden();
        let mut printer = Printer::new(Output::Text, KEYS, false, (&mut out, &mut err), &bar);
        printer.add(0, Report::done("a"));
        assert_eq!(printer.finish().0, Exit::Setup);
    }
}
