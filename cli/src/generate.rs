//! Shell completions and man pages, generated from the same clap
//! definition that parses the command line, so they never drift from it.

use crate::args::Cli;
use crate::man;
use clap::{Command, CommandFactory};
use clap_complete::Shell;
use std::io::{self, Write};
use std::path::Path;

/// The program's name as shells and man know it.
const BIN_NAME: &str = "atlas-admin";

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    // clap_complete panics when its writer fails (a closed pipe); a buffer
    // never does, and the real write below reports its error instead.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN_NAME, &mut script);
    out.write_all(&script)?;
    out.flush()
}

/// The command line as its man pages see it: built, so that each
/// subcommand knows its page's name (`atlas-admin-org-api-keys-delete`),
/// and without clap's `help` subcommand, which has no page.
fn man_command() -> Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// Writes the atlas-admin(1) man page to `out`.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&man::page(&man_command(), &[])?)?;
    out.flush()
}

/// Writes atlas-admin.1 and a page for each subcommand (such as
/// atlas-admin-org-api-keys-delete.1) into `dir`.
pub fn man_pages(dir: &Path) -> io::Result<()> {
    man::write_pages(&man_command(), &[], dir)
}
