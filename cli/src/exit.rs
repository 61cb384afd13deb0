//! Exit codes: one table, from which `--help` is written too, so the two
//! cannot disagree. The numbers are an interface for scripts and never
//! change meaning. 0 to 11 are the command's own; 130 and 143 follow the
//! shell's convention for a death by SIGINT and SIGTERM (128 plus the
//! signal's number), since a run that catches those signals to print every
//! outcome first must still tell its caller it was stopped.

use atlas_admin::{Error, ErrorKind};
use std::collections::BTreeSet;

/// How a run ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Exit {
    /// Everything asked was done: every key deleted (with `--missing-ok`,
    /// or already gone, which is reported apart), the call answered 2xx;
    /// also `--help`, `--version`, completions and the man page.
    Success = 0,
    /// Nothing was attempted or the results could not be written: the
    /// client could not be configured (no credentials, a bad URL or
    /// profile), a key, secret or `--data` file could not be read or was
    /// not JSON, the `--private-key-out` file already exists or cannot be
    /// made, or standard output failed.
    Setup = 1,
    /// The command line was wrong (clap's own code).
    Usage = 2,
    /// Atlas said what was named does not exist: for `delete`, some keys
    /// (`API_KEY_NOT_FOUND`, or no key with the public key given), all
    /// others deleted; for other commands, what they name (any
    /// `*_NOT_FOUND` of Atlas' but `RESOURCE_NOT_FOUND`, no such path).
    NotFound = 3,
    /// The credentials were refused (HTTP 401); the keys not yet tried were skipped.
    Unauthorized = 4,
    /// The credentials may not do this (HTTP 403: role or IP access list);
    /// the keys not yet tried were skipped.
    Forbidden = 5,
    /// Still rate limited (HTTP 429) after every retry and shared pause.
    RateLimited = 6,
    /// No answer: connection, DNS, TLS or proxy failure, or a timeout.
    Unreachable = 7,
    /// Failures of more than one kind, or of a kind without a code of its
    /// own (an invalid ID, role, description, address, path or API
    /// version, an unknown organization for `delete`, a path Atlas does
    /// not serve, a 5xx, an unexpected status or answer).
    Mixed = 8,
    /// `delete` refused to delete the API key the command is signed in
    /// with (without `--allow-self`); the other keys were deleted.
    OwnKey = 9,
    /// `delete --verify`: a key was still there when read back after its
    /// delete succeeded.
    StillExists = 10,
    /// `create` or `rotate` made a key but could not write its private
    /// key: the key exists, and its secret is lost (delete the key).
    SecretNotWritten = 11,
    /// `delete` was interrupted by SIGINT (Ctrl-C), and every outcome was
    /// printed: no key was started after the signal, the keys under way
    /// finished, the others are `not attempted`. After a second signal the
    /// run ends at once, and keys still under way are `unknown`.
    Interrupted = 130,
    /// As [`Exit::Interrupted`], for SIGTERM.
    Terminated = 143,
}

