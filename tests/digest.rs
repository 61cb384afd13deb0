//! The Digest handshake: algorithms, qop modes, challenge reuse, stale nonces,
//! replay checking, and hostile challenges.

mod common;

use atlas_admin::{DeleteOptions, ErrorKind};
use atlas_admin_mock::{Algorithm, MockAtlas, NcCheck};
use common::*;

fn mock_with(change: impl FnOnce(&mut atlas_admin_mock::MockConfig)) -> MockAtlas {
    let mut config = config();
    change(&mut config);
    MockAtlas::start(config).unwrap()
}

fn delete_twice(atlas: &MockAtlas) {
    atlas.add_key(ORG, &key(1));
    let client = client(atlas);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .unwrap();
    let stats = atlas.stats();
    assert_eq!((stats.challenges, stats.authenticated), (1, 2), "{stats:?}");
}

#[test]
fn sha256_server() {
    delete_twice(&mock_with(|c| {
        c.digest.algorithms = vec![Algorithm::Sha256]
    }));
}

#[test]
fn server_offering_two_challenges_in_two_headers() {
    delete_twice(&mock_with(|c| {
        c.digest.algorithms = vec![Algorithm::Sha256, Algorithm::Md5]
    }));
}

#[test]
fn server_without_qop() {
    delete_twice(&mock_with(|c| c.digest.qop = false));
}

#[test]
fn stale_nonce_costs_one_extra_challenge() {
    let atlas = mock();
    atlas.add_key(ORG, &key(1));
    let client = client(&atlas);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    atlas.expire_nonces();
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .unwrap();
    let stats = atlas.stats();
    assert_eq!(stats.challenges, 2, "{stats:?}");
    assert_eq!(stats.stale_challenges, 1, "{stats:?}");
    assert_eq!(stats.requests, 4, "{stats:?}");
}

#[test]
fn real_nonce_expiry_is_answered_transparently() {
    let atlas = mock_with(|c| c.digest.nonce_ttl_secs = 1);
    atlas.add_key(ORG, &key(1));
    let client = client(&atlas);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    atlas.advance_clock(std::time::Duration::from_millis(1100));
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .unwrap();
    assert_eq!(atlas.stats().stale_challenges, 1);
}

#[test]
fn exact_nonce_counts_with_threads_sharing_a_client() {
    // Apache's AuthDigestNcCheck: each nc must be the last one plus 1, so
    // requests that shared a nonce would reach it out of order and fail.
    let atlas = mock_with(|c| c.digest.nc_check = NcCheck::Exact);
    let client = client(&atlas);
    let first = delete_in_threads(&atlas, &client, 16, 4);
    assert_eq!(first.deleted, 65);
    assert_eq!(first.nc_rejected, 0, "{first:?}");
    assert!(first.challenges <= 16, "{first:?}");
    // A second round reuses the sessions: still at most 16 over the
    // client's life, and every delete one request.
    (0..64).for_each(|i| atlas.add_key(ORG, &key(1000 + i)));
    std::thread::scope(|s| {
        for t in 0..16 {
            let client = &client;
            s.spawn(move || {
                for i in t * 4..t * 4 + 4 {
                    client
                        .delete_org_api_key(ORG, &key(1000 + i), &DeleteOptions::new())
                        .unwrap();
                }
            });
        }
    });
    let total = atlas.stats();
    assert_eq!((total.deleted, total.nc_rejected), (129, 0), "{total:?}");
    assert!(total.challenges <= 16, "{total:?}");
}

#[test]
fn increasing_and_unique_nonce_counts_with_threads_sharing_a_client() {
    for check in [NcCheck::Increasing, NcCheck::Unique] {
        let atlas = mock_with(|c| c.digest.nc_check = check);
        let stats = delete_in_threads(&atlas, &client(&atlas), 16, 4);
        assert_eq!(
            (stats.deleted, stats.nc_rejected),
            (65, 0),
            "{check:?}: {stats:?}"
        );
        assert!(stats.challenges <= 16, "{check:?}: {stats:?}");
    }
}

fn protocol_error_for(www_authenticate: &[u8]) -> atlas_admin::Error {
    let mut headers = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: ".to_vec();
    headers.extend_from_slice(www_authenticate);
    headers.extend_from_slice(b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let url = canned_server(headers);
    client_for(&url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err()
}

#[test]
fn garbage_challenges_are_protocol_errors() {
    for header in [
        &b"Digest"[..],
        b"Digest realm=\"unterminated",
        b"Digest nonce=\"n\"",
        b"Digest realm=\"r\", nonce=\"n\", algorithm=ROT13",
        b"Digest realm=\"r\", nonce=\"n\", qop=\"bogus\"",
        b"Basic realm=\"x\"",
        b",,,===\"\\",
    ] {
        let err = protocol_error_for(header);
        assert_eq!(
            err.kind(),
            ErrorKind::Protocol,
            "{:?}: {err}",
            String::from_utf8_lossy(header)
        );
    }
}

#[test]
fn non_ascii_challenge_is_a_protocol_error_not_a_panic() {
    let err = protocol_error_for("Digest realm=\"Ünïcødé\", nonce=\"ñ\"".as_bytes());
    assert_eq!(err.kind(), ErrorKind::Protocol);
    let err = protocol_error_for(b"Digest realm=\"\xff\xfe\", nonce=\"n\"");
    assert_eq!(err.kind(), ErrorKind::Protocol);
}

#[test]
fn a_401_to_a_fresh_answer_is_unauthorized_with_its_body() {
    let body = br#"{"detail":"Current user is not authorized to perform this action.","error":401,"errorCode":"USER_UNAUTHORIZED","parameters":[],"reason":"Unauthorized"}"#;
    let url = canned_server(http(
        "401 Unauthorized",
        &["WWW-Authenticate: Digest realm=\"MMS Public API\", nonce=\"abc\", qop=\"auth\", algorithm=MD5"],
        body,
    ));
    let err = client_for(&url, PRIVATE)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        err.api().unwrap().error_code.as_deref(),
        Some("USER_UNAUTHORIZED")
    );
}
