//! Digest against a real, independent server: Debian's Apache httpd 2.4 with
//! mod_auth_digest, strict nonce counting (`AuthDigestNcCheck On`: an `nc`
//! not above the last one Apache accepted for that nonce is refused with 401)
//! and a 2 s nonce lifetime, started by `scripts/apache-digest` on a free
//! loopback port. The mock and the client cannot agree on a mistake here.
//! Halfway through, every thread pauses past the nonce lifetime, so that
//! every session's nonce goes stale under load and is renewed.
//!
//! Apache's access log counts the challenges (401s) and deletes (204s).
//! Without Apache installed these tests are skipped loudly, unless
//! ATLAS_REQUIRE_APACHE is set (as `make test` does): then they fail.

mod common;

use atlas_admin::{Client, DeleteOptions, RetryPolicy};
use common::{ORG, PRIVATE, PUBLIC};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const THREADS: usize = 16;
const PER_THREAD: usize = 50;

/// Writes past the test harness' capture, so the figures show in `make test`.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn required() -> bool {
    std::env::var_os("ATLAS_REQUIRE_APACHE").is_some_and(|v| !v.is_empty())
}

/// A running Apache; stopped (by closing the script's input) when dropped.
struct Apache {
    child: Child,
    stdin: Option<ChildStdin>,
    url: String,
    access_log: PathBuf,
    error_log: PathBuf,
    nonce_lifetime: f64,
}

