//! Shared set-up for the integration tests: a mock Atlas with known keys,
//! and a raw TCP server for answers the mock would never give.
#![allow(dead_code)]

use atlas_admin::{Client, RetryPolicy};
use atlas_admin_mock::{Credential, MockAtlas, MockConfig, ServiceAccount};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// The data that the Rust, C and Python tests share.
#[path = "../fixtures/bad_ids.rs"]
pub mod fixtures;

pub const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";
pub const KEY: &str = "6a1b2c3d4e5f6a7b8c9d0e1f";
pub const OTHER_ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d99";
pub const PUBLIC: &str = "abcdefgh";
pub const PRIVATE: &str = "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6";
pub const CLIENT_ID: &str = "mdb_sa_id_5f1a2b3c4d5e6f7a8b9c0d1e";
/// A service account's secret; `make test`'s secret scan looks for it.
pub const CLIENT_SECRET: &str = "mdb_sa_sk_0c1b7a3e-service-account-secret";

/// The i-th of a family of distinct API key IDs.
pub fn key(i: usize) -> String {
    format!("6a1b2c3d4e5f6a7b8c{i:06x}")
}

pub fn config() -> MockConfig {
    let mut config = MockConfig::default();
    config.credentials.push(Credential::new(PUBLIC, PRIVATE));
    config
        .service_accounts
        .push(ServiceAccount::new(CLIENT_ID, CLIENT_SECRET));
    config.keys.insert(ORG.into(), vec![KEY.into()]);
    config
}

pub fn mock() -> MockAtlas {
    MockAtlas::start(config()).expect("mock Atlas starts")
}

pub fn client(atlas: &MockAtlas) -> Client {
    client_for(&atlas.base_url(), PRIVATE)
}

/// A client that makes one attempt per call, so tests see each answer.
pub fn client_for(base_url: &str, private_key: &str) -> Client {
    retrying_client(base_url, RetryPolicy::none())
        .digest_credentials(PUBLIC, private_key)
        .build()
        .expect("client builds")
}

/// The mock's clock as a client's: `advance_clock` moves both, so expiry
/// is tested without sleeping. Waits (retry backoff) still sleep for real.
#[derive(Debug)]
pub struct MockTime(pub std::sync::Arc<atlas_admin_mock::MockClock>);

impl atlas_admin::Clock for MockTime {
    fn now(&self) -> std::time::Instant {
        self.0.now()
    }

    fn wall(&self) -> std::time::SystemTime {
        self.0.wall()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// A builder for the mock's credentials with this retry policy.
pub fn retrying_client(base_url: &str, policy: RetryPolicy) -> atlas_admin::ClientBuilder {
    capture_logs();
    let mut builder = Client::builder();
    builder
        .base_url(base_url)
        .digest_credentials(PUBLIC, PRIVATE)
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .retry(policy);
    builder
}

/// Warms `client` up with one delete (its only Digest challenge), then has
/// `threads` threads share it for `per_thread` deletes each; every delete
/// must succeed. Returns the mock's counters.
pub fn delete_in_threads(
    atlas: &MockAtlas,
    client: &Client,
    threads: usize,
    per_thread: usize,
) -> atlas_admin_mock::Stats {
    use atlas_admin::DeleteOptions;
    (0..threads * per_thread).for_each(|i| atlas.add_key(ORG, &key(i)));
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for i in (t * per_thread)..((t + 1) * per_thread) {
                    client
                        .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
                        .unwrap();
                }
            });
        }
    });
    atlas.stats()
}

/// A server on 127.0.0.1 that answers every request with `response`
/// (raw HTTP bytes) and closes the connection. Returns its base URL.
pub fn canned_server(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = stream.write_all(&response);
            let _ = stream.flush();
        }
    });
    url
}

/// A server on 127.0.0.1 that accepts connections and never answers.
pub fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            let mut sink = [0u8; 1024];
            let mut s = stream;
            let _ = s.set_read_timeout(Some(Duration::from_millis(10)));
            let _ = s.read(&mut sink);
            held.push(s);
        }
    });
    url
}

/// Raw HTTP response bytes.
pub fn http(status_line: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status_line}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Where this suite's log lines and error texts go, for
/// `scripts/check-secrets` to search for private keys after `make test`.
fn scan_file() -> &'static std::sync::Mutex<std::fs::File> {
    static FILE: std::sync::OnceLock<std::sync::Mutex<std::fs::File>> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::var("ATLAS_SECRET_SCAN_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/secret-scan").into());
        std::fs::create_dir_all(&dir).unwrap();
        let exe = std::env::current_exe().unwrap();
        let name = exe.file_name().unwrap().to_string_lossy();
        let path = format!("{dir}/rust-{name}-{}.log", std::process::id());
        std::sync::Mutex::new(std::fs::File::create(path).unwrap())
    })
}

fn scan_write(line: &str) {
    let mut file = scan_file().lock().unwrap_or_else(|p| p.into_inner());
    let _ = writeln!(file, "{line}");
}

struct ScanLogger;

impl log::Log for ScanLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        scan_write(&format!(
            "log {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {}
}

/// Sends every log record (from all crates, at every level) to the scan file.
pub fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        log::set_logger(&ScanLogger).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
    });
}

/// Records an error's message and `Debug` form for the secret scan, and
/// returns it.
pub fn record(error: atlas_admin::Error) -> atlas_admin::Error {
    scan_write(&format!("error {error}"));
    scan_write(&format!("debug {error:?}"));
    error
}

/// What a server script (scripts/apache-digest, scripts/tinyproxy) prints
/// before it serves: `NAME=value` lines, then `ready`, or `skip` when the
/// server is not installed. Returns the values and that last word (empty
/// if the script ended first).
pub fn announcement(stdout: impl Read) -> (std::collections::BTreeMap<String, String>, String) {
    let mut values = std::collections::BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line == "ready" || line == "skip" {
            return (values, line);
        }
        if let Some((name, value)) = line.split_once('=') {
            values.insert(name.to_owned(), value.to_owned());
        }
    }
    (values, String::new())
}
