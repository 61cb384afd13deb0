//! Rate limits: a 429 with Retry-After pauses every worker, then all keys
//! go; against a token bucket, a bulk delete goes as fast as the bucket
//! allows and loses nothing.

mod support;

use atlas_admin_mock::{Fault, RateLimit};
use std::time::Duration;
use support::*;

/// Lets the run's first two requests through untouched (its listing of
/// the organization, which the Digest challenge precedes), so that a
/// fault queued next meets the first delete.
fn past_the_listing(atlas: &atlas_admin_mock::MockAtlas) {
    atlas.inject(Fault::Delay { millis: 0 }, 2);
}

#[test]
fn one_rate_limited_worker_pauses_them_all_and_every_key_is_deleted() {
    let atlas = mock(20);
    let keys = keys(20);
    // Slow answers leave no doubt about who sent what during the pause.
    atlas.set_response_delay(Duration::from_millis(50));
    past_the_listing(&atlas);
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

    // The first delete of the run gets the 429. The other two workers'
    // keys, already under way, may still be deleted, and so may one more
    // that a worker sends as the 429 arrives (the run's listing left a
    // Digest challenge, so a worker's delete is one round trip, as short
    // as the 429's). Any delete after those must wait for the end of the
    // one-second pause, which began no earlier than the 429 was seen
    // here. Without a shared pause the fourth delete would follow within
    // a few answers (50 ms each).
    let limit = Duration::from_secs(10);
    let rate_limited = wait_until("the 429 was sent", limit, || atlas.stats().faults > 2);
    let fourth_delete = wait_until("a fourth key deleted", limit, || atlas.stats().deleted > 3);
    let paused = fourth_delete - rate_limited;
    assert!(
        paused >= Duration::from_millis(700),
        "the next key went {paused:?} after the 429 with Retry-After: 1"
    );

    let run = child.join().unwrap();
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let (lines, summary) = run.results();
    assert!(lines.iter().all(|l| l["outcome"] == "deleted"), "{lines:?}");
    assert_eq!(summary["summary"]["deleted"], 20);
    assert!(remaining(&atlas, &keys).is_empty());
    assert!(run.elapsed >= Duration::from_secs(1), "{:?}", run.elapsed);
    assert_eq!(atlas.stats().faults, 3);
}

#[test]
fn a_rate_limited_listing_is_tried_again_after_the_pause() {
    let atlas = mock(3);
    let keys = keys(3);
    atlas.inject(Fault::status_retry_after(429, 1), 1);
    let mut args = vec!["--max-retries", "0"];
    args.extend(keys.iter().map(String::as_str));
    let run = delete(&atlas, &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 3, "{run:?}");
    assert!(remaining(&atlas, &keys).is_empty());
    assert!(run.elapsed >= Duration::from_secs(1), "{:?}", run.elapsed);
    assert_eq!(atlas.stats().listed, 1, "{:?}", atlas.stats());
}

#[test]
fn a_key_still_rate_limited_after_every_round_exits_6() {
    let atlas = mock(1);
    // One more 429 than the rounds the command line allows, each with
    // Retry-After: 1, so the run takes about five seconds: the pauses are
    // the binary's own, on the real clock of another process.
    past_the_listing(&atlas);
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

/// `org-api-keys delete --concurrency 8` of 200 keys against a token
/// bucket of capacity 20 refilled at 20 a second: every key deleted once
/// and reported so, within 1.3 times the least time the bucket allows.
fn two_hundred_keys_through_a_bucket(limit: RateLimit) {
    let atlas = mock(200);
    let keys = keys(200);
    atlas.set_rate_limit(limit.clone()).unwrap();
    let mut args = vec!["--output", "json", "--concurrency", "8"];
    args.extend(keys.iter().map(String::as_str));
    let run = run_command(delete_command(&atlas, Some(PRIVATE), &args), None);
    let stats = atlas.stats();
    // The run's listing and its deletes; challenges come before the
    // bucket, so they cost no token.
    let admitted = stats.authenticated - stats.rate_limited;
    let minimum = Duration::from_secs_f64(
        (admitted - u64::from(limit.capacity)) as f64 / limit.refill_per_sec,
    );
    println!(
        "CLI, 200 keys, --concurrency 8, bucket 20 + 20/s, Retry-After {}: {:.2} s, minimum \
         {:.2} s ({:.2}x); {} refusals",
        if limit.retry_after {
            "sent"
        } else {
            "not sent"
        },
        run.elapsed.as_secs_f64(),
        minimum.as_secs_f64(),
        run.elapsed.as_secs_f64() / minimum.as_secs_f64(),
        stats.rate_limited
    );
    assert_eq!(run.code, 0, "{run:?}");
    let (lines, summary) = run.results();
    assert_eq!(lines.len(), 200, "{run:?}");
    assert!(
        lines.iter().all(|l| l["outcome"] == "deleted"),
        "{:?}",
        lines
            .iter()
            .filter(|l| l["outcome"] != "deleted")
            .collect::<Vec<_>>()
    );
    assert_eq!(summary["summary"]["deleted"], 200, "{summary}");
    // Each line counts its refused tries too: the client's retries and
    // the run's rounds after a shared pause. The listing, first in an
    // untouched bucket, was refused none.
    assert!(lines.iter().all(|l| l["http_status"] == 204), "{lines:?}");
    let attempts: u64 = lines.iter().map(|l| l["attempts"].as_u64().unwrap()).sum();
    assert_eq!(attempts, 200 + stats.rate_limited, "{stats:?}");
    assert!(remaining(&atlas, &keys).is_empty());
    assert_eq!((stats.deleted, stats.listed), (200, 1), "{stats:?}");
    assert_eq!(admitted, 201, "{stats:?}");
    assert!(stats.rate_limited > 0, "the bucket refused some: {stats:?}");
    assert!(
        run.elapsed <= minimum.mul_f64(1.3),
        "{:.2} s against a minimum of {:.2} s",
        run.elapsed.as_secs_f64(),
        minimum.as_secs_f64()
    );
}

#[test]
fn two_hundred_keys_at_concurrency_8_with_retry_after_take_at_most_1_3_times_the_minimum() {
    two_hundred_keys_through_a_bucket(RateLimit::new(20, 20.0));
}

#[test]
fn two_hundred_keys_at_concurrency_8_without_retry_after_take_at_most_1_3_times_the_minimum() {
    two_hundred_keys_through_a_bucket(RateLimit {
        retry_after: false,
        ..RateLimit::new(20, 20.0)
    });
}
