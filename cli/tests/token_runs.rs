//! A script that runs the command line once per key with a service
//! account: each run mints a token and revokes it as it ends, so runs
//! beyond Atlas' cap of 100 live tokens per account keep succeeding. A run
//! interrupted by a signal, once or twice, revokes its token too.

mod support;

use atlas_admin_mock::{Fault, MockAtlas, MockConfig, ServiceAccount, DEFAULT_TOKEN_CAP};
use std::process::{Child, Command};
use std::time::{Duration, Instant};
use support::*;

const RUNS: usize = 150;

/// A mock with the service account and `n` keys in `ORG`; Atlas' cap.
fn account_mock(n: usize) -> MockAtlas {
    let mut config = MockConfig::default();
    config
        .service_accounts
        .push(ServiceAccount::new(CLIENT_ID, CLIENT_SECRET));
    config.keys.insert(ORG.into(), keys(n));
    assert_eq!(config.token_cap, DEFAULT_TOKEN_CAP, "Atlas' cap, 100");
    MockAtlas::start(config).unwrap()
}

/// `org-api-keys delete ARGS...` signed in with the service account.
fn delete_as_account(atlas: &MockAtlas, args: &[String]) -> Command {
    let mut command = command(None);
    command
        .env("MONGODB_ATLAS_CLIENT_ID", CLIENT_ID)
        .env("MONGODB_ATLAS_CLIENT_SECRET", CLIENT_SECRET)
        .args(["org-api-keys", "delete", "--base-url"])
        .arg(atlas.base_url())
        .args(["--org", ORG])
        .args(args);
    command
}

/// `org-api-keys delete KEY` signed in with the service account.
fn delete_one(atlas: &MockAtlas, key: &str) -> Run {
    run_command(delete_as_account(atlas, &[key.to_owned()]), None)
}

#[test]
fn one_hundred_and_fifty_single_key_runs_leave_no_token_behind() {
    let atlas = account_mock(RUNS);
    let started = Instant::now();
    for (i, key) in keys(RUNS).iter().enumerate() {
        let run = delete_one(&atlas, key);
        assert_eq!(run.code, 0, "run {i}: {run:?}");
        let active = atlas.stats().active_tokens;
        assert!(active <= 1, "run {i} left {active} live tokens");
    }
    let took = started.elapsed();
    let stats = atlas.stats();
    eprintln!(
        "{RUNS} runs in {:.1} s ({:.0} ms a run): {} tokens issued, {} revoked, {} refused, {} live",
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / RUNS as f64,
        stats.tokens_issued,
        stats.tokens_revoked,
        stats.tokens_refused,
        stats.active_tokens
    );
    assert!(atlas.api_keys(ORG).is_empty());
    assert_eq!(
        (
            stats.tokens_issued,
            stats.tokens_revoked,
            stats.tokens_refused,
            stats.active_tokens
        ),
        (RUNS as u64, RUNS as u64, 0, 0),
        "{stats:?}"
    );
    // One token request, one delete, one revocation a run.
    assert_eq!(stats.requests, 3 * RUNS as u64, "{stats:?}");
}

/// A bulk delete of 40 keys, two at a time, answered in 20 ms each.
fn start_bulk(atlas: &MockAtlas) -> Child {
    atlas.set_response_delay(Duration::from_millis(20));
    let mut args = vec!["--concurrency".to_owned(), "2".to_owned()];
    args.extend(keys(40));
    delete_as_account(atlas, &args)
        .spawn()
        .expect("atlas-admin starts")
}

#[test]
fn a_run_interrupted_by_sigint_revokes_its_token() {
    let atlas = account_mock(40);
    let child = start_bulk(&atlas);
    wait_until("the run is under way", Duration::from_secs(30), || {
        atlas.stats().deleted >= 4
    });
    send(&child, libc::SIGINT);
    let run = finish(child);
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        atlas.stats().deleted < 40,
        "the signal came too late to tell"
    );
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.tokens_issued,
            stats.tokens_revoked,
            stats.active_tokens
        ),
        (1, 1, 0),
        "{stats:?}"
    );
}

#[test]
fn a_run_ended_at_once_by_a_second_sigint_revokes_its_token() {
    let atlas = account_mock(40);
    let child = start_bulk(&atlas);
    wait_until("the run is under way", Duration::from_secs(30), || {
        atlas.stats().deleted >= 4
    });
    // The two workers' next deletes hang for 5 s; the revocation after
    // them is answered at once.
    let requests = atlas.stats().requests;
    atlas.inject(Fault::Delay { millis: 5000 }, 2);
    wait_until("both workers hang", Duration::from_secs(10), || {
        atlas.stats().requests >= requests + 2
    });
    send(&child, libc::SIGINT);
    delivered(&child, libc::SIGINT);
    let second = Instant::now();
    send(&child, libc::SIGINT);
    let run = finish(child);
    let took = second.elapsed();
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        took < Duration::from_secs(3),
        "the run waited {took:?} for its calls"
    );
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.tokens_issued,
            stats.tokens_revoked,
            stats.active_tokens
        ),
        (1, 1, 0),
        "{stats:?}"
    );
}
