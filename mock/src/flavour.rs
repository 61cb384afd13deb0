//! The three APIs the mock serves, each under its own path prefix, and the
//! few ways their answers differ.

/// An API flavour, chosen by the request's path prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    /// Atlas v1.0, `/api/atlas/v1.0`.
    AtlasV1,
    /// Cloud Manager and Ops Manager, `/api/public/v1.0`.
    OpsManager,
    /// Atlas v2, `/api/atlas/v2`, versioned by the `Accept` header.
    AtlasV2,
}

impl Flavour {
    /// Every flavour.
    pub const ALL: [Flavour; 3] = [Flavour::AtlasV1, Flavour::OpsManager, Flavour::AtlasV2];

    /// The path prefix the flavour lives under.
    pub fn prefix(self) -> &'static str {
        match self {
            Flavour::AtlasV1 => "/api/atlas/v1.0",
            Flavour::OpsManager => "/api/public/v1.0",
            Flavour::AtlasV2 => "/api/atlas/v2",
        }
    }

    /// The flavour of `path` and the rest of it after the prefix (empty or
    /// starting with `/`); `None` outside every prefix.
    pub fn split(path: &str) -> Option<(Flavour, &str)> {
        Flavour::ALL.into_iter().find_map(|flavour| {
            path.strip_prefix(flavour.prefix())
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                .map(|rest| (flavour, rest))
        })
    }

    /// The status of "no such thing" errors such as `API_KEY_NOT_FOUND`:
    /// v1.0 and Ops Manager say 400, v2 says 404.
    pub fn not_found_status(self) -> u16 {
        match self {
            Flavour::AtlasV2 => 404,
            Flavour::AtlasV1 | Flavour::OpsManager => 400,
        }
    }

    /// The status of a successful create: v1.0 and Ops Manager say 200,
    /// v2 says 201.
    pub fn created_status(self) -> u16 {
        match self {
            Flavour::AtlasV2 => 201,
            Flavour::AtlasV1 | Flavour::OpsManager => 200,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Flavour;

    #[test]
    fn a_prefix_is_whole_path_segments() {
        assert_eq!(
            Flavour::split("/api/atlas/v2/orgs/o"),
            Some((Flavour::AtlasV2, "/orgs/o"))
        );
        assert_eq!(
            Flavour::split("/api/public/v1.0"),
            Some((Flavour::OpsManager, ""))
        );
        assert_eq!(
            Flavour::split("/api/atlas/v1.0/x"),
            Some((Flavour::AtlasV1, "/x"))
        );
        assert_eq!(Flavour::split("/api/atlas/v2x/orgs"), None);
        assert_eq!(Flavour::split("/api/atlas/v1.00/orgs"), None);
        assert_eq!(Flavour::split("/other"), None);
    }
}
