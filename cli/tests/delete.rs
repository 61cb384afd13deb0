//! `atlas-admin org-api-keys delete` against the mock: outcomes, output
//! and exit codes.

mod support;

use atlas_admin_mock::{Credential, Fault};
use support::*;

#[test]
fn deletes_every_key_and_prints_json_lines_in_input_order() {
    let atlas = mock(10);
    let keys = keys(10);
    let mut args = vec!["--output", "json", "--concurrency", "3"];
    args.extend(keys.iter().map(String::as_str));
    let run = delete(&atlas, &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    let (lines, summary) = run.results();
    let printed: Vec<&str> = lines.iter().map(|l| l["key"].as_str().unwrap()).collect();
    assert_eq!(printed, keys);
    for line in &lines {
        assert_eq!(line["outcome"], "deleted", "{line}");
        // Atlas' answer to the delete, and the one request that made it.
        assert_eq!(line["http_status"], 204, "{line}");
        assert_eq!(line["attempts"], 1, "{line}");
        assert_eq!(line["earlier_attempt_may_have_succeeded"], false, "{line}");
        for field in ["error_code", "detail", "message"] {
            assert!(line[field].is_null(), "{field}: {line}");
        }
    }
    assert_eq!(summary["summary"]["keys"], 10);
    assert_eq!(summary["summary"]["deleted"], 10);
    assert_eq!(summary["summary"]["already_gone"], 0);
    assert_eq!(summary["summary"]["failed"], 0);
    assert_eq!(summary["exit_code"], 0);
    assert!(remaining(&atlas, &keys).is_empty());
    // One client for all workers: at most one Digest challenge per worker.
    assert!(atlas.stats().challenges <= 3, "{:?}", atlas.stats());
}

#[test]
fn keys_that_do_not_exist_exit_3_and_the_rest_are_deleted() {
    let atlas = mock(2);
    let (public_0, public_1) = (
        public_key_of(&atlas, &key(0)),
        public_key_of(&atlas, &key(1)),
    );
    let run = delete(&atlas, &[&key(0), &key(7), &key(1), &key(8)]);
    assert_eq!(run.code, 3, "{run:?}");
    // The run's listing named the public key of each key it found.
    assert_eq!(
        run.stdout,
        format!(
            "deleted {} (public key {public_0})\nnot found {} (API_KEY_NOT_FOUND)\n\
             deleted {} (public key {public_1})\nnot found {} (API_KEY_NOT_FOUND)\n",
            key(0),
            key(7),
            key(1),
            key(8)
        )
    );
    assert_eq!(
        text_summary(&run.stderr),
        "atlas-admin: 4 keys: 2 deleted, 2 not found; exit 3"
    );
    assert!(remaining(&atlas, &keys(2)).is_empty());

    let atlas = mock(1);
    let run = delete(&atlas, &["--output", "json", &key(0), &key(5)]);
    assert_eq!(run.code, 3, "{run:?}");
    let (lines, summary) = run.results();
    assert_eq!(lines[1]["outcome"], "not_found");
    assert_eq!(lines[1]["http_status"], 400);
    assert_eq!(lines[1]["error_code"], "API_KEY_NOT_FOUND");
    assert_eq!(lines[1]["attempts"], 1);
    assert!(lines[1]["detail"].as_str().unwrap().contains(&key(5)));
    assert_eq!(summary["summary"]["not_found"], 1);
    assert_eq!(summary["summary"]["deleted"], 1);
}

#[test]
fn missing_ok_reports_missing_keys_as_already_gone_and_exits_0() {
    let atlas = mock(1);
    let public_0 = public_key_of(&atlas, &key(0));
    let run = delete(&atlas, &["--missing-ok", &key(0), &key(9), "zzzzzzzz"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "deleted {} (public key {public_0})
already gone {} (API_KEY_NOT_FOUND)
\
             already gone zzzzzzzz (organization {ORG} has no API key with public key \
             zzzzzzzz)
",
            key(0),
            key(9)
        )
    );
    assert_eq!(
        text_summary(&run.stderr),
        "atlas-admin: 3 keys: 1 deleted, 2 already gone"
    );

    // In JSON, from Atlas v1.0 (API_KEY_NOT_FOUND is HTTP 400) and v2 (404).
    for (flavour, status) in flavours(&atlas).iter().zip([400, 404]) {
        let mut args: Vec<String> = ["--missing-ok", "--output", "json", &key(5), "zzzzzzzz"]
            .map(String::from)
            .into();
        args.extend(flavour.iter().cloned());
        let run = run_command(keys_command(&["delete"], &args), None);
        assert_eq!(run.code, 0, "{run:?}");
        let (lines, summary) = run.results();
        let gone = &lines[0];
        assert_eq!(gone["outcome"], "already_gone", "{gone}");
        assert_eq!(gone["http_status"], status, "{gone}");
        assert_eq!(gone["attempts"], 1, "{gone}");
        assert_eq!(gone["error_code"], "API_KEY_NOT_FOUND", "{gone}");
        assert_eq!(gone["earlier_attempt_may_have_succeeded"], false, "{gone}");
        assert!(
            gone["message"].as_str().unwrap().contains("--missing-ok"),
            "{gone}"
        );
        // The run's listing found no such public key: nothing was sent
        // for it alone.
        let unlisted = &lines[1];
        assert_eq!(unlisted["outcome"], "already_gone", "{unlisted}");
        assert_eq!(unlisted["attempts"], 0, "{unlisted}");
        assert!(unlisted["http_status"].is_null(), "{unlisted}");
        assert!(unlisted["error_code"].is_null(), "{unlisted}");
        assert_eq!(summary["summary"]["already_gone"], 2, "{summary}");
        assert_eq!(summary["summary"]["deleted"], 0, "{summary}");
        assert_eq!(summary["summary"]["keys"], 2, "{summary}");
        assert_eq!(summary["exit_code"], 0, "{summary}");
    }
}

#[test]
fn verify_takes_a_key_already_gone_as_gone_without_reading_it_back() {
    let atlas = mock(1);
    let run = delete(
        &atlas,
        &[
            "--missing-ok",
            "--verify",
            "--output",
            "json",
            &key(0),
            &key(7),
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let (lines, summary) = run.results();
    assert_eq!(lines[0]["outcome"], "deleted");
    assert_eq!(lines[1]["outcome"], "already_gone");
    assert_eq!(summary["summary"]["already_gone"], 1);
    let reads: Vec<String> = atlas
        .recent_requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.target.contains("/apiKeys/"))
        .map(|r| r.target)
        .collect();
    assert_eq!(
        reads.len(),
        1,
        "only the deleted key is read back: {reads:?}"
    );
    assert!(reads[0].contains(&key(0)), "{reads:?}");
}

#[test]
fn a_lost_answer_then_already_gone_says_the_lost_attempt_may_have_deleted_it() {
    // The listing (a Digest challenge and the page) goes through; the
    // delete is done but its answer lost, so the client tries again and
    // Atlas says the key does not exist. The client's pause before that
    // try is real time: the binary runs on the system clock.
    for (extra, code) in [(&["--missing-ok"][..], 0), (&[], 3)] {
        let atlas = mock(1);
        let public_0 = public_key_of(&atlas, &key(0));
        atlas.inject(Fault::Delay { millis: 0 }, 2);
        atlas.inject(Fault::LoseAnswer, 1);
        let run = delete(&atlas, &[extra, &[key(0).as_str()]].concat());
        assert_eq!(run.code, code, "{extra:?}: {run:?}");
        assert!(!atlas.has_key(ORG, &key(0)));
        let verdict = if code == 0 {
            "already gone"
        } else {
            "not found"
        };
        let note = if code == 0 {
            "an earlier attempt of this call lost its answer and may have deleted it"
        } else {
            "an earlier attempt lost its answer and may have deleted it"
        };
        assert_eq!(
            run.stdout,
            format!(
                "{verdict} {} (public key {public_0}) (API_KEY_NOT_FOUND; {note})
",
                key(0)
            ),
            "{extra:?}"
        );
    }

    let atlas = mock(1);
    atlas.inject(Fault::Delay { millis: 0 }, 2);
    atlas.inject(Fault::LoseAnswer, 1);
    let run = delete(&atlas, &["--missing-ok", "--output", "json", &key(0)]);
    assert_eq!(run.code, 0, "{run:?}");
    let (lines, summary) = run.results();
    let line = &lines[0];
    assert_eq!(line["outcome"], "already_gone", "{line}");
    assert_eq!(line["earlier_attempt_may_have_succeeded"], true, "{line}");
    assert_eq!(
        line["attempts"], 2,
        "the lost one and the answered one: {line}"
    );
    assert_eq!(line["http_status"], 400, "{line}");
    assert!(
        line["message"]
            .as_str()
            .unwrap()
            .ends_with("; an earlier attempt of this call lost its answer and may have deleted it"),
        "{line}"
    );
    assert_eq!(summary["summary"]["already_gone"], 1);
}

#[test]
fn a_dry_run_with_missing_ok_is_unchanged() {
    let atlas = mock(1);
    let run = delete(&atlas, &["--dry-run", "--missing-ok", &key(9), "zzzzzzzz"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "would delete {}
would delete zzzzzzzz
",
            key(9)
        )
    );
    assert_eq!(
        text_summary(&run.stderr),
        "atlas-admin: 2 keys: 2 would delete"
    );
}

#[test]
fn refused_credentials_exit_4_and_skip_the_keys_not_yet_tried() {
    let atlas = mock(8);
    let keys = keys(8);
    let mut args = vec!["--output", "json", "--concurrency", "2"];
    args.extend(keys.iter().map(String::as_str));
    let run = run_command(delete_command(&atlas, Some(WRONG_PRIVATE), &args), None);
    assert_eq!(run.code, 4, "{run:?}");
    assert_eq!(run.stderr, "");
    let (lines, summary) = run.results();
    let failed: Vec<_> = lines.iter().filter(|l| l["outcome"] == "failed").collect();
    assert!((1..=2).contains(&failed.len()), "{lines:?}");
    for line in &failed {
        assert_eq!(line["http_status"], 401, "{line}");
        assert!(line["attempts"].as_u64().unwrap() >= 1, "{line}");
        assert!(
            line["message"].as_str().unwrap().contains("key pair"),
            "{line}"
        );
    }
    let skipped: Vec<_> = lines.iter().filter(|l| l["outcome"] == "skipped").collect();
    for line in &skipped {
        // Nothing was sent for a skipped key.
        assert_eq!(line["attempts"], 0, "{line}");
        assert!(line["http_status"].is_null(), "{line}");
        assert_eq!(line["id"], line["key"], "{line}");
        assert!(line["public_key"].is_null(), "{line}");
    }
    assert_eq!(failed.len() + skipped.len(), 8);
    assert_eq!(summary["summary"]["skipped"], skipped.len());
    assert_eq!(summary["exit_code"], 4);
    assert_eq!(remaining(&atlas, &keys).len(), 8);
    assert!(!run.stdout.contains(WRONG_PRIVATE));
}

#[test]
fn a_forbidden_organization_exits_5() {
    let mut credential = Credential::new(PUBLIC, PRIVATE);
    credential.ip_access_list = Some(vec!["192.0.2.1".into()]);
    let atlas = mock_with(3, credential);
    let run = delete(&atlas, &["--concurrency", "1", &key(0), &key(1), &key(2)]);
    assert_eq!(run.code, 5, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!("failed {}: ", key(0))),
        "{lines:?}"
    );
    assert!(
        lines[0].contains("IP_ADDRESS_NOT_ON_ACCESS_LIST"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with(&format!("skipped {}: not attempted", key(1))));
    // The Digest challenge, then one refusal: the other keys are not tried.
    assert_eq!(atlas.stats().requests, 2);
}

#[test]
fn an_unknown_organization_stops_the_run_and_exits_8() {
    let atlas = mock(0);
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "delete", "--concurrency", "1", "--base-url"])
        .arg(atlas.base_url())
        .args(["--org", "5f1a2b3c4d5e6f7a8b9c0d99", &key(0), &key(1)]);
    let run = run_command(command, None);
    assert_eq!(run.code, 8, "{run:?}");
    assert!(run.stdout.contains("ORG_NOT_FOUND"), "{run:?}");
    assert!(
        run.stdout.contains(&format!("skipped {}", key(1))),
        "{run:?}"
    );
}

