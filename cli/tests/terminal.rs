//! What a terminal (a pseudo-terminal here) changes: the progress bar,
//! drawn on stderr for more than a handful of keys to delete (never for a
//! dry run) and never through a pipe, where stderr has the summary line
//! alone; and `api`'s body, indented when stdout is a terminal.

mod support;

use atlas_admin_mock::MockAtlas;
use std::process::Stdio;
use std::time::Duration;
use support::*;

/// Runs `delete` for `n` keys with stderr on a pseudo-terminal; returns
/// the run (stdout piped) and everything drawn on the terminal.
fn delete_on_terminal(n: usize) -> (Run, String) {
    let atlas = mock(n);
    let (run, drawn) = delete_on_terminal_with(&atlas, &keys(n), &[]);
    assert!(remaining(&atlas, &keys(n)).is_empty());
    (run, drawn)
}

/// Runs `delete --concurrency 2 EXTRA... KEYS...` against `atlas` with
/// stderr on a pseudo-terminal.
fn delete_on_terminal_with(atlas: &MockAtlas, keys: &[String], extra: &[&str]) -> (Run, String) {
    // Long enough a run for the bar to be drawn more than once.
    atlas.set_response_delay(Duration::from_millis(30));
    let mut args = vec!["--concurrency", "2"];
    args.extend(extra);
    args.extend(keys.iter().map(String::as_str));
    let (controller, terminal) = pty();
    let mut child = {
        let mut command = delete_command(atlas, Some(PRIVATE), &args);
        command.env("TERM", "xterm").stderr(Stdio::from(terminal));
        // The command, which holds the terminal end, is dropped here, so the
        // controller sees the end once the child exits.
        command.spawn().unwrap()
    };
    let stdout = drain(child.stdout.take());
    let drawn = drain_terminal(controller);
    let code = wait(&mut child);
    let run = Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: String::new(),
        elapsed: Duration::ZERO,
    };
    let drawn = drawn.join().unwrap();
    scan(&drawn);
    (run, drawn)
}

#[test]
fn a_terminal_shows_a_progress_bar_and_the_results_stay_on_stdout() {
    let (run, drawn) = delete_on_terminal(12);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 12);
    assert!(run.stdout.lines().all(|l| l.starts_with("deleted ")));
    assert!(drawn.contains("deleting ["), "{drawn:?}");
    assert!(drawn.contains("/12 keys"), "{drawn:?}");
    // Cursor movement: the bar redraws in place rather than scrolling.
    assert!(drawn.contains('\u{1b}'), "{drawn:?}");
}

#[test]
fn keys_by_public_key_with_verify_show_the_bar_after_the_listing() {
    let atlas = mock(12);
    let public: Vec<String> = keys(12).iter().map(|k| public_key_of(&atlas, k)).collect();
    let (run, drawn) = delete_on_terminal_with(&atlas, &public, &["--verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 12);
    assert_eq!(lines[0], format!("deleted {} (id {})", public[0], key(0)));
    assert!(drawn.contains("/12 keys"), "{drawn:?}");
    assert!(remaining(&atlas, &keys(12)).is_empty());
    assert_eq!(atlas.stats().listed, 1);
}

#[test]
fn a_dry_run_draws_nothing_even_on_a_terminal() {
    let atlas = mock(12);
    let (run, drawn) = delete_on_terminal_with(&atlas, &keys(12), &["--dry-run"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 12);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("would delete ")),
        "{run:?}"
    );
    assert_eq!(
        text_summary(&drawn),
        "atlas-admin: 12 keys: 12 would delete"
    );
    assert_eq!(remaining(&atlas, &keys(12)).len(), 12);
}

#[test]
fn a_handful_of_keys_draws_nothing_even_on_a_terminal() {
    let (run, drawn) = delete_on_terminal(5);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(text_summary(&drawn), "atlas-admin: 5 keys: 5 deleted");
}

#[test]
fn through_a_pipe_stderr_has_the_summary_alone() {
    let atlas = mock(12);
    atlas.set_response_delay(Duration::from_millis(10));
    let keys = keys(12);
    let mut args = vec!["--concurrency", "2"];
    args.extend(keys.iter().map(String::as_str));
    let run = delete(&atlas, &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        text_summary(&run.stderr),
        "atlas-admin: 12 keys: 12 deleted"
    );
    assert_eq!(run.stdout.lines().count(), 12);
}

/// Runs `api GET` against a server answering `body`, with stdout on a
/// pseudo-terminal; returns the exit code and what the terminal showed,
/// with its line endings made plain.
fn api_on_terminal(body: &str, extra: &[&str]) -> (i32, String) {
    let server = CannedServer::start("200 OK", &["Content-Type: application/json"], body);
    let (controller, terminal) = pty();
    let mut child = {
        let mut args = vec!["GET", "/orgs"];
        args.extend(extra);
        let mut command = api_command(&server.base_url, &args);
        command.stdout(Stdio::from(terminal));
        command.spawn().unwrap()
    };
    let stderr = drain(child.stderr.take());
    let shown = drain_terminal(controller);
    let code = wait(&mut child);
    assert_eq!(stderr.join().unwrap(), "");
    let shown = shown.join().unwrap().replace("\r\n", "\n");
    scan(&shown);
    (code, shown)
}

#[test]
fn api_indents_the_body_on_a_terminal_and_json_lines_stay_lines() {
    let body = r#"{"results":[{"id":"6a1b2c3d4e5f6a7b8c000000"}],"totalCount":1}"#;
    let (code, shown) = api_on_terminal(body, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        shown,
        "{\n  \"results\": [\n    {\n      \"id\": \"6a1b2c3d4e5f6a7b8c000000\"\n    }\n  ],\n  \"totalCount\": 1\n}\n"
    );
    let (code, shown) = api_on_terminal(body, &["--output", "json"]);
    assert_eq!(code, 0);
    assert_eq!(shown.lines().count(), 1, "{shown:?}");
    let line: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(line["body"]["totalCount"], 1);
}
