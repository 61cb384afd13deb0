//! The organization API key lifecycle: list (paged), get, create, update
//! and delete, on each flavour, with Atlas' errors.

mod support;

use atlas_admin_mock::{ApiKey, MockAtlas};
use serde_json::{json, Value};
use support::{assert_error, key, mock, Api, FLAVOURS, KEY, MISSING_KEY, ORG, OTHER_ORG};

fn ids(page: &Value) -> Vec<String> {
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect()
}

fn rels(page: &Value) -> Vec<String> {
    page["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap().to_owned())
        .collect()
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Asserts `shown` is key `id` as Atlas shows it outside its creation.
fn assert_shown_key(shown: &Value, org: &str, id: &str, base: &str) {
    assert_eq!(shown["id"], id, "{shown}");
    let public = shown["publicKey"].as_str().unwrap();
    assert!(
        public.len() == 8 && public.bytes().all(|b| b.is_ascii_lowercase()),
        "{shown}"
    );
    let private = shown["privateKey"].as_str().unwrap();
    let tail = private.strip_prefix("********-****-****-").unwrap();
    assert_eq!(tail.len(), 12, "{shown}");
    assert!(!shown["desc"].as_str().unwrap().is_empty(), "{shown}");
    assert_eq!(
        shown["roles"],
        json!([{"orgId": org, "roleName": "ORG_MEMBER"}]),
        "{shown}"
    );
    assert_eq!(
        shown["links"],
        json!([{"href": format!("{base}/orgs/{org}/apiKeys/{id}"), "rel": "self"}])
    );
}

#[test]
fn pages_of_500_over_1234_keys_in_creation_order() {
    let atlas = mock();
    let created: Vec<String> = (0..1234).rev().map(key).collect();
    for id in &created {
        atlas.add_key(OTHER_ORG, id);
    }
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        let mut seen = Vec::new();
        for (page_num, expected) in [(1, 500), (2, 500), (3, 234), (4, 0)] {
            let reply = api.get(&format!(
                "/orgs/{OTHER_ORG}/apiKeys?pageNum={page_num}&itemsPerPage=500&includeCount=true"
            ));
            assert_eq!(reply.status, 200, "{reply:?}");
            let page = reply.json();
            assert_eq!(page["totalCount"], 1234, "{prefix} page {page_num}");
            assert_eq!(ids(&page).len(), expected, "{prefix} page {page_num}");
            let want_rels: &[&str] = match page_num {
                1 => &["self", "next"],
                2 => &["self", "previous", "next"],
                _ => &["self", "previous"],
            };
            assert_eq!(rels(&page), want_rels, "{prefix} page {page_num}");
            let base = format!("{}{prefix}", atlas.origin());
            assert_eq!(
                page["links"][0]["href"],
                format!("{base}/orgs/{OTHER_ORG}/apiKeys?pageNum={page_num}&itemsPerPage=500")
            );
            if let Some(first) = page["results"].get(0) {
                assert_shown_key(first, OTHER_ORG, first["id"].as_str().unwrap(), &base);
            }
            seen.extend(ids(&page));
        }
        assert_eq!(seen, created, "{prefix}: every key once, in creation order");
    }
    assert_eq!(atlas.stats().listed, 12);
}

#[test]
fn the_list_defaults_to_100_a_page_and_can_leave_out_the_count() {
    let atlas = mock();
    (0..150).for_each(|i| atlas.add_key(OTHER_ORG, &key(i)));
    let api = Api::v1(&atlas);
    let page = api.get(&format!("/orgs/{OTHER_ORG}/apiKeys")).json();
    assert_eq!(ids(&page).len(), 100);
    assert_eq!(page["totalCount"], 150);
    let page = api
        .get(&format!(
            "/orgs/{OTHER_ORG}/apiKeys?pageNum=2&includeCount=false"
        ))
        .json();
    assert_eq!(ids(&page), (100..150).map(key).collect::<Vec<_>>());
    assert!(page.get("totalCount").is_none(), "{page}");
    let far = api
        .get(&format!("/orgs/{OTHER_ORG}/apiKeys?pageNum=99999999"))
        .json();
    assert_eq!(ids(&far), Vec::<String>::new());
    assert_eq!(far["totalCount"], 150);
}

#[test]
fn paging_out_of_range_is_400_invalid_query_parameter() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        for (query, name) in [
            ("itemsPerPage=0", "itemsPerPage"),
            ("itemsPerPage=501", "itemsPerPage"),
            ("itemsPerPage=ten", "itemsPerPage"),
            ("pageNum=0", "pageNum"),
            ("pageNum=-1", "pageNum"),
            ("includeCount=maybe", "includeCount"),
        ] {
            let reply = api.get(&format!("/orgs/{ORG}/apiKeys?{query}"));
            assert_error(&reply, 400, "INVALID_QUERY_PARAMETER");
            assert_eq!(reply.json()["parameters"], json!([name]), "{query}");
        }
        let access_list = api.get(&format!(
            "/orgs/{ORG}/apiKeys/{KEY}/accessList?itemsPerPage=501"
        ));
        assert_error(&access_list, 400, "INVALID_QUERY_PARAMETER");
    }
    assert_eq!(atlas.stats().listed, 0);
}

