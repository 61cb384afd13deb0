//! What happened to one item of a command (a key, a call), in the terms
//! every output format prints.

use crate::exit::{Category, Missing};
use atlas_admin::Error;
use serde_json::Value;

/// The outcome of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done as asked (for `delete`, with `--missing-ok`, also a key that
    /// was already gone).
    Done,
    /// Atlas said what the item names does not exist.
    NotFound,
    /// The call failed.
    Failed,
    /// Not attempted: an earlier item's failure (401, 403, an unknown
    /// organization) would have repeated for this one.
    Skipped,
    /// Not attempted: a signal stopped the run before the item's call was
    /// made. Unchanged, and safe to give to a new run.
    NotAttempted,
    /// Unknown: the item's call was under way when a second signal ended
    /// the run; it may have been done.
    Unknown,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The item as given: a key ID, or `METHOD PATH`.
    pub item: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why it failed, for the exit code; `None` when done or skipped (the
    /// failure that caused a skip is counted on its own item), not
    /// attempted or unknown (the signal decides the exit code).
    pub category: Option<Category>,
    /// The HTTP status, when known: that of an error answer, or of a
    /// success from a call that returns it.
    pub http_status: Option<u16>,
    /// The server's `errorCode`, e.g. `API_KEY_NOT_FOUND`; the outcome,
    /// not this field, says whether Atlas itself meant it.
    pub error_code: Option<String>,
    /// Atlas' own `detail` sentence.
    pub detail: Option<String>,
    /// The whole error message, with what to check.
    pub message: Option<String>,
    /// Requests made for this item when it failed, summed over
    /// rate-limited rounds; `None` when done, since the core counts
    /// attempts only for calls that fail.
    pub attempts: Option<u32>,
    /// An earlier attempt lost its answer and may have done what was
    /// asked.
    pub earlier_attempt_may_have_succeeded: bool,
    /// What a successful call answered, for commands that print it.
    pub payload: Option<Value>,
    /// What is known about the item besides its name, in order: a key's
    /// `id` and `public_key` when it was named by the other, a record's
    /// columns. `null` where unknown.
    pub fields: Vec<(&'static str, Value)>,
}

impl Report {
    /// An item done as asked.
    pub fn done(item: &str) -> Self {
        Report {
            item: item.to_owned(),
            outcome: Outcome::Done,
            category: None,
            http_status: None,
            error_code: None,
            detail: None,
            message: None,
            attempts: None,
            earlier_attempt_may_have_succeeded: false,
            payload: None,
            fields: Vec::new(),
        }
    }

    /// An item that does not exist, by the command's own finding (no key
    /// has the public key given), not by an error code of Atlas'.
    pub fn not_found(item: &str, message: String) -> Self {
        Report {
            outcome: Outcome::NotFound,
            category: Some(Category::NotFound),
            message: Some(message),
            ..Report::done(item)
        }
    }

    /// A failure of the command's own making (nothing Atlas answered), of
    /// `category`, for `message`.
    pub fn refused(item: &str, category: Category, message: String) -> Self {
        Report {
            outcome: Outcome::Failed,
            category: Some(category),
            message: Some(message),
            ..Report::done(item)
        }
    }

    /// This report with `fields` in place of its own.
    pub fn with_fields(mut self, fields: Vec<(&'static str, Value)>) -> Self {
        self.fields = fields;
        self
    }

    /// This report with its message replaced by `message`.
    pub fn with_message(mut self, message: String) -> Self {
        self.message = Some(message);
        self
    }

    /// An item whose last call failed with `error`, after `attempts`
    /// requests in all; `missing` says which not-found answers are about
    /// the item.
    pub fn failed(item: &str, error: &Error, attempts: u32, missing: Missing) -> Self {
        let category = Category::of(error, missing);
        let api = error.api();
        Report {
            outcome: if category == Category::NotFound {
                Outcome::NotFound
            } else {
                Outcome::Failed
            },
            category: Some(category),
            http_status: api.map(|a| a.status),
            error_code: api.and_then(|a| a.error_code.clone()),
            detail: api.and_then(|a| a.detail.clone()),
            message: Some(error.to_string()),
            attempts: Some(attempts),
            earlier_attempt_may_have_succeeded: api
                .is_some_and(|a| a.earlier_attempt_may_have_succeeded),
            ..Report::done(item)
        }
    }

    /// An item not attempted, for `reason`.
    pub fn skipped(item: &str, reason: &str) -> Self {
        Report {
            outcome: Outcome::Skipped,
            message: Some(reason.to_owned()),
            attempts: Some(0),
            ..Report::done(item)
        }
    }

    /// An item whose call was never made: `signal` (e.g. `SIGINT`)
    /// stopped the run first.
    pub fn not_attempted(item: &str, signal: &str) -> Self {
        Report {
            outcome: Outcome::NotAttempted,
            message: Some(format!(
                "the run was interrupted by {signal} before this was started"
            )),
            attempts: Some(0),
            ..Report::done(item)
        }
    }

    /// An item whose call was under way when a second signal ended the
    /// run `signal` had interrupted: it may have been `done` (e.g.
    /// `deleted`) or not.
    pub fn unknown(item: &str, signal: &str, done: &str) -> Self {
        Report {
            outcome: Outcome::Unknown,
            message: Some(format!(
                "in flight when a second signal ended the run interrupted by {signal}: \
                 it may have been {done}"
            )),
            ..Report::done(item)
        }
    }
}
