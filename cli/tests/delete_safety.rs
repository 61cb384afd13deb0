//! `org-api-keys delete` by public key with one listing per run,
//! `--dry-run`, `--verify`, and the guard on the key the command is
//! signed in with.

mod support;

use atlas_admin_mock::{ApiKey, Fault, MockAtlas};
use support::*;

/// The IDs of the keys seeded beside the caller's own.
fn id(i: usize) -> String {
    format!("6a1b2c3d4e5f6a7b8c9d{i:04x}")
}

/// Their public keys: `pubkey00`, `pubkey01`...
fn public(i: usize) -> String {
    format!("pubkey{i:02}")
}

/// The caller's own key and `n` others.
fn seeded(n: usize) -> MockAtlas {
    let mut records = vec![own_record()];
    records.extend((1..=n).map(|i| {
        record(
            &id(i),
            &public(i),
            &format!("key number {i}"),
            &["ORG_MEMBER"],
        )
    }));
    mock_with_records(records)
}

fn deletes(atlas: &MockAtlas) -> usize {
    atlas
        .recent_requests()
        .iter()
        .filter(|r| r.method == "DELETE")
        .count()
}

#[test]
fn public_keys_are_resolved_with_one_listing_on_v1_and_v2() {
    for n in 0..2 {
        let atlas = seeded(12);
        let mut args = flavours(&atlas)[n].clone();
        args.extend([
            "--concurrency".into(),
            "4".into(),
            id(1),
            public(2),
            public(3),
        ]);
        args.extend((4..=12).map(public));
        let run = run_command(keys_command(&["delete"], &args), None);
        assert_eq!(run.code, 0, "{run:?}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 12, "{run:?}");
        assert_eq!(
            lines[0],
            format!("deleted {} (public key {})", id(1), public(1))
        );
        assert_eq!(lines[1], format!("deleted {} (id {})", public(2), id(2)));
        for i in 1..=12 {
            assert!(!atlas.has_key(ORG, &id(i)), "{i}");
        }
        assert!(atlas.has_key(ORG, OWN_KEY));
        let stats = atlas.stats();
        assert_eq!(stats.listed, 1, "one listing for the run: {stats:?}");
        assert_eq!(stats.deleted, 12, "{stats:?}");
    }
}

#[test]
fn a_listing_of_many_pages_is_still_one_listing_per_run() {
    // 1,200 keys: the listing reads pages until every key given is found.
    let mut records = vec![own_record()];
    records.extend((1..=1_200).map(|i| ApiKey::with_id(id(i))));
    let atlas = mock_with_records(records);
    let last = atlas.api_key(ORG, &id(1_200)).unwrap().public_key;
    let first = atlas.api_key(ORG, &id(1)).unwrap().public_key;
    let run = org_keys(&atlas, &["delete"], &[&first, &last]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        atlas.stats().listed,
        3,
        "one listing of three pages: {:?}",
        atlas.stats()
    );
    assert_eq!(atlas.stats().deleted, 2);
}

#[test]
fn a_public_key_no_key_has_is_not_found_and_named_in_both_forms_in_json() {
    let atlas = seeded(2);
    let run = org_keys(&atlas, &["delete"], &["zzzzzzzz", &public(1), &id(2)]);
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        format!("not found zzzzzzzz (organization {ORG} has no API key with public key zzzzzzzz)")
    );
    assert_eq!(atlas.stats().deleted, 2);

    let atlas = seeded(2);
    let run = org_keys(
        &atlas,
        &["delete"],
        &["--output", "json", "zzzzzzzz", &public(1), &id(2)],
    );
    let (lines, summary) = run.results();
    assert_eq!(lines[0]["key"], "zzzzzzzz");
    assert_eq!(lines[0]["outcome"], "not_found");
    assert!(lines[0]["id"].is_null());
    assert_eq!(lines[0]["public_key"], "zzzzzzzz");
    assert_eq!(lines[1]["key"], public(1));
    assert_eq!(lines[1]["id"], id(1));
    assert_eq!(lines[1]["public_key"], public(1));
    assert_eq!(lines[2]["key"], id(2));
    assert_eq!(lines[2]["public_key"], public(2));
    assert_eq!(summary["summary"]["not_found"], 1);
    assert_eq!(summary["exit_code"], 3);
}