impl Apache {
    /// None when Apache is not installed and not required.
    fn start() -> Option<Apache> {
        let binary =
            std::env::var("ATLAS_APACHE_BIN").unwrap_or_else(|_| "/usr/sbin/apache2".into());
        if !Path::new(&binary).exists() && !required() {
            report(&format!(
                "\n*** SKIPPING the Apache Digest test: {binary} is not installed \
                 (scripts/install-deps installs it; ATLAS_REQUIRE_APACHE=1 makes this a failure) ***\n"
            ));
            return None;
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/apache-digest");
        let mut child = Command::new(script)
            .env("ATLAS_APACHE_PUBLIC_KEY", PUBLIC)
            .env("ATLAS_APACHE_PRIVATE_KEY", PRIVATE)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("scripts/apache-digest runs");
        let stdin = child.stdin.take();
        let (vars, state) = crate::common::announcement(child.stdout.take().unwrap());
        match state.as_str() {
            "ready" => {}
            "skip" => {
                drop(stdin);
                let _ = child.wait();
                report("\n*** SKIPPING the Apache Digest test: apache2 is not installed ***\n");
                return None;
            }
            _ => {
                let status = child.wait();
                panic!(
                    "scripts/apache-digest did not start Apache ({status:?}); see its output above"
                );
            }
        }
        let var = |name: &str| {
            vars.get(name)
                .unwrap_or_else(|| panic!("scripts/apache-digest printed no {name}"))
                .clone()
        };
        Some(Apache {
            url: var("ATLAS_APACHE_URL"),
            access_log: var("ATLAS_APACHE_ACCESS_LOG").into(),
            error_log: var("ATLAS_APACHE_ERROR_LOG").into(),
            nonce_lifetime: var("ATLAS_APACHE_NONCE_LIFETIME").parse().unwrap(),
            stdin,
            child,
        })
    }

    fn client(&self) -> Client {
        common::capture_logs();
        Client::builder()
            .base_url(&self.url)
            .digest_credentials(PUBLIC, PRIVATE)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .retry(RetryPolicy::none())
            .build()
            .expect("client builds")
    }

    /// Counts in Apache's logs; waits (boundedly) until the access log has
    /// at least `deletes` 204s, as Apache logs a request after answering it.
    fn counts(&self, deletes: usize) -> Counts {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let counts = Counts::read(&self.access_log, &self.error_log);
            if counts.deletes >= deletes || Instant::now() > deadline {
                return counts;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Apache {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

#[derive(Debug, Default)]
struct Counts {
    requests: usize,
    deletes: usize,
    challenges: usize,
    stale: usize,
    nc_refusals: usize,
}

impl Counts {
    fn read(access_log: &Path, error_log: &Path) -> Counts {
        let access = std::fs::read_to_string(access_log).unwrap();
        let errors = std::fs::read_to_string(error_log).unwrap_or_default();
        let mut counts = Counts::default();
        for line in access.lines() {
            counts.requests += 1;
            if line.starts_with("204 ") {
                counts.deletes += 1;
            } else if line.starts_with("401 ") {
                counts.challenges += 1;
                counts.stale += line.contains("stale=true") as usize;
            }
        }
        counts.nc_refusals = errors.matches("nonce-count check failed").count();
        counts
    }
}

/// One warm-up delete, then `threads` threads sharing one client delete
/// `per_thread` keys each, pausing past the nonce lifetime halfway; every
/// delete must succeed, and challenges must stay within one per thread plus
/// stale renewals.
fn deletes_through_one_client(threads: usize, per_thread: usize) {
    let Some(apache) = Apache::start() else {
        return;
    };
    let client = apache.client();
    let started = Instant::now();
    client
        .delete_org_api_key(ORG, "6a1b2c3d4e5f6a7b8c9d0e1f", &DeleteOptions::new())
        .map_err(common::record)
        .expect("a single delete against Apache succeeds (else the config or key pair is wrong)");

    let pause = Duration::from_secs_f64(apache.nonce_lifetime + 0.5);
    let failures = Mutex::new(Vec::new());
    let load_started = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (client, failures) = (&client, &failures);
            s.spawn(move || {
                for i in 0..per_thread {
                    if i == per_thread / 2 {
                        std::thread::sleep(pause);
                    }
                    let key = format!("6a1b2c3d4e5f{t:06x}{i:06x}");
                    if let Err(e) = client.delete_org_api_key(ORG, &key, &DeleteOptions::new()) {
                        let e = common::record(e);
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{:?}: {e}", e.kind()));
                    }
                }
            });
        }
    });
    let load_elapsed = load_started.elapsed().as_secs_f64();
    let elapsed = started.elapsed().as_secs_f64();
    let failures = failures.into_inner().unwrap();
    let deletes = threads * per_thread;
    let counts = apache.counts(deletes + 1 - failures.len());

    let mut kinds = BTreeMap::new();
    for f in &failures {
        *kinds
            .entry(f.split(':').next().unwrap().to_string())
            .or_insert(0) += 1;
    }
    let fresh = counts.challenges - counts.stale;
    let stale_allowed = ((threads + 1) as f64 * (elapsed / apache.nonce_lifetime + 1.0)) as usize;
    report(&format!(
        "apache (Rust): {threads} threads x {per_thread} deletes + 1 warm-up in {elapsed:.2} s \
         (load {load_elapsed:.2} s with a {:.1} s pause, nonce lifetime {} s): {} failed {kinds:?}; \
         Apache saw {} requests, {} deletes (204), {} challenges (401: {fresh} fresh, {} stale), \
         {} nonce-count refusals",
        pause.as_secs_f64(),
        apache.nonce_lifetime,
        failures.len(),
        counts.requests,
        counts.deletes,
        counts.challenges,
        counts.stale,
        counts.nc_refusals,
    ));
    if let Some(first) = failures.first() {
        report(&format!("apache (Rust): first failure: {first}"));
    }
    assert!(
        failures.is_empty(),
        "{} of {deletes} concurrent deletes failed against Apache: {kinds:?}",
        failures.len()
    );
    assert_eq!(
        counts.deletes,
        deletes + 1,
        "Apache answered 204 to every delete, once"
    );
    assert!(
        fresh <= threads + 1,
        "{fresh} fresh challenges for {threads} threads (at most one each, plus the warm-up)"
    );
    assert!(
        counts.stale >= 1,
        "no nonce went stale, although every thread paused past the nonce lifetime"
    );
    assert!(
        counts.stale <= stale_allowed,
        "{} stale renewals in {elapsed:.1} s with a {} s nonce lifetime (at most {stale_allowed})",
        counts.stale,
        apache.nonce_lifetime
    );
    assert_eq!(counts.nc_refusals, 0, "Apache refused no nonce count");
}

#[test]
fn sequential_deletes_cost_one_challenge_plus_stale_renewals() {
    deletes_through_one_client(1, PER_THREAD);
}

#[test]
fn sixteen_threads_sharing_a_client_all_succeed_against_apache() {
    deletes_through_one_client(THREADS, PER_THREAD);
}
