//! Shell completions and man pages, generated from the same clap
//! definition that parses the command line, so they never drift from it.

use crate::args::Cli;
use clap::CommandFactory;
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

/// Writes the atlas-admin(1) man page to `out`.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    let mut page = Vec::new();
    // As generate_to does for the pages it writes, so this page lists only
    // subcommands that have one.
    let command = Cli::command().disable_help_subcommand(true);
    clap_mangen::Man::new(command).render(&mut page)?;
    out.write_all(&page)?;
    out.flush()
}

/// Writes atlas-admin.1 and a page for each subcommand (such as
/// atlas-admin-org-api-keys-delete.1) into `dir`.
pub fn man_pages(dir: &Path) -> io::Result<()> {
    clap_mangen::generate_to(Cli::command(), dir)
}
