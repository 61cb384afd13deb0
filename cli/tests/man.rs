//! The man pages as `atlas-admin man --dir` writes them: their sections,
//! the exit codes as EXIT STATUS, examples that the command line's own
//! parser accepts, and roff that groff renders without a warning.

mod support;

use atlas_admin_cli::Exit;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::shell::{atlas_admin_lines, subcommands};
use support::*;

/// Every page `atlas-admin man --dir` writes, by file name.
fn pages() -> BTreeMap<String, String> {
    let dir = temp_dir("man-pages");
    let mut command = command(None);
    command.args(["man", "--dir", dir.to_str().unwrap()]);
    let run = run_command(command, None);
    assert_eq!(run.code, 0, "{run:?}");
    let pages = read_pages(&dir);
    std::fs::remove_dir_all(dir).unwrap();
    pages
}

fn read_pages(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The `.SH` headings of `page`, in order, quotes removed.
fn headings(page: &str) -> Vec<String> {
    page.lines()
        .filter_map(|line| line.strip_prefix(".SH "))
        .map(|heading| heading.trim_matches('"').to_owned())
        .collect()
}

/// The lines of section `heading` of `page` (up to the next `.SH`).
fn section<'p>(page: &'p str, heading: &str) -> Vec<&'p str> {
    page.lines()
        .skip_while(|line| line.strip_prefix(".SH ").map(|h| h.trim_matches('"')) != Some(heading))
        .skip(1)
        .take_while(|line| !line.starts_with(".SH "))
        .collect()
}

/// Text of a roff text line as a reader sees it: escapes undone, font
/// changes dropped.
fn unroff(line: &str) -> String {
    let mut text = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('-') => text.push('-'),
            Some('\\') | Some('e') => text.push('\\'),
            Some('&') => {}
            Some('f') => {
                chars.next();
            }
            Some('*') => {
                let name: String = chars.by_ref().take(3).collect();
                assert_eq!(name, "(Aq", "an unknown string in {line:?}");
                text.push('\'');
            }
            other => panic!("an unknown escape \\{other:?} in {line:?}"),
        }
    }
    text
}

/// Each example of `page`: the unfilled lines of its EXAMPLES section
/// between `.nf` and `.fi`, as a reader would copy them.
fn examples(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut lines = section(page, "EXAMPLES").into_iter();
    while lines.any(|line| line == ".nf") {
        let block: Vec<String> = lines
            .by_ref()
            .take_while(|line| *line != ".fi")
            .map(unroff)
            .collect();
        found.push(block.join("\n"));
    }
    found
}

#[test]
fn the_shell_splitter_reads_quotes_pipes_and_continued_lines() {
    let script = "jq -r 'a | \"b\"'\n  x.json |\n  atlas-admin x \"a b\" \\\n  c\\ d > out.txt";
    assert_eq!(
        atlas_admin_lines(script),
        vec![["atlas-admin", "x", "a b", "c d"]
            .map(String::from)
            .to_vec()]
    );
    assert_eq!(
        unroff(r"\fBa\fR\-\-b \*(Aqc\*(Aq \\ \&.d"),
        "a--b 'c' \\ .d"
    );
}

#[test]
fn every_page_has_its_sections_in_order_and_no_extra() {
    let pages = pages();
    assert_eq!(pages.len(), 15, "{:?}", pages.keys());
    // Pages of commands that do something; not those of groups of them
    // (org-api-keys, access-list) nor completions and man.
    let with_exit_status = [
        "atlas-admin.1",
        "atlas-admin-api.1",
        "atlas-admin-org-api-keys-list.1",
        "atlas-admin-org-api-keys-get.1",
        "atlas-admin-org-api-keys-create.1",
        "atlas-admin-org-api-keys-update.1",
        "atlas-admin-org-api-keys-rotate.1",
        "atlas-admin-org-api-keys-delete.1",
        "atlas-admin-org-api-keys-access-list-list.1",
        "atlas-admin-org-api-keys-access-list-add.1",
        "atlas-admin-org-api-keys-access-list-delete.1",
    ];
    let examples_shown = BTreeMap::from([
        ("atlas-admin.1", 6),
        ("atlas-admin-org-api-keys.1", 5),
        ("atlas-admin-org-api-keys-delete.1", 3),
        ("atlas-admin-org-api-keys-create.1", 1),
        ("atlas-admin-org-api-keys-rotate.1", 1),
        ("atlas-admin-api.1", 1),
    ]);
    // Sections in order; the options' (clap's help headings) in any.
    let order: &[&[&str]] = &[
        &["NAME"],
        &["SYNOPSIS"],
        &["DESCRIPTION"],
        &["OPTIONS", "CALL OPTIONS", "CONNECTION"],
        &["SUBCOMMANDS"],
        &["EXIT STATUS"],
        &["EXAMPLES"],
        &["SEE ALSO"],
        &["VERSION"],
    ];
    for (name, page) in &pages {
        assert!(page.contains(".TH atlas-admin"), "{name}: {page}");
        assert!(
            !page.contains("Exit codes"),
            "{name} shows --help's table: {page}"
        );
        let headings = headings(page);
        let positions: Vec<usize> = headings
            .iter()
            .map(|h| {
                order
                    .iter()
                    .position(|o| o.contains(&h.as_str()))
                    .unwrap_or_else(|| panic!("{name}: section {h:?}"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] <= w[1]),
            "{name}: {headings:?}"
        );
        let mut unique = headings.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), headings.len(), "{name}: {headings:?}");
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "VERSION"] {
            assert!(
                headings.iter().any(|h| h == heading),
                "{name}: {headings:?}"
            );
        }
        let has = |heading| headings.iter().any(|h| h == heading);
        assert_eq!(
            has("EXIT STATUS"),
            with_exit_status.contains(&name.as_str()),
            "{name}: {headings:?}"
        );
        assert_eq!(
            examples(page).len(),
            examples_shown.get(name.as_str()).copied().unwrap_or(0),
            "{name}"
        );
        assert_eq!(
            has("SEE ALSO"),
            name != "atlas-admin.1",
            "{name}: {headings:?}"
        );
    }
    let see_also = section(
        &pages["atlas-admin-org-api-keys-access-list-add.1"],
        "SEE ALSO",
    );
    assert_eq!(
        see_also.iter().map(|l| unroff(l)).collect::<Vec<_>>(),
        ["atlas-admin-org-api-keys-access-list(1)"]
    );
}