#[test]
fn a_key_given_by_id_and_by_public_key_is_deleted_once() {
    let atlas = seeded(1);
    let run = org_keys(&atlas, &["delete"], &[&id(1), &public(1)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 1, "{run:?}");
    assert_eq!(atlas.stats().deleted, 1);
}

#[test]
fn dry_run_shows_what_would_go_and_sends_no_delete() {
    let atlas = seeded(3);
    let run = org_keys(&atlas, &["delete"], &["--dry-run", &public(1), &id(2)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "would delete {} (id {}, description \"key number 1\")\n\
             would delete {} (public key {}, description \"key number 2\")\n",
            public(1),
            id(1),
            id(2),
            public(2)
        )
    );
    assert_eq!(
        text_summary(&run.stderr),
        "atlas-admin: 2 keys: 2 would delete"
    );
    let run = org_keys(
        &atlas,
        &["delete"],
        &["--dry-run", "--output", "json", &public(3)],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let (lines, summary) = run.results();
    assert_eq!(lines[0]["outcome"], "would_delete");
    assert_eq!(lines[0]["id"], id(3));
    assert_eq!(lines[0]["description"], "key number 3");
    assert_eq!(summary["summary"]["would_delete"], 1);
    assert_eq!(deletes(&atlas), 0);
    assert_eq!(atlas.stats().deleted, 0);
    for i in 1..=3 {
        assert!(atlas.has_key(ORG, &id(i)));
    }
}

#[test]
fn dry_run_predicts_what_the_run_would_refuse() {
    let atlas = seeded(1);
    let missing = "6a1b2c3d4e5f6a7b8c9dffff";
    let run = org_keys(
        &atlas,
        &["delete"],
        &["--dry-run", &id(1), missing, "bad-id"],
    );
    assert_eq!(run.code, 8, "not found and invalid: {run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("would delete"), "{run:?}");
    assert_eq!(lines[1], format!("not found {missing} (API_KEY_NOT_FOUND)"));
    assert!(
        lines[2].starts_with("failed bad-id: invalid argument `api_key_id`"),
        "{run:?}"
    );
    let run = org_keys(&atlas, &["delete"], &["--dry-run", OWN_KEY]);
    assert_eq!(run.code, 9, "{run:?}");
    assert_eq!(deletes(&atlas), 0);
}

#[test]
fn verify_reads_each_key_back_and_passes_when_it_is_gone() {
    for n in 0..2 {
        let atlas = seeded(3);
        let mut args = flavours(&atlas)[n].clone();
        args.extend(["--verify".into(), id(1), public(2), id(3)]);
        let run = run_command(keys_command(&["delete"], &args), None);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout.lines().count(), 3);
        let stats = atlas.stats();
        assert_eq!((stats.deleted, stats.fetched), (3, 0), "{stats:?}");
        // Each read back was answered "no such key", which is not counted
        // as a key fetched.
        let reads = atlas
            .recent_requests()
            .iter()
            .filter(|r| r.method == "GET" && r.target.contains("/apiKeys/"))
            .count();
        assert_eq!(reads, 3);
    }
}

#[test]
fn verify_fails_with_exit_10_when_the_key_is_still_there() {
    let atlas = seeded(2);
    // The listing (a challenge and the page) goes through; the delete is
    // answered 200 by a fault and the key stays.
    atlas.inject(Fault::Delay { millis: 0 }, 2);
    atlas.inject(Fault::status(200), 1);
    let run = org_keys(
        &atlas,
        &["delete"],
        &["--verify", "--concurrency", "1", &id(1), &id(2)],
    );
    assert_eq!(run.code, 10, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "failed {} (public key {}): the delete was answered with success, but the key still \
             exists when read back",
            id(1),
            public(1)
        )
    );
    assert_eq!(
        lines[1],
        format!("deleted {} (public key {})", id(2), public(2))
    );
    assert!(atlas.has_key(ORG, &id(1)));

    // Without --verify, the same answer passes for a delete.
    atlas.inject(Fault::Delay { millis: 0 }, 2);
    atlas.inject(Fault::status(200), 1);
    let run = org_keys(&atlas, &["delete"], &["--output", "json", &id(1)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(atlas.has_key(ORG, &id(1)));
    atlas.inject(Fault::Delay { millis: 0 }, 2);
    atlas.inject(Fault::status(200), 1);
    let run = org_keys(
        &atlas,
        &["delete"],
        &["--verify", "--output", "json", &id(1)],
    );
    let (lines, summary) = run.results();
    assert_eq!(lines[0]["outcome"], "failed");
    // The delete's own answer, the success that was not one.
    assert_eq!(lines[0]["http_status"], 200, "{}", lines[0]);
    assert_eq!(lines[0]["attempts"], 1, "{}", lines[0]);
    assert_eq!(summary["exit_code"], 10);
}

#[test]
fn verify_against_a_server_that_keeps_the_key_exits_10() {
    // A server that answers every delete 204 and every read with the key.
    let key = format!(
        r#"{{"id":"{}","publicKey":"{}","desc":"kept","roles":[]}}"#,
        id(1),
        public(1)
    );
    let listing = format!(r#"{{"results":[{key}],"totalCount":1}}"#);
    let json = &["Content-Type: application/json"][..];
    let server = CannedServer::routed(&[
        (
            "GET /api/atlas/v1.0/orgs/5f1a2b3c4d5e6f7a8b9c0d1e/apiKeys?",
            ("200 OK", json, &listing),
        ),
        ("GET ", ("200 OK", json, &key)),
        ("DELETE ", ("204 No Content", &[], "")),
    ]);
    let run = run_command(
        keys_command(
            &["delete"],
            &[
                "--base-url".into(),
                server.base_url.clone(),
                "--verify".into(),
                public(1),
            ],
        ),
        None,
    );
    assert_eq!(run.code, 10, "{run:?}");
    assert!(
        run.stdout.contains("still exists when read back"),
        "{run:?}"
    );
}

#[test]
fn the_key_the_command_signs_in_with_is_refused_with_exit_9() {
    for own in [OWN_KEY, PUBLIC] {
        let atlas = seeded(2);
        let run = org_keys(&atlas, &["delete"], &[&id(1), own, &id(2)]);
        assert_eq!(run.code, 9, "{run:?}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert!(lines[1].starts_with(&format!("failed {own} (")), "{run:?}");
        assert!(
            lines[1].contains("the API key this command is signed in with"),
            "{run:?}"
        );
        assert!(lines[1].contains("--allow-self"), "{run:?}");
        assert!(atlas.has_key(ORG, OWN_KEY));
        assert!(!atlas.has_key(ORG, &id(1)) && !atlas.has_key(ORG, &id(2)));
        assert_eq!(atlas.stats().listed, 1);
    }
    let atlas = seeded(0);
    let run = org_keys(&atlas, &["delete"], &["--output", "json", OWN_KEY]);
    let (lines, summary) = run.results();
    assert_eq!(lines[0]["outcome"], "failed");
    assert_eq!(lines[0]["public_key"], PUBLIC);
    assert_eq!(summary["exit_code"], 9);
}

#[test]
fn allow_self_deletes_the_callers_key_last() {
    let atlas = seeded(6);
    let mut args = vec!["--allow-self", "--verify", "--concurrency", "3", OWN_KEY];
    let others: Vec<String> = (1..=6).map(id).collect();
    args.extend(others.iter().map(String::as_str));
    let run = org_keys(&atlas, &["delete"], &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        format!("deleted {OWN_KEY} (public key {PUBLIC})")
    );
    assert!(atlas.api_keys(ORG).is_empty());
    let seen = atlas.recent_requests();
    let last_delete = seen.iter().rev().find(|r| r.method == "DELETE").unwrap();
    assert!(last_delete.target.ends_with(OWN_KEY), "{seen:?}");
}

/// `atlas-admin org-api-keys delete` signed in with the mock's service
/// account instead of an API key.
fn delete_as_service_account(atlas: &MockAtlas, args: &[&str]) -> Run {
    let mut command = command(None);
    command
        .env("MONGODB_ATLAS_CLIENT_ID", CLIENT_ID)
        .env("MONGODB_ATLAS_CLIENT_SECRET", CLIENT_SECRET)
        .args(["org-api-keys", "delete", "--base-url"])
        .arg(atlas.base_url())
        .args(["--org", ORG])
        .args(args);
    run_command(command, None)
}

#[test]
fn a_service_account_has_no_key_to_guard() {
    let atlas = seeded(1);
    let run = delete_as_service_account(&atlas, &[OWN_KEY, &id(1)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(atlas.api_keys(ORG).is_empty());
    assert_eq!(atlas.stats().listed, 0, "keys by ID need no listing");

    let atlas = seeded(1);
    let run = delete_as_service_account(&atlas, &[PUBLIC, &public(1)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(atlas.stats().listed, 1);
    assert!(atlas.api_keys(ORG).is_empty());
}
