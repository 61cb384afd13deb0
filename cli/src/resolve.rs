//! What each key given to `delete` comes to: a key ID or a public key,
//! resolved with the run's one listing of the organization, repeats
//! dropped, and the key the command is signed in with set apart.

use crate::exit::Category;
use crate::record::no_such_public_key;
use crate::report::Report;
use atlas_admin::{is_public_key, ApiKey};
use serde_json::{json, Value};
use std::collections::HashSet;

/// A key to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// As given: an ID, a public key, or something the core will refuse.
    pub given: String,
    /// The ID sent: the listed key's, else what was given.
    pub id: String,
    /// Its public key, when known.
    pub public_key: Option<String>,
    /// Its description, when known.
    pub description: Option<String>,
    /// Whether it is the API key this command is signed in with.
    pub own: bool,
}

impl Target {
    /// Its `id` and `public_key` for the report, and its `description`
    /// when `described`; `null` where unknown.
    pub fn fields(&self, described: bool) -> Vec<(&'static str, Value)> {
        let mut fields = vec![
            ("id", json!(self.id)),
            ("public_key", json!(self.public_key)),
        ];
        if described {
            fields.push(("description", json!(self.description)));
        }
        fields
    }

    /// This target with what the listed `key` says about it.
    fn known_as(mut self, key: &ApiKey) -> Self {
        self.id.clone_from(&key.id);
        self.public_key = Some(key.public_key.clone());
        self.description = Some(key.description.clone());
        self
    }
}

/// The `id` and `public_key` of a key known only as given: one of them
/// is what was given, the other is `null`.
pub fn given_fields(key: &str) -> Vec<(&'static str, Value)> {
    if is_public_key(key) {
        vec![("id", Value::Null), ("public_key", json!(key))]
    } else {
        vec![("id", json!(key)), ("public_key", Value::Null)]
    }
}

/// What becomes of one given key.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Delete it.
    Delete(Target),
    /// Nothing to send: its report (no key has that public key, or it is
    /// the caller's own).
    Report(Report),
}

/// The keys a listing must find for `given`: the public keys given, the
/// IDs given (so reports name both forms), and `caller`'s public key.
pub fn wanted(given: &[String], caller: Option<&str>) -> (HashSet<String>, HashSet<String>) {
    let (public_keys, ids): (Vec<&String>, Vec<&String>) =
        given.iter().partition(|key| is_public_key(key));
    let mut public_keys: HashSet<String> = public_keys.into_iter().cloned().collect();
    public_keys.extend(caller.map(str::to_owned));
    (public_keys, ids.into_iter().cloned().collect())
}

