//! The organization API key lifecycle against the mock Atlas: list (every
//! page), get, find by public key, create, update, access lists, on Atlas
//! v1.0 and v2, and every bad input refused before anything is sent.

mod common;

use atlas_admin::{Api, ApiKey, CallOptions, Client, DeleteOptions, ErrorKind};
use atlas_admin_mock::{ApiKey as Seeded, MockAtlas};
use common::*;

fn call() -> CallOptions {
    CallOptions::new()
}

/// A client of `atlas` speaking `api`.
fn client_speaking(atlas: &MockAtlas, api: Api) -> Client {
    retrying_client(&atlas.origin(), atlas_admin::RetryPolicy::none())
        .base_url(format!("{}{}", atlas.origin(), api.path()))
        .api(api)
        .digest_credentials(PUBLIC, PRIVATE)
        .build()
        .unwrap()
}

/// Seeds `count` keys in [`OTHER_ORG`] and returns their public keys in
/// creation order.
fn seed(atlas: &MockAtlas, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            atlas
                .add_api_key(OTHER_ORG, Seeded::with_id(key(i)))
                .unwrap()
                .public_key
        })
        .collect()
}

#[test]
fn lists_every_page_of_1234_keys_in_three_requests_of_500() {
    let atlas = mock();
    let public_keys = seed(&atlas, 1234);
    for api in [Api::AtlasV1, Api::AtlasV2, Api::OpsManager] {
        atlas.reset_stats();
        let client = client_speaking(&atlas, api);
        let keys: Vec<ApiKey> = client
            .list_org_api_keys(OTHER_ORG, &call())
            .unwrap()
            .collect::<Result<_, _>>()
            .map_err(record)
            .unwrap();
        assert_eq!(keys.len(), 1234, "{api}");
        assert_eq!(
            keys.iter()
                .map(|k| k.public_key.clone())
                .collect::<Vec<_>>(),
            public_keys,
            "{api}: every key once, in order"
        );
        assert!(keys.iter().all(|k| k.private_key().is_none()));
        assert_eq!(atlas.stats().listed, 3, "{api}");
        let targets: Vec<String> = atlas
            .recent_requests()
            .into_iter()
            .map(|r| r.target)
            .filter(|t| t.contains("/apiKeys?"))
            .collect();
        assert!(
            targets[0].ends_with(&format!(
                "/orgs/{OTHER_ORG}/apiKeys?pageNum=1&itemsPerPage=500&includeCount=true"
            )),
            "{targets:?}"
        );
    }
}

#[test]
fn a_listing_is_fetched_a_page_at_a_time_as_it_is_read() {
    let atlas = mock();
    seed(&atlas, 1001);
    let client = client(&atlas);
    let mut listing = client.list_org_api_keys(OTHER_ORG, &call()).unwrap();
    assert_eq!(atlas.stats().listed, 0, "nothing is sent until it is read");
    assert!(listing.next().unwrap().is_ok());
    assert_eq!(atlas.stats().listed, 1);
    assert_eq!(listing.by_ref().take(499).count(), 499);
    assert_eq!(atlas.stats().listed, 1, "one page held at a time");
    assert!(listing.next().unwrap().is_ok());
    assert_eq!(atlas.stats().listed, 2);
    assert_eq!(listing.count(), 500);
    assert_eq!(atlas.stats().listed, 3);
}

#[test]
fn finds_a_key_by_its_public_key_with_one_listing() {
    let atlas = mock();
    let public_keys = seed(&atlas, 700);
    let client = client(&atlas);
    let found = client
        .find_org_api_key(OTHER_ORG, &public_keys[650], &call())
        .unwrap()
        .expect("the key is there");
    assert_eq!(found.id, key(650));
    assert_eq!(atlas.stats().listed, 2);
    atlas.reset_stats();
    assert_eq!(
        client
            .find_org_api_key(OTHER_ORG, "zzzzzzzz", &call())
            .unwrap(),
        None
    );
    assert_eq!(atlas.stats().listed, 2, "every page, then none");
}

