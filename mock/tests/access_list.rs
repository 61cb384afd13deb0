//! An API key's access list: add, list (paged), get and delete entries
//! (a CIDR block's `/` sent as `%2F`), and the lists applied to the keys
//! that sign in.

mod support;

use atlas_admin_mock::{AccessListEntry, ApiKey};
use serde_json::{json, Value};
use support::{assert_error, digest_send, mock, Api, FLAVOURS, KEY, MISSING_KEY, ORG};

fn list_path() -> String {
    format!("/orgs/{ORG}/apiKeys/{KEY}/accessList")
}

fn cidrs(page: &Value) -> Vec<&str> {
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["cidrBlock"].as_str().unwrap())
        .collect()
}

fn is_rfc3339_utc(text: &str) -> bool {
    text.len() == 20
        && text.ends_with('Z')
        && text.as_bytes()[10] == b'T'
        && text[..4].parse::<u32>().is_ok_and(|year| year >= 2024)
}

#[test]
fn adds_ips_and_cidr_blocks_and_answers_the_list() {
    let atlas = mock();
    for prefix in FLAVOURS {
        atlas.add_key(ORG, KEY);
        let api = Api::new(&atlas, prefix);
        let body = r#"[{"ipAddress": "192.0.2.1"}, {"cidrBlock": "10.0.0.0/24"}, {"ipAddress": "2001:db8::1"}]"#;
        let reply = api.call("POST", &list_path(), body);
        assert_eq!(reply.status, api.created_status(), "{prefix}: {reply:?}");
        let page = reply.json();
        assert_eq!(page["totalCount"], 3);
        assert_eq!(
            cidrs(&page),
            ["192.0.2.1/32", "10.0.0.0/24", "2001:db8::1/128"]
        );
        let base = format!("{}{prefix}{}", atlas.origin(), list_path());
        let ip = &page["results"][0];
        assert_eq!(ip["ipAddress"], "192.0.2.1");
        assert_eq!(ip["count"], 0);
        assert!(is_rfc3339_utc(ip["created"].as_str().unwrap()), "{ip}");
        assert!(ip.get("lastUsed").is_none(), "{ip}");
        assert_eq!(
            ip["links"],
            json!([{"href": format!("{base}/192.0.2.1"), "rel": "self"}])
        );
        let block = &page["results"][1];
        assert!(block.get("ipAddress").is_none(), "{block}");
        assert_eq!(block["links"][0]["href"], format!("{base}/10.0.0.0%2F24"));
        assert_eq!(
            page["links"][0]["href"],
            format!("{base}?pageNum=1&itemsPerPage=100")
        );

        let record = atlas.api_key(ORG, KEY).unwrap();
        assert_eq!(record.access_list.len(), 3);
        assert_eq!(
            record.access_list[0].ip_address.as_deref(),
            Some("192.0.2.1")
        );

        let deleted = api.call("DELETE", &format!("/orgs/{ORG}/apiKeys/{KEY}"), "");
        assert_eq!(deleted.status, 204);
    }
    assert_eq!(atlas.stats().access_added, 9);
}

#[test]
fn lists_in_pages_and_gets_one_entry() {
    let atlas = mock();
    let api = Api::v1(&atlas);
    let entries: Vec<Value> = (1..=5)
        .map(|i| json!({"ipAddress": format!("198.51.100.{i}")}))
        .collect();
    assert_eq!(
        api.call("POST", &list_path(), &Value::from(entries).to_string())
            .status,
        200
    );
    let page = api
        .get(&format!("{}?pageNum=2&itemsPerPage=2", list_path()))
        .json();
    assert_eq!(cidrs(&page), ["198.51.100.3/32", "198.51.100.4/32"]);
    assert_eq!(page["totalCount"], 5);
    let past = api
        .get(&format!(
            "{}?pageNum=4&itemsPerPage=2&includeCount=false",
            list_path()
        ))
        .json();
    assert_eq!(cidrs(&past), Vec::<&str>::new());
    assert!(past.get("totalCount").is_none());

    let one = api.get(&format!("{}/198.51.100.2", list_path()));
    assert_eq!(one.status, 200, "{one:?}");
    assert_eq!(one.json()["cidrBlock"], "198.51.100.2/32");
    let as_block = api.get(&format!("{}/198.51.100.2%2F32", list_path()));
    assert_eq!(as_block.json()["ipAddress"], "198.51.100.2");
    assert_error(
        &api.get(&format!("{}/198.51.100.9", list_path())),
        404,
        "API_KEY_ACCESS_LIST_ENTRY_NOT_FOUND",
    );
    assert_eq!(atlas.stats().access_listed, 4);
}

