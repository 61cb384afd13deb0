//! Atlas v1.0, Atlas v2 and Cloud/Ops Manager: the path and the version
//! header each flavour sends, checked by the mock.

mod common;

use atlas_admin::{Api, Client, DeleteOptions, ErrorKind, RetryPolicy};
use common::*;

fn client_on(atlas: &atlas_admin_mock::MockAtlas, api: Api) -> Client {
    capture_logs();
    Client::builder()
        .host(atlas.origin())
        .api(api)
        .digest_credentials(PUBLIC, PRIVATE)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[test]
fn each_flavour_sends_its_path_and_accept_header() {
    let atlas = mock();
    for (i, (api, path, accept)) in [
        (Api::AtlasV1, "/api/atlas/v1.0/orgs/", "application/json"),
        (
            Api::AtlasV2,
            "/api/atlas/v2/orgs/",
            "application/vnd.atlas.2023-01-01+json",
        ),
        (
            Api::OpsManager,
            "/api/public/v1.0/orgs/",
            "application/json",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        atlas.add_key(ORG, &key(i));
        atlas.reset_stats();
        client_on(&atlas, api)
            .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
            .unwrap();
        assert!(!atlas.has_key(ORG, &key(i)));
        let seen = atlas.recent_requests();
        assert_eq!(seen.len(), 2, "challenge, then the answer: {seen:?}");
        for request in &seen {
            assert_eq!(request.method, "DELETE");
            assert!(request.target.starts_with(path), "{api}: {request:?}");
            assert_eq!(
                request.accept.as_deref(),
                Some(accept),
                "{api}: {request:?}"
            );
        }
        assert_eq!(seen[1].auth_scheme.as_deref(), Some("Digest"));
    }
}

#[test]
fn a_v2_base_url_asks_for_v2_and_the_wrong_version_is_refused() {
    let atlas = mock();
    let v2 = format!("{}/api/atlas/v2/", atlas.origin());
    let client = client_for(&v2, PRIVATE);
    assert_eq!(client.api(), Api::AtlasV2);
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();

    atlas.add_key(ORG, &key(7));
    let wrong = Client::builder()
        .base_url(&v2)
        .api(Api::AtlasV1)
        .digest_credentials(PUBLIC, PRIVATE)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = record(
        wrong
            .delete_org_api_key(ORG, &key(7), &DeleteOptions::new())
            .unwrap_err(),
    );
    let api = err.api().unwrap();
    assert_eq!((api.status, err.kind()), (406, ErrorKind::HttpError));
    assert_eq!(api.error_code.as_deref(), Some("INVALID_VERSION"));
    assert!(atlas.has_key(ORG, &key(7)), "nothing was deleted");
}

#[test]
fn v2_errors_are_read_from_the_versioned_content_type() {
    let atlas = mock();
    let err = record(
        client_on(&atlas, Api::AtlasV2)
            .delete_org_api_key(ORG, &key(99), &DeleteOptions::new())
            .unwrap_err(),
    );
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(
        err.api().unwrap().error_code.as_deref(),
        Some("API_KEY_NOT_FOUND")
    );
}
