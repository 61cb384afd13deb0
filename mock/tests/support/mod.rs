//! Raw HTTP/1.1 against the mock, so tests control every header sent.
#![allow(dead_code)] // each test file uses a different part

use atlas_admin_mock::{Credential, MockAtlas, MockConfig, ServiceAccount};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

pub const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";
pub const KEY: &str = "6a1b2c3d4e5f6a7b8c9d0e1f";
pub const CLIENT_ID: &str = "mdb_sa_id_test";
pub const CLIENT_SECRET: &str = "mdb_sa_sk_test";
/// `Basic` credentials: base64 of `mdb_sa_id_test:mdb_sa_sk_test`, written
/// out so the mock's decoder is checked against an independent encoder.
pub const BASIC: &str = "Basic bWRiX3NhX2lkX3Rlc3Q6bWRiX3NhX3NrX3Rlc3Q=";
/// base64 of `mdb_sa_id_test:wrong`.
pub const BASIC_WRONG_SECRET: &str = "Basic bWRiX3NhX2lkX3Rlc3Q6d3Jvbmc=";
pub const FORM: &str = "application/x-www-form-urlencoded";
pub const V2_MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// A key pair, a service account and one API key.
pub fn config() -> MockConfig {
    let mut config = MockConfig::default();
    config
        .credentials
        .push(Credential::new("abcdefgh", "s3cret"));
    config
        .service_accounts
        .push(ServiceAccount::new(CLIENT_ID, CLIENT_SECRET));
    config.keys.insert(ORG.into(), vec![KEY.into()]);
    config
}

pub fn mock() -> MockAtlas {
    MockAtlas::start(config()).unwrap()
}

/// An answer, as read off the wire.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// Every value of header `name`, in order.
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_named(name).first().copied()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends one request on a fresh connection and reads the whole answer.
pub fn send(
    atlas: &MockAtlas,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    send_to(atlas.port(), method, target, headers, body)
}

/// As [`send`], to a mock listening on `port` of 127.0.0.1.
pub fn send_to(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// The `DELETE` of the test key under `prefix` (e.g. `/api/atlas/v2`).
pub fn delete_target(prefix: &str) -> String {
    format!("{prefix}/orgs/{ORG}/apiKeys/{KEY}")
}

/// Gets an access token for the test service account.
pub fn token(atlas: &MockAtlas) -> String {
    let reply = send(
        atlas,
        "POST",
        "/api/oauth/token",
        &[("Authorization", BASIC), ("Content-Type", FORM)],
        "grant_type=client_credentials",
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

/// `Authorization: Bearer <token>`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub const OTHER_ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d99";
pub const MISSING_KEY: &str = "6a1b2c3d4e5f6a7b8c9d0e99";
pub const FLAVOURS: [&str; 3] = ["/api/atlas/v1.0", "/api/public/v1.0", "/api/atlas/v2"];

/// The i-th of a family of distinct API key IDs.
pub fn key(i: usize) -> String {
    format!("6a1b2c3d4e5f6a7b8c{i:06x}")
}

/// An API flavour of the mock, called with a service account's token (and
/// the versioned `Accept` on v2), so each call is one request.
pub struct Api<'a> {
    pub atlas: &'a MockAtlas,
    pub prefix: &'static str,
    auth: String,
}

impl<'a> Api<'a> {
    pub fn new(atlas: &'a MockAtlas, prefix: &'static str) -> Self {
        Api {
            atlas,
            prefix,
            auth: bearer(&token(atlas)),
        }
    }

    pub fn v1(atlas: &'a MockAtlas) -> Self {
        Self::new(atlas, "/api/atlas/v1.0")
    }

    pub fn v2(atlas: &'a MockAtlas) -> Self {
        Self::new(atlas, "/api/atlas/v2")
    }

    pub fn is_v2(&self) -> bool {
        self.prefix == "/api/atlas/v2"
    }

    /// `method` on `{prefix}{path}` (path with its query), with a JSON body
    /// when `body` is not empty.
    pub fn call(&self, method: &str, path: &str, body: &str) -> Reply {
        let mut headers = vec![("Authorization", self.auth.as_str())];
        if self.is_v2() {
            headers.push(("Accept", V2_MEDIA_TYPE));
        }
        if !body.is_empty() {
            headers.push(("Content-Type", "application/json"));
        }
        send(
            self.atlas,
            method,
            &format!("{}{path}", self.prefix),
            &headers,
            body,
        )
    }

    pub fn get(&self, path: &str) -> Reply {
        self.call("GET", path, "")
    }

    /// The status v1.0 and Ops Manager give `not found` errors, or v2's.
    pub fn not_found_status(&self) -> u16 {
        if self.is_v2() {
            404
        } else {
            400
        }
    }

    /// The status of a successful create on this flavour.
    pub fn created_status(&self) -> u16 {
        if self.is_v2() {
            201
        } else {
            200
        }
    }
}

/// Asserts `reply` is Atlas error `code` with `status`, body and header.
pub fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{code}: {reply:?}");
    assert_eq!(reply.header("X-Error-Code"), Some(code), "{reply:?}");
    let body = reply.json();
    assert_eq!(body["error"], status, "{body}");
    assert_eq!(body["errorCode"], code, "{body}");
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{body}"
    );
    assert!(body["parameters"].is_array(), "{body}");
    assert!(body["reason"].is_string(), "{body}");
}

/// Sends a request signed with HTTP Digest (MD5, qop=auth) as
/// `user:password`: a first request for the challenge, then the answer.
pub fn digest_send(
    atlas: &MockAtlas,
    user: &str,
    password: &str,
    method: &str,
    target: &str,
    body: &str,
) -> Reply {
    let challenge = send(atlas, method, target, &[], body);
    assert_eq!(challenge.status, 401, "{challenge:?}");
    let header = challenge.header("WWW-Authenticate").unwrap();
    let nonce = header
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    send(
        atlas,
        method,
        target,
        &[
            (
                "Authorization",
                &digest_authorization(user, password, method, target, nonce),
            ),
            ("Content-Type", "application/json"),
        ],
        body,
    )
}

/// The `Authorization` value answering `nonce` (MD5, qop=auth, nc 1).
pub fn digest_authorization(
    user: &str,
    password: &str,
    method: &str,
    uri: &str,
    nonce: &str,
) -> String {
    use md5::{Digest, Md5};
    let h = |text: String| format!("{:x}", Md5::digest(text.as_bytes()));
    let ha1 = h(format!("{user}:MMS Public API:{password}"));
    let ha2 = h(format!("{method}:{uri}"));
    let response = h(format!("{ha1}:{nonce}:00000001:0a4f113b:auth:{ha2}"));
    format!(
        "Digest username=\"{user}\", realm=\"MMS Public API\", nonce=\"{nonce}\", uri=\"{uri}\", \
         algorithm=MD5, qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"{response}\""
    )
}

/// Runs curl with `args`; returns the final HTTP status and body.
pub fn curl(args: &[&str]) -> (String, String) {
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--write-out", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl is installed (scripts/install-deps installs it)");
    assert!(output.status.success(), "curl failed: {output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let (body, status) = text.rsplit_once('\n').unwrap();
    (status.to_owned(), body.to_owned())
}