#[test]
fn gets_one_key_and_says_when_it_is_missing() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        let reply = api.get(&format!("/orgs/{ORG}/apiKeys/{KEY}"));
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_shown_key(
            &reply.json(),
            ORG,
            KEY,
            &format!("{}{prefix}", atlas.origin()),
        );

        let reply = api.get(&format!("/orgs/{ORG}/apiKeys/{MISSING_KEY}"));
        assert_error(&reply, api.not_found_status(), "API_KEY_NOT_FOUND");
        assert_eq!(
            reply.json(),
            json!({
                "detail": format!("No API key with ID {MISSING_KEY} exists."),
                "error": api.not_found_status(),
                "errorCode": "API_KEY_NOT_FOUND",
                "parameters": [MISSING_KEY],
                "reason": if api.is_v2() { "Not Found" } else { "Bad Request" },
            })
        );
    }
    assert_eq!(atlas.stats().fetched, 3);
}

#[test]
fn creates_a_key_whose_private_key_is_shown_once() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        let body = json!({"desc": "CI deploys", "roles": ["ORG_READ_ONLY", "ORG_GROUP_CREATOR"]});
        let reply = api.call("POST", &format!("/orgs/{ORG}/apiKeys"), &body.to_string());
        assert_eq!(reply.status, api.created_status(), "{prefix}: {reply:?}");
        let created = reply.json();
        let id = created["id"].as_str().unwrap();
        let private = created["privateKey"].as_str().unwrap();
        assert!(is_uuid(private), "{created}");
        assert_eq!(created["desc"], "CI deploys");
        assert_eq!(
            created["roles"],
            json!([
                {"orgId": ORG, "roleName": "ORG_READ_ONLY"},
                {"orgId": ORG, "roleName": "ORG_GROUP_CREATOR"},
            ])
        );

        let shown = api.get(&format!("/orgs/{ORG}/apiKeys/{id}")).json();
        assert_eq!(shown["publicKey"], created["publicKey"]);
        assert_eq!(
            shown["privateKey"],
            format!("********-****-****-{}", &private[24..])
        );
        let record = atlas.api_key(ORG, id).unwrap();
        assert_eq!(record.private_key, private);
        assert_eq!(record.roles, ["ORG_READ_ONLY", "ORG_GROUP_CREATOR"]);
    }
    let keys = atlas.api_keys(ORG);
    assert_eq!(keys.len(), 4, "the seeded key, then the three created");
    assert_eq!(keys[0].id, KEY);
    assert_eq!(atlas.stats().created, 3);
}