impl Exit {
    /// Every code, in numeric order.
    pub const ALL: [Exit; 14] = [
        Exit::Success,
        Exit::Setup,
        Exit::Usage,
        Exit::NotFound,
        Exit::Unauthorized,
        Exit::Forbidden,
        Exit::RateLimited,
        Exit::Unreachable,
        Exit::Mixed,
        Exit::OwnKey,
        Exit::StillExists,
        Exit::SecretNotWritten,
        Exit::Interrupted,
        Exit::Terminated,
    ];

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The one-line meaning shown in `--help`.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Success => {
                "success: every key deleted (or, with --missing-ok, already gone, which is \
                 reported apart; with --dry-run, every key would be), or every call answered 2xx"
            }
            Exit::Setup => {
                "nothing attempted or results not written: no credentials, a bad URL or \
                 profile, an unreadable file, --data from a file or stdin that is not JSON, \
                 an existing --private-key-out file, failed output"
            }
            Exit::Usage => {
                "usage error (also --data text that is not JSON, --query without =, an unknown \
                 method, --private-key-out - with --output json)"
            }
            Exit::NotFound => {
                "not found, in Atlas' own JSON error: for delete, some keys (API_KEY_NOT_FOUND, \
                 or no key has the public key given), the others deleted; for other commands, \
                 what they name (any *_NOT_FOUND but RESOURCE_NOT_FOUND)"
            }
            Exit::Unauthorized => "authentication failed (HTTP 401); untried keys skipped",
            Exit::Forbidden => "forbidden (HTTP 403: role or IP access list); untried keys skipped",
            Exit::RateLimited => "still rate limited (HTTP 429) after retries and shared pauses",
            Exit::Unreachable => "no answer: connection, DNS, TLS or proxy failure, or timeout",
            Exit::Mixed => {
                "failures of several kinds, or of another kind (an invalid ID, role, \
                 description, address, path or API version, an unknown organization for \
                 delete, a path Atlas does not serve, a proxy's error page, 5xx)"
            }
            Exit::OwnKey => {
                "delete refused the API key the command is signed in with (--allow-self \
                 deletes it); the other keys deleted"
            }
            Exit::StillExists => {
                "delete --verify: a key still existed when read back after its delete"
            }
            Exit::SecretNotWritten => {
                "create or rotate: a key was created but its private key could not be \
                 written; the key exists: delete it"
            }
            Exit::Interrupted => {
                "delete interrupted by SIGINT (Ctrl-C), every outcome printed: no key started \
                 after it, those under way finished, the rest printed as not attempted (after \
                 a second signal: it ends at once, keys under way printed as unknown)"
            }
            Exit::Terminated => "delete terminated by SIGTERM, every outcome printed (as for 130)",
        }
    }

    /// The exit code for keys that failed with these categories: each
    /// category alone has a code of its own, several together are
    /// [`Exit::Mixed`].
    pub fn for_failures(categories: &BTreeSet<Category>) -> Exit {
        let mut iter = categories.iter();
        match (iter.next(), iter.next()) {
            (None, _) => Exit::Success,
            (Some(only), None) => only.exit(),
            (Some(_), Some(_)) => Exit::Mixed,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// Why an item failed, as far as the exit code cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Atlas said what the command names does not exist.
    NotFound,
    /// HTTP 401.
    Unauthorized,
    /// HTTP 403.
    Forbidden,
    /// HTTP 429.
    RateLimited,
    /// No answer, or a timeout.
    Unreachable,
    /// The API key the command is signed in with, which `delete` refuses
    /// without `--allow-self`.
    OwnKey,
    /// A key read back after its delete was still there.
    StillExists,
    /// A created key's private key could not be written.
    SecretNotWritten,
    /// Anything else.
    Other,
}

/// Which of Atlas' "does not exist" answers mean that what a command names
/// is missing (exit 3). Only Atlas' word counts, as the core judges it
/// ([`Error::is_atlas_error`], [`ErrorKind::NotFound`]): never a bare
/// status, nor an `X-Error-Code` header on a page that is not Atlas' JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Only this error code. `delete` names keys of one organization: an
    /// unknown organization means the command, not a key, is wrong.
    Only(&'static str),
    /// Any resource Atlas says does not exist: the call named it.
    Any,
}

impl Category {
    /// The category of a failed call, with `missing` saying which
    /// not-found answers are about what the command names.
    pub fn of(error: &Error, missing: Missing) -> Category {
        match error.kind() {
            ErrorKind::NotFound if is_missing(error, missing) => Category::NotFound,
            ErrorKind::Unauthorized => Category::Unauthorized,
            ErrorKind::Forbidden => Category::Forbidden,
            ErrorKind::RateLimited => Category::RateLimited,
            ErrorKind::Timeout | ErrorKind::Transport => Category::Unreachable,
            _ => Category::Other,
        }
    }

    fn exit(self) -> Exit {
        match self {
            Category::NotFound => Exit::NotFound,
            Category::Unauthorized => Exit::Unauthorized,
            Category::Forbidden => Exit::Forbidden,
            Category::RateLimited => Exit::RateLimited,
            Category::Unreachable => Exit::Unreachable,
            Category::OwnKey => Exit::OwnKey,
            Category::StillExists => Exit::StillExists,
            Category::SecretNotWritten => Exit::SecretNotWritten,
            Category::Other => Exit::Mixed,
        }
    }
}

/// Whether `error`, which the core classed as not found, is about what
/// `missing` says the command names.
fn is_missing(error: &Error, missing: Missing) -> bool {
    match missing {
        Missing::Only(code) => error.is_atlas_error(code),
        Missing::Any => true,
    }
}

/// The exit-code table for `--help` and the man page.
pub fn help() -> String {
    let mut text = String::from("Exit codes:\n");
    for exit in Exit::ALL {
        text.push_str(&format!("  {:>3}  {}\n", exit.code(), exit.meaning()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_listed_in_order() {
        // The command's own codes are 0 to 11 with no gap; the shell's
        // codes for a death by signal follow.
        for (i, exit) in Exit::ALL[..12].iter().enumerate() {
            assert_eq!(usize::from(exit.code()), i);
        }
        for pair in Exit::ALL.windows(2) {
            assert!(pair[0].code() < pair[1].code(), "{pair:?}");
        }
        // Scripts test these numbers: they never move.
        let pinned = [
            (Exit::NotFound, 3),
            (Exit::Unauthorized, 4),
            (Exit::Forbidden, 5),
            (Exit::RateLimited, 6),
            (Exit::Unreachable, 7),
            (Exit::Mixed, 8),
            (Exit::OwnKey, 9),
            (Exit::StillExists, 10),
            (Exit::SecretNotWritten, 11),
            // 128 + SIGINT (2) and 128 + SIGTERM (15), as a shell reports
            // a process those signals killed.
            (Exit::Interrupted, 130),
            (Exit::Terminated, 143),
        ];
        for (exit, code) in pinned {
            assert_eq!(exit.code(), code, "{exit:?}");
        }
    }

    #[test]
    fn one_kind_of_failure_has_its_own_code_and_several_are_mixed() {
        let set = |c: &[Category]| c.iter().copied().collect::<BTreeSet<_>>();
        assert_eq!(Exit::for_failures(&set(&[])), Exit::Success);
        assert_eq!(
            Exit::for_failures(&set(&[Category::NotFound])),
            Exit::NotFound
        );
        assert_eq!(
            Exit::for_failures(&set(&[Category::Unreachable])),
            Exit::Unreachable
        );
        assert_eq!(Exit::for_failures(&set(&[Category::Other])), Exit::Mixed);
        assert_eq!(
            Exit::for_failures(&set(&[Category::NotFound, Category::Forbidden])),
            Exit::Mixed
        );
        assert_eq!(Exit::for_failures(&set(&[Category::OwnKey])), Exit::OwnKey);
        assert_eq!(
            Exit::for_failures(&set(&[Category::StillExists])),
            Exit::StillExists
        );
        assert_eq!(
            Exit::for_failures(&set(&[Category::SecretNotWritten])),
            Exit::SecretNotWritten
        );
        assert_eq!(
            Exit::for_failures(&set(&[Category::OwnKey, Category::NotFound])),
            Exit::Mixed
        );
    }
}
