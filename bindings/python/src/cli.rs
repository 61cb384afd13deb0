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
#[pyfunction]
pub(crate) fn cli_main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| atlas_admin_cli::run(argv, atlas_admin_cli::Console::process()).code())
}
