//! SIGINT and SIGTERM during a bulk `delete`, sent to the real binary
//! while it works through 80 keys against a mock that takes 50 ms per
//! answer: the first signal starts no new key, lets those under way
//! finish, prints every key once and the summary, and exits 130 (143); a
//! second one ends the run at once with what is known. The report must
//! agree with the server: as many keys deleted as it says, the keys it
//! calls not attempted never sent. Also: a signal cuts a shared
//! rate-limit pause short, and docs/command-line.md's commands to resume an
//! interrupted run work as written.

mod support;

use atlas_admin_mock::{Fault, MockAtlas};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// Keys in a run: enough that the run is still going when signalled.
const KEYS: usize = 80;
/// The mock's time per answer.
const DELAY: Duration = Duration::from_millis(50);

/// `delete --concurrency 4 --from-file - EXTRA...` against `atlas`, its
/// keys written to its standard input, its output piped.
fn start(atlas: &MockAtlas, keys: &[String], extra: &[&str]) -> Child {
    let mut args = vec!["--concurrency", "4", "--from-file", "-"];
    args.extend(extra);
    let mut command = delete_command(atlas, Some(PRIVATE), &args);
    command.stdin(Stdio::piped());
    let mut child = command.spawn().expect("atlas-admin starts");
    feed(&mut child, keys);
    child
}

/// Writes `keys` to the child's standard input and closes it.
fn feed(child: &mut Child, keys: &[String]) {
    let mut stdin = child.stdin.take().expect("a piped stdin");
    stdin
        .write_all((keys.join("\n") + "\n").as_bytes())
        .unwrap();
}

/// Waits until `atlas` has deleted a few keys more than `before`: the run
/// is under way.
fn under_way(atlas: &MockAtlas, before: u64) {
    wait_until(
        "the run deletes its first keys",
        Duration::from_secs(30),
        || atlas.stats().deleted >= before + 4,
    );
}

/// Each key's outcome, from lines of JSON output; fails unless every key
/// of `keys` has exactly one line, in input order.
fn json_outcomes(lines: &[Value], keys: &[String]) -> BTreeMap<String, String> {
    let printed: Vec<&str> = lines.iter().map(|l| l["key"].as_str().unwrap()).collect();
    assert_eq!(printed, keys, "a line per key, in input order");
    lines
        .iter()
        .map(|l| {
            let outcome = l["outcome"].as_str().unwrap().to_owned();
            (l["key"].as_str().unwrap().to_owned(), outcome)
        })
        .collect()
}

/// Each key's outcome, from lines of text output (`deleted KEY (...)`,
/// `not attempted KEY (...): ...`); fails unless every key of `keys` has
/// exactly one line, in input order, and every line is about a key.
fn text_outcomes(lines: &[&str], keys: &[String]) -> BTreeMap<String, String> {
    let parsed: Vec<(String, String)> = lines
        .iter()
        .map(|line| {
            let (outcome, rest) = ["deleted", "not attempted", "unknown", "failed"]
                .iter()
                .find_map(|o| line.strip_prefix(&format!("{o} ")).map(|rest| (*o, rest)))
                .unwrap_or_else(|| panic!("not a key's line: {line:?}"));
            let key = rest.split([' ', ':']).next().unwrap();
            (key.to_owned(), outcome.replace(' ', "_"))
        })
        .collect();
    let printed: Vec<&str> = parsed.iter().map(|(key, _)| key.as_str()).collect();
    assert_eq!(printed, keys, "a line per key, in input order");
    parsed.into_iter().collect()
}

/// The keys with `outcome`.
fn with_outcome<'a>(outcomes: &'a BTreeMap<String, String>, outcome: &str) -> Vec<&'a str> {
    outcomes
        .iter()
        .filter(|(_, o)| *o == outcome)
        .map(|(key, _)| key.as_str())
        .collect()
}

/// The keys a DELETE was sent for, as the mock saw them.
fn sent(atlas: &MockAtlas) -> Vec<String> {
    atlas
        .recent_requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .filter_map(|r| r.target.rsplit('/').next().map(str::to_owned))
        .collect()
}