#[test]
fn a_bad_create_is_refused_as_atlas_refuses_it_and_creates_nothing() {
    let atlas = mock();
    let long = "x".repeat(251);
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        for (body, code, parameters) in [
            (
                r#"{"desc": "d", "roles": ["ORG_MEMBER"]"#.to_owned(),
                "INVALID_JSON",
                json!([]),
            ),
            ("".to_owned(), "INVALID_JSON", json!([])),
            (r#"[{"desc": "d"}]"#.to_owned(), "INVALID_JSON", json!([])),
            (
                r#"{"roles": ["ORG_MEMBER"]}"#.to_owned(),
                "INVALID_API_KEY_DESC",
                json!(["250"]),
            ),
            (
                format!(r#"{{"desc": "{long}", "roles": ["ORG_MEMBER"]}}"#),
                "INVALID_API_KEY_DESC",
                json!(["250"]),
            ),
            (
                r#"{"desc": "", "roles": ["ORG_MEMBER"]}"#.to_owned(),
                "INVALID_API_KEY_DESC",
                json!(["250"]),
            ),
            (
                r#"{"desc": 7, "roles": ["ORG_MEMBER"]}"#.to_owned(),
                "INVALID_JSON_ATTRIBUTE",
                json!(["desc"]),
            ),
            (
                r#"{"desc": "d"}"#.to_owned(),
                "MISSING_API_KEY_ROLES",
                json!([]),
            ),
            (
                r#"{"desc": "d", "roles": []}"#.to_owned(),
                "MISSING_API_KEY_ROLES",
                json!([]),
            ),
            (
                r#"{"desc": "d", "roles": "ORG_MEMBER"}"#.to_owned(),
                "INVALID_JSON_ATTRIBUTE",
                json!(["roles"]),
            ),
            (
                r#"{"desc": "d", "roles": ["ORG_MEMBER", "GROUP_OWNER"]}"#.to_owned(),
                "INVALID_ROLE_FOR_ORG",
                json!(["GROUP_OWNER", ORG]),
            ),
            (
                r#"{"desc": "d", "roles": ["ORG_ADMIN"]}"#.to_owned(),
                "INVALID_ENUM_VALUE",
                json!(["ORG_ADMIN"]),
            ),
            (
                r#"{"desc": "d", "roles": ["ORG_MEMBER"], "publicKey": "x"}"#.to_owned(),
                "INVALID_ATTRIBUTE",
                json!(["publicKey"]),
            ),
        ] {
            let reply = api.call("POST", &format!("/orgs/{ORG}/apiKeys"), &body);
            assert_error(&reply, 400, code);
            assert_eq!(reply.json()["parameters"], parameters, "{body}");
        }
        let at_limit = json!({"desc": "y".repeat(250), "roles": ["ORG_MEMBER"]}).to_string();
        let reply = api.call("POST", &format!("/orgs/{ORG}/apiKeys"), &at_limit);
        assert_eq!(
            reply.status,
            api.created_status(),
            "250 characters: {reply:?}"
        );
    }
    assert_eq!(atlas.api_keys(ORG).len(), 4, "only the 250-character ones");
    assert_eq!(atlas.stats().created, 3);
}

#[test]
fn updates_the_description_and_roles() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        let path = format!("/orgs/{ORG}/apiKeys/{KEY}");
        let reply = api.call("PATCH", &path, r#"{"desc": "renamed"}"#);
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(reply.json()["desc"], "renamed");
        assert_eq!(reply.json()["roles"][0]["roleName"], "ORG_MEMBER");
        assert!(reply.json()["privateKey"]
            .as_str()
            .unwrap()
            .starts_with("********"));

        let reply = api.call("PATCH", &path, r#"{"roles": ["ORG_OWNER"]}"#);
        assert_eq!(
            reply.json()["roles"],
            json!([{"orgId": ORG, "roleName": "ORG_OWNER"}])
        );
        assert_eq!(reply.json()["desc"], "renamed");

        let reply = api.call(
            "PATCH",
            &path,
            r#"{"desc": "both", "roles": ["ORG_MEMBER", "ORG_BILLING_READ_ONLY"]}"#,
        );
        assert_eq!(reply.status, 200, "{reply:?}");
        let record = atlas.api_key(ORG, KEY).unwrap();
        assert_eq!(record.desc, "both");
        assert_eq!(record.roles, ["ORG_MEMBER", "ORG_BILLING_READ_ONLY"]);

        for (body, code) in [
            (r#"{"desc": ""}"#, "INVALID_API_KEY_DESC"),
            (r#"{"roles": []}"#, "MISSING_API_KEY_ROLES"),
            (r#"{"roles": ["GROUP_READ_ONLY"]}"#, "INVALID_ROLE_FOR_ORG"),
            (r#"{"desc": "ok", "roles": ["NOPE"]}"#, "INVALID_ENUM_VALUE"),
            (r#"{"id": "x"}"#, "INVALID_ATTRIBUTE"),
            ("not json", "INVALID_JSON"),
        ] {
            assert_error(&api.call("PATCH", &path, body), 400, code);
        }
        assert_eq!(
            atlas.api_key(ORG, KEY).unwrap(),
            record,
            "refused updates change nothing"
        );

        let missing = format!("/orgs/{ORG}/apiKeys/{MISSING_KEY}");
        assert_error(
            &api.call("PATCH", &missing, r#"{"desc": "x"}"#),
            api.not_found_status(),
            "API_KEY_NOT_FOUND",
        );
    }
    assert_eq!(atlas.stats().updated, 9);
}

#[test]
fn deletes_then_the_key_is_gone_everywhere() {
    let atlas = mock();
    for (i, prefix) in FLAVOURS.into_iter().enumerate() {
        let api = Api::new(&atlas, prefix);
        atlas.add_key(ORG, &key(i));
        let path = format!("/orgs/{ORG}/apiKeys/{}", key(i));
        let reply = api.call("DELETE", &path, "");
        assert_eq!((reply.status, reply.body.as_str()), (204, ""), "{reply:?}");
        assert!(!atlas.has_key(ORG, &key(i)));
        assert_error(&api.get(&path), api.not_found_status(), "API_KEY_NOT_FOUND");
        assert_error(
            &api.call("DELETE", &path, ""),
            api.not_found_status(),
            "API_KEY_NOT_FOUND",
        );
        let listed = api.get(&format!("/orgs/{ORG}/apiKeys")).json();
        assert_eq!(ids(&listed), [KEY]);
    }
    assert_eq!(atlas.stats().deleted, 3);
}

#[test]
fn an_unknown_org_is_404_org_not_found_on_every_route() {
    let atlas = mock();
    let unknown = "5f1a2b3c4d5e6f7a8b9c0d00";
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        for (method, path, body) in [
            ("GET", format!("/orgs/{unknown}/apiKeys"), ""),
            (
                "POST",
                format!("/orgs/{unknown}/apiKeys"),
                r#"{"desc": "d", "roles": ["ORG_MEMBER"]}"#,
            ),
            ("GET", format!("/orgs/{unknown}/apiKeys/{KEY}"), ""),
            (
                "PATCH",
                format!("/orgs/{unknown}/apiKeys/{KEY}"),
                r#"{"desc": "d"}"#,
            ),
            ("DELETE", format!("/orgs/{unknown}/apiKeys/{KEY}"), ""),
            (
                "GET",
                format!("/orgs/{unknown}/apiKeys/{KEY}/accessList"),
                "",
            ),
            (
                "POST",
                format!("/orgs/{unknown}/apiKeys/{KEY}/accessList"),
                r#"[{"ipAddress": "192.0.2.1"}]"#,
            ),
            (
                "GET",
                format!("/orgs/{unknown}/apiKeys/{KEY}/accessList/192.0.2.1"),
                "",
            ),
            (
                "DELETE",
                format!("/orgs/{unknown}/apiKeys/{KEY}/accessList/192.0.2.1"),
                "",
            ),
        ] {
            let reply = api.call(method, &path, body);
            assert_error(&reply, 404, "ORG_NOT_FOUND");
            assert_eq!(
                reply.json()["parameters"],
                json!([unknown]),
                "{method} {path}"
            );
        }
    }
    assert!(atlas.api_keys(unknown).is_empty());
}

#[test]
fn malformed_ids_are_400_path_param_parse_error_on_every_route() {
    let atlas = mock();
    let api = Api::v2(&atlas);
    for (method, path, bad) in [
        ("GET", "/orgs/ORG/apiKeys".to_owned(), "ORG"),
        ("POST", "/orgs/5f1a/apiKeys".to_owned(), "5f1a"),
        (
            "GET",
            format!("/orgs/{ORG}/apiKeys/{}", KEY.to_uppercase()),
            &*KEY.to_uppercase(),
        ),
        ("PATCH", format!("/orgs/{ORG}/apiKeys/x"), "x"),
        (
            "DELETE",
            format!("/orgs/{ORG}/apiKeys/6a1b2c3d4e5f6a7b8c9d0e1"),
            "6a1b2c3d4e5f6a7b8c9d0e1",
        ),
        ("GET", format!("/orgs/{ORG}/apiKeys/k/accessList"), "k"),
        (
            "DELETE",
            "/orgs/o/apiKeys/k/accessList/192.0.2.1".to_owned(),
            "o",
        ),
    ] {
        let reply = api.call(method, &path, "{}");
        assert_error(&reply, 400, "PATH_PARAM_PARSE_ERROR");
        assert_eq!(reply.json()["parameters"], json!([bad]), "{method} {path}");
    }
}

#[test]
fn a_known_path_with_another_method_is_405_and_an_unknown_path_404() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        for (method, path) in [
            ("PUT", format!("/orgs/{ORG}/apiKeys")),
            ("DELETE", format!("/orgs/{ORG}/apiKeys")),
            ("PUT", format!("/orgs/{ORG}/apiKeys/{KEY}")),
            ("POST", format!("/orgs/{ORG}/apiKeys/{KEY}")),
            ("PATCH", format!("/orgs/{ORG}/apiKeys/{KEY}/accessList")),
            (
                "POST",
                format!("/orgs/{ORG}/apiKeys/{KEY}/accessList/192.0.2.1"),
            ),
        ] {
            let reply = api.call(method, &path, "");
            assert_error(&reply, 405, "METHOD_NOT_ALLOWED");
            assert_eq!(
                reply.json()["detail"],
                format!("Method {method} is not allowed for this resource.")
            );
        }
        for path in [
            format!("/orgs/{ORG}"),
            format!("/orgs/{ORG}/apikeys"),
            format!("/orgs/{ORG}/apiKeys/{KEY}/"),
            format!("/orgs/{ORG}/apiKeys/{KEY}/accessList/a/b"),
            "".to_owned(),
        ] {
            let reply = api.get(&path);
            assert_error(&reply, 404, "RESOURCE_NOT_FOUND");
            let full = format!("{prefix}{path}");
            assert_eq!(
                reply.json()["detail"],
                format!("Cannot find resource {full}.")
            );
            assert_eq!(reply.json()["parameters"], json!([full]));
        }
    }
    assert!(atlas.has_key(ORG, KEY));
}

#[test]
fn envelope_and_pretty_work_on_lists_creates_and_errors() {
    let atlas = mock();
    for prefix in FLAVOURS {
        let api = Api::new(&atlas, prefix);
        let reply = api.get(&format!("/orgs/{ORG}/apiKeys?envelope=true&itemsPerPage=1"));
        assert_eq!(reply.status, 200, "{reply:?}");
        let body = reply.json();
        assert_eq!(body["status"], 200);
        assert_eq!(body["content"]["totalCount"], atlas.api_keys(ORG).len());
        assert_eq!(ids(&body["content"]), [KEY]);

        let created = api.call(
            "POST",
            &format!("/orgs/{ORG}/apiKeys?envelope=true"),
            r#"{"desc": "d", "roles": ["ORG_MEMBER"]}"#,
        );
        assert_eq!(created.status, 200, "{created:?}");
        assert_eq!(created.json()["status"], api.created_status());
        assert!(created.json()["content"]["privateKey"].is_string());

        let missing = api.get(&format!(
            "/orgs/{ORG}/apiKeys/{MISSING_KEY}?envelope=true&pretty=true"
        ));
        assert_eq!(missing.status, 200, "{missing:?}");
        assert!(missing.body.contains("\n  "), "pretty: {}", missing.body);
        assert_eq!(missing.json()["status"], api.not_found_status());
        assert_eq!(missing.json()["content"]["errorCode"], "API_KEY_NOT_FOUND");

        let pretty = api.get(&format!("/orgs/{ORG}/apiKeys/{KEY}?pretty=true"));
        assert!(pretty.body.contains("\n  \"desc\""), "{}", pretty.body);
        assert_eq!(pretty.json()["id"], KEY);
    }
}

#[test]
fn v2_answers_carry_the_versioned_type_and_refuse_other_versions() {
    let atlas = mock();
    let api = Api::v2(&atlas);
    let reply = api.get(&format!("/orgs/{ORG}/apiKeys"));
    assert_eq!(reply.header("Content-Type"), Some(support::V2_MEDIA_TYPE));
    let v1 = Api::v1(&atlas).get(&format!("/orgs/{ORG}/apiKeys"));
    assert_eq!(v1.header("Content-Type"), Some("application/json"));

    let auth = support::bearer(&support::token(&atlas));
    let refused = support::send(
        &atlas,
        "POST",
        &format!("/api/atlas/v2/orgs/{ORG}/apiKeys"),
        &[("Authorization", &auth), ("Accept", "application/json")],
        r#"{"desc": "d", "roles": ["ORG_MEMBER"]}"#,
    );
    assert_error(&refused, 406, "INVALID_VERSION");
    let unknown_path = support::send(
        &atlas,
        "GET",
        "/api/atlas/v2/nowhere",
        &[("Authorization", &auth)],
        "",
    );
    assert_error(&unknown_path, 406, "INVALID_VERSION");
    assert_eq!(atlas.api_keys(ORG).len(), 1, "nothing was created");
}

#[test]
fn seeded_records_keep_their_fields_and_bad_ones_are_refused() {
    let atlas = mock();
    let seeded = atlas
        .add_api_key(
            ORG,
            ApiKey {
                id: key(7),
                public_key: "qrstuvwx".into(),
                desc: "seeded".into(),
                roles: vec!["ORG_OWNER".into()],
                ..ApiKey::default()
            },
        )
        .unwrap();
    assert!(is_uuid(&seeded.private_key), "{seeded:?}");
    assert!(!format!("{seeded:?}").contains(&seeded.private_key));
    let shown = Api::v1(&atlas)
        .get(&format!("/orgs/{ORG}/apiKeys/{}", key(7)))
        .json();
    assert_eq!(
        (shown["publicKey"].as_str(), shown["desc"].as_str()),
        (Some("qrstuvwx"), Some("seeded"))
    );
    let made_up = atlas.add_api_key(OTHER_ORG, ApiKey::default()).unwrap();
    assert_eq!(made_up.roles, ["ORG_MEMBER"]);
    assert_eq!(atlas.api_keys(OTHER_ORG), [made_up]);

    for (bad, why) in [
        (ApiKey::with_id("nope"), "not 24"),
        (ApiKey::with_id(key(7)), "already exists"),
        (
            ApiKey {
                public_key: "qrstuvwx".into(),
                ..ApiKey::default()
            },
            "already belongs",
        ),
        (
            ApiKey {
                desc: "x".repeat(251),
                ..ApiKey::default()
            },
            "1 to 250",
        ),
        (
            ApiKey {
                roles: vec!["GROUP_OWNER".into()],
                ..ApiKey::default()
            },
            "not an organization role",
        ),
        (
            ApiKey {
                access_list: vec![atlas_admin_mock::AccessListEntry::ip("300.1.1.1")],
                ..ApiKey::default()
            },
            "not an IP",
        ),
    ] {
        let error = atlas.add_api_key(ORG, bad).unwrap_err();
        assert!(error.to_string().contains(why), "{error}");
    }
    assert!(atlas.add_api_key("not-an-org", ApiKey::default()).is_err());
    assert_eq!(atlas.api_keys(ORG).len(), 2);
}

#[test]
fn a_bad_record_in_the_configuration_stops_the_start() {
    let mut config = support::config();
    config
        .api_keys
        .insert(ORG.into(), vec![ApiKey::with_id("short")]);
    let error = MockAtlas::start(config).err().expect("refused");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("short"), "{error}");
}
