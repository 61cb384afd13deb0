//! The mock checked against a real Digest client: `curl --digest`.

use atlas_admin_mock::{Algorithm, Credential, MockAtlas, MockConfig};
use std::process::Command;

const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";
const KEY: &str = "6a1b2c3d4e5f6a7b8c9d0e1f";

fn atlas(algorithm: Algorithm) -> MockAtlas {
    let mut config = MockConfig::default();
    config
        .credentials
        .push(Credential::new("abcdefgh", "s3cret"));
    config.keys.insert(ORG.into(), vec![KEY.into()]);
    config.digest.algorithms = vec![algorithm];
    MockAtlas::start(config).unwrap()
}

/// Runs curl as the seed document does; returns the final HTTP status and body.
fn curl_delete(atlas: &MockAtlas, user: &str, query: &str) -> (String, String) {
    let url = format!("{}/orgs/{ORG}/apiKeys/{KEY}{query}", atlas.base_url());
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--digest", "--user", user])
        .args(["--header", "Accept: application/json"])
        .args(["--request", "DELETE", "--write-out", "\n%{http_code}", &url])
        .output()
        .expect("curl is installed (scripts/install-deps installs it)");
    assert!(output.status.success(), "curl failed: {output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let (body, status) = text.rsplit_once('\n').unwrap();
    (status.to_owned(), body.to_owned())
}

#[test]
fn curl_digest_md5_deletes_then_gets_api_key_not_found() {
    let atlas = atlas(Algorithm::Md5);
    assert_eq!(
        curl_delete(&atlas, "abcdefgh:s3cret", "?pretty=true").0,
        "204"
    );
    assert!(!atlas.has_key(ORG, KEY));
    let (status, body) = curl_delete(&atlas, "abcdefgh:s3cret", "");
    assert_eq!(status, "400");
    assert!(
        body.contains("\"errorCode\":\"API_KEY_NOT_FOUND\""),
        "{body}"
    );
    let stats = atlas.stats();
    assert_eq!((stats.challenges, stats.authenticated), (2, 2), "{stats:?}");
}

#[test]
fn curl_digest_sha256() {
    let atlas = atlas(Algorithm::Sha256);
    assert_eq!(curl_delete(&atlas, "abcdefgh:s3cret", "").0, "204");
}

#[test]
fn curl_with_a_wrong_password_is_refused() {
    let atlas = atlas(Algorithm::Md5);
    let (status, body) = curl_delete(&atlas, "abcdefgh:wrong", "");
    assert_eq!(status, "401");
    assert!(body.contains("You are not authorized"), "{body}");
    assert!(atlas.has_key(ORG, KEY));
}

#[test]
fn curl_sees_the_envelope() {
    let atlas = atlas(Algorithm::Md5);
    let (status, body) = curl_delete(&atlas, "abcdefgh:s3cret", "?envelope=true");
    assert_eq!(status, "200");
    assert!(body.contains("\"status\":204"), "{body}");
}
