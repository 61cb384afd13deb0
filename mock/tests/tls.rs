//! The mock's HTTPS listener, checked with curl against a CA made by
//! `scripts/test-ca` (openssl): the same Atlas as on the plain port, and
//! certificate files it cannot use refused when it starts, by name.

use atlas_admin_mock::{Credential, MockAtlas, MockConfig, TlsFiles};
use std::path::{Path, PathBuf};
use std::process::Command;

const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";
const KEY: &str = "6a1b2c3d4e5f6a7b8c9d0e1f";

/// A directory of its own for `name`, holding a CA made for it.
fn test_ca(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-mock-tls-{name}-{}", std::process::id()));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/test-ca");
    let status = Command::new(script).arg(&dir).status().unwrap();
    assert!(status.success(), "scripts/test-ca failed: {status}");
    dir
}

fn config(cert: &Path, key: &Path) -> MockConfig {
    let mut config = MockConfig::default();
    config
        .credentials
        .push(Credential::new("abcdefgh", "s3cret"));
    config.keys.insert(ORG.into(), vec![KEY.into()]);
    config.tls = Some(TlsFiles {
        cert: cert.to_owned(),
        key: key.to_owned(),
    });
    config
}

/// curl's status for a Digest DELETE of KEY at `base_url`, trusting `ca`.
fn curl_delete(base_url: &str, ca: &Path) -> String {
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--output", "/dev/null"])
        .args([
            "--write-out",
            "%{http_code}",
            "--digest",
            "--user",
            "abcdefgh:s3cret",
        ])
        .arg("--cacert")
        .arg(ca)
        .args(["--request", "DELETE"])
        .arg(format!("{base_url}/orgs/{ORG}/apiKeys/{KEY}"))
        .output()
        .expect("curl is installed (scripts/install-deps installs it)");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_same_atlas_is_served_over_https_on_a_port_of_its_own() {
    let dir = test_ca("serve");
    let atlas =
        MockAtlas::start(config(&dir.join("server.pem"), &dir.join("server-key.pem"))).unwrap();
    let url = atlas.tls_base_url().unwrap();
    let port = atlas.tls_port().unwrap();
    assert_eq!(url, format!("https://127.0.0.1:{port}/api/atlas/v1.0"));
    assert_ne!(port, atlas.port());
    assert_eq!(curl_delete(&url, &dir.join("ca.pem")), "204");
    assert!(
        !atlas.has_key(ORG, KEY),
        "the plain port's Atlas lost the key"
    );
    assert_eq!(atlas.stats().deleted, 1);

    // Plain HTTP to the TLS port gets no answer, and the mock carries on.
    let plain = format!("http://127.0.0.1:{port}/api/atlas/v1.0");
    assert_eq!(curl_delete(&plain, &dir.join("ca.pem")), "000");
    atlas.add_key(ORG, KEY);
    assert_eq!(curl_delete(&url, &dir.join("ca.pem")), "204");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn without_tls_there_is_no_https_listener() {
    let atlas = MockAtlas::start(MockConfig::default()).unwrap();
    assert_eq!((atlas.tls_port(), atlas.tls_base_url()), (None, None));
}

#[test]
fn unusable_certificate_files_are_refused_by_name() {
    let dir = test_ca("refused");
    let missing = dir.join("missing.pem");
    let (cert, key) = (dir.join("server.pem"), dir.join("server-key.pem"));
    for (cert, key, named) in [
        (&missing, &key, &missing),
        (&cert, &missing, &missing),
        // A certificate given as the key: no private key in it.
        (&cert, &cert, &cert),
        // The CA's certificate with the server's key: they do not match.
        (&dir.join("ca.pem"), &key, &key),
    ] {
        let err = MockAtlas::start(config(cert, key)).err().expect("refused");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{err}");
        assert!(
            err.to_string().contains(&named.display().to_string()),
            "{err}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}
