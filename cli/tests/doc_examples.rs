//! Every command line the README and docs/*.md show, run through the
//! real thing: `atlas-admin` lines through the command line's own parser
//! (in process), `atlas-admin-mock` lines by starting the mock with those
//! flags. A flag or subcommand that does not exist (once, the README's
//! `atlas-admin-mock --strict-nc`) fails with the parser's or the mock's
//! own message, the file and the line.
//!
//! Lines are taken from fenced code blocks of shell (`sh`, `bash`,
//! `console`, ... or none; after a `$ ` prompt where the block has
//! prompts; `\` and trailing `|`/`&&` continue a line) and from inline
//! code spans that start with `atlas-admin `.

mod support;

use atlas_admin_cli::args::ORG_ID_VARIABLE;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use support::shell::{commands, subcommands};
use support::BIN;

/// How long the mock may take to print its URL (two busy cores).
const MOCK_START: Duration = Duration::from_secs(30);

/// A command line found in a document.
#[derive(Debug)]
struct Found {
    /// `README.md:575`: where its first word is.
    place: String,
    /// The words the program gets.
    words: Vec<String>,
    /// From an inline code span: a command named in prose, which may
    /// leave out what it requires (`atlas-admin man --dir DIR` is whole,
    /// `atlas-admin org-api-keys delete` is a name).
    inline: bool,
}

/// Which program a command line runs, and its arguments.
enum Program {
    Cli(Vec<String>),
    Mock(Vec<String>),
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .into()
}

/// README.md and every docs/*.md, as (name shown, path).
fn documents(root: &Path) -> Vec<(String, PathBuf)> {
    let mut found = vec![("README.md".to_owned(), root.join("README.md"))];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    for path in docs {
        let name = format!("docs/{}", path.file_name().unwrap().to_str().unwrap());
        found.push((name, path));
    }
    found
}

/// Info strings of fenced blocks that hold shell (none counts too).
const SHELL_BLOCKS: &[&str] = &["", "sh", "shell", "bash", "zsh", "console", "shell-session"];

/// The command lines of `text` (the document `name`) that run
/// `atlas-admin` or the mock, in order, or the
/// places whose shell does not split (an unterminated quote).
fn command_lines(name: &str, text: &str) -> Result<Vec<Found>, Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        let Some(fence) = fence else {
            for words in inline_commands(lines[i]) {
                found.push(Found {
                    place: format!("{name}:{}", i + 1),
                    words,
                    inline: true,
                });
            }
            i += 1;
            continue;
        };
        let indent = lines[i].len() - trimmed.len();
        let info = trimmed
            .trim_start_matches(fence)
            .trim()
            .to_ascii_lowercase();
        let language = info.split_whitespace().next().unwrap_or("");
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].trim_start().starts_with(fence) {
            end += 1;
        }
        if SHELL_BLOCKS.contains(&language) {
            let block: Vec<&str> = lines[start..end]
                .iter()
                .map(|line| line.get(indent..).unwrap_or(line.trim_start()))
                .collect();
            for (first, script) in logical_lines(&block) {
                if !script.contains("atlas-admin") {
                    continue;
                }
                match commands(&script) {
                    Ok(words) => {
                        found.extend(words.into_iter().filter(|w| program(w).is_some()).map(
                            |words| Found {
                                place: format!(
                                    "{name}:{}",
                                    start + first + line_of(&script, &words) + 1
                                ),
                                words,
                                inline: false,
                            },
                        ))
                    }
                    Err(e) => errors.push(format!("{name}:{}: {e}", start + first + 1)),
                }
            }
        }
        i = end + 1;
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// The commands of `block` as a shell reads them, each with the index of
/// its first line: a line ending in `\`, `|`, `&&` or `||` goes on on the
/// next. In a block with `$ ` prompts, only prompted lines (and their
/// continuations) are commands; the rest is their output.
fn logical_lines(block: &[&str]) -> Vec<(usize, String)> {
    let prompted = block.iter().any(|line| line.starts_with("$ "));
    let mut found = Vec::new();
    let mut i = 0;
    while i < block.len() {
        let first = i;
        let line = block[i];
        i += 1;
        let mut script = match (prompted, line.strip_prefix("$ ")) {
            (true, None) => continue,
            (_, Some(command)) => command.to_owned(),
            (false, None) => line.to_owned(),
        };
        while i < block.len() && goes_on(&script) {
            script.push('\n');
            script.push_str(block[i]);
            i += 1;
        }
        found.push((first, script));
    }
    found
}

fn goes_on(script: &str) -> bool {
    let end = script.trim_end();
    script.ends_with('\\') || end.ends_with('|') || end.ends_with("&&")
}

/// Which line of `script` (from 0) holds the start of `words`.
fn line_of(script: &str, words: &[String]) -> usize {
    script
        .lines()
        .position(|line| line.split_whitespace().any(|w| w == words[0]))
        .unwrap_or(0)
}