/// What a run interrupted once must leave: the server deleted exactly the
/// keys reported deleted, the keys not attempted were never sent and still
/// exist, nothing else happened to any key, and some were left.
fn agrees_with_the_server(atlas: &MockAtlas, outcomes: &BTreeMap<String, String>) {
    let deleted = with_outcome(outcomes, "deleted");
    let not_attempted = with_outcome(outcomes, "not_attempted");
    assert_eq!(
        deleted.len() + not_attempted.len(),
        outcomes.len(),
        "only deleted or not attempted: {outcomes:?}"
    );
    assert_eq!(
        atlas.stats().deleted,
        u64::try_from(deleted.len()).unwrap(),
        "the server deleted as many keys as the report says"
    );
    assert!(deleted.iter().all(|k| !atlas.has_key(ORG, k)));
    assert!(
        !not_attempted.is_empty(),
        "the signal came after every key was done; the run was too short"
    );
    let sent = sent(atlas);
    for key in &not_attempted {
        assert!(atlas.has_key(ORG, key), "{key}");
        assert!(!sent.iter().any(|s| s == key), "{key} was sent");
    }
}

#[test]
fn sigint_through_a_pipe_prints_every_key_and_exits_130() {
    let atlas = mock(KEYS);
    atlas.set_response_delay(DELAY);
    let keys = keys(KEYS);
    let child = start(&atlas, &keys, &["--output", "json"]);
    under_way(&atlas, 0);
    send(&child, libc::SIGINT);
    let run = finish(child);
    assert_eq!(run.code, 130, "{run:?}");
    assert_eq!(run.stderr, "", "JSON output keeps stderr for errors");
    let (lines, summary) = run.results();
    let outcomes = json_outcomes(&lines, &keys);
    agrees_with_the_server(&atlas, &outcomes);
    for line in lines.iter().filter(|l| l["outcome"] == "not_attempted") {
        // Nothing was sent for it.
        assert_eq!(line["attempts"], 0, "{line}");
        assert!(line["http_status"].is_null(), "{line}");
        assert!(
            line["message"].as_str().unwrap().contains("SIGINT"),
            "{line}"
        );
    }
    for line in lines.iter().filter(|l| l["outcome"] == "deleted") {
        // A delete under way when the signal came finished, answered.
        assert_eq!(line["http_status"], 204, "{line}");
        assert_eq!(line["attempts"], 1, "{line}");
    }
    let counts = &summary["summary"];
    let count = |outcome| with_outcome(&outcomes, outcome).len();
    assert_eq!(counts["keys"], KEYS);
    assert_eq!(counts["deleted"], count("deleted"));
    assert_eq!(counts["not_attempted"], count("not_attempted"));
    assert_eq!(counts["unknown"], 0);
    assert_eq!(counts["already_gone"], 0);
    assert_eq!(summary["interrupted_by"], "SIGINT");
    assert_eq!(summary["exit_code"], 130);
    assert!(summary["elapsed_seconds"].as_f64().unwrap() > 0.0);
}

#[test]
fn sigterm_exits_143_and_text_ends_with_the_summary_on_stderr() {
    let atlas = mock(KEYS);
    atlas.set_response_delay(DELAY);
    let keys = keys(KEYS);
    let child = start(&atlas, &keys, &[]);
    under_way(&atlas, 0);
    send(&child, libc::SIGTERM);
    let run = finish(child);
    assert_eq!(run.code, 143, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let outcomes = text_outcomes(&lines, &keys);
    agrees_with_the_server(&atlas, &outcomes);
    let not_attempted = lines
        .iter()
        .find(|l| l.starts_with("not attempted "))
        .unwrap();
    assert!(
        not_attempted.ends_with(": the run was interrupted by SIGTERM before this was started"),
        "{not_attempted}"
    );
    let deleted = with_outcome(&outcomes, "deleted").len();
    assert_eq!(
        text_summary(&run.stderr),
        format!(
            "atlas-admin: {KEYS} keys: {deleted} deleted, {} not attempted; \
             interrupted by SIGTERM, exit 143",
            KEYS - deleted
        )
    );
}

/// `text` as a terminal would leave it, line by line: of each line only
/// what follows its last carriage return or escape sequence (the progress
/// bar's cursor moves and clears, after which a result line overwrites
/// it).
fn shown(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters, then one final byte in @..~.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            plain.push('\r');
        } else {
            plain.push(c);
        }
    }
    plain
        .split('\n')
        .map(|line| {
            let line = line.trim_end_matches('\r');
            line.rsplit('\r').next().unwrap_or(line).to_owned()
        })
        .filter(|line| !line.trim().is_empty())
        .collect()
}

