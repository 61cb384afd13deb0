//! Every crate's log records at Trace (`common::capture_logs` sends them
//! to the secret-scan directory, which `scripts/check-secrets` searches
//! after `make test`) while clients use Digest, a service account's token
//! and an authenticating HTTP proxy, over TLS: no record holds an
//! `Authorization` value, a token, a key or a proxy password, whole or in
//! pieces (a hex dump splits a header over 16-byte rows).

mod common;
mod tunnel;

use atlas_admin::{Credentials, DeleteOptions, ErrorKind, ProxyConfig, RetryPolicy};
use base64::Engine as _;
use common::*;

const PROXY_USER: &str = "proxy-user";
const PROXY_PASSWORD: &str = "proxy-pass-7f3a91c2";

/// This suite's scan file, where `common` writes it.
fn captured() -> String {
    let dir = std::env::var("ATLAS_SECRET_SCAN_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/secret-scan").into());
    let exe = std::env::current_exe().unwrap();
    let name = exe.file_name().unwrap().to_string_lossy();
    std::fs::read_to_string(format!("{dir}/rust-{name}-{}.log", std::process::id())).unwrap()
}

/// The pieces of `secret` a log must not hold: all of it when short, else
/// every run of 10 characters, but for runs that public text (an ID, a
/// path) happens to hold too.
fn pieces<'a>(secret: &'a str, public: &[&str]) -> Vec<&'a str> {
    if secret.len() <= 10 {
        return vec![secret];
    }
    (0..=secret.len() - 10)
        .filter(|&i| secret.is_char_boundary(i) && secret.is_char_boundary(i + 10))
        .map(|i| &secret[i..i + 10])
        .filter(|piece| !public.iter().any(|text| text.contains(piece)))
        .collect()
}

/// The value of the `Authorization` header in a request, if any.
fn authorization(request: &str) -> Option<&str> {
    request.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("authorization")
            .then(|| value.trim())
    })
}

#[test]
fn no_secret_reaches_any_log_at_trace_level() {
    let atlas = mock();
    for i in 0..6 {
        atlas.add_key(ORG, &key(i));
    }
    let ca = tunnel::private_ca();
    let bundle =
        std::env::temp_dir().join(format!("atlas-admin-trace-ca-{}.pem", std::process::id()));
    std::fs::write(&bundle, ca.pem()).unwrap();
    let (origin, front) = tunnel::tls_front(&ca, format!("127.0.0.1:{}", atlas.port()));
    let (proxy, connects) = tunnel::connect_proxy(Some(&format!("{PROXY_USER}:{PROXY_PASSWORD}")));
    let builder = || {
        let mut builder = retrying_client(&format!("{origin}/api/atlas/v1.0"), RetryPolicy::none());
        builder.ca_bundle(&bundle).proxy(ProxyConfig::Url(format!(
            "http://{PROXY_USER}:{PROXY_PASSWORD}@{proxy}"
        )));
        builder
    };

    // Digest: a challenge, then answers made before any challenge.
    let digest = builder().build().unwrap();
    for i in 0..3 {
        digest
            .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
            .map_err(record)
            .unwrap();
    }
    // A service account: a token fetched with Basic credentials, then used.
    let account = builder()
        .credentials(Credentials::service_account(CLIENT_ID, CLIENT_SECRET))
        .build()
        .unwrap();
    for i in 3..6 {
        account
            .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
            .map_err(record)
            .unwrap();
    }
    // A refused key: its answers are logged on the way to the error.
    let refused = builder()
        .digest_credentials(PUBLIC, "ffffffff-wrong-private-key-0000")
        .build()
        .unwrap()
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .map_err(record)
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unauthorized, "{refused}");
    std::fs::remove_file(&bundle).unwrap();

    // What went over the wire, inside the tunnel and the TLS.
    let seen = front.lock().unwrap();
    let values: Vec<&str> = seen
        .requests
        .iter()
        .filter_map(|r| authorization(r))
        .collect();
    assert!(
        values.iter().any(|v| v.starts_with("Digest ")),
        "{values:?}"
    );
    assert!(
        values
            .iter()
            .any(|v| v.starts_with("Bearer mock-access-token-")),
        "{values:?}"
    );
    assert!(values.iter().any(|v| v.starts_with("Basic ")), "{values:?}");
    let connects = connects.lock().unwrap();
    let proxy_basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{PROXY_USER}:{PROXY_PASSWORD}"));
    assert!(
        connects.iter().all(|head| head.contains(&proxy_basic)),
        "every CONNECT carries the proxy's credentials: {connects:?}"
    );

    let mut secrets: Vec<String> = vec![
        PRIVATE.into(),
        CLIENT_SECRET.into(),
        PROXY_PASSWORD.into(),
        proxy_basic,
        "mock-access-token-".into(),
    ];
    for value in &values {
        // The scheme and the public parts (user name, realm, nonce, URI)
        // may be logged; the rest is a credential.
        if let Some(digest) = value.strip_prefix("Digest ") {
            let response = digest.split("response=\"").nth(1).unwrap();
            secrets.push(response[..32].to_owned());
        } else if let Some((_, credential)) = value.split_once(' ') {
            secrets.push(credential.to_owned());
        }
    }
    let logs = captured();
    let lines: Vec<&str> = logs.lines().filter(|l| l.starts_with("log ")).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("log TRACE rustls") || l.starts_with("log DEBUG rustls")),
        "rustls' own records are captured too: {lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("log DEBUG atlas_admin")),
        "{lines:#?}"
    );
    let request_lines: Vec<&str> = seen
        .requests
        .iter()
        .filter_map(|r| r.lines().next())
        .collect();
    let mut public: Vec<&str> = request_lines.clone();
    public.extend([ORG, KEY, PUBLIC, CLIENT_ID]);
    for secret in &secrets {
        for piece in pieces(secret, &public) {
            if let Some(line) = lines.iter().find(|l| l.contains(piece)) {
                panic!("a log record holds a piece of a secret ({piece}): {line}");
            }
        }
    }
    println!(
        "trace logs: {} records from {} requests searched for {} secrets",
        lines.len(),
        seen.requests.len(),
        secrets.len()
    );
}
