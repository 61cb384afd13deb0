//! What one source of configuration (the environment, a profile) holds.

use super::Credentials;
use crate::Api;

/// What one source holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub credentials: Option<Credentials>,
    pub location: Option<Location>,
}

/// A host from configuration, and the API flavour it implies.
#[derive(Debug, Clone)]
pub(crate) struct Location {
    pub host: String,
    pub api: Option<Api>,
    /// Which variable or profile key named it, for error messages.
    pub source: String,
}