#[test]
fn sigint_on_a_terminal_prints_every_key_and_the_summary() {
    let atlas = mock(KEYS);
    atlas.set_response_delay(DELAY);
    let keys = keys(KEYS);
    let (controller, terminal) = pty();
    let mut child = {
        let mut command = delete_command(
            &atlas,
            Some(PRIVATE),
            &["--concurrency", "4", "--from-file", "-"],
        );
        let stderr = terminal.try_clone().unwrap();
        command
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::from(terminal))
            .stderr(Stdio::from(stderr));
        // The command holds the terminal end and is dropped here, so the
        // controller sees the end once the child exits.
        command.spawn().unwrap()
    };
    feed(&mut child, &keys);
    let drawn = drain_terminal(controller);
    under_way(&atlas, 0);
    send(&child, libc::SIGINT);
    let code = wait(&mut child);
    let drawn = drawn.join().unwrap();
    scan(&drawn);
    assert_eq!(code, 130, "{drawn:?}");
    let lines = shown(&drawn);
    let (summary, report): (Vec<&str>, Vec<&str>) = lines
        .iter()
        .map(String::as_str)
        .filter(|line| !line.contains("deleting ["))
        .partition(|line| line.starts_with("atlas-admin: "));
    let outcomes = text_outcomes(&report, &keys);
    agrees_with_the_server(&atlas, &outcomes);
    let deleted = with_outcome(&outcomes, "deleted").len();
    assert_eq!(summary.len(), 1, "{lines:?}");
    assert_eq!(
        text_summary(&format!("{}\n", summary[0])),
        format!(
            "atlas-admin: {KEYS} keys: {deleted} deleted, {} not attempted; \
             interrupted by SIGINT, exit 130",
            KEYS - deleted
        )
    );
}

#[test]
fn a_second_sigint_ends_the_run_at_once_with_what_is_known() {
    let atlas = mock(KEYS);
    atlas.set_response_delay(DELAY);
    let keys = keys(KEYS);
    let child = start(&atlas, &keys, &["--output", "json"]);
    under_way(&atlas, 0);
    // From now on every answer takes 3 s: wait until each of the four
    // workers has a delete stuck in one.
    let slow = Duration::from_secs(3);
    atlas.set_response_delay(slow);
    let requests = atlas.stats().requests;
    wait_until(
        "four slow deletes are under way",
        Duration::from_secs(10),
        || atlas.stats().requests >= requests + 4,
    );
    send(&child, libc::SIGINT);
    delivered(&child, libc::SIGINT);
    let second = Instant::now();
    send(&child, libc::SIGINT);
    let run = finish(child);
    let took = second.elapsed();
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        took < slow / 2,
        "the run waited {took:?} after the second SIGINT: it waited for its calls"
    );
    let (lines, summary) = run.results();
    let outcomes = json_outcomes(&lines, &keys);
    let deleted = with_outcome(&outcomes, "deleted");
    let unknown = with_outcome(&outcomes, "unknown");
    let not_attempted = with_outcome(&outcomes, "not_attempted");
    assert_eq!(
        deleted.len() + unknown.len() + not_attempted.len(),
        KEYS,
        "{outcomes:?}"
    );
    assert!((1..=4).contains(&unknown.len()), "{unknown:?}");
    // The calls under way have not been answered yet: the server has
    // deleted exactly the keys reported deleted, so far.
    assert_eq!(atlas.stats().deleted, u64::try_from(deleted.len()).unwrap());
    assert!(deleted.iter().all(|k| !atlas.has_key(ORG, k)));
    let sent = sent(&atlas);
    for key in &unknown {
        assert!(
            sent.iter().any(|s| s == key),
            "{key} is unknown but was never sent"
        );
    }
    for key in &not_attempted {
        assert!(atlas.has_key(ORG, key), "{key}");
        assert!(!sent.iter().any(|s| s == key), "{key} was sent");
    }
    for line in lines.iter().filter(|l| l["outcome"] == "unknown") {
        let message = line["message"].as_str().unwrap();
        assert!(message.contains("may have been deleted"), "{line}");
        // Sent, never answered: how many requests it took is not known.
        assert!(line["http_status"].is_null(), "{line}");
        assert!(line["attempts"].is_null(), "{line}");
    }
    assert_eq!(summary["summary"]["unknown"], unknown.len());
    assert_eq!(summary["interrupted_by"], "SIGINT");
    assert_eq!(summary["exit_code"], 130);
}