/// The `atlas-admin ...` commands in the inline code spans of `line`;
/// spans with an elision (`atlas-admin ...`) are names, not commands.
fn inline_commands(line: &str) -> Vec<Vec<String>> {
    let spans = line.split('`').skip(1).step_by(2);
    spans
        .filter(|span| span.starts_with("atlas-admin ") || span.starts_with("atlas-admin-mock "))
        .filter(|span| !span.contains("..."))
        .filter_map(|span| commands(span).ok())
        .filter_map(|words| words.into_iter().next())
        .filter(|words| program(words).is_some())
        .collect()
}

/// The program `words` run: `atlas-admin`, `atlas-admin-mock` (by any
/// path), or either through `cargo run -p PACKAGE [--bin NAME] -- ...`.
fn program(words: &[String]) -> Option<Program> {
    let name = |word: &str| word.rsplit('/').next().unwrap_or(word).to_owned();
    let rest = |from: usize| words[from..].to_vec();
    match name(&words[0]).as_str() {
        "atlas-admin" => return Some(Program::Cli(rest(1))),
        "atlas-admin-mock" => return Some(Program::Mock(rest(1))),
        _ => {}
    }
    if words[0] != "cargo" || words.get(1).map(String::as_str) != Some("run") {
        return None;
    }
    let dashes = words.iter().position(|w| w == "--").unwrap_or(words.len());
    let options = &words[2..dashes];
    let named = |flags: &[&str], value: &str| {
        options
            .windows(2)
            .any(|pair| flags.contains(&pair[0].as_str()) && pair[1] == value)
    };
    let after = words
        .get(dashes + 1..)
        .map(<[String]>::to_vec)
        .unwrap_or_default();
    if named(&["-p", "--package", "--bin"], "atlas-admin-mock") {
        Some(Program::Mock(after))
    } else if named(&["-p", "--package"], "atlas-admin-cli") || named(&["--bin"], "atlas-admin") {
        Some(Program::Cli(after))
    } else {
        None
    }
}

/// A value a reader replaces: `$KEY`, `ORG_ID`, `N`, `<file>`.
fn is_placeholder(value: &str) -> bool {
    value.starts_with('$')
        || value.starts_with('`')
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with(|c: char| c.is_ascii_uppercase())
            && value
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

/// `atlas-admin` with `args`, parsed as the binary parses them: `Err`
/// holds clap's own message.
fn check_cli(args: &[String], inline: bool) -> Result<(), String> {
    let mut words = vec!["atlas-admin".to_owned()];
    words.extend_from_slice(args);
    let error = match subcommands(&words) {
        Ok(_) => return Ok(()),
        Err(error) => error,
    };
    // `--org` left out: the docs' shell has MONGODB_ATLAS_ORG_ID exported
    // (the quick starts say so, `make mock` prints it), which clap reads
    // for it; this process has not, so the line is checked with the value.
    let missing_only_org = error.kind() == ErrorKind::MissingRequiredArgument
        && matches!(error.get(ContextKind::InvalidArg),
            Some(ContextValue::Strings(missing)) if missing.iter().all(|a| a.starts_with("--org ")));
    if missing_only_org && !args.iter().any(|a| a == "--org") {
        let mut with_org = args.to_vec();
        with_org.extend(["--org".to_owned(), format!("${ORG_ID_VARIABLE}")]);
        return check_cli(&with_org, inline);
    }
    let fine = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => true,
        ErrorKind::MissingRequiredArgument
        | ErrorKind::MissingSubcommand
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => inline,
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => matches!(
            error.get(ContextKind::InvalidValue),
            Some(ContextValue::String(value)) if is_placeholder(value)
        ),
        _ => false,
    };
    if fine {
        Ok(())
    } else {
        Err(error.render().to_string())
    }
}

/// The mock binary, built beside `atlas-admin` by the workspace build
/// (`make build`, `cargo test --workspace`).
fn mock_binary() -> PathBuf {
    let path = Path::new(BIN).with_file_name("atlas-admin-mock");
    assert!(
        path.exists(),
        "{} is not built: run `cargo build --release --workspace` (make build) first",
        path.display()
    );
    path
}

/// `atlas-admin-mock` started with `args` (on a free port whatever the
/// line says), from the repository's root: `Ok` once it printed its URL
/// (or its usage, for `--help`), `Err` with its standard error otherwise.
fn check_mock(args: &[String]) -> Result<(), String> {
    let mut args = args.to_vec();
    if let Some(at) = args.iter().position(|a| a == "--port") {
        args.drain(at..(at + 2).min(args.len()));
    }
    let help = args.iter().any(|a| a == "--help" || a == "-h");
    if !help {
        args.extend(["--port".to_owned(), "0".to_owned()]);
    }
    let mut child = Command::new(mock_binary())
        .args(&args)
        .current_dir(repository())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the mock: {e}"))?;
    let stdout = child.stdout.take().unwrap();
    let (send, first_line) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    let line = first_line.recv_timeout(MOCK_START).unwrap_or_default();
    let started = if help {
        line.starts_with("Usage: atlas-admin-mock")
    } else {
        line.starts_with("http://127.0.0.1:")
    };
    let _ = child.kill();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    if started {
        return Ok(());
    }
    // Its usage follows the reason; the reason is what matters here.
    let reason = stderr.split("\n\nUsage:").next().unwrap_or_default();
    Err(format!(
        "the mock did not start ({status}; first line {line:?}):\n{}",
        if reason.is_empty() {
            "(nothing on standard error)"
        } else {
            reason
        }
    ))
}

