//! `org-api-keys create` and `rotate` against the mock: where the private
//! key goes (a new 0600 file, or standard output alone), where it never
//! goes (standard error, JSON), and what a failure part-way leaves.

mod support;

use atlas_admin_mock::{AccessListEntry, ApiKey, Fault, MockAtlas, PRIVATE_KEY_MARKER};
use std::fs::OpenOptions;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use support::*;

const K1: &str = "6a1b2c3d4e5f6a7b8c9d0001";

fn seeded() -> MockAtlas {
    let key = ApiKey {
        access_list: vec![
            AccessListEntry::cidr("10.0.0.0/24"),
            AccessListEntry::ip("192.0.2.1"),
        ],
        ..record(
            K1,
            "leakedkk",
            "CI deploy",
            &["ORG_MEMBER", "ORG_READ_ONLY"],
        )
    };
    mock_with_records(vec![own_record(), key])
}

/// `org-api-keys SUBCOMMAND` reached by `flavour`, as a command to run.
fn command_on(flavour: &[String], subcommand: &str, args: &[&str]) -> std::process::Command {
    let mut all = flavour.to_vec();
    all.extend(args.iter().map(|a| a.to_string()));
    keys_command(&[subcommand], &all)
}

/// The key of `atlas` in `ORG` whose ID is not among `before`.
fn new_key(atlas: &MockAtlas, before: &[ApiKey]) -> ApiKey {
    let mut new: Vec<ApiKey> = atlas
        .api_keys(ORG)
        .into_iter()
        .filter(|k| !before.iter().any(|b| b.id == k.id))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    new.remove(0)
}

