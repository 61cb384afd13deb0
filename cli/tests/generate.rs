//! Completions, man pages and `--help`, all generated from the one clap
//! definition.

mod support;

use support::*;

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
    assert!(run.stdout.contains("Exit codes"), "{}", run.stdout);
    assert!(run.stdout.contains("org\\-api\\-keys"), "{}", run.stdout);

    let dir = temp_dir("man");
    let run = atlas_admin(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let delete = std::fs::read_to_string(dir.join("atlas-admin-org-api-keys-delete.1")).unwrap();
    for word in [
        "\\-\\-from\\-file",
        "\\-\\-private\\-key\\-file",
        "Exit codes",
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
        "Exit codes",
    ] {
        assert!(api.contains(word), "{word}: {api}");
    }
    assert!(delete.contains("\\-\\-envelope"), "{delete}");
    assert!(dir.join("atlas-admin.1").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn help_lists_every_exit_code() {
    for args in [
        &["--help"][..],
        &["org-api-keys", "delete", "--help"],
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
        assert_eq!(
            codes,
            ["0", "1", "2", "3", "4", "5", "6", "7", "8"],
            "{table}"
        );
    }
}
