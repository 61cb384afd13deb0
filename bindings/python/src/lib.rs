//! `atlas_admin._native`: the Python skin over the atlas-admin core. It only
//! converts arguments, results and errors; all behaviour lives in the core.

#![warn(missing_docs)]

mod call;
mod cli;
mod client;
mod errors;
mod interrupt;
mod json;
mod keys;
mod logging;
mod mock_clock;
mod mock_records;
mod options;
mod org_api_keys;
mod request;
mod strings;
mod testing;

use pyo3::prelude::*;

/// The native part of the atlas_admin package; import `atlas_admin` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn atlas_admin_native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    errors::load(module.py())?;
    module.add_class::<client::Client>()?;
    module.add_class::<keys::ApiKey>()?;
    module.add_class::<keys::AccessListEntry>()?;
    module.add_class::<testing::MockAtlas>()?;
    // Private: AsyncClient's, outside __all__ (which add_class would extend).
    module.setattr(
        "_CancelToken",
        module.py().get_type::<interrupt::CancelToken>(),
    )?;
    module.add_function(wrap_pyfunction!(cli::cli_main, module)?)?;
    // Private, so outside __all__ (which add_function would extend).
    module.setattr(
        "_client_options",
        wrap_pyfunction!(options::client_option_table, module)?,
    )?;
    module.add("__version__", atlas_admin::VERSION)?;
    module.add("DEFAULT_HOST", atlas_admin::DEFAULT_HOST)?;
    module.add(
        "DEFAULT_MAX_IDLE_CONNECTIONS",
        atlas_admin::DEFAULT_MAX_IDLE_CONNECTIONS,
    )?;
    // The core keeps host and flavour apart; Python has always offered the
    // whole default URL, so it is put together from the core's own parts.
    module.add(
        "DEFAULT_BASE_URL",
        format!(
            "{}{}",
            atlas_admin::DEFAULT_HOST,
            atlas_admin::Api::AtlasV1.path()
        ),
    )?;
    Ok(())
}
