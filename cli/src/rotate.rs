//! `org-api-keys rotate`: a new key in the old one's place, each step
//! done only once the one before succeeded.

use crate::args::RotateArgs;
use crate::create::{check_output, finish, maybe_made, write_secret};
use crate::date::utc_date;
use crate::exit::{Category, Exit, Missing};
use crate::output::{Layout, Shape};
use crate::private_key_out::PrivateKeyOut;
use crate::record::{self, entry_name};
use crate::report::Report;
use crate::{client, fail, usage_error, Console};
use atlas_admin::{
    is_public_key, CallOptions, Client, Clock, DeleteOptions, Error, MAX_DESCRIPTION_CHARS,
};
use serde_json::{json, Value};
use std::io::Write;

/// `rotated KEY (id ..., new id ..., new public key ..., old key kept)`.
const SHAPE: Shape = Shape {
    item: "key",
    items: "keys",
    done: "rotated",
    payload: None,
    layout: Layout::Lines,
};

/// Runs `org-api-keys rotate` with the run's `call` options; the new
/// description is dated by `clock`.
pub fn run(
    args: &RotateArgs,
    call: CallOptions,
    console: &mut Console<'_>,
    clock: &dyn Clock,
) -> Exit {
    if let Err(message) = check_output(args.scope.output, &args.private_key_out) {
        return usage_error(console, &message);
    }
    client::with(&args.scope.connection, 1, console, |client, console| {
        let mut out = match PrivateKeyOut::open(&args.private_key_out) {
            Ok(out) => out,
            Err(message) => return fail(console, &message),
        };
        let today = utc_date(clock.wall());
        let mut rotation = Rotation {
            client,
            org: &args.scope.org,
            item: &args.key,
            call: &call,
            fields: Vec::new(),
        };
        let report = rotation.rotate(args.delete_old, &today, &mut out, &mut console.stdout);
        finish(console, args.scope.output, SHAPE, &out, report)
    })
}

/// One rotation under way: what it knows so far, for its report.
struct Rotation<'a> {
    client: &'a Client,
    org: &'a str,
    /// The old key as given.
    item: &'a str,
    call: &'a CallOptions,
    /// The old key's `id` and `public_key`, then the new key's, as they
    /// become known.
    fields: Vec<(&'static str, Value)>,
}

impl Rotation<'_> {
    fn rotate(
        &mut self,
        delete_old: bool,
        today: &str,
        out: &mut PrivateKeyOut,
        stdout: &mut dyn Write,
    ) -> Report {
        let (client, org, call) = (self.client, self.org, self.call);
        let old = match record::find(client, org, self.item, call) {
            Ok(old) => old,
            Err(report) => return *report,
        };
        self.fields = vec![("id", json!(old.id)), ("public_key", json!(old.public_key))];
        let entries = match client.list_org_api_key_access_list(org, &old.id, call) {
            Ok(entries) => entries,
            Err(e) => return self.failed(&e, "reading the old key's access list", NOTHING_MADE),
        };
        let description = rotated_description(&old.description, &old.public_key, today);
        let new = match client.create_org_api_key(org, &description, &old.roles, call) {
            Ok(new) => new,
            Err(e) => {
                let unchanged = format!("{NOTHING_MADE}{}", maybe_made(&e, &description));
                return self.failed(&e, "creating the new key", &unchanged);
            }
        };
        let new_id = new.id.clone();
        self.fields.extend([
            ("new_id", json!(new.id)),
            ("new_public_key", json!(new.public_key)),
            ("new_description", json!(description)),
            ("private_key_file", json!(out.name())),
        ]);
        if let Err(message) = write_secret(new, out, stdout, org) {
            let message = format!("{message}; the old key is unchanged");
            return Report::refused(self.item, Category::SecretNotWritten, message)
                .with_fields(std::mem::take(&mut self.fields));
        }
        let both = format!(
            "the new key {new_id} exists and its private key is in {}; the old key {} is \
             unchanged",
            out.name(),
            old.id
        );
        let names: Vec<&str> = entries.iter().filter_map(entry_name).collect();
        if !names.is_empty() {
            if let Err(e) = client.add_org_api_key_access_list(org, &new_id, &names, call) {
                let note = format!("{both}; the new key has no access list yet");
                return self.failed(&e, "copying the access list to the new key", &note);
            }
        }
        if let Err(e) = client.get_org_api_key(org, &new_id, call) {
            return self.failed(&e, "reading the new key back", &both);
        }
        if delete_old {
            let options = DeleteOptions::from(call.clone());
            if let Err(e) = client.delete_org_api_key(org, &old.id, &options) {
                return self.failed(&e, "deleting the old key", &format!("{both}: both exist"));
            }
        }
        let old_key = if delete_old { "deleted" } else { "kept" };
        self.fields.push(("old_key", json!(old_key)));
        Report::done(self.item).with_fields(std::mem::take(&mut self.fields))
    }

    /// The report of step `step` failing with `error`; `state` says which
    /// keys exist now.
    fn failed(&mut self, error: &Error, step: &str, state: &str) -> Report {
        Report::failed(self.item, error, error.attempts(), Missing::Any)
            .with_message(format!("{step} failed: {error}; {state}"))
            .with_fields(std::mem::take(&mut self.fields))
    }
}

