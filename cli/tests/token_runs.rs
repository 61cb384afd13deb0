//! A script that runs the command line once per key with a service
//! account: each run mints a token and revokes it as it ends, so runs
//! beyond Atlas' cap of 100 live tokens per account keep succeeding.

mod support;

use atlas_admin_mock::{MockAtlas, MockConfig, ServiceAccount, DEFAULT_TOKEN_CAP};
use std::time::Instant;
use support::*;

const RUNS: usize = 150;

/// `org-api-keys delete KEY` signed in with the service account.
fn delete_one(atlas: &MockAtlas, key: &str) -> Run {
    let mut command = command(None);
    command
        .env("MONGODB_ATLAS_CLIENT_ID", CLIENT_ID)
        .env("MONGODB_ATLAS_CLIENT_SECRET", CLIENT_SECRET)
        .args(["org-api-keys", "delete", "--base-url"])
        .arg(atlas.base_url())
        .args(["--org", ORG, key]);
    run_command(command, None)
}

#[test]
fn one_hundred_and_fifty_single_key_runs_leave_no_token_behind() {
    let mut config = MockConfig::default();
    config
        .service_accounts
        .push(ServiceAccount::new(CLIENT_ID, CLIENT_SECRET));
    config.keys.insert(ORG.into(), keys(RUNS));
    assert_eq!(config.token_cap, DEFAULT_TOKEN_CAP, "Atlas' cap, 100");
    let atlas = MockAtlas::start(config).unwrap();
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
