//! The `atlas-admin` command line as a library: [`run`] takes the
//! arguments and the streams, and returns the exit code. The binary is a
//! one-line `main`; the Python package can call [`run`] from its extension
//! to offer the same command as a console script, without a second
//! implementation.
//!
//! ```no_run
//! let exit = atlas_admin_cli::run(
//!     ["atlas-admin", "org-api-keys", "delete", "--org", "5f1a2b3c4d5e6f7a8b9c0d1e",
//!      "6a1b2c3d4e5f6a7b8c9d0e1f"],
//!     atlas_admin_cli::Console::process(),
//! );
//! std::process::exit(exit.code().into());
//! ```

#![warn(missing_docs)]

mod access_list;
mod api;
pub mod args;
mod client;
mod create;
mod data;
mod date;
mod delete;
mod deleter;
mod examples;
pub mod exit;
mod generate;
mod interrupt;
mod keys;
mod man;
mod output;
mod private_key_out;
mod progress;
mod rate;
mod record;
mod report;
mod resolve;
mod rotate;
mod text;
mod view;

pub use exit::Exit;

use args::{AccessList, Cli, Command, OrgApiKeys};
use atlas_admin::SystemClock;
use clap::Parser;
use std::ffi::OsString;
use std::io::{self, BufRead, IsTerminal, Write};

/// The streams a run reads and writes, and whether they are terminals.
///
/// All output is written from the thread that called [`run`]; workers
/// only send results to it. The progress bar is the exception: when
/// `stderr_is_terminal` is set, it is drawn on the process's own standard
/// error (file descriptor 2), since only a real terminal can show it.
pub struct Console<'a> {
    /// Read for `--from-file -` and `--data @-`.
    pub stdin: Box<dyn BufRead + 'a>,
    /// Results, answers, completions, the man page, `--help`.
    pub stdout: Box<dyn Write + 'a>,
    /// Errors and usage messages.
    pub stderr: Box<dyn Write + 'a>,
    /// Colour `--help`, and indent the JSON that `api` prints.
    pub stdout_is_terminal: bool,
    /// Colour errors, and show a progress bar for runs of more than a
    /// handful of keys.
    pub stderr_is_terminal: bool,
}

impl Console<'static> {
    /// The process's own standard streams.
    pub fn process() -> Self {
        Console {
            stdin: Box::new(io::stdin().lock()),
            // Not locked: the progress bar draws on stderr from a thread of
            // its own, which a held lock would block forever.
            stdout: Box::new(io::stdout()),
            stderr: Box::new(io::stderr()),
            stdout_is_terminal: io::stdout().is_terminal(),
            stderr_is_terminal: io::stderr().is_terminal(),
        }
    }
}

/// Runs the command line `args` (the program name first) on `console`.
pub fn run<I, T>(args: I, mut console: Console<'_>) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(mut error) => {
            name_org_variable(&mut error);
            return usage(&error, &mut console);
        }
    };
    let call = cli.call.options();
    let console = &mut console;
    let done = match cli.command {
        Command::OrgApiKeys(command) => return org_api_keys(command, call, console),
        Command::Api(args) => return api::run(&args, call, console),
        Command::Completions { shell } => generate::completions(shell, &mut console.stdout),
        Command::Man { dir: None } => generate::man_page(&mut console.stdout),
        Command::Man { dir: Some(dir) } => generate::man_pages(&dir),
    };
    match done {
        Ok(()) => Exit::Success,
        Err(e) => fail(console, &e.to_string()),
    }
}

/// Runs an `org-api-keys` subcommand.
fn org_api_keys(
    command: OrgApiKeys,
    call: atlas_admin::CallOptions,
    console: &mut Console<'_>,
) -> Exit {
    match command {
        OrgApiKeys::List(args) => view::list(&args, call, console),
        OrgApiKeys::Get(args) => view::get(&args, call, console),
        OrgApiKeys::Create(args) => create::run(&args, call, console),
        OrgApiKeys::Update(args) => view::update(&args, call, console),
        OrgApiKeys::Rotate(args) => rotate::run(&args, call, console, &SystemClock),
        OrgApiKeys::AccessList(AccessList::List(args)) => access_list::list(&args, call, console),
        OrgApiKeys::AccessList(AccessList::Add(args)) => access_list::add(&args, call, console),
        OrgApiKeys::AccessList(AccessList::Delete(args)) => {
            access_list::delete(&args, call, console)
        }
        OrgApiKeys::Delete(args) => delete::run(&args, call, console),
    }
}

/// A missing or empty `--org` is a missing `MONGODB_ATLAS_ORG_ID` too,
/// which clap's message does not say: a tip under it does.
fn name_org_variable(error: &mut clap::Error) {
    use clap::error::{ContextKind, ContextValue};
    let is_org = |arg: &String| arg.starts_with("--org ");
    let about_org = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::Strings(args)) => args.iter().any(is_org),
        Some(ContextValue::String(arg)) => is_org(arg),
        _ => false,
    };
    if about_org {
        let tip = format!("pass --org ORG_ID, or set {}", args::ORG_ID_VARIABLE);
        error.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![tip.into()]),
        );
    }
}

/// Prints clap's message (help and version to stdout, errors to stderr).
fn usage(error: &clap::Error, console: &mut Console<'_>) -> Exit {
    let (out, terminal) = if error.use_stderr() {
        (&mut console.stderr, console.stderr_is_terminal)
    } else {
        (&mut console.stdout, console.stdout_is_terminal)
    };
    let rendered = error.render();
    let _ = if terminal {
        write!(out, "{}", rendered.ansi())
    } else {
        write!(out, "{rendered}")
    };
    let _ = out.flush();
    if error.exit_code() == 0 {
        Exit::Success
    } else {
        Exit::Usage
    }
}

/// Reports a command line that clap accepted but that cannot work, before
/// anything is done.
fn usage_error(console: &mut Console<'_>, message: &str) -> Exit {
    let _ = writeln!(console.stderr, "{}", output::error_line(message));
    let _ = console.stderr.flush();
    Exit::Usage
}

/// Reports a failure that stopped the run before (or instead of) its work.
fn fail(console: &mut Console<'_>, message: &str) -> Exit {
    let _ = writeln!(console.stderr, "{}", output::error_line(message));
    let _ = console.stderr.flush();
    Exit::Setup
}
