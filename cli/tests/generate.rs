//! Completions, man pages and `--help`, all generated from the one clap
//! definition.

mod support;

use atlas_admin_cli::Exit;
use support::*;

/// Where a man page's exit codes begin.
const EXIT_STATUS: &str = ".SH \"EXIT STATUS\"";

fn atlas_admin(args: &[&str]) -> Run {
    let mut command = command(None);
    command.args(args);
    run_command(command, None)
}

#[test]
fn completions_cover_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let run = atlas_admin(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        for word in [
            "org-api-keys",
            "from-file",
            "missing-ok",
            "private-key-file",
            "api-version",
            "envelope",
            "pretty",
            "private-key-out",
            "delete-old",
            "access-list",
            "dry-run",
            "allow-self",
            "verify",
        ] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(atlas_admin(&["completions", "tcsh"]).code, 2);
}

#[test]
fn the_man_page_is_roff_with_the_exit_codes() {
    let run = atlas_admin(&["man"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains(".TH atlas-admin 1"), "{}", run.stdout);
    assert!(run.stdout.contains(".SH NAME"), "{}", run.stdout);
    assert!(run.stdout.contains(EXIT_STATUS), "{}", run.stdout);
    assert!(run.stdout.contains("org\\-api\\-keys"), "{}", run.stdout);

    let dir = temp_dir("man");
    let run = atlas_admin(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let delete = std::fs::read_to_string(dir.join("atlas-admin-org-api-keys-delete.1")).unwrap();
    for word in [
        "\\-\\-from\\-file",
        "\\-\\-private\\-key\\-file",
        EXIT_STATUS,
    ] {
        assert!(delete.contains(word), "{word}: {delete}");
    }
    let api = std::fs::read_to_string(dir.join("atlas-admin-api.1")).unwrap();
    for word in [
        "\\-\\-data",
        "\\-\\-query",
        "\\-\\-api\\-version",
        "\\-\\-pretty",
        "\\-\\-base\\-url",
        EXIT_STATUS,
    ] {
        assert!(api.contains(word), "{word}: {api}");
    }
    assert!(delete.contains("\\-\\-envelope"), "{delete}");
    for (page, words) in [
        ("list", &["\\-\\-org", "\\-\\-output"][..]),
        ("get", &["KEY"]),
        (
            "create",
            &["\\-\\-private\\-key\\-out", "0600", "ORG_READ_ONLY"],
        ),
        ("update", &["\\-\\-desc", "\\-\\-role"]),
        (
            "rotate",
            &["\\-\\-delete\\-old", "\\-\\-private\\-key\\-out"],
        ),
        ("access-list-add", &["IP|CIDR"]),
        ("access-list-delete", &["IP|CIDR"]),
        ("access-list-list", &["KEY"]),
        (
            "delete",
            &[
                "\\-\\-dry\\-run",
                "\\-\\-verify",
                "\\-\\-allow\\-self",
                "service account",
            ],
        ),
    ] {
        let file = dir.join(format!("atlas-admin-org-api-keys-{page}.1"));
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        for word in words.iter().chain(&[EXIT_STATUS, "\\-\\-base\\-url"]) {
            assert!(text.contains(word), "{page} lacks {word}: {text}");
        }
    }
    assert!(dir.join("atlas-admin.1").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn help_lists_every_exit_code() {
    let expected: Vec<String> = Exit::ALL.iter().map(|e| e.code().to_string()).collect();
    assert_eq!(expected.len(), 14);
    for args in [
        &["--help"][..],
        &["org-api-keys", "delete", "--help"],
        &["org-api-keys", "list", "--help"],
        &["org-api-keys", "get", "--help"],
        &["org-api-keys", "create", "--help"],
        &["org-api-keys", "update", "--help"],
        &["org-api-keys", "rotate", "--help"],
        &["org-api-keys", "access-list", "add", "--help"],
        &["api", "--help"],
    ] {
        let run = atlas_admin(args);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stderr, "");
        let table = run.stdout.split("Exit codes:\n").nth(1).expect("a table");
        let codes: Vec<&str> = table
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        assert_eq!(codes, expected, "{args:?}: {table}");
    }
}

#[test]
fn the_docs_have_the_same_exit_code_table() {
    let section = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/command-line.md"
    ))
    .expect("docs/command-line.md");
    let rows: Vec<(String, String)> = section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            match cells.as_slice() {
                ["", code, meaning, ""] if code.parse::<u8>().is_ok() => {
                    Some((code.to_string(), meaning.replace('`', "")))
                }
                _ => None,
            }
        })
        .collect();
    let help: Vec<(String, String)> = Exit::ALL
        .iter()
        .map(|e| (e.code().to_string(), e.meaning().to_owned()))
        .collect();
    assert_eq!(
        rows, help,
        "docs/command-line.md's exit codes differ from --help's"
    );
}