#[test]
fn reads_key_files_with_comments_and_blank_lines_and_standard_input() {
    let atlas = mock(6);
    let dir = temp_dir("keys");
    let file = dir.join("keys.txt");
    std::fs::write(
        &file,
        format!(
            "# keys leaked on 2024-05-01\n\n  {}  \n\t\n{} # the CI key\n   # done\n",
            key(0),
            key(1)
        ),
    )
    .unwrap();
    let public: Vec<String> = keys(3).iter().map(|k| public_key_of(&atlas, k)).collect();
    let run = delete(&atlas, &["--from-file", file.to_str().unwrap(), &key(2)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "deleted {} (public key {})\ndeleted {} (public key {})\ndeleted {} (public key {})\n",
            key(2),
            public[2],
            key(0),
            public[0],
            key(1),
            public[1]
        )
    );

    let input = format!("{}\n\n# comment\n{}\r\n{}\n", key(3), key(4), key(3));
    let run = run_command(
        delete_command(
            &atlas,
            Some(PRIVATE),
            &["--from-file", "-", "--output", "json"],
        ),
        Some(&input),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let (lines, summary) = run.results();
    assert_eq!(lines.len(), 2, "a repeated key is deleted once");
    assert_eq!(summary["summary"]["deleted"], 2);
    assert!(remaining(&atlas, &keys(5)).is_empty());

    let missing = dir.join("absent.txt");
    let run = delete(&atlas, &["--from-file", missing.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("absent.txt"), "{run:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_invalid_id_is_a_failed_line_and_the_others_go_on() {
    let atlas = mock(1);
    let run = delete(&atlas, &["--output", "json", "not-a-key-id", &key(0)]);
    assert_eq!(run.code, 8, "{run:?}");
    let (lines, summary) = run.results();
    assert_eq!(lines[0]["key"], "not-a-key-id");
    assert_eq!(lines[0]["outcome"], "failed");
    assert_eq!(lines[0]["attempts"], 0, "nothing was sent");
    assert!(lines[0]["message"].as_str().unwrap().contains("api_key_id"));
    assert_eq!(lines[1]["outcome"], "deleted");
    assert_eq!(summary["summary"]["failed"], 1);

    let text = delete(&atlas, &["not-a-key-id"]);
    assert!(
        text.stdout
            .starts_with("failed not-a-key-id: invalid argument `api_key_id`"),
        "{text:?}"
    );
}

#[test]
fn different_kinds_of_failure_exit_8() {
    let atlas = mock(0);
    let run = delete(&atlas, &["bad-id", &key(0)]);
    assert_eq!(run.code, 8, "{run:?}");
}

#[test]
fn an_unreachable_server_exits_7() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "delete", "--max-retries", "0", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}/api/atlas/v1.0"))
        .args(["--org", ORG, &key(0)]);
    let run = run_command(command, None);
    assert_eq!(run.code, 7, "{run:?}");
    // The run's one listing is its first request.
    assert!(
        run.stdout.starts_with(&format!(
            "failed {}: listing organization {ORG}'s keys failed, so no key was deleted: \
             connection failed",
            key(0)
        )),
        "{run:?}"
    );
}

#[test]
fn the_private_key_can_come_from_a_file_but_never_from_an_argument() {
    let atlas = mock(2);
    let dir = temp_dir("secret");
    let secret = dir.join("private-key");
    std::fs::write(&secret, format!("{PRIVATE}\n")).unwrap();
    let secret_path = secret.to_str().unwrap();
    let (k0, k1) = (key(0), key(1));
    let args = [
        "--public-key",
        PUBLIC,
        "--private-key-file",
        secret_path,
        &k0,
    ];
    let run = run_command(delete_command(&atlas, None, &args), None);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!atlas.has_key(ORG, &key(0)));

    // Without credentials from anywhere, nothing is attempted.
    let run = run_command(delete_command(&atlas, None, &[&k1]), None);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("no API key or service account"),
        "{run:?}"
    );
    assert_eq!(run.stdout, "");

    // There is no flag that takes a secret.
    for flag in ["--private-key", "--client-secret", "--password"] {
        let run = run_command(delete_command(&atlas, None, &[flag, PRIVATE, &k1]), None);
        assert_eq!(run.code, 2, "{flag}: {run:?}");
        assert!(run.stderr.contains("unexpected argument"), "{run:?}");
    }
    // A private key file needs the public key beside it.
    let run = run_command(
        delete_command(&atlas, None, &["--private-key-file", secret_path, &k1]),
        None,
    );
    assert_eq!(run.code, 2, "{run:?}");
    std::fs::remove_dir_all(dir).unwrap();
    assert!(atlas.has_key(ORG, &key(1)));
}

