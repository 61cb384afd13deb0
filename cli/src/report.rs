//! What happened to one item of a command (a key, a call), in the terms
//! every output format prints.

use crate::exit::{Category, Missing};
use atlas_admin::{Error, API_KEY_NOT_FOUND};
use serde_json::Value;

/// What the report of a key already gone adds when an earlier attempt of
/// its delete lost its answer.
pub const LOST_ANSWER: &str =
    "an earlier attempt of this call lost its answer and may have deleted it";

/// The outcome of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done as asked.
    Done,
    /// `delete --missing-ok`: Atlas said the key does not exist (or the
    /// run's listing did not hold its public key), which `--missing-ok`
    /// accepts. Nothing was deleted by this call, unless an earlier
    /// attempt of it lost its answer
    /// ([`Report::earlier_attempt_may_have_succeeded`]). An audit must
    /// tell it from [`Outcome::Done`]; the exit code does not.
    AlreadyGone,
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
    /// The HTTP status of the answer that decided the outcome, when a
    /// request was answered: an error's, a delete's (its 2xx, or Atlas'
    /// `API_KEY_NOT_FOUND` status when already gone), or a success's from
    /// a call that returns it. `None` when nothing was sent or answered.
    pub http_status: Option<u16>,
    /// The server's `errorCode`, e.g. `API_KEY_NOT_FOUND`; the outcome,
    /// not this field, says whether Atlas itself meant it.
    pub error_code: Option<String>,
    /// Atlas' own `detail` sentence.
    pub detail: Option<String>,
    /// The whole error message, with what to check.
    pub message: Option<String>,
    /// Requests made for this item, summed over rate-limited rounds: a
    /// delete's (however it ended) or a failed call's; `Some(0)` when
    /// nothing was sent for it (skipped, not attempted, refused before
    /// sending); `None` when not known (a call in flight when the run was
    /// ended, a success of a call that does not count its attempts).
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

    /// A key deleted: its delete was answered `status` (a 2xx) after
    /// `attempts` requests in all (those of rate-limited rounds
    /// included).
    pub fn deleted(item: &str, status: u16, attempts: u32) -> Self {
        Report {
            http_status: Some(status),
            attempts: Some(attempts),
            ..Report::done(item)
        }
    }

    /// A key `delete --missing-ok` found already gone: Atlas answered
    /// `status` with `API_KEY_NOT_FOUND` after `attempts` requests in all;
    /// `lost` when an earlier attempt of the call lost its answer, so it
    /// may have been the one that deleted the key.
    pub fn already_gone(item: &str, status: u16, attempts: u32, lost: bool) -> Self {
        let mut message = format!(
            "Atlas says the key does not exist ({API_KEY_NOT_FOUND}), which --missing-ok accepts"
        );
        if lost {
            message.push_str(&format!("; {LOST_ANSWER}"));
        }
        Report {
            outcome: Outcome::AlreadyGone,
            error_code: Some(API_KEY_NOT_FOUND.to_owned()),
            message: Some(message),
            earlier_attempt_may_have_succeeded: lost,
            ..Report::deleted(item, status, attempts)
        }
    }

    /// A key `delete --missing-ok` sent nothing for: the run's listing of
    /// the organization, as `message` says, did not hold it.
    pub fn already_gone_unlisted(item: &str, message: String) -> Self {
        Report {
            outcome: Outcome::AlreadyGone,
            message: Some(message),
            attempts: Some(0),
            ..Report::done(item)
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
