//! The environment first, then the Atlas CLI profile: what
//! `ClientBuilder::load_env` finds and where it looked.

use super::found::{Found, Location};
use super::{env, profile, Credentials};
use crate::Error;

/// What the environment and the profile gave, each setting from the first
/// source that has it; explicit builder settings win over all of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Loaded {
    pub credentials: Option<Credentials>,
    pub location: Option<Location>,
    /// Every place looked in, in order, for the error when nothing is found.
    pub tried: Vec<String>,
}

impl Loaded {
    /// The error for finding credentials nowhere: every source tried, never
    /// a value.
    pub(crate) fn nothing_found(&self) -> Error {
        let mut sources = vec!["explicit arguments".to_owned()];
        sources.extend(self.tried.iter().cloned());
        Error::invalid(
            "credentials",
            format!(
                "no API key or service account was found; tried, in order: {}",
                sources.join("; ")
            ),
        )
    }
}

/// Reads the environment through `lookup`, then profile `profile` (or
/// `default`) of the Atlas CLI's `config.toml`.
pub(crate) fn load(
    profile_name: Option<&str>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Loaded, Error> {
    let from_env = env::read(lookup)?;
    let name = profile_name.unwrap_or(profile::DEFAULT_PROFILE);
    let mut tried = vec![env::describe()];
    let from_profile = match profile::path(lookup) {
        Some(path) => {
            let found = profile::read(&path, name, profile_name.is_some())?;
            tried.push(format!(
                "profile {name:?} in {}{}",
                path.display(),
                if found.is_some() { "" } else { " (not found)" }
            ));
            found.unwrap_or_default()
        }
        None if profile_name.is_some() => {
            return Err(Error::invalid(
                "profile",
                format!(
                    "profile {name:?} was asked for, but neither XDG_CONFIG_HOME nor HOME is set \
                     to find the Atlas CLI's config.toml"
                ),
            ))
        }
        None => {
            tried.push("no Atlas CLI profile (neither XDG_CONFIG_HOME nor HOME is set)".into());
            Found::default()
        }
    };
    Ok(Loaded {
        credentials: from_env.credentials.or(from_profile.credentials),
        location: from_env.location.or(from_profile.location),
        tried,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Api;
    use std::collections::HashMap;

    fn config_home(name: &str, profile: &str) -> String {
        let dir =
            std::env::temp_dir().join(format!("atlas-admin-sources-{}-{name}", std::process::id()));
        std::fs::create_dir_all(dir.join("atlascli")).unwrap();
        std::fs::write(dir.join("atlascli/config.toml"), profile).unwrap();
        dir.to_string_lossy().into_owned()
    }

    fn load_with(profile_name: Option<&str>, vars: &[(&str, &str)]) -> Result<Loaded, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        load(profile_name, &|name| vars.get(name).cloned())
    }

    #[test]
    fn the_environment_wins_over_the_profile_setting_by_setting() {
        let home = config_home(
            "precedence",
            "[default]\npublic_api_key = \"filepub\"\nprivate_api_key = \"filepriv\"\n\
             ops_manager_url = \"https://om.example.com/\"\n",
        );
        let loaded = load_with(
            None,
            &[
                ("XDG_CONFIG_HOME", &home),
                ("MONGODB_ATLAS_CLIENT_ID", "envid"),
                ("MONGODB_ATLAS_CLIENT_SECRET", "envsecret"),
            ],
        )
        .unwrap();
        assert_eq!(
            loaded.credentials,
            Some(Credentials::service_account("envid", "envsecret"))
        );
        let location = loaded.location.unwrap();
        assert_eq!(location.host, "https://om.example.com/");
        assert_eq!(location.api, Some(Api::OpsManager));

        let loaded = load_with(None, &[("XDG_CONFIG_HOME", &home)]).unwrap();
        assert_eq!(
            loaded.credentials,
            Some(Credentials::api_key("filepub", "filepriv"))
        );
    }

    #[test]
    fn nothing_found_lists_every_source_and_no_value() {
        let home = config_home("empty", "[other]\npublic_api_key = \"x\"\n");
        let loaded = load_with(None, &[("XDG_CONFIG_HOME", &home)]).unwrap();
        assert!(loaded.credentials.is_none());
        let message = loaded.nothing_found().to_string();
        for part in [
            "explicit arguments",
            "MONGODB_ATLAS_PUBLIC_API_KEY",
            "MONGODB_ATLAS_PRIVATE_KEY",
            "MONGODB_ATLAS_CLIENT_SECRET",
            "profile \"default\"",
            "atlascli/config.toml (not found)",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }
        let no_home = load_with(None, &[]).unwrap().nothing_found().to_string();
        assert!(
            no_home.contains("neither XDG_CONFIG_HOME nor HOME"),
            "{no_home}"
        );
        assert!(load_with(Some("prod"), &[]).is_err());
    }
}
