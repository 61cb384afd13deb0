//! The mock checked against real clients: `curl --digest`, and curl doing
//! the OAuth 2.0 client credentials grant then Bearer.

mod support;

use atlas_admin_mock::{Algorithm, Credential, MockAtlas, MockConfig, ServiceAccount};
use support::curl;

const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";
const KEY: &str = "6a1b2c3d4e5f6a7b8c9d0e1f";

fn atlas(algorithm: Algorithm) -> MockAtlas {
    let mut config = MockConfig::default();
    config
        .credentials
        .push(Credential::new("abcdefgh", "s3cret"));
    config.keys.insert(ORG.into(), vec![KEY.into()]);
    config
        .service_accounts
        .push(ServiceAccount::new("mdb_sa_id_curl", "mdb_sa_sk_curl"));
    config.digest.algorithms = vec![algorithm];
    MockAtlas::start(config).unwrap()
}

/// Runs curl as the seed document does; returns the final HTTP status and body.
fn curl_delete(atlas: &MockAtlas, user: &str, query: &str) -> (String, String) {
    let url = format!("{}/orgs/{ORG}/apiKeys/{KEY}{query}", atlas.base_url());
    curl(&[
        "--digest",
        "--user",
        user,
        "--header",
        "Accept: application/json",
        "--request",
        "DELETE",
        &url,
    ])
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

#[test]
fn curl_digest_on_v2_needs_the_versioned_accept() {
    let atlas = atlas(Algorithm::Md5);
    let url = format!("{}/api/atlas/v2/orgs/{ORG}/apiKeys/{KEY}", atlas.origin());
    let delete = |accept: &str| {
        curl(&[
            "--digest",
            "--user",
            "abcdefgh:s3cret",
            "--header",
            accept,
            "--request",
            "DELETE",
            &url,
        ])
    };
    let (status, body) = delete("Accept: application/json");
    assert_eq!(status, "406");
    assert!(body.contains("\"errorCode\":\"INVALID_VERSION\""), "{body}");
    assert!(atlas.has_key(ORG, KEY));
    assert_eq!(
        delete("Accept: application/vnd.atlas.2023-01-01+json").0,
        "204"
    );
    assert!(!atlas.has_key(ORG, KEY));
    let stats = atlas.stats();
    assert_eq!((stats.challenges, stats.authenticated), (2, 2), "{stats:?}");
}

#[test]
fn curl_gets_a_token_then_deletes_with_bearer() {
    let atlas = atlas(Algorithm::Md5);
    let token_url = format!("{}/api/oauth/token", atlas.origin());
    let (status, body) = curl(&[
        "--user",
        "mdb_sa_id_curl:mdb_sa_sk_curl",
        "--data",
        "grant_type=client_credentials",
        &token_url,
    ]);
    assert_eq!(status, "200", "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let token = answer["access_token"].as_str().unwrap();
    let url = format!("{}/orgs/{ORG}/apiKeys/{KEY}", atlas.base_url());
    let authorization = format!("Authorization: Bearer {token}");
    assert_eq!(
        curl(&["--header", &authorization, "--request", "DELETE", &url]).0,
        "204"
    );
    assert!(!atlas.has_key(ORG, KEY));
    let stats = atlas.stats();
    assert_eq!(
        (
            stats.tokens_issued,
            stats.bearer_authenticated,
            stats.challenges
        ),
        (1, 1, 0),
        "{stats:?}"
    );
    let seen = atlas.recent_requests();
    assert_eq!(seen[0].auth_scheme.as_deref(), Some("Basic"));
    assert_eq!(
        seen[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[1].auth_scheme.as_deref(), Some("Bearer"));
}

#[test]
fn curl_creates_a_key_then_signs_in_with_it_and_manages_its_access_list() {
    let atlas = atlas(Algorithm::Md5);
    let keys_url = format!("{}/orgs/{ORG}/apiKeys", atlas.base_url());
    let (status, body) = curl(&[
        "--digest",
        "--user",
        "abcdefgh:s3cret",
        "--header",
        "Content-Type: application/json",
        "--data",
        r#"{"desc": "made by curl", "roles": ["ORG_MEMBER"]}"#,
        &keys_url,
    ]);
    assert_eq!(status, "200", "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let user = format!(
        "{}:{}",
        created["publicKey"].as_str().unwrap(),
        created["privateKey"].as_str().unwrap()
    );
    let id = created["id"].as_str().unwrap();

    let (status, body) = curl(&[
        "--digest",
        "--user",
        &user,
        &format!("{keys_url}?itemsPerPage=1&pageNum=2"),
    ]);
    assert_eq!(status, "200", "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            page["totalCount"].as_u64(),
            page["results"][0]["id"].as_str()
        ),
        (Some(2), Some(id))
    );

    let list_url = format!("{keys_url}/{id}/accessList");
    let (status, body) = curl(&[
        "--digest",
        "--user",
        &user,
        "--header",
        "Content-Type: application/json",
        "--data",
        r#"[{"cidrBlock": "127.0.0.0/8"}, {"cidrBlock": "10.0.0.0/8"}]"#,
        &list_url,
    ]);
    assert_eq!(status, "200", "{body}");
    let (status, body) = curl(&[
        "--digest",
        "--user",
        &user,
        "--request",
        "DELETE",
        &format!("{list_url}/10.0.0.0%2F8"),
    ]);
    assert_eq!((status.as_str(), body.as_str()), ("204", ""));
    let (status, body) = curl(&[
        "--digest",
        "--user",
        &user,
        "--request",
        "DELETE",
        &format!("{list_url}/127.0.0.0%2F8"),
    ]);
    assert_eq!(status, "400", "its own caller's entry: {body}");
    assert!(
        body.contains("CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST"),
        "{body}"
    );
    let record = atlas.api_key(ORG, id).unwrap();
    assert_eq!(record.access_list.len(), 1);
    // The two deletes came in through it; the add came before it existed.
    assert_eq!(record.access_list[0].count, 2, "{record:?}");
}
