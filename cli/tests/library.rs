//! `atlas_admin_cli::run` called as a library, with in-memory streams, as
//! the Python extension will call it.

mod support;

use atlas_admin_cli::{run, Console, Exit};
use support::*;

/// Runs `args` with these streams; returns the exit and what was written.
fn run_in_memory(args: &[String], stdin: &str) -> (Exit, String, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let exit = run(
        args,
        Console {
            stdin: Box::new(stdin.as_bytes()),
            stdout: Box::new(&mut stdout),
            stderr: Box::new(&mut stderr),
            stdout_is_terminal: false,
            stderr_is_terminal: false,
        },
    );
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (exit, text(stdout), text(stderr))
}

#[test]
fn deletes_through_the_library_entry_point() {
    let atlas = mock(3);
    let owned = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let dir = temp_dir("library");
    let secret = dir.join("private-key");
    std::fs::write(&secret, PRIVATE).unwrap();
    let base_url = atlas.base_url();
    let mut args = owned(&[
        "atlas-admin",
        "org-api-keys",
        "delete",
        "--base-url",
        &base_url,
        "--org",
        ORG,
        "--public-key",
        PUBLIC,
        "--private-key-file",
        secret.to_str().unwrap(),
        "--from-file",
        "-",
        "--missing-ok",
    ]);
    args.push(key(0));
    let stdin = format!("{}\n# not this one\n{}\n{}\n", key(1), key(2), key(9));
    let (exit, stdout, stderr) = run_in_memory(&args, &stdin);
    scan(&stdout);
    assert_eq!(exit, Exit::Success, "{stdout}{stderr}");
    assert_eq!(exit.code(), 0);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert_eq!(stderr, "");
    assert!(remaining(&atlas, &keys(3)).is_empty());

    let (exit, stdout, stderr) = run_in_memory(&owned(&["atlas-admin", "--version"]), "");
    assert_eq!((exit, stderr.as_str()), (Exit::Success, ""));
    assert!(stdout.starts_with("atlas-admin "), "{stdout}");
    let (exit, _, stderr) = run_in_memory(&owned(&["atlas-admin", "frobnicate"]), "");
    assert_eq!(exit, Exit::Usage);
    assert!(stderr.contains("unrecognized subcommand"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}