/// Every command of `found` checked; one message per failure.
fn check(found: &[Found]) -> Vec<String> {
    found
        .iter()
        .filter_map(|f| {
            let result = match program(&f.words)? {
                Program::Cli(args) => check_cli(&args, f.inline),
                Program::Mock(args) => check_mock(&args),
            };
            let command = f.words.join(" ");
            result
                .err()
                .map(|e| format!("{}: `{command}`:\n{}", f.place, e.trim_end()))
        })
        .collect()
}

#[test]
fn every_command_line_in_the_docs_runs() {
    let root = repository();
    let (mut failures, mut checked) = (Vec::new(), Vec::new());
    for (name, path) in documents(&root) {
        let text = std::fs::read_to_string(&path).unwrap();
        match command_lines(&name, &text) {
            Ok(found) => {
                failures.extend(check(&found));
                checked.extend(found);
            }
            Err(errors) => failures.extend(errors),
        }
    }
    for f in &checked {
        eprintln!("{}: {}", f.place, f.words.join(" "));
    }
    assert!(
        failures.is_empty(),
        "{} of {} command lines in the docs fail:\n\n{}",
        failures.len(),
        checked.len(),
        failures.join("\n\n")
    );
    // The README shows both programs; finding none means the finder broke.
    let shown = |mock: bool| {
        checked
            .iter()
            .filter(|f| matches!(program(&f.words), Some(Program::Mock(_))) == mock)
            .count()
    };
    assert!(shown(false) >= 5 && shown(true) >= 1, "{checked:#?}");
}

#[test]
fn a_line_that_does_not_exist_fails_with_its_place_and_the_reason() {
    let doc = "\
Intro `atlas-admin org-api-keys delete` and `atlas-admin ...`.

```console
$ atlas-admin-mock --strict-nc exact
http://127.0.0.1:1234/api/atlas/v1.0
$ atlas-admin org-api-keys delete --org ORG_ID \\
    --verfy \"$KEY\" 2>&1 | tee out.txt
```

```sh
jq -r '.key' report.jsonl |
  atlas-admin org-api-keys delete --org $ORG --from-file - --concurrency N
cargo run --release -p atlas-admin-mock -- --port 8080 --nc-check exact
```

| `atlas-admin org-api-keys lisst` | a table |
";
    let found = command_lines("scratch.md", doc).unwrap();
    let places: Vec<(&str, String)> = found
        .iter()
        .map(|f| (f.place.as_str(), f.words.join(" ")))
        .collect();
    assert_eq!(
        places,
        [
            ("scratch.md:1", "atlas-admin org-api-keys delete"),
            ("scratch.md:4", "atlas-admin-mock --strict-nc exact"),
            (
                "scratch.md:6",
                "atlas-admin org-api-keys delete --org ORG_ID --verfy $KEY"
            ),
            (
                "scratch.md:12",
                "atlas-admin org-api-keys delete --org $ORG --from-file - --concurrency N"
            ),
            (
                "scratch.md:13",
                "cargo run --release -p atlas-admin-mock -- --port 8080 --nc-check exact"
            ),
            ("scratch.md:16", "atlas-admin org-api-keys lisst"),
        ]
        .map(|(p, c)| (p, c.to_owned()))
    );
    let failures = check(&found);
    assert_eq!(failures.len(), 3, "{failures:#?}");
    let expect = [
        (
            "scratch.md:4: `atlas-admin-mock --strict-nc exact`",
            "unknown option \"--strict-nc\"",
        ),
        (
            "scratch.md:6: `atlas-admin org-api-keys delete",
            "unexpected argument '--verfy'",
        ),
        (
            "scratch.md:16: `atlas-admin org-api-keys lisst`",
            "unrecognized subcommand 'lisst'",
        ),
    ];
    for (failure, (place, reason)) in failures.iter().zip(expect) {
        assert!(
            failure.starts_with(place) && failure.contains(reason),
            "{failure}"
        );
    }
    // An unterminated quote is a broken example too.
    let broken = command_lines("broken.md", "```sh\natlas-admin api GET '/orgs\n```\n");
    assert!(broken.is_err_and(|e| e[0].starts_with("broken.md:2: an unterminated '")),);
}
