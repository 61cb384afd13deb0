//! The man pages, atlas-admin(1) and one per subcommand: clap_mangen's
//! sections of each command (title, name, synopsis, description, options,
//! subcommands, version), then sections of our own written with roff:
//! EXIT STATUS, from the one table in exit.rs, EXAMPLES and SEE ALSO.
//!
//! Not clap_mangen's whole page: it would print `--help`'s exit-code
//! table (clap's `after_help`) as an EXTRA section, one unwrapped line
//! per code; here each code is a tagged paragraph that man fills and
//! indents.

use crate::examples::{self, Example};
use crate::exit::{self, Exit};
use clap::Command;
use clap_mangen::Man;
use roff::{bold, roman, Roff};
use std::io::{self, Write};
use std::path::Path;

/// A section of clap_mangen's, written by one of its `render_*` methods.
type Section = fn(&Man, &mut dyn Write) -> io::Result<()>;

/// The page of `command`, which `path` names below atlas-admin (empty for
/// atlas-admin itself).
pub fn page(command: &Command, path: &[&str]) -> io::Result<Vec<u8>> {
    // The footer names the program and its version, on every page.
    let program = command
        .get_bin_name()
        .and_then(|name| name.split(' ').next())
        .unwrap_or_else(|| command.get_name());
    let version = command.get_version().unwrap_or_default();
    let man = Man::new(command.clone()).source(format!("{program} {version}"));
    let mut sections: Vec<Section> = vec![
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
    ];
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        sections.push(Man::render_options_section);
    }
    if command.get_subcommands().any(|c| !c.is_hide_set()) {
        sections.push(Man::render_subcommands_section);
    }
    let mut page = Page::default();
    for (index, section) in sections.into_iter().enumerate() {
        let mut text = Vec::new();
        section(&man, &mut text)?;
        page.push(&text);
        if index == 0 {
            // After the title, for the whole page: no hyphenation, which
            // would break option names (--al-low-self) where a reader
            // copies them, and a ragged right margin instead of spaces
            // stretched to fill lines.
            page.push(
                Roff::new()
                    .control("nh", [])
                    .control("ad", ["l"])
                    .render()
                    .as_bytes(),
            );
        }
    }
    let mut own = Roff::new();
    if shows_exit_codes(command) {
        exit_status(&mut own);
    }
    let shown: Vec<&Example> = examples::for_page(path).collect();
    if !shown.is_empty() {
        examples_section(&mut own, &shown);
    }
    if let Some((_, parents)) = path.split_last() {
        see_also(&mut own, parents);
    }
    page.push(own.render().as_bytes());
    if command.get_version().is_some() {
        let mut text = Vec::new();
        man.render_version_section(&mut text)?;
        page.push(&text);
    }
    Ok(page.text)
}

/// Writes the page of `command`, named by `path`, and those of its
/// subcommands into `dir`, as clap_mangen's `generate_to` names them
/// (`atlas-admin-org-api-keys-delete.1`).
pub fn write_pages(command: &Command, path: &[&str], dir: &Path) -> io::Result<()> {
    let name = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name());
    let mut file = std::fs::File::create(dir.join(format!("{name}.1")))?;
    file.write_all(&page(command, path)?)?;
    file.flush()?;
    for sub in command.get_subcommands().filter(|c| !c.is_hide_set()) {
        let mut below = path.to_vec();
        below.push(sub.get_name());
        write_pages(sub, &below, dir)?;
    }
    Ok(())
}

/// Whether `command`'s `--help` ends with the exit-code table: then its
/// page has the EXIT STATUS section instead.
fn shows_exit_codes(command: &Command) -> bool {
    command
        .get_after_help()
        .is_some_and(|text| text.to_string() == exit::help())
}

/// `.SH "EXIT STATUS"`: a tagged paragraph per code.
fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "The numbers are an interface for scripts and never change meaning.",
    )]);
    for exit in Exit::ALL {
        roff.control("TP", []);
        roff.text([bold(exit.code().to_string())]);
        roff.text([roman(exit.meaning())]);
    }
}

/// `.SH EXAMPLES`: each example's sentence, then its lines unfilled and
/// indented.
fn examples_section(roff: &mut Roff, shown: &[&Example]) {
    roff.control("SH", ["EXAMPLES"]);
    for example in shown {
        roff.control("PP", []);
        roff.text([roman(example.about)]);
        roff.control("PP", []);
        roff.control("RS", ["4"]);
        roff.control("nf", []);
        for line in example.lines {
            roff.text([roman(*line)]);
        }
        roff.control("fi", []);
        roff.control("RE", []);
    }
}

/// `.SH "SEE ALSO"`: the page of the command above, whose `parents` name
/// it below atlas-admin.
fn see_also(roff: &mut Roff, parents: &[&str]) {
    let mut name = String::from("atlas-admin");
    for parent in parents {
        name.push('-');
        name.push_str(parent);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([bold(name), roman("(1)")]);
}

/// A page made of sections that each begin with roff's apostrophe
/// preamble (every rendering writes it): kept once, at the top.
#[derive(Default)]
struct Page {
    text: Vec<u8>,
}

impl Page {
    fn push(&mut self, section: &[u8]) {
        let preamble = Roff::new().render();
        let section = if self.text.is_empty() {
            section
        } else {
            section.strip_prefix(preamble.as_bytes()).unwrap_or(section)
        };
        self.text.extend_from_slice(section);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Cli;
    use clap::CommandFactory;

    /// Every command, with its path below atlas-admin.
    fn commands(command: &Command, path: Vec<String>, all: &mut Vec<(Command, Vec<String>)>) {
        all.push((command.clone(), path.clone()));
        for sub in command.get_subcommands() {
            let mut below = path.clone();
            below.push(sub.get_name().to_owned());
            commands(sub, below, all);
        }
    }

    #[test]
    fn after_help_holds_only_the_exit_table_which_pages_show_as_exit_status() {
        // A page leaves out `after_help`: anything else there would be lost.
        let mut all = Vec::new();
        commands(&Cli::command(), Vec::new(), &mut all);
        for (command, path) in &all {
            assert!(command.get_after_long_help().is_none(), "{path:?}");
            if let Some(text) = command.get_after_help() {
                assert_eq!(text.to_string(), exit::help(), "{path:?}");
            }
        }
        let shown = all.iter().filter(|(c, _)| shows_exit_codes(c)).count();
        assert!(shown >= 10, "{shown} commands show exit codes");
    }

    #[test]
    fn the_preamble_is_kept_once() {
        let page = page(&Cli::command(), &[]).unwrap();
        let text = String::from_utf8(page).unwrap();
        let preamble = Roff::new().render();
        assert!(!preamble.is_empty());
        assert!(text.starts_with(&preamble), "{text}");
        assert_eq!(text.matches(&preamble).count(), 1, "{text}");
        assert!(!text.contains(".SH EXTRA"), "{text}");
    }
}