#[test]
fn a_signal_ends_a_shared_rate_limit_pause_at_once() {
    let atlas = mock(8);
    let keys = keys(8);
    // The Digest challenge and the listing go through; the next one or
    // two requests (two when both were sent before the first answer came
    // back; after it the client holds the others unsent) are told to come
    // back in 30 s. Without retries in the client, every worker then
    // waits: at the run's shared pause, or held by the client.
    atlas.inject(Fault::Delay { millis: 0 }, 2);
    atlas.inject(Fault::status_retry_after(429, 30), 2);
    let child = start(&atlas, &keys, &["--output", "json", "--max-retries", "0"]);
    wait_until("a 429 is sent", Duration::from_secs(10), || {
        atlas.stats().faults >= 3
    });
    // Time for the other workers to reach the client's hold or the run's
    // pause (their next request is ready within a millisecond), so the
    // signal finds them waiting there rather than about to start.
    std::thread::sleep(Duration::from_millis(80));
    let signalled = Instant::now();
    send(&child, libc::SIGINT);
    let run = finish(child);
    let took = signalled.elapsed();
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        took < Duration::from_secs(5),
        "the pause went on for {took:?}"
    );
    let (lines, _) = run.results();
    let outcomes = json_outcomes(&lines, &keys);
    let limited: Vec<&Value> = lines.iter().filter(|l| l["outcome"] == "failed").collect();
    assert!((1..=2).contains(&limited.len()), "{lines:?}");
    for line in &limited {
        assert_eq!(line["http_status"], 429, "{line}");
        let message = line["message"].as_str().unwrap();
        assert!(
            message.ends_with("; not tried again, since the run was interrupted by SIGINT"),
            "{line}"
        );
    }
    let deleted = with_outcome(&outcomes, "deleted").len();
    let not_attempted = with_outcome(&outcomes, "not_attempted").len();
    assert_eq!(
        deleted + not_attempted + limited.len(),
        keys.len(),
        "{outcomes:?}"
    );
    assert_eq!(atlas.stats().deleted, u64::try_from(deleted).unwrap());
}

/// The commands under "**Interrupted runs.**" in docs/command-line.md:
/// its first ```sh block after that.
fn docs_resume_block() -> String {
    let section = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/command-line.md"
    ))
    .expect("docs/command-line.md");
    section
        .split("**Interrupted runs.**")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|rest| rest.split("\n```").next())
        .expect("a ```sh block after **Interrupted runs.**")
        .to_owned()
}

#[test]
fn the_docs_resume_commands_work_as_written() {
    let atlas = mock(2 * KEYS);
    atlas.set_response_delay(DELAY);
    let all = keys(2 * KEYS);
    let (json_keys, text_keys) = all.split_at(KEYS);
    let dir = temp_dir("resume");
    let mut left = Vec::new();
    for (keys, extra, report) in [
        (json_keys, &["--output", "json"][..], "report.jsonl"),
        (text_keys, &[][..], "report.txt"),
    ] {
        let before = atlas.stats().deleted;
        let child = start(&atlas, keys, extra);
        under_way(&atlas, before);
        send(&child, libc::SIGINT);
        let run = finish(child);
        assert_eq!(run.code, 130, "{run:?}");
        std::fs::write(dir.join(report), &run.stdout).unwrap();
        left.push(remaining(&atlas, keys));
        assert!(!left.last().unwrap().is_empty(), "the run was too short");
    }
    atlas.set_response_delay(Duration::ZERO);

    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let script = format!("set -eu -o pipefail\n{}\n", docs_resume_block());
    let mut command = std::process::Command::new("bash");
    command
        .args(["-c", &script])
        .current_dir(&dir)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("HOME", &dir)
        .env("XDG_CONFIG_HOME", &dir)
        .env("MONGODB_ATLAS_BASE_URL", atlas.origin())
        .env("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC)
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let run = run_command(command, None);
    assert_eq!(
        run.code, 0,
        "docs/command-line.md's resume commands failed (is jq installed?): {run:?}"
    );
    assert!(remaining(&atlas, &all).is_empty(), "every key is gone now");
    let resumed = std::fs::read_to_string(dir.join("resumed.jsonl")).unwrap();
    let lines: Vec<Value> = resumed
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let (summary, lines) = lines.split_last().unwrap();
    let outcomes = json_outcomes(lines, &left[0]);
    assert!(outcomes.values().all(|o| o == "deleted"), "{outcomes:?}");
    assert_eq!(summary["exit_code"], 0);
    let resumed = std::fs::read_to_string(dir.join("resumed.txt")).unwrap();
    let lines: Vec<&str> = resumed.lines().collect();
    let outcomes = text_outcomes(&lines, &left[1]);
    assert!(outcomes.values().all(|o| o == "deleted"), "{outcomes:?}");
    std::fs::remove_dir_all(dir).unwrap();
}
