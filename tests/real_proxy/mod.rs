//! A real HTTP proxy for the proxy tests: Debian's tinyproxy, started by
//! `scripts/tinyproxy` on a free loopback port, and a mock Atlas that
//! also serves HTTPS with a certificate from a CA made for the test.
//! Without tinyproxy the tests are skipped loudly, unless
//! ATLAS_REQUIRE_TINYPROXY is set (as `make test` does): then they fail.
#![allow(dead_code)]

use atlas_admin_mock::{MockAtlas, TlsFiles};
use rcgen::{CertificateParams, KeyPair};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};

/// The proxy password of the tests with `--basic-auth`; `make test`'s
/// secret scan looks for it.
pub const PROXY_USER: &str = "tinyproxy-user";
pub const PROXY_PASSWORD: &str = "tinyproxy-pass-5e0c7b1d";

fn required() -> bool {
    std::env::var_os("ATLAS_REQUIRE_TINYPROXY").is_some_and(|v| !v.is_empty())
}

/// Writes past the test harness' capture, so a skip shows in `make test`.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A running tinyproxy; stopped (by closing the script's input) when
/// dropped.
pub struct Tinyproxy {
    child: Child,
    stdin: Option<ChildStdin>,
    /// `http://127.0.0.1:PORT`, without credentials.
    pub url: String,
    /// `127.0.0.1:PORT`.
    pub address: String,
    log: PathBuf,
}

impl Tinyproxy {
    /// tinyproxy with `args` (`--connect-port PORT`, `--basic-auth
    /// USER:PASSWORD`); `None` when it is not installed and not required.
    pub fn start(args: &[String]) -> Option<Tinyproxy> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/tinyproxy");
        let mut child = Command::new(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("scripts/tinyproxy runs");
        let stdin = child.stdin.take();
        let (vars, state) = crate::common::announcement(child.stdout.take().unwrap());
        match state.as_str() {
            "ready" => {}
            "skip" => {
                drop(stdin);
                let _ = child.wait();
                assert!(!required(), "scripts/tinyproxy skipped although required");
                report(
                    "\n*** SKIPPING a tinyproxy test: tinyproxy is not installed \
                     (scripts/install-deps installs it; ATLAS_REQUIRE_TINYPROXY=1 makes this \
                     a failure) ***\n",
                );
                return None;
            }
            _ => {
                let status = child.wait();
                panic!(
                    "scripts/tinyproxy did not start tinyproxy ({status:?}); see its output above"
                );
            }
        }
        let var = |name: &str| {
            vars.get(name)
                .unwrap_or_else(|| panic!("scripts/tinyproxy printed no {name}"))
                .clone()
        };
        let url = var("TINYPROXY_URL");
        Some(Tinyproxy {
            address: url.trim_start_matches("http://").to_owned(),
            url,
            log: var("TINYPROXY_LOG").into(),
            stdin,
            child,
        })
    }

    /// tinyproxy allowing tunnels to `ports` only.
    pub fn allowing(ports: &[u16]) -> Option<Tinyproxy> {
        Self::start(&connect_ports(ports))
    }

    /// tinyproxy allowing tunnels to `ports` only, for [`PROXY_USER`]
    /// with [`PROXY_PASSWORD`].
    pub fn with_basic_auth(ports: &[u16]) -> Option<Tinyproxy> {
        let mut args = connect_ports(ports);
        args.push("--basic-auth".into());
        args.push(format!("{PROXY_USER}:{PROXY_PASSWORD}"));
        Self::start(&args)
    }

    /// The proxy's URL with the user and `password`.
    pub fn url_with(&self, password: &str) -> String {
        format!("http://{PROXY_USER}:{password}@{}", self.address)
    }

    /// The lines of tinyproxy's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).expect("tinyproxy's log is readable")
    }

    /// How many CONNECTs to `authority` (`host:port`) tinyproxy has logged.
    pub fn connects_to(&self, authority: &str) -> usize {
        let line = format!("CONNECT {authority} HTTP/1.1");
        self.log().lines().filter(|l| l.contains(&line)).count()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

fn connect_ports(ports: &[u16]) -> Vec<String> {
    ports
        .iter()
        .flat_map(|port| ["--connect-port".to_owned(), port.to_string()])
        .collect()
}

/// A port of 127.0.0.1 where nothing listens (it was free a moment ago).
pub fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A mock Atlas (the tests' usual one) that also serves HTTPS, with a
/// certificate for 127.0.0.1 from a CA made for this test, and the CA's
/// PEM file; the files go when it is dropped.
pub struct TlsAtlas {
    pub atlas: MockAtlas,
    /// The clients' `ca_bundle`.
    pub ca_bundle: PathBuf,
    dir: PathBuf,
}

impl TlsAtlas {
    /// `name` keeps the files of tests running at once apart.
    pub fn start(name: &str) -> TlsAtlas {
        let dir =
            std::env::temp_dir().join(format!("atlas-admin-proxy-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = crate::tunnel::private_ca();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
        let write = |file: &str, text: &str| -> PathBuf {
            let path = dir.join(file);
            std::fs::write(&path, text).unwrap();
            path
        };
        let ca_bundle = write("ca.pem", &ca.pem());
        let mut config = crate::common::config();
        config.tls = Some(TlsFiles {
            cert: write("server.pem", &cert.pem()),
            key: write("server-key.pem", &key.serialize_pem()),
        });
        let atlas = MockAtlas::start(config).expect("the mock serves HTTPS");
        TlsAtlas {
            atlas,
            ca_bundle,
            dir,
        }
    }

    /// `https://127.0.0.1:PORT/api/atlas/v1.0`.
    pub fn base_url(&self) -> String {
        self.atlas.tls_base_url().unwrap()
    }

    /// `127.0.0.1:PORT` of the HTTPS listener: a CONNECT's target.
    pub fn authority(&self) -> String {
        format!("127.0.0.1:{}", self.port())
    }

    pub fn port(&self) -> u16 {
        self.atlas.tls_port().unwrap()
    }
}

impl Drop for TlsAtlas {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
