//! An Atlas CLI profile: one table of `config.toml` in
//! `$XDG_CONFIG_HOME/atlascli/`, else `~/.config/atlascli/`.

use super::found::{Found, Location};
use super::{CredentialFields, FieldNames};
use crate::{Api, Error};
use std::path::{Path, PathBuf};

/// The profile the Atlas CLI uses unless told otherwise.
pub(super) const DEFAULT_PROFILE: &str = "default";

/// The Atlas CLI's keys, which also name the fields in errors.
const KEYS: FieldNames = FieldNames {
    public_key: "public_api_key",
    private_key: "private_api_key",
    client_id: "client_id",
    client_secret: "client_secret",
};

/// Atlas for government, the host of the Atlas CLI's `cloudgov` service.
const CLOUDGOV_HOST: &str = "https://cloud.mongodbgov.com";

/// Where the Atlas CLI keeps its profiles, or `None` when neither
/// `XDG_CONFIG_HOME` nor `HOME` is set.
pub(super) fn path(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
    let config_home = var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(config_home.join("atlascli").join("config.toml"))
}

/// Reads profile `name` from the file at `path`. A missing file, or a
/// missing default profile, is `None`; a profile asked for by name must
/// exist.
pub(super) fn read(path: &Path, name: &str, named: bool) -> Result<Option<Found>, Error> {
    let refuse = |reason: String| {
        Error::invalid(
            "profile",
            format!("profile {name:?} in {}: {reason}", path.display()),
        )
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => return Ok(None),
        Err(e) => return Err(refuse(format!("cannot read the file: {e}"))),
    };
    warn_if_shared(path);
    // toml's Display quotes the offending line, which may hold a secret:
    // report only its message and line number.
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|span| text[..span.start].matches('\n').count() + 1);
        refuse(format!(
            "the file is not valid TOML (line {}: {})",
            line.map_or_else(|| "?".to_owned(), |l| l.to_string()),
            e.message()
        ))
    })?;
    let Some(profile) = table.get(name) else {
        return if named {
            Err(refuse("no such profile in the file".to_owned()))
        } else {
            Ok(None)
        };
    };
    let profile = profile
        .as_table()
        .ok_or_else(|| refuse("is not a table".to_owned()))?;
    let text_of = |key: &'static str| -> Result<Option<String>, Error> {
        match profile.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) if s.is_empty() => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(refuse(format!("`{key}` must be a string"))),
        }
    };
    let fields = CredentialFields {
        public_key: text_of(KEYS.public_key)?,
        private_key: text_of(KEYS.private_key)?.map(Into::into),
        client_id: text_of(KEYS.client_id)?,
        client_secret: text_of(KEYS.client_secret)?.map(Into::into),
    };
    let credentials = fields.resolve(&KEYS).map_err(|e| refuse(e.to_string()))?;
    let location = match (text_of("ops_manager_url")?, text_of("service")?.as_deref()) {
        (Some(host), None | Some("ops-manager")) => Some(Location {
            host,
            api: Some(Api::OpsManager),
            source: format!("`ops_manager_url` of profile {name:?}"),
        }),
        (None, None | Some("cloud")) => None,
        (None, Some("cloudgov")) => Some(Location {
            host: CLOUDGOV_HOST.to_owned(),
            api: None,
            source: format!("`service` of profile {name:?}"),
        }),
        (None, Some("ops-manager")) => {
            return Err(refuse(
                "`service` is \"ops-manager\" but `ops_manager_url` is missing".to_owned(),
            ))
        }
        (_, Some(other)) => {
            return Err(refuse(format!(
                "`service` {other:?} is not one of \"cloud\", \"cloudgov\", \"ops-manager\" \
                 (with `ops_manager_url`)"
            )))
        }
    };
    Ok(Some(Found {
        credentials,
        location,
    }))
}

/// The Atlas CLI writes its file with mode 0600; anything looser lets other
/// users read the keys in it.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                log::warn!(
                    "{} is readable by group or others (mode {:o}); it holds credentials: \
                     chmod 600 it",
                    path.display(),
                    mode & 0o777
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    fn file(name: &str, text: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("atlas-admin-profile-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn finds_the_config_file_where_the_atlas_cli_keeps_it() {
        let xdg = |name: &str| match name {
            "XDG_CONFIG_HOME" => Some("/xdg".to_owned()),
            "HOME" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(path(&xdg), Some(PathBuf::from("/xdg/atlascli/config.toml")));
        let home = |name: &str| (name == "HOME").then(|| "/home/u".to_owned());
        assert_eq!(
            path(&home),
            Some(PathBuf::from("/home/u/.config/atlascli/config.toml"))
        );
        assert_eq!(path(&|_| None), None);
    }

    #[test]
    fn reads_named_and_default_profiles() {
        let path = file(
            "named",
            r#"
[default]
public_api_key = "defpub"
private_api_key = "defpriv"
org_id = "5f1a2b3c4d5e6f7a8b9c0d1e"

[om]
client_id = "mdb_sa_id_1"
client_secret = "mdb_sa_sk_1"
ops_manager_url = "https://om.example.com:8443/"
service = "ops-manager"

[gov]
public_api_key = "g"
private_api_key = "h"
service = "cloudgov"
"#,
        );
        let found = read(&path, DEFAULT_PROFILE, false).unwrap().unwrap();
        assert_eq!(
            found.credentials,
            Some(Credentials::api_key("defpub", "defpriv"))
        );
        assert!(found.location.is_none());
        let found = read(&path, "om", true).unwrap().unwrap();
        assert_eq!(
            found.credentials,
            Some(Credentials::service_account("mdb_sa_id_1", "mdb_sa_sk_1"))
        );
        let location = found.location.unwrap();
        assert_eq!(location.api, Some(Api::OpsManager));
        assert_eq!(location.host, "https://om.example.com:8443/");
        let gov = read(&path, "gov", true).unwrap().unwrap().location.unwrap();
        assert_eq!(gov.host, CLOUDGOV_HOST);
        let missing = read(&path, "nope", true).unwrap_err().to_string();
        assert!(missing.contains("no such profile"), "{missing}");
    }

    #[test]
    fn a_missing_file_is_nothing_unless_a_profile_was_named() {
        let path = Path::new("/nonexistent/atlascli/config.toml");
        assert!(read(path, DEFAULT_PROFILE, false).unwrap().is_none());
        assert!(read(path, "prod", true).is_err());
    }

    #[test]
    fn broken_files_are_reported_without_their_contents() {
        let path = file(
            "broken",
            "[default]\npublic_api_key = \"p\"\nprivate_api_key = \"0c1b7a3e-secret\n",
        );
        let err = read(&path, DEFAULT_PROFILE, false).unwrap_err().to_string();
        assert!(
            err.contains("not valid TOML") && err.contains("line 3"),
            "{err}"
        );
        assert!(!err.contains("0c1b7a3e"), "{err}");
        let path = file("half", "[default]\nprivate_api_key = \"0c1b7a3e-secret\"\n");
        let err = read(&path, DEFAULT_PROFILE, false).unwrap_err().to_string();
        assert!(
            err.contains("public_api_key") && !err.contains("0c1b7a3e"),
            "{err}"
        );
        let path = file("service", "[default]\nservice = \"mars\"\n");
        let err = read(&path, DEFAULT_PROFILE, false).unwrap_err().to_string();
        assert!(err.contains("mars"), "{err}");
    }
}