#[test]
fn deletes_a_cidr_block_sent_with_percent_2f() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        api.call(
            "POST",
            &list_path(),
            r#"[{"cidrBlock": "10.1.0.0/16"}, {"ipAddress": "192.0.2.7"}]"#,
        );
        let reply = api.call("DELETE", &format!("{}/10.1.0.0%2F16", list_path()), "");
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (204, ""),
            "{prefix}: {reply:?}"
        );
        let again = api.call("DELETE", &format!("{}/10.1.0.0%2F16", list_path()), "");
        assert_error(&again, 404, "API_KEY_ACCESS_LIST_ENTRY_NOT_FOUND");
        assert_eq!(again.json()["parameters"], json!(["10.1.0.0/16", KEY]));
        let by_ip = api.call(
            "DELETE",
            &format!("{}/192.0.2.7?envelope=true", list_path()),
            "",
        );
        assert_eq!(by_ip.json(), json!({"status": 204, "content": {}}));
        assert!(atlas.api_key(ORG, KEY).unwrap().access_list.is_empty());
        assert_error(
            &api.call("DELETE", &format!("{}/not-an-address", list_path()), ""),
            400,
            "INVALID_IP_ADDRESS_OR_CIDR_NOTATION",
        );
    }
    assert_eq!(atlas.stats().access_removed, 6);
}

