//! `org-api-keys list`, `get` and `update` against the mock, on Atlas v1.0
//! and v2, and their bad inputs, refused with nothing sent.

mod support;

use atlas_admin_mock::MockAtlas;
use support::*;

const K1: &str = "6a1b2c3d4e5f6a7b8c9d0001";
const K2: &str = "6a1b2c3d4e5f6a7b8c9d0002";
/// A description Atlas may hold that would break a line or a column.
const HOSTILE: &str = "CI deploy\nsecond line\tand a \u{1b}[31mred\u{1b}[0m tail";

fn seeded() -> MockAtlas {
    mock_with_records(vec![
        own_record(),
        record(K1, "leakedkk", HOSTILE, &["ORG_MEMBER", "ORG_READ_ONLY"]),
        record(K2, "cleanabc", "clé de déploiement", &["ORG_READ_ONLY"]),
    ])
}

/// `org-api-keys SUBCOMMAND` against `atlas` reached by `flavour`.
fn run_on(flavour: &[String], subcommand: &[&str], args: &[&str]) -> Run {
    let mut all = flavour.to_vec();
    all.extend(args.iter().map(|a| a.to_string()));
    run_command(keys_command(subcommand, &all), None)
}

/// The character offset of `needle` in `line`.
fn column_of(line: &str, needle: &str) -> usize {
    let byte = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    line[..byte].chars().count()
}

#[test]
fn list_prints_an_aligned_table_with_one_line_per_key_on_v1_and_v2() {
    let atlas = seeded();
    for flavour in flavours(&atlas) {
        let run = run_on(&flavour, &["list"], &[]);
        assert_eq!(run.code, 0, "{flavour:?}: {run:?}");
        assert_eq!(run.stderr, "");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 4, "a header and one line per key: {run:?}");
        let header = lines[0];
        assert!(header.starts_with("ID  "), "{header}");
        let columns = ["PUBLIC KEY", "DESCRIPTION", "ROLES"].map(|h| column_of(header, h));
        let rows = [
            (
                OWN_KEY,
                PUBLIC,
                "the key the tests sign in with",
                "ORG_OWNER",
            ),
            (
                K1,
                "leakedkk",
                "CI deploy\\nsecond line\\tand a \\u{1b}[31mred\\u{1b}[0m tail",
                "ORG_MEMBER,ORG_READ_ONLY",
            ),
            (K2, "cleanabc", "clé de déploiement", "ORG_READ_ONLY"),
        ];
        for (line, (id, public_key, description, roles)) in lines[1..].iter().zip(rows) {
            assert!(line.starts_with(id), "{line}");
            assert_eq!(column_of(line, public_key), columns[0], "{line}");
            assert_eq!(column_of(line, description), columns[1], "{line}");
            assert_eq!(column_of(line, roles), columns[2], "{line}");
            assert!(!line.contains('\u{1b}'), "no raw escape: {line:?}");
        }
    }
}

#[test]
fn list_in_json_gives_an_object_per_key_then_the_summary() {
    let atlas = seeded();
    for flavour in flavours(&atlas) {
        let run = run_on(&flavour, &["list"], &["--output", "json"]);
        assert_eq!(run.code, 0, "{run:?}");
        let (keys, summary) = run.results();
        assert_eq!(keys.len(), 3);
        for key in &keys {
            let fields: Vec<&String> = key.as_object().unwrap().keys().collect();
            assert_eq!(
                fields,
                ["description", "id", "public_key", "roles"],
                "{key}"
            );
        }
        assert_eq!(keys[1]["id"], K1);
        assert_eq!(keys[1]["public_key"], "leakedkk");
        assert_eq!(keys[1]["description"], HOSTILE);
        assert_eq!(
            keys[1]["roles"],
            serde_json::json!(["ORG_MEMBER", "ORG_READ_ONLY"])
        );
        assert_eq!(summary["summary"]["keys"], 3);
        assert_eq!(summary["exit_code"], 0);
    }
}

