//! `atlas-admin-mock --print-env`: the lines it prints point a shell at the
//! running binary with a key pair it accepts, in an organization holding
//! the keys the comment names (checked with `curl --digest`, as a shell
//! would use them).

mod support;

use atlas_admin_mock::{DEFAULT_ORG_ID, KEYS_TO_DELETE};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use support::curl;

/// The mock binary, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the mock printed: the `unset` line, the exports and the keys to delete.
struct Printed {
    unset: String,
    exports: HashMap<String, String>,
    to_delete: Vec<String>,
}

/// Starts the binary with `--port 0 --print-env` and `flags`; reads its
/// lines up to the comment naming the keys to delete.
fn print_env(flags: &[&str]) -> (Running, Printed) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atlas-admin-mock"))
        .args(["--port", "0", "--print-env"])
        .args(flags)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the mock binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let running = Running(child);
    let mut printed = Printed {
        unset: String::new(),
        exports: HashMap::new(),
        to_delete: Vec::new(),
    };
    loop {
        let line = lines
            .next()
            .expect("the mock printed a line naming keys to delete before ending")
            .unwrap();
        if let Some(names) = line.strip_prefix("unset ") {
            printed.unset = names.to_owned();
        } else if let Some(export) = line.strip_prefix("export ") {
            let (name, value) = export.split_once('=').expect("export NAME=VALUE");
            printed.exports.insert(name.to_owned(), value.to_owned());
        } else if let Some(comment) = line.strip_prefix("# API keys of ") {
            let (org, keys) = comment.split_once(" to delete: ").expect("a key list");
            assert_eq!(org, printed.exports["MONGODB_ATLAS_ORG_ID"], "{line}");
            printed.to_delete = keys.split(' ').map(str::to_owned).collect();
            return (running, printed);
        } else {
            panic!("unexpected line from --print-env: {line:?}");
        }
    }
}

/// `curl --digest` DELETE of `key` with the printed variables; the status and body.
fn delete(printed: &Printed, key: &str) -> (String, String) {
    let var = |name: &str| printed.exports[name].as_str();
    let url = format!(
        "{}/orgs/{}/apiKeys/{key}",
        var("MONGODB_ATLAS_BASE_URL"),
        var("MONGODB_ATLAS_ORG_ID")
    );
    let user = format!(
        "{}:{}",
        var("MONGODB_ATLAS_PUBLIC_API_KEY"),
        var("MONGODB_ATLAS_PRIVATE_API_KEY")
    );
    curl(&["--digest", "--user", &user, "--request", "DELETE", &url])
}

#[test]
fn without_flags_it_makes_a_key_pair_and_the_keys_to_delete_which_delete_once() {
    let (_mock, printed) = print_env(&[]);
    let mut names: Vec<&str> = printed.exports.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "MONGODB_ATLAS_BASE_URL",
            "MONGODB_ATLAS_ORG_ID",
            "MONGODB_ATLAS_PRIVATE_API_KEY",
            "MONGODB_ATLAS_PUBLIC_API_KEY"
        ]
    );
    assert_eq!(
        printed.unset,
        "MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET MONGODB_ATLAS_OPS_MANAGER_URL"
    );
    assert_eq!(printed.exports["MONGODB_ATLAS_ORG_ID"], DEFAULT_ORG_ID);
    let base_url = &printed.exports["MONGODB_ATLAS_BASE_URL"];
    assert!(
        base_url.starts_with("http://127.0.0.1:") && base_url.ends_with("/api/atlas/v1.0"),
        "{base_url}"
    );
    // A made-up private key, found by the secret scan like every other.
    assert!(printed.exports["MONGODB_ATLAS_PRIVATE_API_KEY"].starts_with("6d6f636b-"));
    assert_eq!(printed.to_delete, KEYS_TO_DELETE);
    for key in &printed.to_delete {
        assert_eq!(delete(&printed, key).0, "204", "first delete of {key}");
    }
    let (status, body) = delete(&printed, &printed.to_delete[0]);
    assert_eq!(status, "400", "{body}");
    assert!(body.contains("API_KEY_NOT_FOUND"), "{body}");
}

#[test]
fn a_given_credential_and_keys_are_what_it_prints() {
    let org = "aaaaaaaaaaaaaaaaaaaaaaaa";
    let key = "6a1b2c3d4e5f6a7b8c9d0e1f";
    let (_mock, printed) = print_env(&[
        "--credential",
        "abcdefgh:it's a secret",
        "--key",
        &format!("{org}:{key}"),
    ]);
    assert_eq!(printed.exports["MONGODB_ATLAS_PUBLIC_API_KEY"], "abcdefgh");
    // Quoted for the shell, as pasted.
    assert_eq!(
        printed.exports["MONGODB_ATLAS_PRIVATE_API_KEY"],
        r"'it'\''s a secret'"
    );
    assert_eq!(printed.exports["MONGODB_ATLAS_ORG_ID"], org);
    assert_eq!(printed.to_delete, [key]);
}

#[test]
fn help_documents_the_flag_and_the_default_organization() {
    let output = Command::new(env!("CARGO_BIN_EXE_atlas-admin-mock"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success());
    assert!(help.contains("--print-env"), "{help}");
    assert!(help.contains(DEFAULT_ORG_ID), "{help}");
    assert!(help.contains(KEYS_TO_DELETE[0]), "{help}");
}
