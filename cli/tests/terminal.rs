//! What a terminal (a pseudo-terminal here) changes: the progress bar,
//! drawn on stderr for more than a handful of keys and never through a
//! pipe; and `api`'s body, indented when stdout is a terminal.

mod support;

use std::process::Stdio;
use std::time::Duration;
use support::*;

/// Runs `delete` for `n` keys with stderr on a pseudo-terminal; returns
/// the run (stdout piped) and everything drawn on the terminal.
fn delete_on_terminal(n: usize) -> (Run, String) {
    let atlas = mock(n);
    // Long enough a run for the bar to be drawn more than once.
    atlas.set_response_delay(Duration::from_millis(30));
    let keys = keys(n);
    let mut args = vec!["--concurrency", "2"];
    args.extend(keys.iter().map(String::as_str));
    let (controller, terminal) = pty();
    let mut child = {
        let mut command = delete_command(&atlas, Some(PRIVATE), &args);
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
    assert!(remaining(&atlas, &keys).is_empty());
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
fn a_handful_of_keys_draws_nothing_even_on_a_terminal() {
    let (run, drawn) = delete_on_terminal(5);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(drawn, "");
}

#[test]
fn through_a_pipe_stderr_stays_empty() {
    let atlas = mock(12);
    atlas.set_response_delay(Duration::from_millis(10));
    let keys = keys(12);
    let mut args = vec!["--concurrency", "2"];
    args.extend(keys.iter().map(String::as_str));
    let run = delete(&atlas, &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
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
