//! `atlas_admin_cli::run` called as a library, with in-memory streams, as
//! the Python extension will call it.

mod support;

use atlas_admin_cli::{run, Console, Exit};
use support::*;

/// Runs `args` with these streams; returns the exit and what was written.
fn run_in_memory(args: &[String], stdin: &str) -> (Exit, String, String) {
    run_in_memory_on(args, stdin, false)
}

/// As `run_in_memory`, with standard output a terminal when `terminal`.
fn run_in_memory_on(args: &[String], stdin: &str, terminal: bool) -> (Exit, String, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let exit = run(
        args,
        Console {
            stdin: Box::new(stdin.as_bytes()),
            stdout: Box::new(&mut stdout),
            stderr: Box::new(&mut stderr),
            stdout_is_terminal: terminal,
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
    // key(9) was never there.
    assert_eq!(
        text_summary(&stderr),
        "atlas-admin: 4 keys: 3 deleted, 1 already gone"
    );
    assert!(remaining(&atlas, &keys(3)).is_empty());

    let (exit, stdout, stderr) = run_in_memory(&owned(&["atlas-admin", "--version"]), "");
    assert_eq!((exit, stderr.as_str()), (Exit::Success, ""));
    assert!(stdout.starts_with("atlas-admin "), "{stdout}");
    let (exit, _, stderr) = run_in_memory(&owned(&["atlas-admin", "frobnicate"]), "");
    assert_eq!(exit, Exit::Usage);
    assert!(stderr.contains("unrecognized subcommand"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn api_reads_data_from_the_consoles_input_and_indents_for_its_terminal() {
    let server = CannedServer::start(
        "201 Created",
        &["Content-Type: application/json"],
        r#"{"id":"6a1b2c3d4e5f6a7b8c000001"}"#,
    );
    let dir = temp_dir("library-api");
    let secret = dir.join("private-key");
    std::fs::write(&secret, PRIVATE).unwrap();
    let args: Vec<String> = [
        "atlas-admin",
        "api",
        "--base-url",
        &server.base_url,
        "--public-key",
        PUBLIC,
        "--private-key-file",
        secret.to_str().unwrap(),
        "POST",
        "/orgs/5f1a2b3c4d5e6f7a8b9c0d1e/apiKeys",
        "--data",
        "@-",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    let (exit, stdout, stderr) = run_in_memory_on(&args, r#"{"desc": "from stdin"}"#, true);
    scan(&stdout);
    scan(&stderr);
    assert_eq!((exit, stderr.as_str()), (Exit::Success, ""), "{stdout}");
    assert_eq!(stdout, "{\n  \"id\": \"6a1b2c3d4e5f6a7b8c000001\"\n}\n");
    let sent = server.requests();
    assert!(sent[0].ends_with(r#"{"desc":"from stdin"}"#), "{sent:?}");
    std::fs::remove_dir_all(dir).unwrap();
}