#[test]
fn creates_a_key_whose_private_key_is_shown_once_and_signs_in() {
    let atlas = mock();
    for api in [Api::AtlasV1, Api::AtlasV2] {
        let client = client_speaking(&atlas, api);
        let created = client
            .create_org_api_key(ORG, "CI deploys", &["ORG_MEMBER", "ORG_READ_ONLY"], &call())
            .map_err(record)
            .unwrap();
        assert_eq!(created.description, "CI deploys");
        assert_eq!(created.roles, ["ORG_MEMBER", "ORG_READ_ONLY"]);
        let private_key = created.private_key().expect("shown at creation").to_owned();
        assert!(!format!("{created:?}").contains(&private_key));
        let read = client.get_org_api_key(ORG, &created.id, &call()).unwrap();
        assert_eq!(read.private_key(), None, "masked after creation");
        assert_eq!(read.public_key, created.public_key);
        // The new key signs in with the pair it was shown.
        let as_new_key = retrying_client(&client.base_url(), atlas_admin::RetryPolicy::none())
            .digest_credentials(created.public_key.clone(), private_key)
            .build()
            .unwrap();
        as_new_key
            .delete_org_api_key(ORG, &created.id, &DeleteOptions::new())
            .unwrap();
    }
    assert_eq!(atlas.stats().created, 2);
}

#[test]
fn updates_the_description_the_roles_or_both() {
    let atlas = mock();
    seed(&atlas, 1);
    let client = client(&atlas);
    let no_roles: Option<&[&str]> = None;
    let key0 = key(0);
    let updated = client
        .update_org_api_key(OTHER_ORG, &key0, Some("renamed"), no_roles, &call())
        .unwrap();
    assert_eq!(updated.description, "renamed");
    let updated = client
        .update_org_api_key(OTHER_ORG, &key0, None, Some(&["ORG_OWNER"]), &call())
        .unwrap();
    assert_eq!(
        (updated.description.as_str(), updated.roles.as_slice()),
        ("renamed", &["ORG_OWNER".to_owned()][..])
    );
    let updated = client
        .update_org_api_key(
            OTHER_ORG,
            &key0,
            Some("both"),
            Some(&["ORG_MEMBER"]),
            &call(),
        )
        .unwrap();
    assert_eq!(updated.roles, ["ORG_MEMBER"]);
    assert_eq!(atlas.stats().updated, 3);
}

#[test]
fn manages_an_access_list_with_addresses_and_networks() {
    let atlas = mock();
    seed(&atlas, 1);
    let client = client(&atlas);
    let key0 = key(0);
    let added = client
        .add_org_api_key_access_list(OTHER_ORG, &key0, &["192.0.2.7", "10.0.0.0/24"], &call())
        .map_err(record)
        .unwrap();
    assert_eq!(added.len(), 2, "{added:?}");
    let listed = client
        .list_org_api_key_access_list(OTHER_ORG, &key0, &call())
        .unwrap();
    assert!(listed
        .iter()
        .any(|e| e.ip_address.as_deref() == Some("192.0.2.7")));
    assert!(listed
        .iter()
        .any(|e| e.cidr_block.as_deref() == Some("10.0.0.0/24")));
    atlas.reset_stats();
    client
        .delete_org_api_key_access_list_entry(OTHER_ORG, &key0, "10.0.0.0/24", &call())
        .unwrap();
    let target = &atlas.recent_requests()[0].target;
    assert!(target.ends_with("/accessList/10.0.0.0%2F24"), "{target}");
    let left = client
        .list_org_api_key_access_list(OTHER_ORG, &key0, &call())
        .unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    let seeded = atlas.api_key(OTHER_ORG, &key0).unwrap();
    let kept: Vec<_> = seeded
        .access_list
        .iter()
        .map(|e| e.ip_address.clone())
        .collect();
    assert_eq!(kept, [Some("192.0.2.7".to_owned())]);
}

#[test]
fn a_missing_key_is_not_found_on_v1_and_v2_and_a_listing_error_ends_it() {
    let atlas = mock();
    for api in [Api::AtlasV1, Api::AtlasV2] {
        let client = client_speaking(&atlas, api);
        let err = client
            .get_org_api_key(ORG, &key(99), &call())
            .map_err(record)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{api}: {err}");
        assert!(err.is_atlas_error(atlas_admin::API_KEY_NOT_FOUND));
        let expected = if api == Api::AtlasV1 { 400 } else { 404 };
        assert_eq!(err.api().unwrap().status, expected, "{api}");
        let mut listing = client
            .list_org_api_keys("5f1a2b3c4d5e6f7a8b9c0d77", &call())
            .unwrap();
        let err = listing.next().unwrap().unwrap_err();
        assert!(err.is_atlas_error("ORG_NOT_FOUND"), "{err}");
        assert!(listing.next().is_none(), "an error is the last item");
    }
}

