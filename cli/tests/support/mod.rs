//! Running the built `atlas-admin` against an in-process mock Atlas on
//! 127.0.0.1, with an environment of the test's making only.
#![allow(dead_code)]

pub mod shell;

use atlas_admin_mock::{ApiKey, Credential, MockAtlas, MockConfig, ServiceAccount};
use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_atlas-admin");
pub const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";
pub const PUBLIC: &str = "abcdefgh";
/// The mock's private key; `make test`'s secret scan looks for it in
/// everything the binary printed.
pub const PRIVATE: &str = "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6";
/// A private key the mock refuses; scanned for too.
pub const WRONG_PRIVATE: &str = "ffffffff-0000-4000-8000-wrongprivate";
/// No run may take longer than this; a hung child is killed and fails.
const DEADLINE: Duration = Duration::from_secs(60);

/// The i-th of a family of distinct API key IDs.
pub fn key(i: usize) -> String {
    format!("6a1b2c3d4e5f6a7b8c{i:06x}")
}

/// The first `n` keys.
pub fn keys(n: usize) -> Vec<String> {
    (0..n).map(key).collect()
}

/// A mock that accepts `PUBLIC`/`PRIVATE` and holds `n` keys in `ORG`.
pub fn mock(n: usize) -> MockAtlas {
    mock_with(n, Credential::new(PUBLIC, PRIVATE))
}

/// A mock that accepts `credential` and holds `n` keys in `ORG`.
pub fn mock_with(n: usize, credential: Credential) -> MockAtlas {
    let mut config = MockConfig::default();
    config.credentials.push(credential);
    config.keys.insert(ORG.into(), keys(n));
    MockAtlas::start(config).expect("mock Atlas starts")
}

/// A service account the mock accepts (`mock_with_records`), and its
/// secret, which `make test`'s secret scan looks for.
pub const CLIENT_ID: &str = "mdb_sa_id_5f1a2b3c4d5e6f7a8b9c0d1e";
pub const CLIENT_SECRET: &str = "mdb_sa_sk_0c1b7a3e-service-account-secret";

/// The caller's own key: the record of `PUBLIC`, which signs the tests'
/// requests, as a key of `ORG`.
pub const OWN_KEY: &str = "6a1b2c3d4e5f6a7b8c9d0000";

/// A mock that accepts `PUBLIC`/`PRIVATE` and the service account, and
/// holds `records` in `ORG` (made up where left empty).
pub fn mock_with_records(records: Vec<ApiKey>) -> MockAtlas {
    let mut config = MockConfig::default();
    config.credentials.push(Credential::new(PUBLIC, PRIVATE));
    config
        .service_accounts
        .push(ServiceAccount::new(CLIENT_ID, CLIENT_SECRET));
    config.orgs.push(ORG.into());
    config.api_keys.insert(ORG.into(), records);
    MockAtlas::start(config).expect("mock Atlas starts")
}

/// A record with this ID, public key, description and roles.
pub fn record(id: &str, public_key: &str, desc: &str, roles: &[&str]) -> ApiKey {
    ApiKey {
        public_key: public_key.into(),
        desc: desc.into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        ..ApiKey::with_id(id)
    }
}

/// The caller's own key (`OWN_KEY`, public key `PUBLIC`).
pub fn own_record() -> ApiKey {
    record(
        OWN_KEY,
        PUBLIC,
        "the key the tests sign in with",
        &["ORG_OWNER"],
    )
}

/// The public key of `atlas`'s key `id` in `ORG`.
pub fn public_key_of(atlas: &MockAtlas, id: &str) -> String {
    atlas.api_key(ORG, id).expect("the key exists").public_key
}

/// How a run reaches `atlas`: Atlas v1.0 by base URL, or v2 by host.
pub fn flavours(atlas: &MockAtlas) -> [Vec<String>; 2] {
    [
        vec!["--base-url".into(), atlas.base_url()],
        vec![
            "--api".into(),
            "atlas-v2".into(),
            "--host".into(),
            atlas.origin(),
        ],
    ]
}

/// `atlas-admin org-api-keys SUBCOMMAND... --org ORG` then `args`, signed
/// in with `PUBLIC`/`PRIVATE`; `args` carries the connection flags.
pub fn keys_command(subcommand: &[&str], args: &[String]) -> Command {
    let mut command = command(Some(PRIVATE));
    command
        .arg("org-api-keys")
        .args(subcommand)
        .args(["--org", ORG])
        .args(args);
    command
}

/// `keys_command` run against `atlas` (Atlas v1.0) with `args`.
pub fn org_keys(atlas: &MockAtlas, subcommand: &[&str], args: &[&str]) -> Run {
    let mut all = vec!["--base-url".to_owned(), atlas.base_url()];
    all.extend(args.iter().map(|a| a.to_string()));
    run_command(keys_command(subcommand, &all), None)
}

