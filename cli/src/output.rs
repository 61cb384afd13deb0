//! Printing results: one line per key in input order, as text or JSON,
//! and (in JSON) a summary object; the exit code follows from what was
//! printed.

use crate::args::Output;
use crate::exit::{Category, Exit};
use crate::report::{Outcome, Report};
use indicatif::ProgressBar;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// How many keys ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Deleted, or already gone with `--missing-ok`.
    pub deleted: usize,
    /// Not found.
    pub not_found: usize,
    /// Failed.
    pub failed: usize,
    /// Skipped after a failure that would have repeated.
    pub skipped: usize,
}

/// Prints reports as they arrive, holding back those that overtook an
/// earlier key so lines come out in input order.
pub struct Printer<'a> {
    format: Output,
    out: &'a mut dyn Write,
    progress: &'a ProgressBar,
    waiting: BTreeMap<usize, Report>,
    next: usize,
    counts: Counts,
    categories: BTreeSet<Category>,
    write_error: Option<io::Error>,
}

impl<'a> Printer<'a> {
    /// A printer writing `format` to `out`, around `progress`.
    pub fn new(format: Output, out: &'a mut dyn Write, progress: &'a ProgressBar) -> Self {
        Printer {
            format,
            out,
            progress,
            waiting: BTreeMap::new(),
            next: 0,
            counts: Counts::default(),
            categories: BTreeSet::new(),
            write_error: None,
        }
    }

    /// Takes the report of key number `index` and prints every report now
    /// due.
    pub fn add(&mut self, index: usize, report: Report) {
        self.progress.inc(1);
        match report.outcome {
            Outcome::Deleted => self.counts.deleted += 1,
            Outcome::NotFound => self.counts.not_found += 1,
            Outcome::Failed => self.counts.failed += 1,
            Outcome::Skipped => self.counts.skipped += 1,
        }
        self.categories.extend(report.category);
        self.waiting.insert(index, report);
        while let Some(report) = self.waiting.remove(&self.next) {
            self.next += 1;
            let line = match self.format {
                Output::Text => text_line(&report),
                Output::Json => json_line(&report),
            };
            self.write_line(&line);
        }
    }

    /// Prints the summary (JSON only) and returns the exit code.
    pub fn finish(mut self) -> (Exit, Counts) {
        let mut exit = Exit::for_failures(&self.categories);
        if self.format == Output::Json {
            let c = self.counts;
            let counts = object(&[
                (
                    "keys",
                    json!(c.deleted + c.not_found + c.failed + c.skipped),
                ),
                ("deleted", json!(c.deleted)),
                ("not_found", json!(c.not_found)),
                ("failed", json!(c.failed)),
                ("skipped", json!(c.skipped)),
            ]);
            let summary = format!(r#"{{"summary":{counts},"exit_code":{}}}"#, exit.code());
            self.write_line(&summary);
        }
        if let Err(e) = self.out.flush() {
            self.write_error.get_or_insert(e);
        }
        // Keys were deleted, but a script reading the results lost some.
        if self.write_error.is_some() && exit == Exit::Success {
            exit = Exit::Setup;
        }
        (exit, self.counts)
    }

    fn write_line(&mut self, line: &str) {
        if self.write_error.is_some() {
            return;
        }
        let out = &mut self.out;
        if let Err(e) = self.progress.suspend(|| writeln!(out, "{line}")) {
            // Deleting goes on (it was asked for); the results are lost.
            self.write_error = Some(e);
        }
    }
}

/// `deleted KEY`, `not found KEY (CODE)`, `failed KEY: message` or
/// `skipped KEY: reason`.
pub fn text_line(report: &Report) -> String {
    let key = &report.key;
    // One line per key is the contract scripts rely on, whatever a server
    // put in its detail.
    let message = report
        .message
        .as_deref()
        .unwrap_or_default()
        .replace(['\n', '\r'], " ");
    match report.outcome {
        Outcome::Deleted => format!("deleted {key}"),
        Outcome::NotFound => {
            let code = report.error_code.as_deref().unwrap_or("not found");
            let note = if report.may_have_been_deleted {
                "; an earlier attempt lost its answer and may have deleted it"
            } else {
                ""
            };
            format!("not found {key} ({code}{note})")
        }
        Outcome::Failed => format!("failed {key}: {message}"),
        Outcome::Skipped => format!("skipped {key}: {message}"),
    }
}

/// One JSON object: `key`, `outcome`, `http_status`, `error_code`,
/// `detail`, `message` and `attempts`.
pub fn json_line(report: &Report) -> String {
    object(&[
        ("key", json!(report.key)),
        ("outcome", json!(report.outcome.name())),
        ("http_status", json!(report.http_status)),
        ("error_code", json!(report.error_code)),
        ("detail", json!(report.detail)),
        ("message", json!(report.message)),
        ("attempts", json!(report.attempts)),
    ])
}

/// A JSON object with its fields in this order (serde_json's own map sorts
/// them, which would put `key` in the middle of every line).
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

    fn not_found(key: &str) -> Report {
        Report {
            outcome: Outcome::NotFound,
            category: Some(Category::NotFound),
            http_status: Some(400),
            error_code: Some("API_KEY_NOT_FOUND".into()),
            attempts: Some(1),
            ..Report::deleted(key)
        }
    }

    #[test]
    fn lines_come_out_in_input_order() {
        let mut out = Vec::new();
        let bar = ProgressBar::hidden();
        let mut printer = Printer::new(Output::Text, &mut out, &bar);
        printer.add(2, Report::deleted("c"));
        printer.add(0, not_found("a"));
        printer.add(1, Report::skipped("b", "not attempted"));
        let (exit, counts) = printer.finish();
        assert_eq!(exit, Exit::NotFound);
        assert_eq!(
            (counts.deleted, counts.not_found, counts.skipped),
            (1, 1, 1)
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "not found a (API_KEY_NOT_FOUND)\nskipped b: not attempted\ndeleted c\n"
        );
    }

    #[test]
    fn json_has_every_field_and_a_summary() {
        let mut out = Vec::new();
        let bar = ProgressBar::hidden();
        let mut printer = Printer::new(Output::Json, &mut out, &bar);
        printer.add(0, not_found("a"));
        printer.add(1, Report::deleted("b"));
        assert_eq!(printer.finish().0, Exit::NotFound);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["outcome"], "not_found");
        assert_eq!(lines[0]["error_code"], "API_KEY_NOT_FOUND");
        assert_eq!(lines[0]["http_status"], 400);
        assert_eq!(lines[1]["outcome"], "deleted");
        assert!(lines[1]["attempts"].is_null());
        assert_eq!(lines[2]["summary"]["not_found"], 1);
        assert_eq!(lines[2]["exit_code"], 3);
    }
}