#[test]
fn list_reads_every_page() {
    let atlas = mock(1_001);
    let run = org_keys(&atlas, &["list"], &["--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let (keys, summary) = run.results();
    assert_eq!(keys.len(), 1_001);
    assert_eq!(summary["summary"]["listed"], 1_001);
    assert_eq!(atlas.stats().listed, 3, "500 a page: {:?}", atlas.stats());
}

#[test]
fn list_of_an_unknown_organization_exits_3() {
    let atlas = seeded();
    let mut command = command(Some(PRIVATE));
    command
        .args([
            "org-api-keys",
            "list",
            "--org",
            "5f1a2b3c4d5e6f7a8b9c0d99",
            "--base-url",
        ])
        .arg(atlas.base_url());
    let run = run_command(command, None);
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("ORG_NOT_FOUND"), "{run:?}");
}

#[test]
fn get_by_id_or_public_key_on_v1_and_v2() {
    let atlas = seeded();
    for flavour in flavours(&atlas) {
        for key in [K1, "leakedkk"] {
            atlas.reset_stats();
            let run = run_on(&flavour, &["get"], &[key]);
            assert_eq!(run.code, 0, "{run:?}");
            let lines: Vec<&str> = run.stdout.lines().collect();
            assert_eq!(lines.len(), 2, "{run:?}");
            assert!(
                lines[1].starts_with(&format!("{K1}  leakedkk    CI deploy\\n")),
                "{run:?}"
            );
            let stats = atlas.stats();
            if key == K1 {
                assert_eq!((stats.fetched, stats.listed), (1, 0), "{stats:?}");
            } else {
                assert_eq!((stats.fetched, stats.listed), (0, 1), "{stats:?}");
            }
        }
        let run = run_on(&flavour, &["get"], &["cleanabc", "--output", "json"]);
        assert_eq!(run.code, 0, "{run:?}");
        let lines = run.json();
        assert_eq!(lines.len(), 1, "one object, no summary: {run:?}");
        assert_eq!(lines[0]["id"], K2);
        assert_eq!(lines[0]["description"], "clé de déploiement");
    }
}

#[test]
fn get_of_a_missing_key_exits_3_on_v1_and_v2() {
    let atlas = seeded();
    for (flavour, status) in flavours(&atlas).iter().zip([400, 404]) {
        let missing = "6a1b2c3d4e5f6a7b8c9d0fff";
        let run = run_on(flavour, &["get"], &[missing]);
        assert_eq!(run.code, 3, "{run:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.contains("API_KEY_NOT_FOUND"), "{run:?}");
        let run = run_on(flavour, &["get"], &[missing, "--output", "json"]);
        assert_eq!(run.code, 3, "{run:?}");
        let line = &run.json()[0];
        assert_eq!(line["key"], missing);
        assert_eq!(line["outcome"], "not_found");
        assert_eq!(line["http_status"], status);

        let run = run_on(flavour, &["get"], &["zzzzzzzz"]);
        assert_eq!(run.code, 3, "{run:?}");
        assert!(
            run.stderr.contains(&format!(
                "organization {ORG} has no API key with public key zzzzzzzz"
            )),
            "{run:?}"
        );
    }
}

#[test]
fn update_changes_the_description_and_roles_on_v1_and_v2() {
    let atlas = seeded();
    for (flavour, n) in flavours(&atlas).iter().zip(1..) {
        let desc = format!("renamed {n}");
        let run = run_on(
            flavour,
            &["update"],
            &[
                "leakedkk",
                "--desc",
                &desc,
                "--role",
                "ORG_BILLING_ADMIN",
                "--role",
                "ORG_MEMBER",
            ],
        );
        assert_eq!(run.code, 0, "{run:?}");
        let row = run.stdout.lines().nth(1).unwrap();
        assert!(
            row.starts_with(&format!("{K1}  leakedkk    {desc}  ")),
            "{run:?}"
        );
        assert!(row.ends_with("  ORG_BILLING_ADMIN,ORG_MEMBER"), "{run:?}");
        let stored = atlas.api_key(ORG, K1).unwrap();
        assert_eq!(stored.desc, desc);
        assert_eq!(stored.roles, ["ORG_BILLING_ADMIN", "ORG_MEMBER"]);
    }
    let run = org_keys(
        &atlas,
        &["update"],
        &[K2, "--desc", "only this", "--output", "json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let line = &run.json()[0];
    assert_eq!(line["description"], "only this");
    assert_eq!(line["roles"], serde_json::json!(["ORG_READ_ONLY"]));
    assert_eq!(atlas.api_key(ORG, K2).unwrap().roles, ["ORG_READ_ONLY"]);
}

/// Runs `args` against a fresh mock and checks that it failed with `code`,
/// saying `why` on standard error, with nothing sent.
fn refused(subcommand: &[&str], args: &[&str], code: i32, why: &str) {
    let atlas = seeded();
    let run = org_keys(&atlas, subcommand, args);
    assert_eq!(run.code, code, "{subcommand:?} {args:?}: {run:?}");
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains(why), "{subcommand:?} {args:?}: {run:?}");
    assert_eq!(
        atlas.stats().requests,
        0,
        "{subcommand:?} {args:?}: sent something"
    );
    let stored = atlas.api_key(ORG, K1).unwrap();
    assert_eq!((stored.desc.as_str(), stored.roles.len()), (HOSTILE, 2));
}

#[test]
fn a_bad_key_id_is_refused_with_nothing_sent() {
    refused(
        &["get"],
        &["6a1b2c3d4e5f6a7b8c9d0g01"],
        8,
        "invalid argument `api_key_id`",
    );
    refused(
        &["update"],
        &["6A1B2C3D4E5F6A7B8C9D0001", "--desc", "x"],
        8,
        "`api_key_id`",
    );
    refused(&["access-list", "list"], &["../orgs"], 8, "`api_key_id`");
}

#[test]
fn a_bad_organization_id_is_refused_with_nothing_sent() {
    let atlas = seeded();
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "list", "--org", "not-an-org", "--base-url"])
        .arg(atlas.base_url());
    let run = run_command(command, None);
    assert_eq!(run.code, 8, "{run:?}");
    assert!(run.stderr.contains("`org_id`"), "{run:?}");
    assert_eq!(atlas.stats().requests, 0);
}

#[test]
fn a_role_outside_the_list_is_refused_with_nothing_sent() {
    refused(
        &["update"],
        &[K1, "--role", "ORG_GOD"],
        8,
        "\"ORG_GOD\" is not an organization role",
    );
    refused(&["update"], &[K1, "--role", "org_member"], 8, "`roles`");
}

#[test]
fn an_empty_or_too_long_description_is_refused_with_nothing_sent() {
    refused(
        &["update"],
        &[K1, "--desc", ""],
        8,
        "`description`: must not be empty",
    );
    refused(
        &["update"],
        &[K1, "--desc", &"d".repeat(251)],
        8,
        "is 251 characters",
    );
    refused(
        &["update"],
        &[K1, "--desc", "two\nlines"],
        8,
        "control characters",
    );
}

#[test]
fn update_needs_something_to_change() {
    refused(&["update"], &[K1], 2, "--desc");
}

#[test]
fn an_update_by_public_key_that_no_key_has_exits_3() {
    let atlas = seeded();
    let run = org_keys(&atlas, &["update"], &["zzzzzzzz", "--desc", "x"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr.contains("no API key with public key zzzzzzzz"),
        "{run:?}"
    );
    assert_eq!((atlas.stats().updated, atlas.stats().listed), (0, 1));
}