#[test]
fn api_flavour_and_host_choose_the_path() {
    let atlas = mock(1);
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "delete", "--api", "atlas-v2", "--host"])
        .arg(atlas.origin())
        .args(["--org", ORG, &key(0)]);
    let run = run_command(command, None);
    assert_eq!(run.code, 0, "{run:?}");
    let seen = atlas.recent_requests();
    let last = seen.last().unwrap();
    assert!(last.target.starts_with("/api/atlas/v2/orgs/"), "{seen:?}");
    assert_eq!(
        last.accept.as_deref(),
        Some("application/vnd.atlas.2023-01-01+json")
    );
}

#[test]
fn usage_errors_exit_2() {
    let atlas = mock(0);
    for args in [
        &["--concurrency", "0", "k"][..],
        &["--api", "atlas-v3", "k"],
        &["--output", "yaml", "k"],
        &[],
    ] {
        let run = delete(&atlas, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.starts_with("error:"), "{run:?}");
    }
    assert_eq!(atlas.stats().requests, 0);
}

#[test]
fn a_proxy_page_with_an_error_code_header_is_a_failure_and_not_exit_3() {
    // Not Atlas' JSON: only its header says API_KEY_NOT_FOUND, which any
    // proxy may send, so the keys are not reported missing, even with
    // --missing-ok, and the run goes on to the next key. The run's
    // listing (of no keys) goes through.
    let proxy = CannedServer::routed(&[
        (
            "GET ",
            (
                "200 OK",
                &["Content-Type: application/json"],
                r#"{"results":[],"totalCount":0}"#,
            ),
        ),
        (
            "DELETE ",
            (
                "400 Bad Request",
                &["Content-Type: text/html", "X-Error-Code: API_KEY_NOT_FOUND"],
                "<html><body><h1>400 Bad Request</h1></body></html>",
            ),
        ),
    ]);
    for extra in [&[][..], &["--missing-ok"]] {
        let mut command = command(Some(PRIVATE));
        command
            .args(["org-api-keys", "delete", "--concurrency", "1", "--base-url"])
            .arg(&proxy.base_url)
            .args(["--org", ORG, &key(0), &key(1)])
            .args(extra);
        let run = run_command(command, None);
        assert_eq!(run.code, 8, "{extra:?}: {run:?}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{run:?}");
        for (line, i) in lines.iter().zip(0..) {
            assert!(
                line.starts_with(&format!("failed {}: ", key(i))),
                "{extra:?}: {run:?}"
            );
            assert!(line.contains("the server at 127.0.0.1"), "{line}");
        }
    }
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "delete", "--output", "json", "--base-url"])
        .arg(&proxy.base_url)
        .args(["--org", ORG, &key(0)]);
    let run = run_command(command, None);
    assert_eq!(run.code, 8, "{run:?}");
    let (lines, summary) = run.results();
    // The code is shown as the server sent it; the outcome is the verdict.
    assert_eq!(lines[0]["outcome"], "failed");
    assert_eq!(lines[0]["error_code"], "API_KEY_NOT_FOUND");
    assert_eq!(lines[0]["http_status"], 400);
    assert_eq!(summary["summary"]["not_found"], 0);
    let deletes = proxy.requests();
    let deletes = deletes.iter().filter(|r| r.starts_with("DELETE "));
    assert_eq!(deletes.count(), 5, "every key was tried");
}

#[test]
fn a_path_atlas_does_not_serve_stops_the_run() {
    let atlas = mock(2);
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "delete", "--concurrency", "1", "--base-url"])
        .arg(format!("{}/typo", atlas.base_url()))
        .args(["--org", ORG, &key(0), &key(1)]);
    let run = run_command(command, None);
    assert_eq!(run.code, 8, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].contains("check the base URL"), "{run:?}");
    assert!(
        lines[1].starts_with(&format!("skipped {}: not attempted", key(1))),
        "{run:?}"
    );
    assert_eq!(remaining(&atlas, &keys(2)).len(), 2);
}
