//! Which Administration API a client speaks: its path below the host and
//! the media type it asks for.

use crate::Error;
use std::fmt;
use std::str::FromStr;

/// Where Atlas, Cloud Manager and their APIs live unless told otherwise.
pub const DEFAULT_HOST: &str = "https://cloud.mongodb.com";

/// The flavour of the Administration API a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Api {
    /// Atlas Administration API v1.0, `{host}/api/atlas/v1.0`: the API the
    /// delete endpoint's reference documents, and the default.
    #[default]
    AtlasV1,
    /// Atlas Administration API v2, `{host}/api/atlas/v2`, asked for with
    /// `Accept: application/vnd.atlas.2023-01-01+json`.
    AtlasV2,
    /// Cloud Manager or Ops Manager, `{host}/api/public/v1.0`.
    OpsManager,
}

/// Every flavour, in the order their names are listed in errors.
const FLAVOURS: [Api; 3] = [Api::AtlasV1, Api::AtlasV2, Api::OpsManager];

impl Api {
    /// The stable name used by the Python package and configuration:
    /// `atlas-v1`, `atlas-v2` or `ops-manager`.
    pub fn name(self) -> &'static str {
        match self {
            Api::AtlasV1 => "atlas-v1",
            Api::AtlasV2 => "atlas-v2",
            Api::OpsManager => "ops-manager",
        }
    }

    /// The path of the API below the host, without a trailing slash.
    pub fn path(self) -> &'static str {
        match self {
            Api::AtlasV1 => "/api/atlas/v1.0",
            Api::AtlasV2 => "/api/atlas/v2",
            Api::OpsManager => "/api/public/v1.0",
        }
    }

    /// The `Accept` header that selects this API's version. v2 versions
    /// each resource by date; 2023-01-01 is the only version of the
    /// delete-API-key operation.
    pub fn media_type(self) -> &'static str {
        match self {
            Api::AtlasV1 | Api::OpsManager => "application/json",
            Api::AtlasV2 => "application/vnd.atlas.2023-01-01+json",
        }
    }

    /// The flavour whose path is exactly `path` (a trailing `/` aside).
    pub(crate) fn from_exact_path(path: &str) -> Option<Api> {
        let path = path.trim_end_matches('/');
        FLAVOURS.into_iter().find(|api| path == api.path())
    }

    /// The flavour whose path a base URL's path ends with, if any, so that
    /// an explicit v2 base URL asks for v2's media type without more ado.
    pub(crate) fn from_base_path(path: &str) -> Option<Api> {
        let path = path.trim_end_matches('/');
        FLAVOURS.into_iter().find(|api| path.ends_with(api.path()))
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Api {
    type Err = Error;

    /// Parses a stable name (see [`Api::name`]).
    fn from_str(name: &str) -> Result<Self, Error> {
        FLAVOURS
            .into_iter()
            .find(|api| api.name() == name)
            .ok_or_else(|| {
                Error::invalid(
                    "api",
                    format!(
                        "{name:?} is not an API flavour; use one of {}",
                        FLAVOURS.map(|a| format!("{:?}", a.name())).join(", ")
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for api in FLAVOURS {
            assert_eq!(api.name().parse::<Api>().unwrap(), api);
        }
        let err = "atlas-v3".parse::<Api>().unwrap_err().to_string();
        assert!(
            err.contains("`api`") && err.contains("\"atlas-v2\""),
            "{err}"
        );
    }

    #[test]
    fn recognises_flavours_from_base_paths() {
        assert_eq!(Api::from_base_path("/api/atlas/v2/"), Some(Api::AtlasV2));
        assert_eq!(
            Api::from_base_path("/prefix/api/public/v1.0"),
            Some(Api::OpsManager)
        );
        assert_eq!(Api::from_base_path("/api/atlas/v1.0"), Some(Api::AtlasV1));
        assert_eq!(Api::from_base_path("/elsewhere"), None);
    }
}
