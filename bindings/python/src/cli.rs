//! `atlas_admin._native.cli_main`: the `atlas-admin` command line, the
//! same Rust code as the binary, for the console script and
//! `python -m atlas_admin`.

use pyo3::prelude::*;

/// cli_main(argv: list[str]) -> int
///
/// Runs the atlas-admin command line with argv (program name first) on the
/// process's own standard streams and returns its exit code. The GIL is
/// released for the run. Flush sys.stdout and sys.stderr first: the
/// command writes to file descriptors 1 and 2 directly.
///
/// During `org-api-keys delete` (not a dry run) SIGINT and SIGTERM are the
/// command's own, as in the binary: the first stops the run with every
/// key accounted for (returning 130 or 143, no KeyboardInterrupt), a
/// second ends it at once; Python's handlers, which could not run until
/// the call returned, are put back when the run ends. Outside that run
/// signals go to whatever handler the process has; the console script
/// sets SIGINT to SIG_DFL first, so Ctrl-C stops the other commands at
/// once, as it does the binary.
#[pyfunction]
pub(crate) fn cli_main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| atlas_admin_cli::run(argv, atlas_admin_cli::Console::process()).code())
}