/// A new empty directory under the system's temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "atlas-admin-cli-{name}-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `atlas-admin` with an environment holding only the mock's credentials
/// and an empty configuration directory, so no real profile, proxy or key
/// of the machine running the tests is read.
pub fn command(private_key: Option<&str>) -> Command {
    // Shared by every run and never written to, so one fixed directory
    // serves all test processes and nothing is left behind per run.
    let home = std::env::temp_dir().join("atlas-admin-cli-empty-home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(private_key) = private_key {
        command
            .env("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC)
            .env("MONGODB_ATLAS_PRIVATE_API_KEY", private_key);
    }
    command
}

/// `org-api-keys delete` against `atlas` with the right credentials.
pub fn delete(atlas: &MockAtlas, args: &[&str]) -> Run {
    run_command(delete_command(atlas, Some(PRIVATE), args), None)
}

/// `org-api-keys delete --base-url MOCK --org ORG` followed by `args`.
pub fn delete_command(atlas: &MockAtlas, private_key: Option<&str>, args: &[&str]) -> Command {
    let mut command = command(private_key);
    command
        .args(["org-api-keys", "delete", "--base-url"])
        .arg(atlas.base_url())
        .args(["--org", ORG])
        .args(args);
    command
}

/// `api --base-url MOCK` followed by `args`, with the right credentials.
pub fn api(atlas: &MockAtlas, args: &[&str]) -> Run {
    run_command(api_command(&atlas.base_url(), args), None)
}

/// `atlas-admin api --base-url BASE_URL` followed by `args`, with the mock's
/// credentials in the environment.
pub fn api_command(base_url: &str, args: &[&str]) -> Command {
    let mut command = command(Some(PRIVATE));
    command.args(["api", "--base-url", base_url]).args(args);
    command
}

/// Polls `done` every few milliseconds until it holds, failing with `what`
/// after `limit`; returns when it first held.
pub fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Instant {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A server on 127.0.0.1 that answers every request with one canned
/// answer, closing the connection after it, and keeps each request it
/// read (head and body) for the test to look at.
pub struct CannedServer {
    /// Its base URL, `http://127.0.0.1:PORT/api/atlas/v1.0`.
    pub base_url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

/// One canned answer: `status_line` (e.g. `200 OK`), `headers`, `body`.
pub type Answer<'a> = (&'a str, &'a [&'a str], &'a str);

impl CannedServer {
    /// Answers `status_line` (e.g. `200 OK`) with `headers` and `body`.
    pub fn start(status_line: &str, headers: &[&str], body: &str) -> Self {
        Self::routed(&[("", (status_line, headers, body))])
    }

    /// Answers each request with the answer of the first route whose
    /// prefix its request line starts with (e.g. `GET ` or `DELETE
    /// /api/atlas/v1.0/orgs/`); a request no route takes gets a 500.
    pub fn routed(routes: &[(&str, Answer<'_>)]) -> Self {
        let answers: Vec<(String, String)> = routes
            .iter()
            .map(|(prefix, (status_line, headers, body))| {
                let mut answer = format!("HTTP/1.1 {status_line}\r\n");
                for header in *headers {
                    answer.push_str(&format!("{header}\r\n"));
                }
                answer.push_str(&format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ));
                (prefix.to_string(), answer)
            })
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let request = read_request(&stream);
                let answer = answers
                    .iter()
                    .find(|(prefix, _)| request.starts_with(prefix.as_str()))
                    .map_or(UNROUTED, |(_, answer)| answer.as_str());
                log.lock().unwrap().push(request);
                let _ = stream.write_all(answer.as_bytes());
                let _ = stream.flush();
            }
        });
        CannedServer { base_url, seen }
    }

    /// Every request read so far, as text: head, blank line, body.
    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// The answer to a request no route of a `CannedServer` takes.
const UNROUTED: &str =
    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// One request from `stream`: its head, then as much body as its
/// Content-Length says.
fn read_request(stream: &std::net::TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let (mut text, mut length) = (String::new(), 0);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return text;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        text.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    text + &String::from_utf8_lossy(&body)
}

/// A pseudo-terminal: the controller end to read what was drawn, and the
/// terminal end to hand to a child as a stream.
pub fn pty() -> (File, OwnedFd) {
    let (mut controller, mut terminal) = (-1, -1);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the integers given, and
    // only reads the window size; the name and termios may be null.
    let status = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(status, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    unsafe {
        (
            File::from_raw_fd(controller),
            OwnedFd::from_raw_fd(terminal),
        )
    }
}

/// Everything written to the terminal whose controller end is `controller`,
/// read on a thread of its own until every holder of the terminal end is
/// gone.
pub fn drain_terminal(mut controller: File) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buffer = [0; 4096];
        // Linux reports the end of a pseudo-terminal as EIO.
        while let Ok(read @ 1..) = controller.read(&mut buffer) {
            bytes.extend_from_slice(&buffer[..read]);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// What a finished run left.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Standard output's lines, each parsed as JSON.
    pub fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}")))
            .collect()
    }

    /// The per-key objects of JSON output, and the summary.
    pub fn results(&self) -> (Vec<Value>, Value) {
        let mut lines = self.json();
        let summary = lines.pop().expect("a summary line");
        assert!(summary.get("summary").is_some(), "{summary}");
        (lines, summary)
    }
}