#[test]
fn a_bad_add_is_refused_and_adds_nothing() {
    let atlas = mock();
    let api = Api::v2(&atlas);
    api.call("POST", &list_path(), r#"[{"ipAddress": "192.0.2.1"}]"#);
    for (body, code) in [
        (r#"{"ipAddress": "192.0.2.2"}"#, "INVALID_JSON"),
        ("[", "INVALID_JSON"),
        (r#"["192.0.2.2"]"#, "INVALID_JSON"),
        (
            r#"[{"ipAddress": "192.0.2.2", "cidrBlock": "192.0.2.2/32"}]"#,
            "BAD_WHITELIST_ADD_REQUEST",
        ),
        (r#"[{}]"#, "MISSING_ONE_OF_ATTRIBUTES"),
        (
            r#"[{"ipAddress": "192.0.2.300"}]"#,
            "INVALID_IP_ADDRESS_OR_CIDR_NOTATION",
        ),
        (
            r#"[{"ipAddress": "10.0.0.0/8"}]"#,
            "INVALID_IP_ADDRESS_OR_CIDR_NOTATION",
        ),
        (
            r#"[{"cidrBlock": "10.0.0.0/33"}]"#,
            "INVALID_IP_ADDRESS_OR_CIDR_NOTATION",
        ),
        (r#"[{"ipAddress": 7}]"#, "INVALID_JSON_ATTRIBUTE"),
        (
            r#"[{"ipAddress": "192.0.2.3", "comment": "x"}]"#,
            "INVALID_ATTRIBUTE",
        ),
        (
            r#"[{"ipAddress": "192.0.2.4"}, {"cidrBlock": "192.0.2.4/32"}]"#,
            "DUPLICATE_ADDRESSES_IN_INPUT",
        ),
        (
            r#"[{"ipAddress": "192.0.2.5"}, {"ipAddress": "192.0.2.1"}]"#,
            "ADDRESS_ALREADY_IN_ACCESS_LIST",
        ),
    ] {
        assert_error(&api.call("POST", &list_path(), body), 400, code);
    }
    let list = atlas.api_key(ORG, KEY).unwrap().access_list;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(atlas.stats().access_added, 1);
}

#[test]
fn a_missing_key_differs_by_flavour() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        let path = format!("/orgs/{ORG}/apiKeys/{MISSING_KEY}/accessList");
        assert_error(&api.get(&path), api.not_found_status(), "API_KEY_NOT_FOUND");
        assert_error(
            &api.call("POST", &path, r#"[{"ipAddress": "192.0.2.1"}]"#),
            api.not_found_status(),
            "API_KEY_NOT_FOUND",
        );
        assert_error(
            &api.call("DELETE", &format!("{path}/192.0.2.1"), ""),
            api.not_found_status(),
            "API_KEY_NOT_FOUND",
        );
    }
}

/// A key of `ORG` that signs in as `public:private`, with `access_list`.
fn signing_key(
    atlas: &atlas_admin_mock::MockAtlas,
    public: &str,
    access_list: Vec<AccessListEntry>,
) -> ApiKey {
    atlas
        .add_api_key(
            ORG,
            ApiKey {
                public_key: public.into(),
                private_key: "7f3c2a10-5b6e-4d8f-9a1b-2c3d4e5f6a7b".into(),
                access_list,
                ..ApiKey::default()
            },
        )
        .unwrap()
}

#[test]
fn a_keys_access_list_decides_where_it_signs_in_from() {
    let atlas = mock();
    let key = signing_key(
        &atlas,
        "lmnopqrs",
        vec![AccessListEntry::cidr("192.0.2.0/24")],
    );
    let own = format!("/api/atlas/v1.0/orgs/{ORG}/apiKeys/{}", key.id);
    let refused = digest_send(&atlas, "lmnopqrs", &key.private_key, "GET", &own, "");
    assert_error(&refused, 403, "IP_ADDRESS_NOT_ON_ACCESS_LIST");
    assert_eq!(refused.json()["parameters"], json!(["127.0.0.1"]));

    let add = format!("/orgs/{ORG}/apiKeys/{}/accessList", key.id);
    Api::v1(&atlas).call("POST", &add, r#"[{"cidrBlock": "127.0.0.0/8"}]"#);
    let allowed = digest_send(&atlas, "lmnopqrs", &key.private_key, "GET", &own, "");
    assert_eq!(allowed.status, 200, "{allowed:?}");
    let entry = &atlas.api_key(ORG, &key.id).unwrap().access_list[1];
    assert_eq!(
        (entry.count, entry.last_used_address.as_deref()),
        (1, Some("127.0.0.1"))
    );
    let shown = Api::v1(&atlas).get(&format!("{add}/127.0.0.0%2F8")).json();
    assert_eq!(shown["lastUsedAddress"], "127.0.0.1");
    assert_eq!(shown["count"], 1);
    assert!(
        is_rfc3339_utc(shown["lastUsed"].as_str().unwrap()),
        "{shown}"
    );
}

#[test]
fn a_key_cannot_remove_the_entry_that_lets_its_caller_in() {
    let atlas = mock();
    let key = signing_key(&atlas, "tuvwxyza", vec![AccessListEntry::ip("127.0.0.1")]);
    let entry = format!(
        "/api/atlas/v1.0/orgs/{ORG}/apiKeys/{}/accessList/127.0.0.1",
        key.id
    );
    let refused = digest_send(&atlas, "tuvwxyza", &key.private_key, "DELETE", &entry, "");
    assert_error(&refused, 400, "CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST");
    assert_eq!(atlas.api_key(ORG, &key.id).unwrap().access_list.len(), 1);
    // Another caller (a service account) may.
    let path = entry.strip_prefix("/api/atlas/v1.0").unwrap();
    assert_eq!(Api::v1(&atlas).call("DELETE", path, "").status, 204);
}

#[test]
fn a_key_signs_in_until_it_deletes_itself() {
    let atlas = mock();
    // The configured credential abcdefgh:s3cret becomes a key of ORG.
    let key = atlas
        .add_api_key(
            ORG,
            ApiKey {
                public_key: "abcdefgh".into(),
                ..ApiKey::default()
            },
        )
        .unwrap();
    assert_eq!(key.private_key, "s3cret", "the credential's private key");
    let own = format!("/api/atlas/v2/orgs/{ORG}/apiKeys/{}", key.id);
    let deleted = support::send(&atlas, "DELETE", &own, &[], "");
    assert_eq!(deleted.status, 401);
    let v1_own = format!("/api/atlas/v1.0/orgs/{ORG}/apiKeys/{}", key.id);
    assert_eq!(
        digest_send(&atlas, "abcdefgh", "s3cret", "DELETE", &v1_own, "").status,
        204
    );
    assert!(!atlas.has_key(ORG, &key.id));
    let list = format!("/api/atlas/v1.0/orgs/{ORG}/apiKeys");
    let after = digest_send(&atlas, "abcdefgh", "s3cret", "GET", &list, "");
    assert_eq!(
        after.status, 401,
        "a deleted key no longer signs in: {after:?}"
    );

    // A key created over the API signs in with the pair it was shown.
    let created = Api::v1(&atlas)
        .call(
            "POST",
            &format!("/orgs/{ORG}/apiKeys"),
            r#"{"desc": "new", "roles": ["ORG_MEMBER"]}"#,
        )
        .json();
    let (public, private) = (
        created["publicKey"].as_str().unwrap(),
        created["privateKey"].as_str().unwrap(),
    );
    let listed = digest_send(&atlas, public, private, "GET", &list, "");
    assert_eq!(listed.status, 200, "{listed:?}");
    assert_eq!(listed.json()["totalCount"], 2);
    assert_eq!(
        digest_send(&atlas, public, "wrong", "GET", &list, "").status,
        401
    );
}