#[test]
fn exit_status_has_a_tagged_paragraph_per_code_from_the_one_table() {
    let pages = pages();
    for name in ["atlas-admin.1", "atlas-admin-org-api-keys-delete.1"] {
        let lines = section(&pages[name], "EXIT STATUS");
        let mut paragraphs = Vec::new();
        let mut rest = lines.iter();
        while rest.any(|line| *line == ".TP") {
            let tag = unroff(rest.next().expect("a tag"));
            let text = unroff(rest.next().expect("a paragraph"));
            paragraphs.push((tag, text));
        }
        let table: Vec<(String, String)> = Exit::ALL
            .iter()
            .map(|e| (e.code().to_string(), e.meaning().to_owned()))
            .collect();
        assert_eq!(paragraphs, table, "{name}");
        assert!(
            lines.iter().any(|l| l.contains(r"\fB130\fR")),
            "codes are bold: {lines:?}"
        );
    }
}

#[test]
fn every_example_is_a_command_line_the_parser_accepts() {
    let pages = pages();
    let mut parsed = 0;
    for (name, page) in &pages {
        // The page of `atlas-admin org-api-keys delete` shows commands of
        // that path; atlas-admin.1 any.
        // Page names join subcommands with '-', as do some subcommand
        // names: the joined forms are compared.
        let page_path = name
            .trim_end_matches(".1")
            .trim_start_matches("atlas-admin")
            .trim_start_matches('-');
        for example in examples(page) {
            let lines = atlas_admin_lines(&example);
            assert!(!lines.is_empty(), "{name}: no atlas-admin in {example:?}");
            for words in lines {
                let path = subcommands(&words)
                    .unwrap_or_else(|e| panic!("{name}: {words:?} does not parse:\n{e}"));
                assert!(
                    path.join("-").starts_with(page_path),
                    "{name} shows {words:?}"
                );
                parsed += 1;
            }
        }
    }
    // Each example on its own page, on each page above it and on
    // atlas-admin.1: 6 + 5 + 3 + 1 + 1 + 1.
    assert_eq!(parsed, 17);

    // The check can fail: a line the parser refuses is caught.
    let wrong = "atlas-admin org-api-keys delete --org 5f1a2b3c4d5e6f7a8b9c0d1e \\\n  --verfy k";
    let words = &atlas_admin_lines(wrong)[0];
    assert!(subcommands(words).is_err(), "{words:?}");
}

#[test]
fn groff_renders_every_page_without_a_warning() {
    if Command::new("groff").arg("--version").output().is_err() {
        eprintln!("groff is not installed (Debian: groff-base): man pages not rendered");
        return;
    }
    let dir = temp_dir("man-groff");
    let mut command = command(None);
    command.args(["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(run_command(command, None).code, 0);
    let mut rendered = 0;
    for name in read_pages(&dir).keys() {
        let file = dir.join(name);
        // -ww: every warning; -z: no output, only the checks.
        let check = Command::new("groff")
            .args(["-ww", "-z", "-man", "-Tutf8"])
            .arg(&file)
            .output()
            .unwrap();
        let warnings = String::from_utf8_lossy(&check.stderr);
        assert!(
            check.status.success() && warnings.is_empty(),
            "{name}: {warnings}"
        );
        // As man shows it: plain text (-P-cbou: no escapes, overstrikes).
        let shown = Command::new("groff")
            .args(["-man", "-Tutf8", "-P-cbou"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(shown.status.success(), "{name}");
        let text = String::from_utf8(shown.stdout).unwrap();
        assert!(!text.contains("EXTRA"), "{name}: {text}");
        if name == "atlas-admin-org-api-keys-delete.1" {
            for expected in [
                "EXIT STATUS",
                "       130    delete interrupted by SIGINT",
                "EXAMPLES",
                "           atlas-admin org-api-keys delete --org 5f1a2b3c4d5e6f7a8b9c0d1e \\",
                "               abcdefgh --verify",
                "--allow-self",
            ] {
                assert!(
                    text.contains(expected),
                    "{name} lacks {expected:?}:\n{text}"
                );
            }
        }
        rendered += 1;
    }
    assert_eq!(rendered, 15);
    std::fs::remove_dir_all(dir).unwrap();
}
