//! `atlas-admin`: the command line. Everything but the process's own
//! streams lives in the library, which the Python package runs too.

fn main() -> std::process::ExitCode {
    atlas_admin_cli::run(std::env::args_os(), atlas_admin_cli::Console::process()).into()
}