#[test]
fn envelope_and_pretty_work_on_typed_calls() {
    let atlas = mock();
    seed(&atlas, 3);
    let client = client(&atlas);
    let options = CallOptions::new().envelope(true).pretty(true);
    let keys: Vec<ApiKey> = client
        .list_org_api_keys(OTHER_ORG, &options)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(keys.len(), 3);
    let err = client
        .get_org_api_key(OTHER_ORG, &key(99), &options)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(atlas
        .recent_requests()
        .iter()
        .all(|r| r.target.contains("pretty=true") && r.target.contains("envelope=true")));
}

#[test]
fn every_bad_input_is_refused_before_anything_is_sent() {
    let atlas = mock();
    seed(&atlas, 1);
    let client = client(&atlas);
    let key0 = key(0);
    let o = call();
    let no_roles: Option<&[&str]> = None;
    let checks: Vec<(&str, atlas_admin::Error)> = vec![
        (
            "org_id",
            client.list_org_api_keys("not-an-id", &o).err().unwrap(),
        ),
        (
            "api_key_id",
            client.get_org_api_key(OTHER_ORG, "../x", &o).unwrap_err(),
        ),
        (
            "public_key",
            client.find_org_api_key(OTHER_ORG, "ABC", &o).unwrap_err(),
        ),
        (
            "roles",
            client
                .create_org_api_key(OTHER_ORG, "d", &["GROUP_OWNER"], &o)
                .unwrap_err(),
        ),
        (
            "roles",
            client
                .create_org_api_key::<&str>(OTHER_ORG, "d", &[], &o)
                .unwrap_err(),
        ),
        (
            "description",
            client
                .create_org_api_key(OTHER_ORG, "", &["ORG_MEMBER"], &o)
                .unwrap_err(),
        ),
        (
            "description",
            client
                .create_org_api_key(OTHER_ORG, &"x".repeat(251), &["ORG_MEMBER"], &o)
                .unwrap_err(),
        ),
        (
            "description",
            client
                .update_org_api_key(OTHER_ORG, &key0, None, no_roles, &o)
                .unwrap_err(),
        ),
        (
            "entries",
            client
                .add_org_api_key_access_list(OTHER_ORG, &key0, &["300.1.2.3"], &o)
                .unwrap_err(),
        ),
        (
            "entries",
            client
                .add_org_api_key_access_list(OTHER_ORG, &key0, &["10.0.0.0/33"], &o)
                .unwrap_err(),
        ),
        (
            "entries",
            client
                .add_org_api_key_access_list::<&str>(OTHER_ORG, &key0, &[], &o)
                .unwrap_err(),
        ),
        (
            "entry",
            client
                .delete_org_api_key_access_list_entry(OTHER_ORG, &key0, "host.example", &o)
                .unwrap_err(),
        ),
        (
            "accept",
            client
                .get_org_api_key(OTHER_ORG, &key0, &call().api_version("latest"))
                .unwrap_err(),
        ),
    ];
    for (name, err) in checks {
        let err = record(err);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
        assert!(
            err.to_string().contains(&format!("`{name}`")),
            "{name}: {err}"
        );
    }
    assert_eq!(atlas.stats().requests, 0, "nothing was sent");
}

/// A page of two keys claiming ten in all, sent for every `pageNum`.
fn the_same_page_forever() -> String {
    let page = br#"{"results":[{"id":"6a1b2c3d4e5f6a7b8c000001","publicKey":"aaaaaaaa","desc":"a","roles":[]},{"id":"6a1b2c3d4e5f6a7b8c000002","publicKey":"bbbbbbbb","desc":"b","roles":[]}],"totalCount":10,"links":[]}"#;
    canned_server(http("200 OK", &["Content-Type: application/json"], page))
}

#[test]
fn a_server_sending_the_same_page_again_ends_the_listing_with_an_error() {
    let url = the_same_page_forever();
    let client = client_for(&url, PRIVATE);
    let mut items: Vec<_> = client
        .list_org_api_keys(ORG, &call())
        .unwrap()
        .take(100)
        .collect();
    assert_eq!(items.len(), 3, "two keys, then the error: {items:?}");
    let err = record(items.pop().unwrap().unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    assert!(err.to_string().contains("same items"), "{err}");
}

#[test]
fn a_page_that_is_not_json_is_a_protocol_error_naming_its_content_type() {
    let url = canned_server(http(
        "200 OK",
        &["Content-Type: text/html"],
        b"<html>maintenance</html>",
    ));
    let client = client_for(&url, PRIVATE);
    let err = client
        .list_org_api_keys(ORG, &call())
        .unwrap()
        .next()
        .unwrap()
        .map_err(record)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    assert!(err.to_string().contains("text/html"), "{err}");
    assert!(
        !err.to_string().contains("maintenance"),
        "bodies are not quoted: {err}"
    );
}