/// What a rotation that failed before the new key was made leaves.
const NOTHING_MADE: &str = "no key was created and the old key is unchanged";

/// The new key's description: the old description, then `(rotated from
/// PUBLIC-KEY on DATE)`, within Atlas' 250 characters. A note from an
/// earlier rotation is replaced rather than repeated; an old description
/// too long for both is cut at a character and marked with `...`.
pub fn rotated_description(old: &str, old_public_key: &str, date: &str) -> String {
    let note = format!("rotated from {old_public_key} on {date}");
    // Atlas may hold what the core would refuse in a new description.
    let cleaned: String = old
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let base = without_rotation_note(cleaned.trim()).trim_end();
    if base.is_empty() {
        return note;
    }
    let whole = format!("{base} ({note})");
    if whole.chars().count() <= MAX_DESCRIPTION_CHARS {
        return whole;
    }
    const CUT: &str = "...";
    let room = MAX_DESCRIPTION_CHARS - note.chars().count() - " ()".len() - CUT.len();
    let kept: String = base.chars().take(room).collect();
    format!("{}{CUT} ({note})", kept.trim_end())
}

/// `text` without a trailing ` (rotated from PUBLIC-KEY on YYYY-MM-DD)`,
/// or empty when it is that note alone.
fn without_rotation_note(text: &str) -> &str {
    let is_note = |note: &str| {
        note.strip_prefix("rotated from ")
            .and_then(|rest| rest.split_once(" on "))
            .is_some_and(|(key, date)| {
                is_public_key(key)
                    && date.len() == 10
                    && date.bytes().enumerate().all(|(i, b)| {
                        if i == 4 || i == 7 {
                            b == b'-'
                        } else {
                            b.is_ascii_digit()
                        }
                    })
            })
    };
    if is_note(text) {
        return "";
    }
    if let Some(open) = text.strip_suffix(')').and_then(|t| t.rfind(" (")) {
        if is_note(&text[open + 2..text.len() - 1]) {
            return &text[..open];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_the_old_key_and_the_date() {
        assert_eq!(
            rotated_description("CI deploy", "abcdefgh", "2026-11-29"),
            "CI deploy (rotated from abcdefgh on 2026-11-29)"
        );
        assert_eq!(
            rotated_description("", "abcdefgh", "2026-11-29"),
            "rotated from abcdefgh on 2026-11-29"
        );
        assert_eq!(
            rotated_description("a\nb\t", "abcdefgh", "2026-11-29"),
            "a b (rotated from abcdefgh on 2026-11-29)"
        );
    }

    #[test]
    fn an_earlier_note_is_replaced() {
        let once = rotated_description("CI deploy", "abcdefgh", "2026-11-29");
        assert_eq!(
            rotated_description(&once, "qwertyui", "2027-01-02"),
            "CI deploy (rotated from qwertyui on 2027-01-02)"
        );
        let bare = rotated_description("", "abcdefgh", "2026-11-29");
        assert_eq!(
            rotated_description(&bare, "qwertyui", "2027-01-02"),
            "rotated from qwertyui on 2027-01-02"
        );
        // Only a real note: a look-alike stays.
        assert_eq!(
            rotated_description("x (rotated from me on Monday)", "abcdefgh", "2026-11-29"),
            "x (rotated from me on Monday) (rotated from abcdefgh on 2026-11-29)"
        );
    }

    #[test]
    fn a_long_description_is_cut_to_fit() {
        for old in [
            "x".repeat(250),
            "é".repeat(249),
            format!("{} tail", "y".repeat(240)),
        ] {
            let new = rotated_description(&old, "abcdefgh", "2026-11-29");
            assert_eq!(new.chars().count(), MAX_DESCRIPTION_CHARS, "{new}");
            assert!(
                new.ends_with("... (rotated from abcdefgh on 2026-11-29)"),
                "{new}"
            );
            assert!(new.starts_with(&old[..10]), "{new}");
        }
        let fits = "z".repeat(MAX_DESCRIPTION_CHARS - 38);
        let new = rotated_description(&fits, "abcdefgh", "2026-11-29");
        assert_eq!(new, format!("{fits} (rotated from abcdefgh on 2026-11-29)"));
        assert_eq!(new.chars().count(), MAX_DESCRIPTION_CHARS);
    }
}