/// Runs `command` (stdin fed `input` when given), reading its pipes as
/// it goes, and records what it printed for the secret scan.
pub fn run_command(command: Command, input: Option<&str>) -> Run {
    let run = run_unscanned(command, input);
    scan(&run.stdout);
    scan(&run.stderr);
    run
}

/// Runs `command`, which was asked to print a new private key on standard
/// output (`--private-key-out -`): only its standard error goes to the
/// secret scan, which would rightly find the key on standard output.
pub fn run_printing_a_secret(command: Command) -> Run {
    let run = run_unscanned(command, None);
    scan(&run.stderr);
    run
}

/// Runs `command` as `run_command` does, without the secret scan.
fn run_unscanned(mut command: Command, input: Option<&str>) -> Run {
    if input.is_some() {
        command.stdin(Stdio::piped());
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("atlas-admin starts");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let code = wait(&mut child);
    Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

/// Reads `pipe` to its end on a thread of its own.
pub fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            pipe.read_to_string(&mut text).unwrap();
        }
        text
    })
}

/// The exit code of `child`, which must end within the deadline.
pub fn wait(child: &mut Child) -> i32 {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().expect("exited, not killed by a signal");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("atlas-admin did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Writes `text` where `scripts/check-secrets` searches for private keys
/// after `make test`.
pub fn scan(text: &str) {
    let dir = std::env::var("ATLAS_SECRET_SCAN_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/secret-scan").into());
    let _ = std::fs::create_dir_all(&dir);
    let exe = std::env::current_exe().unwrap();
    let name = exe.file_name().unwrap().to_string_lossy().into_owned();
    let path = Path::new(&dir).join(format!("rust-cli-{name}-{}.log", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    let _ = file.write_all(text.as_bytes());
}

/// The one line a text `delete` writes on standard error, its summary,
/// without the elapsed time (`atlas-admin: 4 keys: 2 deleted, 2 not
/// found; exit 3`); fails unless `stderr` is that line alone.
pub fn text_summary(stderr: &str) -> String {
    let line = stderr
        .strip_suffix('\n')
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.contains('\n'))
        .unwrap_or_else(|| panic!("not one line: {stderr:?}"));
    let (head, rest) = line
        .split_once(" in ")
        .unwrap_or_else(|| panic!("no elapsed time: {line:?}"));
    let (seconds, tail) = rest
        .split_once(" s: ")
        .unwrap_or_else(|| panic!("no elapsed time: {line:?}"));
    assert!(seconds.parse::<f64>().is_ok(), "{line:?}");
    format!("{head}: {tail}")
}

/// The keys of `keys` that `atlas` still holds.
pub fn remaining(atlas: &MockAtlas, keys: &[String]) -> Vec<String> {
    keys.iter()
        .filter(|k| atlas.has_key(ORG, k))
        .cloned()
        .collect()
}

/// Sends `signal` to `child`.
pub fn send(child: &Child, signal: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill takes a pid and a signal number, nothing else.
    let status = unsafe { libc::kill(pid, signal) };
    assert_eq!(status, 0, "kill: {}", std::io::Error::last_os_error());
}

/// Waits until `signal`, sent to the child, has been taken by one of its
/// threads: two signals of a kind pending at once would count as one.
pub fn delivered(child: &Child, signal: i32) {
    let status = format!("/proc/{}/status", child.id());
    wait_until("the signal is delivered", Duration::from_secs(10), || {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let pending = text
            .lines()
            .find_map(|line| line.strip_prefix("ShdPnd:"))
            .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
            .unwrap_or(0);
        pending & (1 << (signal - 1)) == 0
    });
}

/// Runs `child` to its end, its pipes read as it goes.
pub fn finish(mut child: Child) -> Run {
    let started = Instant::now();
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let code = wait(&mut child);
    let run = Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed: started.elapsed(),
    };
    scan(&run.stdout);
    scan(&run.stderr);
    run
}
