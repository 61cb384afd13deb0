//! What happened to one key, in the terms both output formats print.

use crate::exit::Category;
use atlas_admin::Error;

/// The outcome of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The key was deleted (or, with `--missing-ok`, was already gone).
    Deleted,
    /// Atlas said the key does not exist.
    NotFound,
    /// The delete failed.
    Failed,
    /// Not attempted: an earlier key's failure (401, 403, an unknown
    /// organization) would have repeated for this one.
    Skipped,
}

impl Outcome {
    /// The name in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Deleted => "deleted",
            Outcome::NotFound => "not_found",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

/// One key's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The key ID as given.
    pub key: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why it was not deleted, for the exit code; `None` when deleted or
    /// skipped (the failure that caused a skip is counted on its own key).
    pub category: Option<Category>,
    /// The HTTP status of the last answer, when there was an error answer.
    pub http_status: Option<u16>,
    /// Atlas' `errorCode`, e.g. `API_KEY_NOT_FOUND`.
    pub error_code: Option<String>,
    /// Atlas' own `detail` sentence.
    pub detail: Option<String>,
    /// The whole error message, with what to check.
    pub message: Option<String>,
    /// Requests made for this key when it was not deleted, summed over
    /// rate-limited rounds; `None` when it was deleted, since the core
    /// counts attempts only for calls that fail.
    pub attempts: Option<u32>,
    /// An earlier attempt lost its answer and may have deleted the key.
    pub may_have_been_deleted: bool,
}

impl Report {
    /// A deleted key.
    pub fn deleted(key: &str) -> Self {
        Report {
            key: key.to_owned(),
            outcome: Outcome::Deleted,
            category: None,
            http_status: None,
            error_code: None,
            detail: None,
            message: None,
            attempts: None,
            may_have_been_deleted: false,
        }
    }

    /// A key whose last call failed with `error`, after `attempts`
    /// requests in all.
    pub fn failed(key: &str, error: &Error, attempts: u32) -> Self {
        let category = Category::of(error);
        let api = error.api();
        Report {
            key: key.to_owned(),
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
            may_have_been_deleted: api.is_some_and(|a| a.earlier_attempt_may_have_succeeded),
        }
    }

    /// A key not attempted, for `reason`.
    pub fn skipped(key: &str, reason: &str) -> Self {
        Report {
            outcome: Outcome::Skipped,
            message: Some(reason.to_owned()),
            attempts: Some(0),
            ..Report::deleted(key)
        }
    }
}
