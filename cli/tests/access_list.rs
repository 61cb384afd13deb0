//! `org-api-keys access-list list`, `add` and `delete` against the mock,
//! on Atlas v1.0 and v2.

mod support;

use atlas_admin_mock::{AccessListEntry, ApiKey, MockAtlas};
use support::*;

const K1: &str = "6a1b2c3d4e5f6a7b8c9d0001";

fn seeded() -> MockAtlas {
    let key = ApiKey {
        access_list: vec![
            AccessListEntry::cidr("10.0.0.0/24"),
            AccessListEntry::ip("192.0.2.1"),
        ],
        ..record(K1, "leakedkk", "CI deploy", &["ORG_MEMBER"])
    };
    mock_with_records(vec![own_record(), key])
}

/// `org-api-keys access-list SUBCOMMAND` reached by `flavour`.
fn access_list(flavour: &[String], subcommand: &str, args: &[&str]) -> Run {
    let mut all = flavour.to_vec();
    all.extend(args.iter().map(|a| a.to_string()));
    run_command(keys_command(&["access-list", subcommand], &all), None)
}

/// The CIDR blocks of `atlas`'s key `K1`.
fn blocks(atlas: &MockAtlas) -> Vec<String> {
    let key = atlas.api_key(ORG, K1).unwrap();
    key.access_list.into_iter().map(|e| e.cidr_block).collect()
}

#[test]
fn lists_adds_and_deletes_entries_by_id_or_public_key_on_v1_and_v2() {
    for (flavour, key) in [(0, K1), (1, "leakedkk")] {
        let atlas = seeded();
        let flavour = &flavours(&atlas)[flavour];
        let run = access_list(flavour, "list", &[key]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            run.stdout,
            "CIDR BLOCK    IP ADDRESS\n10.0.0.0/24   -\n192.0.2.1/32  192.0.2.1\n"
        );

        let run = access_list(flavour, "add", &[key, "203.0.113.7", "2001:db8::/48"]);
        assert_eq!(run.code, 0, "{run:?}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert!(lines.contains(&"203.0.113.7/32  203.0.113.7"), "{run:?}");
        assert!(lines.contains(&"2001:db8::/48   -"), "{run:?}");
        assert_eq!(
            blocks(&atlas),
            [
                "10.0.0.0/24",
                "192.0.2.1/32",
                "203.0.113.7/32",
                "2001:db8::/48"
            ]
        );

        let run = access_list(flavour, "delete", &[key, "10.0.0.0/24"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, format!("deleted 10.0.0.0/24 (key {K1})\n"));
        assert_eq!(
            blocks(&atlas),
            ["192.0.2.1/32", "203.0.113.7/32", "2001:db8::/48"]
        );

        // Deleting it again: Atlas says the entry does not exist.
        let run = access_list(flavour, "delete", &[key, "10.0.0.0/24", "--output", "json"]);
        assert_eq!(run.code, 3, "{run:?}");
        let (lines, summary) = run.results();
        assert_eq!(lines[0]["entry"], "10.0.0.0/24");
        assert_eq!(lines[0]["key"], K1);
        assert_eq!(lines[0]["outcome"], "not_found");
        assert_eq!(
            lines[0]["error_code"],
            "API_KEY_ACCESS_LIST_ENTRY_NOT_FOUND"
        );
        assert_eq!(summary["exit_code"], 3);
    }
}

#[test]
fn json_gives_an_object_per_entry_then_the_summary() {
    let atlas = seeded();
    let run = org_keys(&atlas, &["access-list", "list"], &[K1, "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let (entries, summary) = run.results();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["cidr_block"], "10.0.0.0/24");
    assert!(entries[0]["ip_address"].is_null());
    assert_eq!(entries[1]["ip_address"], "192.0.2.1");
    assert_eq!(summary["summary"]["entries"], 2);
}

#[test]
fn a_key_that_does_not_exist_exits_3() {
    let atlas = seeded();
    for key in ["6a1b2c3d4e5f6a7b8c9d0fff", "zzzzzzzz"] {
        let run = org_keys(&atlas, &["access-list", "add"], &[key, "192.0.2.9"]);
        assert_eq!(run.code, 3, "{key}: {run:?}");
        assert_eq!(run.stdout, "");
    }
    assert_eq!(atlas.stats().access_added, 0);
}

#[test]
fn a_malformed_ip_or_cidr_is_refused_with_nothing_sent() {
    for (subcommand, entry) in [
        ("add", "192.0.2.300"),
        ("add", "10.0.0.0/33"),
        ("add", "example.com"),
        ("delete", "10.0.0.0/"),
        ("delete", "2001:db8::/129"),
    ] {
        let atlas = seeded();
        let args = if subcommand == "add" {
            vec![K1, "192.0.2.8", entry]
        } else {
            vec![K1, entry]
        };
        let run = org_keys(&atlas, &["access-list", subcommand], &args);
        assert_eq!(run.code, 8, "{subcommand} {entry}: {run:?}");
        // add prints a table (its failure on stderr), delete a line.
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains("invalid argument"), "{run:?}");
        assert!(said.contains(entry), "{run:?}");
        assert_eq!(
            atlas.stats().requests,
            0,
            "{subcommand} {entry}: sent something"
        );
        assert_eq!(blocks(&atlas), ["10.0.0.0/24", "192.0.2.1/32"]);
    }
}