/// Checks that `path` holds `secret` and a line break, readable by its
/// owner only.
fn assert_secret_file(path: &Path, secret: &str) {
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        format!("{secret}\n")
    );
    let mode = std::fs::metadata(path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

/// Today's date in UTC, as `date -u +%F` says.
fn today() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%F"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn create_writes_the_private_key_to_a_new_0600_file_on_v1_and_v2() {
    let atlas = seeded();
    let dir = temp_dir("create");
    for (flavour, n) in flavours(&atlas).iter().zip(0..) {
        let before = atlas.api_keys(ORG);
        let file = dir.join(format!("key-{n}"));
        let args = [
            "--desc",
            "deploy bot",
            "--role",
            "ORG_MEMBER",
            "--role",
            "ORG_READ_ONLY",
            "--access-list",
            "203.0.113.0/24",
            "--access-list",
            "192.0.2.44",
            "--private-key-out",
            file.to_str().unwrap(),
        ];
        let run = run_command(command_on(flavour, "create", &args), None);
        assert_eq!(run.code, 0, "{run:?}");
        let key = new_key(&atlas, &before);
        assert!(key.private_key.starts_with(PRIVATE_KEY_MARKER), "{key:?}");
        assert_secret_file(&file, &key.private_key);
        assert_eq!(key.desc, "deploy bot");
        assert_eq!(key.roles, ["ORG_MEMBER", "ORG_READ_ONLY"]);
        let blocks: Vec<&str> = key
            .access_list
            .iter()
            .map(|e| e.cidr_block.as_str())
            .collect();
        assert_eq!(blocks, ["203.0.113.0/24", "192.0.2.44/32"]);
        assert_eq!(
            run.stdout,
            format!(
                "created \"deploy bot\" (id {}, public key {}, roles ORG_MEMBER,ORG_READ_ONLY, \
                 access list 203.0.113.0/24,192.0.2.44, private key file {})\n",
                key.id,
                key.public_key,
                file.display()
            )
        );
        assert_eq!(run.stderr, "");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn create_in_json_names_the_file_and_never_holds_the_private_key() {
    let atlas = seeded();
    let dir = temp_dir("create-json");
    let file = dir.join("key");
    let run = org_keys(
        &atlas,
        &["create"],
        &[
            "--desc",
            "json",
            "--role",
            "ORG_MEMBER",
            "--private-key-out",
            file.to_str().unwrap(),
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let key = new_key(&atlas, &[own_record(), atlas.api_key(ORG, K1).unwrap()]);
    assert!(!run.stdout.contains(&key.private_key), "{run:?}");
    assert!(!run.stdout.contains(PRIVATE_KEY_MARKER), "{run:?}");
    let (lines, summary) = run.results();
    assert_eq!(lines[0]["description"], "json");
    assert_eq!(lines[0]["outcome"], "created");
    assert_eq!(lines[0]["id"], key.id.as_str());
    assert_eq!(lines[0]["public_key"], key.public_key.as_str());
    assert_eq!(lines[0]["private_key_file"], file.to_str().unwrap());
    assert_eq!(summary["summary"]["created"], 1);
    assert_secret_file(&file, &key.private_key);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_existing_file_is_refused_before_anything_is_sent() {
    let atlas = seeded();
    let dir = temp_dir("create-exists");
    let file = dir.join("key");
    std::fs::write(&file, "an earlier secret\n").unwrap();
    for subcommand in [
        &["create", "--desc", "x", "--role", "ORG_MEMBER"][..],
        &["rotate", K1],
    ] {
        let mut args = subcommand[1..].to_vec();
        args.extend(["--private-key-out", file.to_str().unwrap()]);
        let run = org_keys(&atlas, &subcommand[..1], &args);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.contains(file.to_str().unwrap()), "{run:?}");
        assert!(run.stderr.contains("already exists"), "{run:?}");
        assert!(!run.stderr.contains("an earlier secret"), "{run:?}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "an earlier secret\n"
        );
    }
    assert_eq!(atlas.stats().requests, 0, "{:?}", atlas.stats());
    assert_eq!(atlas.stats().created, 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn private_key_out_dash_prints_the_key_alone_on_stdout() {
    let atlas = seeded();
    let before = atlas.api_keys(ORG);
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "create", "--base-url"])
        .arg(atlas.base_url())
        .args([
            "--org",
            ORG,
            "--desc",
            "piped",
            "--role",
            "ORG_MEMBER",
            "--private-key-out",
            "-",
        ]);
    let run = run_printing_a_secret(command);
    assert_eq!(run.code, 0, "{run:?}");
    let key = new_key(&atlas, &before);
    assert_eq!(run.stdout, format!("{}\n", key.private_key));
    assert!(run.stderr.starts_with("created piped (id "), "{run:?}");
    assert!(run.stderr.contains(&key.public_key), "{run:?}");
    assert!(!run.stderr.contains(&key.private_key), "{run:?}");

    // JSON and the private key cannot share standard output.
    let run = org_keys(
        &atlas,
        &["create"],
        &[
            "--desc",
            "x",
            "--role",
            "ORG_MEMBER",
            "--private-key-out",
            "-",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--private-key-out -"), "{run:?}");
    assert_eq!(atlas.stats().created, 1);
}

#[test]
fn a_private_key_that_cannot_be_written_says_the_key_exists_and_exits_11() {
    let atlas = seeded();
    let before = atlas.api_keys(ORG);
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "create", "--base-url"])
        .arg(atlas.base_url())
        .args([
            "--org",
            ORG,
            "--desc",
            "lost",
            "--role",
            "ORG_MEMBER",
            "--private-key-out",
            "-",
        ])
        .stdout(Stdio::from(
            OpenOptions::new().write(true).open("/dev/full").unwrap(),
        ));
    let run = run_command(command, None);
    assert_eq!(run.code, 11, "{run:?}");
    let key = new_key(&atlas, &before);
    assert!(run.stderr.starts_with("failed lost (id "), "{run:?}");
    for said in [
        format!("key {} (public key {}) was created", key.id, key.public_key),
        "could not be written to standard output".to_owned(),
        format!("org-api-keys delete --org {ORG} {}", key.id),
    ] {
        assert!(run.stderr.contains(&said), "{said}: {run:?}");
    }
    assert!(!run.stderr.contains(&key.private_key), "{run:?}");
}

#[test]
fn create_refuses_bad_input_with_nothing_sent_and_no_file_left() {
    let dir = temp_dir("create-bad");
    let file = dir.join("key");
    let long = "d".repeat(251);
    for (args, why) in [
        (
            &["--desc", "x", "--role", "ORG_GOD"][..],
            "\"ORG_GOD\" is not an organization role",
        ),
        (
            &["--desc", "", "--role", "ORG_MEMBER"],
            "`description`: must not be empty",
        ),
        (
            &["--desc", &long, "--role", "ORG_MEMBER"],
            "is 251 characters",
        ),
        (
            &[
                "--desc",
                "x",
                "--role",
                "ORG_MEMBER",
                "--access-list",
                "10.0.0.0/33",
            ],
            "10.0.0.0/33",
        ),
        (
            &[
                "--desc",
                "x",
                "--role",
                "ORG_MEMBER",
                "--access-list",
                "192.0.2.256",
            ],
            "192.0.2.256",
        ),
    ] {
        let atlas = seeded();
        let mut all = args.to_vec();
        all.extend(["--private-key-out", file.to_str().unwrap()]);
        let run = org_keys(&atlas, &["create"], &all);
        assert_eq!(run.code, 8, "{args:?}: {run:?}");
        assert!(run.stdout.contains(why), "{args:?}: {run:?}");
        assert_eq!(atlas.stats().requests, 0, "{args:?}: sent something");
        assert!(!file.exists(), "{args:?}: left {file:?}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn rotate_copies_roles_and_access_list_and_keeps_the_old_key_on_v1_and_v2() {
    let dir = temp_dir("rotate");
    for (n, key) in [(0, K1), (1, "leakedkk")] {
        let atlas = seeded();
        let flavour = &flavours(&atlas)[n];
        let before = atlas.api_keys(ORG);
        let file = dir.join(format!("key-{n}"));
        let day = today();
        let run = run_command(
            command_on(
                flavour,
                "rotate",
                &[key, "--private-key-out", file.to_str().unwrap()],
            ),
            None,
        );
        assert_eq!(run.code, 0, "{run:?}");
        let new = new_key(&atlas, &before);
        assert_secret_file(&file, &new.private_key);
        assert_eq!(new.roles, ["ORG_MEMBER", "ORG_READ_ONLY"]);
        let blocks: Vec<&str> = new
            .access_list
            .iter()
            .map(|e| e.cidr_block.as_str())
            .collect();
        assert_eq!(blocks, ["10.0.0.0/24", "192.0.2.1/32"]);
        assert!(
            [day.clone(), today()]
                .iter()
                .any(|d| new.desc == format!("CI deploy (rotated from leakedkk on {d})")),
            "{}",
            new.desc
        );
        assert!(atlas.has_key(ORG, K1), "the old key is kept");
        // The old key is named by the form not given.
        let old = if key == K1 {
            "public key leakedkk"
        } else {
            "id 6a1b2c3d4e5f6a7b8c9d0001"
        };
        assert_eq!(
            run.stdout,
            format!(
                "rotated {key} ({old}, new id {}, new public key {}, new description {:?}, \
                 private key file {}, old key kept)\n",
                new.id,
                new.public_key,
                new.desc,
                file.display()
            )
        );
        assert!(!run.stdout.contains(&new.private_key) && !run.stderr.contains(&new.private_key));
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn rotate_with_delete_old_deletes_it_after_the_rest() {
    let atlas = seeded();
    let dir = temp_dir("rotate-delete");
    let file = dir.join("key");
    let before = atlas.api_keys(ORG);
    let run = org_keys(
        &atlas,
        &["rotate"],
        &[
            "leakedkk",
            "--delete-old",
            "--private-key-out",
            file.to_str().unwrap(),
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let new = new_key(&atlas, &before);
    assert!(!atlas.has_key(ORG, K1), "the old key is deleted");
    assert!(!run.stdout.contains(PRIVATE_KEY_MARKER), "{run:?}");
    let (lines, _) = run.results();
    assert_eq!(lines[0]["outcome"], "rotated");
    assert_eq!(lines[0]["id"], K1);
    assert_eq!(lines[0]["new_id"], new.id.as_str());
    assert_eq!(lines[0]["new_public_key"], new.public_key.as_str());
    assert_eq!(lines[0]["old_key"], "deleted");
    assert_secret_file(&file, &new.private_key);
    // Read back, then deleted last.
    let seen = atlas.recent_requests();
    let tail: Vec<String> = seen
        .iter()
        .rev()
        .take(2)
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert!(
        tail[0].starts_with(&format!("DELETE /api/atlas/v1.0/orgs/{ORG}/apiKeys/{K1}")),
        "{tail:?}"
    );
    assert!(
        tail[1].starts_with(&format!(
            "GET /api/atlas/v1.0/orgs/{ORG}/apiKeys/{}",
            new.id
        )),
        "{tail:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_rotation_failing_part_way_says_exactly_which_keys_exist() {
    let dir = temp_dir("rotate-fail");
    // The requests of a rotation by ID: the Digest challenge, the old key,
    // its access list, the new key, its access list, the new key read
    // back, the old key's delete. The fault meets request `at` (0-based).
    for (at, fault, code, said) in [
        (
            4,
            Fault::status(500),
            8,
            "copying the access list to the new key failed",
        ),
        (6, Fault::status(403), 5, "deleting the old key failed"),
        (3, Fault::status(403), 5, "creating the new key failed"),
    ] {
        let atlas = seeded();
        let before = atlas.api_keys(ORG);
        let file = dir.join(format!("key-{at}"));
        atlas.inject(Fault::Delay { millis: 0 }, at);
        atlas.inject(fault, 1);
        let run = org_keys(
            &atlas,
            &["rotate"],
            &[
                K1,
                "--delete-old",
                "--private-key-out",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, code, "{at}: {run:?}");
        assert!(
            run.stdout
                .starts_with(&format!("failed {K1} (public key leakedkk")),
            "{run:?}"
        );
        assert!(run.stdout.contains(said), "{at}: {run:?}");
        assert!(atlas.has_key(ORG, K1), "{at}: the old key stays");
        if at == 3 {
            assert!(
                run.stdout
                    .contains("no key was created and the old key is unchanged"),
                "{run:?}"
            );
            assert_eq!(atlas.api_keys(ORG).len(), before.len());
            assert!(!file.exists(), "no secret, no file");
        } else {
            let new = new_key(&atlas, &before);
            assert!(
                run.stdout.contains(&format!(
                    "the new key {} exists and its private key is in {}",
                    new.id,
                    file.display()
                )),
                "{run:?}"
            );
            assert!(
                run.stdout.contains(&format!("new id {}", new.id)),
                "{run:?}"
            );
            assert_secret_file(&file, &new.private_key);
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn rotate_of_a_key_that_does_not_exist_creates_nothing() {
    let atlas = seeded();
    let dir = temp_dir("rotate-missing");
    let file = dir.join("key");
    for key in ["6a1b2c3d4e5f6a7b8c9d0fff", "zzzzzzzz"] {
        let run = org_keys(
            &atlas,
            &["rotate"],
            &[key, "--private-key-out", file.to_str().unwrap()],
        );
        assert_eq!(run.code, 3, "{run:?}");
        assert!(!file.exists());
    }
    assert_eq!(atlas.stats().created, 0);
    std::fs::remove_dir_all(dir).unwrap();
}
