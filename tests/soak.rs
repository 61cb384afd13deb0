//! The soak: 16 threads delete many keys through one client while faults
//! are injected at random (dropped connections, 503, 429 with Retry-After,
//! expired nonces, lost answers) under exact nonce-count checking, and then
//! every outcome is checked against what the mock holds. A 503 or 429 sent
//! before authentication leaves the server's count one behind the
//! session's; the next use is refused and costs one fresh challenge, which
//! the summary shows as "nc rejected".
//!
//! `make test` runs a small one; `make soak` sets `ATLAS_SOAK_KEYS=20000`.

mod common;

use atlas_admin::{Client, DeleteOptions, Error, ErrorKind, RetryPolicy};
use atlas_admin_mock::{Fault, MockAtlas, NcCheck, Stats};
use common::*;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const THREADS: usize = 16;
/// About one request in this many meets a fault.
const DELETES_PER_FAULT: u64 = 8;

fn keys_to_delete() -> usize {
    std::env::var("ATLAS_SOAK_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1600)
}

/// xorshift64*: enough randomness to pick faults, with a seed to print.
fn next_random(state: &AtomicU64) -> u64 {
    let mut x = state.load(Ordering::Relaxed);
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    state.store(x, Ordering::Relaxed);
    x.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// Resident memory of this process in KiB.
fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4
}

fn threads_alive() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[derive(Default)]
struct Outcomes {
    deleted: Vec<usize>,
    failed: Vec<(usize, Error)>,
}

struct Run {
    outcomes: Outcomes,
    stats: Stats,
    faults: [u64; 5],
    elapsed: Duration,
    rss_first_quarter: u64,
    rss_last_quarter: u64,
}

const FAULT_NAMES: [&str; 5] = [
    "dropped connection",
    "503",
    "429 + Retry-After",
    "expired nonces",
    "lost answer",
];

/// Deletes `n` fresh keys from 16 threads while a chaos thread injects a
/// random fault every few milliseconds.
fn soak(atlas: &MockAtlas, client: &Client, first_key: usize, n: usize, missing_ok: bool) -> Run {
    (first_key..first_key + n).for_each(|i| atlas.add_key(ORG, &key(i)));
    let options = DeleteOptions::new().missing_ok(missing_ok);
    let seed = AtomicU64::new(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1,
    );
    println!("soak seed {}", seed.load(Ordering::Relaxed));
    let done = AtomicBool::new(false);
    let progress = AtomicU64::new(0);
    let outcomes = Mutex::new(Outcomes::default());
    let rss = Mutex::new((0u64, 0u64));
    let faults = Mutex::new([0u64; 5]);
    let started = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            // One fault per few deletes, paced by progress rather than the
            // clock, so a slow stretch cannot pile faults up in the queue.
            let mut last = 0;
            while !done.load(Ordering::Relaxed) {
                let now = progress.load(Ordering::Relaxed);
                if now < last + DELETES_PER_FAULT {
                    std::thread::sleep(Duration::from_millis(1));
                    continue;
                }
                last = now;
                let pick = (next_random(&seed) % 5) as usize;
                match pick {
                    0 => atlas.inject(Fault::Drop, 1),
                    1 => atlas.inject(Fault::status(503), 1),
                    // Rare, since each one costs a thread a whole second.
                    2 if next_random(&seed) % 20 == 0 => {
                        atlas.inject(Fault::status_retry_after(429, 1), 1)
                    }
                    2 => continue,
                    // Every nonce at once, fresh ones too: harsher than any
                    // server, so only now and then.
                    3 if next_random(&seed) % 16 == 0 => atlas.expire_nonces(),
                    3 => continue,
                    _ => atlas.inject(Fault::LoseAnswer, 1),
                }
                faults.lock().unwrap()[pick] += 1;
            }
        });
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (outcomes, progress, rss, options) = (&outcomes, &progress, &rss, &options);
                s.spawn(move || {
                    for i in (first_key + t..first_key + n).step_by(THREADS) {
                        let result = client.delete_org_api_key(ORG, &key(i), options);
                        let mut outcomes = outcomes.lock().unwrap();
                        match result {
                            Ok(_) => outcomes.deleted.push(i),
                            Err(e) => outcomes.failed.push((i, record(e))),
                        }
                        drop(outcomes);
                        let done = progress.fetch_add(1, Ordering::Relaxed) + 1;
                        let mut rss = rss.lock().unwrap();
                        if done == (n / 4) as u64 {
                            rss.0 = rss_kib();
                        } else if done == (n * 3 / 4) as u64 {
                            rss.1 = rss_kib();
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    let (rss_first_quarter, rss_last_quarter) = *rss.lock().unwrap();
    let faults = *faults.lock().unwrap();
    Run {
        outcomes: outcomes.into_inner().unwrap(),
        stats: atlas.stats(),
        faults,
        elapsed: started.elapsed(),
        rss_first_quarter,
        rss_last_quarter,
    }
}

fn summary(title: &str, n: usize, run: &Run) {
    println!(
        "\n{title}: {n} keys, {THREADS} threads, {:.1} s",
        run.elapsed.as_secs_f64()
    );
    println!("| outcome | count |\n|---|---|");
    println!("| reported deleted | {} |", run.outcomes.deleted.len());
    let mut kinds = std::collections::BTreeMap::new();
    for (_, e) in &run.outcomes.failed {
        *kinds.entry(format!("{:?}", e.kind())).or_insert(0) += 1;
    }
    for (kind, count) in kinds {
        println!("| reported failed: {kind} | {count} |");
    }
    for (name, count) in FAULT_NAMES.iter().zip(run.faults) {
        println!("| fault injected: {name} | {count} |");
    }
    let s = &run.stats;
    println!(
        "| mock: requests / challenges / stale / nc rejected / connections | {} / {} / {} / {} / {} |",
        s.requests, s.challenges, s.stale_challenges, s.nc_rejected, s.connections
    );
    println!(
        "| RSS at 1/4 and 3/4 (KiB) | {} / {} |",
        run.rss_first_quarter, run.rss_last_quarter
    );
}

fn check(atlas: &MockAtlas, first_key: usize, n: usize, run: &Run, missing_ok: bool) {
    let outcomes = &run.outcomes;
    assert_eq!(
        outcomes.deleted.len() + outcomes.failed.len(),
        n,
        "one outcome per key"
    );
    let mut seen = vec![false; n];
    for i in outcomes
        .deleted
        .iter()
        .chain(outcomes.failed.iter().map(|(i, _)| i))
    {
        assert!(
            !std::mem::replace(&mut seen[i - first_key], true),
            "key {i} reported twice"
        );
    }
    for &i in &outcomes.deleted {
        assert!(
            !atlas.has_key(ORG, &key(i)),
            "key {i} reported deleted but still there"
        );
    }
    for (i, e) in &outcomes.failed {
        assert!(
            !missing_ok,
            "with missing_ok nothing may fail: key {i}: {e}"
        );
        match e.kind() {
            // The retry after a lost answer finds the key gone, and says so.
            ErrorKind::NotFound => {
                assert!(e.api().unwrap().earlier_attempt_may_have_succeeded, "{e}");
                assert!(!atlas.has_key(ORG, &key(*i)), "{e}");
            }
            // Out of retries while the faults kept coming.
            ErrorKind::ServerError
            | ErrorKind::RateLimited
            | ErrorKind::Transport
            | ErrorKind::Timeout => {}
            other => panic!("key {i}: unexpected {other:?}: {e}"),
        }
    }
    if missing_ok {
        assert!((first_key..first_key + n).all(|i| !atlas.has_key(ORG, &key(i))));
    }
    let grown = run.rss_last_quarter.saturating_sub(run.rss_first_quarter);
    assert!(
        grown < 5 * 1024,
        "resident memory grew {grown} KiB between the quarters"
    );
}

#[test]
fn soak_under_random_faults_loses_nothing() {
    capture_logs();
    let threads_before = threads_alive();
    let n = keys_to_delete();
    {
        let atlas = MockAtlas::start({
            let mut c = config();
            c.digest.nc_check = NcCheck::Exact;
            // Nonces also age out on their own during the run.
            c.digest.nonce_ttl_secs = 2;
            c
        })
        .unwrap();
        let client = retrying_client(
            &atlas.base_url(),
            RetryPolicy::new()
                .max_retries(6)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(100)),
        )
        .build()
        .unwrap();
        let plain = soak(&atlas, &client, 0, n, false);
        summary("soak", n, &plain);
        check(&atlas, 0, n, &plain, false);
        let lenient = soak(&atlas, &client, n, n, true);
        summary("soak with missing_ok", n, &lenient);
        check(&atlas, n, n, &lenient, true);
    }
    // The client, the mock and their connections are gone: so are their threads.
    let deadline = Instant::now() + Duration::from_secs(10);
    while threads_alive() > threads_before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        threads_alive() <= threads_before,
        "{} threads left behind",
        threads_alive() - threads_before
    );
}
