//! HTTP 429 with Retry-After: every worker pauses, then all keys go.

mod support;

use atlas_admin_mock::Fault;
use std::time::{Duration, Instant};
use support::*;

#[test]
fn one_rate_limited_worker_pauses_them_all_and_every_key_is_deleted() {
    let atlas = mock(20);
    let keys = keys(20);
    // Slow answers leave no doubt about who sent what during the pause.
    atlas.set_response_delay(Duration::from_millis(50));
    atlas.inject(Fault::status_retry_after(429, 1), 1);
    // No retries in the client, so the 429 reaches the shared gate at once.
    let mut args = vec![
        "--output",
        "json",
        "--concurrency",
        "3",
        "--max-retries",
        "0",
    ];
    args.extend(keys.iter().map(String::as_str));
    let command = delete_command(&atlas, Some(PRIVATE), &args);
    let child = std::thread::spawn(move || run_command(command, None));

    let deadline = Instant::now() + Duration::from_secs(10);
    while atlas.stats().faults == 0 {
        assert!(Instant::now() < deadline, "the 429 was never sent");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Requests already in flight when the 429 arrived may finish; after
    // that nobody starts another key until Retry-After is over.
    std::thread::sleep(Duration::from_millis(300));
    let deleted_early = atlas.stats().deleted;
    std::thread::sleep(Duration::from_millis(300));
    let deleted_later = atlas.stats().deleted;
    assert!(
        deleted_early <= 2,
        "{deleted_early} keys deleted during the pause"
    );
    assert_eq!(
        deleted_early, deleted_later,
        "keys deleted during the pause"
    );

    let run = child.join().unwrap();
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let (lines, summary) = run.results();
    assert!(lines.iter().all(|l| l["outcome"] == "deleted"), "{lines:?}");
    assert_eq!(summary["summary"]["deleted"], 20);
    assert!(remaining(&atlas, &keys).is_empty());
    assert!(run.elapsed >= Duration::from_secs(1), "{:?}", run.elapsed);
    assert_eq!(atlas.stats().faults, 1);
}

#[test]
fn a_key_still_rate_limited_after_every_round_exits_6() {
    let atlas = mock(1);
    // One more 429 than the rounds the command line allows, each with
    // Retry-After: 1, so the run takes about five seconds.
    atlas.inject(Fault::status_retry_after(429, 1), 6);
    let run = run_command(
        delete_command(
            &atlas,
            Some(PRIVATE),
            &["--output", "json", "--max-retries", "0", &key(0)],
        ),
        None,
    );
    assert_eq!(run.code, 6, "{run:?}");
    let (lines, _) = run.results();
    assert_eq!(lines[0]["outcome"], "failed");
    assert_eq!(lines[0]["http_status"], 429);
    assert_eq!(lines[0]["attempts"], 6, "one per round: {lines:?}");
    assert!(run.elapsed >= Duration::from_secs(5), "{:?}", run.elapsed);
    assert!(atlas.has_key(ORG, &key(0)));
}
