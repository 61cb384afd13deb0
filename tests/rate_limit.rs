//! Bulk deletes against the mock's token bucket: as fast as the bucket
//! allows, and nothing lost or misreported. These tests run in real time
//! (the bucket refills on the mock's clock, which follows the real one), so
//! each takes the seconds its bucket needs.

mod common;

use atlas_admin::{Client, DeleteOptions, Deleted, Error, ErrorKind, RetryPolicy};
use atlas_admin_mock::{MockAtlas, RateLimit, Stats};
use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a bulk run saw: each key's outcome, the time it took and the
/// mock's counters.
struct Run {
    outcomes: Vec<(String, Result<Deleted, Error>)>,
    elapsed: Duration,
    stats: Stats,
}

impl Run {
    /// The requests the bucket let through (authenticated, not refused).
    fn admitted(&self) -> u64 {
        self.stats.authenticated - self.stats.rate_limited
    }

    /// The least time the bucket allows for the requests it let through:
    /// the first `capacity` pass at once, the rest one per refill.
    fn minimum(&self, limit: &RateLimit) -> Duration {
        let refilled = self.admitted().saturating_sub(u64::from(limit.capacity));
        Duration::from_secs_f64(refilled as f64 / limit.refill_per_sec)
    }

    fn failures(&self) -> Vec<&(String, Result<Deleted, Error>)> {
        self.outcomes.iter().filter(|(_, o)| o.is_err()).collect()
    }
}

/// A mock holding `keys` keys in `ORG`, limited by `limit`.
fn limited(keys: usize, limit: &RateLimit) -> MockAtlas {
    let mut config = config();
    config.keys.insert(ORG.into(), (0..keys).map(key).collect());
    config.rate_limit = Some(limit.clone());
    MockAtlas::start(config).expect("mock Atlas starts")
}

/// Deletes every key of `atlas` but the first-made `KEY` with `threads`
/// threads sharing `client`, each taking the next key as it is free.
fn delete_all(atlas: &MockAtlas, client: &Client, keys: usize, threads: usize) -> Run {
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some(i) = Some(next.fetch_add(1, Ordering::Relaxed)).filter(|i| *i < keys)
                {
                    let outcome = client
                        .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
                        .map_err(record);
                    outcomes.lock().unwrap().push((key(i), outcome));
                }
            });
        }
    });
    let elapsed = started.elapsed();
    Run {
        outcomes: outcomes.into_inner().unwrap(),
        elapsed,
        stats: atlas.stats(),
    }
}

fn client_with(atlas: &MockAtlas, policy: RetryPolicy) -> Client {
    retrying_client(&atlas.base_url(), policy)
        .max_idle_connections(8)
        .build()
        .expect("client builds")
}

#[test]
fn two_hundred_deletes_at_concurrency_8_take_at_most_1_3_times_the_bucket_minimum() {
    // Atlas' token bucket refusal, with Retry-After (whole seconds until a
    // token: 1 s here), and the client's default retry policy.
    let limit = RateLimit::new(20, 20.0);
    let atlas = limited(200, &limit);
    let run = delete_all(&atlas, &client_with(&atlas, RetryPolicy::new()), 200, 8);
    let minimum = run.minimum(&limit);
    println!(
        "200 deletes, 8 threads, bucket 20 + 20/s with Retry-After: {:.2} s, minimum {:.2} s \
         ({:.2}x); {} refusals",
        run.elapsed.as_secs_f64(),
        minimum.as_secs_f64(),
        run.elapsed.as_secs_f64() / minimum.as_secs_f64(),
        run.stats.rate_limited,
    );
    assert_eq!(run.failures().len(), 0, "{:?}", run.failures());
    assert_eq!(run.outcomes.len(), 200);
    // Each deleted by its own call: a 204, never "already gone".
    for (key, outcome) in &run.outcomes {
        let deleted = outcome.as_ref().unwrap();
        assert!(
            deleted.status == 204 && !deleted.already_gone,
            "{key}: {deleted:?}"
        );
    }
    assert!((0..200).all(|i| !atlas.has_key(ORG, &key(i))));
    assert_eq!(run.stats.deleted, 200, "{:?}", run.stats);
    // Challenges come before the bucket: the minimum is exactly 9 s.
    assert_eq!(run.admitted(), 200, "{:?}", run.stats);
    assert_eq!(minimum, Duration::from_secs(9));
    assert!(run.stats.rate_limited > 0, "the bucket refused some");
    assert!(
        run.elapsed >= minimum.mul_f64(0.99) && run.elapsed <= minimum.mul_f64(1.3),
        "{:.2} s against a minimum of {:.2} s",
        run.elapsed.as_secs_f64(),
        minimum.as_secs_f64()
    );
}

#[test]
fn without_retry_after_the_backoff_gives_up_on_some_keys_and_says_so_truly() {
    // Atlas sends Retry-After only sometimes. Without it each call backs
    // off on its own (full jitter from 250 ms, 3 retries), and against a
    // bucket this busy some calls are refused four times: measured, 13 to
    // 26 of 200 in about 8.5 s. Those must be reported rate limited, with their keys
    // still there, and every other key deleted.
    let limit = RateLimit {
        retry_after: false,
        ..RateLimit::new(20, 20.0)
    };
    let atlas = limited(200, &limit);
    let run = delete_all(&atlas, &client_with(&atlas, RetryPolicy::new()), 200, 8);
    let failures = run.failures();
    println!(
        "200 deletes, 8 threads, bucket 20 + 20/s without Retry-After: {:.2} s, minimum {:.2} s; \
         {} rate limited after 4 attempts; {} refusals",
        run.elapsed.as_secs_f64(),
        run.minimum(&limit).as_secs_f64(),
        failures.len(),
        run.stats.rate_limited,
    );
    assert_eq!(run.outcomes.len(), 200);
    for (key, outcome) in &run.outcomes {
        match outcome {
            Ok(deleted) => {
                assert!(!atlas.has_key(ORG, key), "{key} reported deleted");
                assert!(!deleted.already_gone, "{key}: {deleted:?}");
            }
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::RateLimited, "{key}: {error}");
                assert_eq!(error.attempts(), 4, "{key}: {error}");
                assert!(atlas.has_key(ORG, key), "{key} reported refused: {error}");
            }
        }
    }
    assert_eq!(
        run.stats.deleted as usize,
        200 - failures.len(),
        "{:?}",
        run.stats
    );
    assert_eq!(run.admitted(), run.stats.deleted, "{:?}", run.stats);
}
