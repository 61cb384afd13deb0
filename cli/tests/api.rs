//! `atlas-admin api METHOD PATH` against the mock (what it serves today:
//! DELETE of a key, and RESOURCE_NOT_FOUND for paths it does not serve)
//! and against canned servers that show what was sent.

mod support;

use serde_json::{json, Value};
use support::*;

/// A path no version of the mock serves: Atlas' RESOURCE_NOT_FOUND.
const NO_SUCH_PATH: &str = "/orgs/5f1a2b3c4d5e6f7a8b9c0d1e/noSuchResource";

/// A list of keys, as Atlas answers `GET /orgs/{ORG}/apiKeys`.
fn key_list() -> Value {
    json!({
        "links": [],
        "results": [{"id": key(0), "desc": "ci", "roles": [{"roleName": "ORG_MEMBER"}]}],
        "totalCount": 1
    })
}

/// A server answering every request with `key_list()`.
fn key_list_server() -> CannedServer {
    CannedServer::start(
        "200 OK",
        &["Content-Type: application/json"],
        &key_list().to_string(),
    )
}

fn key_path(i: usize) -> String {
    format!("/orgs/{ORG}/apiKeys/{}", key(i))
}

#[test]
fn delete_prints_nothing_and_a_second_delete_is_not_found() {
    let atlas = mock(1);
    let run = api(&atlas, &["DELETE", &key_path(0)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    assert!(!atlas.has_key(ORG, &key(0)));

    // Lower case is the same method.
    let run = api(&atlas, &["delete", &key_path(0)]);
    assert_eq!(run.code, 3, "Atlas said API_KEY_NOT_FOUND: {run:?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with("atlas-admin: error: ") && run.stderr.contains("API_KEY_NOT_FOUND"),
        "{run:?}"
    );

    let run = api(&atlas, &["DELETE", &key_path(0), "--output", "json"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(run.stderr, "");
    let lines = run.json();
    assert_eq!(lines.len(), 1, "one object and no summary: {run:?}");
    let line = &lines[0];
    assert_eq!(line["request"], format!("DELETE {}", key_path(0)));
    assert_eq!(line["outcome"], "not_found");
    assert_eq!(line["http_status"], 400);
    assert_eq!(line["error_code"], "API_KEY_NOT_FOUND");
    assert_eq!(line["attempts"], 1);
    assert!(line["body"].is_null(), "{line}");
}

#[test]
fn an_unknown_organization_is_not_found_for_a_call_that_names_it() {
    let atlas = mock(1);
    let path = format!("/orgs/5f1a2b3c4d5e6f7a8b9c0d99/apiKeys/{}", key(0));
    let run = api(&atlas, &["DELETE", &path]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("ORG_NOT_FOUND"), "{run:?}");
}

#[test]
fn a_path_atlas_does_not_serve_exits_8_naming_the_url() {
    let atlas = mock(0);
    let run = api(&atlas, &["GET", NO_SUCH_PATH]);
    assert_eq!(run.code, 8, "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("RESOURCE_NOT_FOUND") || run.stderr.contains("no such path"),
        "{run:?}"
    );
    assert!(run.stderr.contains("noSuchResource"), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");

    let run = api(&atlas, &["GET", NO_SUCH_PATH, "--output", "json"]);
    assert_eq!(run.code, 8, "{run:?}");
    let line = &run.json()[0];
    assert_eq!(line["outcome"], "failed");
    assert_eq!(line["http_status"], 404);
    assert_eq!(line["error_code"], "RESOURCE_NOT_FOUND");
}

#[test]
fn bad_paths_are_refused_before_sending() {
    let atlas = mock(1);
    for (path, why) in [
        ("orgs/x/apiKeys", "must start with /"),
        ("https://evil.example/api/atlas/v1.0/orgs", "is a URL"),
        ("/orgs/../groups", "segment"),
        ("/orgs//apiKeys", "empty segment"),
        ("/orgs/x?pretty=true", "query"),
        ("/api/atlas/v1.0/orgs", "repeats"),
    ] {
        let run = api(&atlas, &["GET", path]);
        assert_eq!(run.code, 8, "{path}: {run:?}");
        assert!(
            run.stderr.contains("invalid argument `path`"),
            "{path}: {run:?}"
        );
        assert!(run.stderr.contains(why), "{path}: {run:?}");
    }
    for method in ["FETCH", ""] {
        let run = api(&atlas, &[method, "/orgs"]);
        assert_eq!(run.code, 2, "{method:?}: {run:?}");
        assert!(
            run.stderr.contains("GET, POST, PUT, PATCH, DELETE"),
            "{run:?}"
        );
    }
    assert_eq!(atlas.stats().requests, 0);
    assert!(atlas.has_key(ORG, &key(0)));
}

#[test]
fn the_body_is_one_line_through_a_pipe_and_indented_with_pretty() {
    let server = key_list_server();
    let path = format!("/orgs/{ORG}/apiKeys");
    let run = run_command(api_command(&server.base_url, &["GET", &path]), None);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, format!("{}\n", key_list()));

    for args in [
        &[
            "--pretty",
            "api",
            "--base-url",
            &server.base_url,
            "GET",
            &path,
        ][..],
        &[
            "api",
            "--base-url",
            &server.base_url,
            "GET",
            &path,
            "--pretty",
        ],
    ] {
        let mut command = command(Some(PRIVATE));
        command.args(args);
        let run = run_command(command, None);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            run.stdout,
            format!("{}\n", serde_json::to_string_pretty(&key_list()).unwrap())
        );
    }
    let sent = server.requests();
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(
        sent[0].starts_with(&format!("GET /api/atlas/v1.0{path} HTTP/1.1")),
        "{sent:?}"
    );
    for request in &sent[1..] {
        assert!(
            request.starts_with(&format!("GET /api/atlas/v1.0{path}?pretty=true HTTP/1.1")),
            "{sent:?}"
        );
    }

    let run = run_command(
        api_command(
            &server.base_url,
            &["GET", &path, "--output", "json", "--pretty"],
        ),
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.json();
    assert_eq!(
        lines.len(),
        1,
        "JSON output is one line, even with --pretty"
    );
    assert_eq!(lines[0]["request"], format!("GET {path}"));
    assert_eq!(lines[0]["outcome"], "ok");
    assert_eq!(lines[0]["http_status"], 200);
    assert_eq!(lines[0]["body"], key_list());
    assert!(lines[0]["attempts"].is_null());
}

#[test]
fn query_parameters_split_at_the_first_equals_and_are_escaped() {
    let atlas = mock(1);
    let run = api(
        &atlas,
        &[
            "DELETE",
            &key_path(0),
            "--query",
            "itemsPerPage=500",
            "--query",
            "filter=a=b&c d",
            "--query",
            "empty=",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let seen = atlas.recent_requests();
    let target = &seen.last().unwrap().target;
    assert!(
        target.ends_with(&format!(
            "{}?itemsPerPage=500&filter=a%3Db%26c%20d&empty=",
            key(0)
        )),
        "{seen:?}"
    );

    let requests = atlas.stats().requests;
    let run = api(&atlas, &["GET", NO_SUCH_PATH, "--query", "no-equals-sign"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("NAME=VALUE"), "{run:?}");
    let run = api(&atlas, &["GET", NO_SUCH_PATH, "--query", "=value"]);
    assert_eq!(run.code, 8, "{run:?}");
    assert!(run.stderr.contains("invalid argument `query`"), "{run:?}");
    assert_eq!(atlas.stats().requests, requests, "nothing sent");
}

#[test]
fn data_comes_from_the_text_a_file_or_standard_input() {
    let server = CannedServer::start(
        "201 Created",
        &["Content-Type: application/json"],
        r#"{"id":"6a1b2c3d4e5f6a7b8c000001","desc":"ci"}"#,
    );
    let path = format!("/orgs/{ORG}/apiKeys");
    let body = json!({"desc": "ci", "roles": ["ORG_MEMBER"]});
    let dir = temp_dir("data");
    let file = dir.join("body.json");
    std::fs::write(&file, serde_json::to_string_pretty(&body).unwrap()).unwrap();
    let at_file = format!("@{}", file.display());
    let text = body.to_string();
    for (data, input) in [
        (text.as_str(), None),
        (at_file.as_str(), None),
        ("@-", Some(format!("{body}\n"))),
    ] {
        let command = api_command(&server.base_url, &["POST", &path, "--data", data]);
        let run = run_command(command, input.as_deref());
        assert_eq!(run.code, 0, "{data}: {run:?}");
        assert_eq!(
            run.stdout,
            "{\"desc\":\"ci\",\"id\":\"6a1b2c3d4e5f6a7b8c000001\"}\n"
        );
        let sent = server.requests();
        let request = sent.last().unwrap();
        assert!(request.starts_with(&format!("POST /api/atlas/v1.0{path} HTTP/1.1")));
        assert!(
            request
                .to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{request}"
        );
        let (_, sent_body) = request.split_once("\r\n\r\n").unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(sent_body).unwrap(),
            body,
            "{data}: {request}"
        );
    }
    assert_eq!(server.requests().len(), 3);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn data_that_is_not_json_is_refused_before_sending() {
    let server = key_list_server();
    let dir = temp_dir("bad-data");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"desc\": \"ci\",}").unwrap();
    let at_bad = format!("@{}", bad.display());
    let at_missing = format!("@{}", dir.join("absent.json").display());

    // On the command line: a usage error, from the parser.
    let command = api_command(&server.base_url, &["POST", "/orgs", "--data", "{desc: ci}"]);
    let run = run_command(command, None);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not JSON"), "{run:?}");

    // In a file or on standard input: nothing attempted.
    for (data, input, says) in [
        (at_bad.as_str(), None, "bad.json is not JSON"),
        (at_missing.as_str(), None, "cannot read --data"),
        ("@-", Some("[1, 2"), "@- (standard input) is not JSON"),
        ("@-", Some(""), "@- (standard input) is not JSON"),
    ] {
        let command = api_command(&server.base_url, &["POST", "/orgs", "--data", data]);
        let run = run_command(command, input);
        assert_eq!(run.code, 1, "{data}: {run:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.contains(says), "{data}: {run:?}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn api_version_chooses_the_media_type_and_must_be_a_date() {
    let atlas = mock(1);
    let run = api(
        &atlas,
        &["DELETE", &key_path(0), "--api-version", "2024-08-05"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let seen = atlas.recent_requests();
    assert_eq!(
        seen.last().unwrap().accept.as_deref(),
        Some("application/vnd.atlas.2024-08-05+json"),
        "{seen:?}"
    );

    let requests = atlas.stats().requests;
    for bad in ["2024-13-01", "latest", "2024-8-5"] {
        let run = api(&atlas, &["GET", NO_SUCH_PATH, "--api-version", bad]);
        assert_eq!(run.code, 8, "{bad}: {run:?}");
        assert!(run.stderr.contains("YYYY-MM-DD"), "{bad}: {run:?}");
    }
    assert_eq!(atlas.stats().requests, requests, "nothing sent");
}

#[test]
fn pretty_and_envelope_go_before_or_after_the_subcommand() {
    let atlas = mock(4);
    let base_url = atlas.base_url();
    let (k0, k1, k2, k3) = (key_path(0), key_path(1), key(2), key(3));
    let runs: [&[&str]; 4] = [
        &[
            "--pretty",
            "--envelope",
            "api",
            "--base-url",
            &base_url,
            "DELETE",
            &k0,
        ],
        &[
            "api",
            "--base-url",
            &base_url,
            "DELETE",
            &k1,
            "--envelope",
            "--pretty",
        ],
        &[
            "--envelope",
            "org-api-keys",
            "delete",
            "--base-url",
            &base_url,
            "--org",
            ORG,
            "--pretty",
            &k2,
        ],
        &[
            "org-api-keys",
            "--pretty",
            "delete",
            "--envelope",
            "--base-url",
            &base_url,
            "--org",
            ORG,
            &k3,
        ],
    ];
    for args in runs {
        let mut command = command(Some(PRIVATE));
        command.args(args);
        let run = run_command(command, None);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        let seen = atlas.recent_requests();
        let target = &seen.last().unwrap().target;
        assert!(
            target.contains("pretty=true") && target.contains("envelope=true"),
            "{args:?}: {seen:?}"
        );
    }
    assert!(remaining(&atlas, &keys(4)).is_empty());

    // The envelope's status is the call's, and its content the body.
    atlas.add_key(ORG, &key(0));
    let run = api(&atlas, &["DELETE", &k0, "--envelope", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let line = &run.json()[0];
    assert_eq!(line["http_status"], 204, "{line}");
    assert_eq!(line["body"], json!({}), "{line}");
}

#[test]
fn refused_credentials_exit_4_with_the_cores_message() {
    let atlas = mock(1);
    let mut command = command(Some(WRONG_PRIVATE));
    command
        .args(["api", "--base-url", &atlas.base_url(), "DELETE"])
        .arg(key_path(0));
    let run = run_command(command, None);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("key pair"), "{run:?}");
    assert!(!run.stderr.contains(WRONG_PRIVATE));
    assert!(atlas.has_key(ORG, &key(0)));
}

#[test]
fn a_proxy_page_with_an_error_code_header_is_a_failure_not_a_missing_resource() {
    let proxy = CannedServer::start(
        "404 Not Found",
        &["Content-Type: text/html", "X-Error-Code: API_KEY_NOT_FOUND"],
        "<html><body>Not Found</body></html>",
    );
    let command = api_command(&proxy.base_url, &["DELETE", &key_path(0)]);
    let run = run_command(command, None);
    assert_eq!(run.code, 8, "{run:?}");
    assert!(run.stderr.contains("the server at 127.0.0.1"), "{run:?}");
}