/// What the run does, in input order, for keys `given` of organization
/// `org`, with `listed` the keys its listing found (`None` when it did not
/// list). `caller` is the public key the command is signed in with; its
/// key is refused unless `allow_self`. A public key no key has is not
/// found (or, with `missing_ok`, already gone). A key given twice
/// (also once by ID and once by public key) is kept once.
pub fn plan(
    given: &[String],
    listed: Option<&[ApiKey]>,
    org: &str,
    caller: Option<&str>,
    allow_self: bool,
    missing_ok: bool,
) -> Vec<Step> {
    let listed = listed.unwrap_or_default();
    let mut seen = HashSet::new();
    let mut steps = Vec::new();
    for key in given {
        let target = Target {
            given: key.clone(),
            id: key.clone(),
            public_key: None,
            description: None,
            own: false,
        };
        let target = if is_public_key(key) {
            match listed.iter().find(|k| &k.public_key == key) {
                Some(found) => target.known_as(found),
                None => {
                    // Found missing by the listing: no request of its own.
                    let missing = no_such_public_key(org, key);
                    let report = if missing_ok {
                        Report::already_gone_unlisted(key, missing.message.unwrap_or_default())
                    } else {
                        Report {
                            attempts: Some(0),
                            ..missing
                        }
                    };
                    steps.push(Step::Report(report.with_fields(given_fields(key))));
                    continue;
                }
            }
        } else {
            match listed.iter().find(|k| &k.id == key) {
                Some(found) => target.known_as(found),
                None => target,
            }
        };
        if !seen.insert(target.id.clone()) {
            continue;
        }
        let own = caller.is_some() && target.public_key.as_deref() == caller;
        let target = Target { own, ..target };
        if own && !allow_self {
            let message = "refused: it is the API key this command is signed in with, and \
                           deleting it would lock the command out; give --allow-self to \
                           delete it (after the others)"
                .to_owned();
            let report = Report {
                attempts: Some(0),
                ..Report::refused(&target.given, Category::OwnKey, message)
            }
            .with_fields(target.fields(false));
            steps.push(Step::Report(report));
        } else {
            steps.push(Step::Delete(target));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Outcome;

    const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";

    fn key(id: &str, public_key: &str) -> ApiKey {
        serde_json::from_value(json!({"id": id, "publicKey": public_key, "desc": "d", "roles": []}))
            .unwrap()
    }

    fn given(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn public_keys_become_ids_and_ids_learn_their_public_keys() {
        let listed = [
            key("6a1b2c3d4e5f6a7b8c000000", "aaaaaaaa"),
            key("6a1b2c3d4e5f6a7b8c000001", "bbbbbbbb"),
        ];
        let steps = plan(
            &given(&[
                "bbbbbbbb",
                "6a1b2c3d4e5f6a7b8c000000",
                "zzzzzzzz",
                "6a1b2c3d4e5f6a7b8c0000ff",
            ]),
            Some(&listed),
            ORG,
            None,
            false,
            false,
        );
        let Step::Delete(first) = &steps[0] else {
            panic!("{steps:?}")
        };
        assert_eq!(
            (first.id.as_str(), first.given.as_str()),
            ("6a1b2c3d4e5f6a7b8c000001", "bbbbbbbb")
        );
        let Step::Delete(second) = &steps[1] else {
            panic!("{steps:?}")
        };
        assert_eq!(second.public_key.as_deref(), Some("aaaaaaaa"));
        assert_eq!(second.description.as_deref(), Some("d"));
        let Step::Report(missing) = &steps[2] else {
            panic!("{steps:?}")
        };
        assert_eq!(missing.outcome, Outcome::NotFound);
        assert!(missing.message.as_deref().unwrap().contains("zzzzzzzz"));
        let Step::Delete(unlisted) = &steps[3] else {
            panic!("{steps:?}")
        };
        assert_eq!(
            (unlisted.id.as_str(), unlisted.public_key.as_deref()),
            ("6a1b2c3d4e5f6a7b8c0000ff", None)
        );
    }

    #[test]
    fn a_key_named_both_ways_is_deleted_once() {
        let listed = [key("6a1b2c3d4e5f6a7b8c000000", "aaaaaaaa")];
        let steps = plan(
            &given(&["aaaaaaaa", "6a1b2c3d4e5f6a7b8c000000"]),
            Some(&listed),
            ORG,
            None,
            false,
            false,
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
    }

    #[test]
    fn the_callers_own_key_is_refused_unless_allowed() {
        let listed = [
            key("6a1b2c3d4e5f6a7b8c000000", "aaaaaaaa"),
            key("6a1b2c3d4e5f6a7b8c000001", "bbbbbbbb"),
        ];
        let keys = given(&["6a1b2c3d4e5f6a7b8c000000", "bbbbbbbb"]);
        let steps = plan(&keys, Some(&listed), ORG, Some("aaaaaaaa"), false, false);
        let Step::Report(refused) = &steps[0] else {
            panic!("{steps:?}")
        };
        assert_eq!(refused.category, Some(Category::OwnKey));
        assert!(matches!(&steps[1], Step::Delete(t) if !t.own));
        let steps = plan(&keys, Some(&listed), ORG, Some("aaaaaaaa"), true, false);
        assert!(matches!(&steps[0], Step::Delete(t) if t.own));
    }

    #[test]
    fn missing_ok_takes_an_unknown_public_key_as_gone() {
        let steps = plan(&given(&["zzzzzzzz"]), Some(&[]), ORG, None, false, true);
        let Step::Report(report) = &steps[0] else {
            panic!("{steps:?}")
        };
        assert_eq!(report.outcome, Outcome::AlreadyGone);
        assert_eq!(report.attempts, Some(0), "nothing was sent for it");
        assert!(report.message.as_deref().unwrap().contains("zzzzzzzz"));
        let steps = plan(&given(&["zzzzzzzz"]), Some(&[]), ORG, None, false, false);
        let Step::Report(report) = &steps[0] else {
            panic!("{steps:?}")
        };
        assert_eq!(
            (report.outcome, report.attempts),
            (Outcome::NotFound, Some(0))
        );
    }

    #[test]
    fn the_listing_looks_for_public_keys_ids_and_the_caller() {
        let (public_keys, ids) = wanted(
            &given(&["aaaaaaaa", "6a1b2c3d4e5f6a7b8c000000", "junk"]),
            Some("cccccccc"),
        );
        assert_eq!(
            public_keys,
            ["aaaaaaaa", "cccccccc"].map(String::from).into()
        );
        assert_eq!(
            ids,
            ["6a1b2c3d4e5f6a7b8c000000", "junk"]
                .map(String::from)
                .into()
        );
    }
}
