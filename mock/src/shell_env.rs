//! `atlas-admin-mock --print-env`: the `export MONGODB_ATLAS_...=...` lines
//! that point a shell (and so the quick starts, the command line and the
//! Atlas CLI's own variables) at a running mock, signed in with a key pair
//! the mock accepts, with keys there to delete.

use crate::{ApiKey, Credential, MockAtlas, MockConfig, RecordError};

/// The organization `--print-env` serves when the configuration names none
/// (the README's example organization).
pub const DEFAULT_ORG_ID: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";

/// The keys `--print-env` makes to delete when the organization has none
/// besides the one it signs in with: one per quick start of the README (C,
/// C++, Python, the command line, Rust), which delete these IDs.
pub const KEYS_TO_DELETE: [&str; 5] = [
    "6a1b2c3d4e5f6a7b8c9d0e1f",
    "6a1b2c3d4e5f6a7b8c9d0e2f",
    "6a1b2c3d4e5f6a7b8c9d0e3f",
    "6a1b2c3d4e5f6a7b8c9d0e4f",
    "6a1b2c3d4e5f6a7b8c9d0e5f",
];

/// Variables that would win over, or clash with, the exported key pair:
/// a service account (the library refuses a key pair and a client ID at
/// once) and an Ops Manager URL (which wins over the base URL).
const CLASHING: [&str; 3] = [
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
    "MONGODB_ATLAS_OPS_MANAGER_URL",
];

impl MockConfig {
    /// The organization a shell pointed at this mock works in: the first
    /// one configured (`orgs`, then `keys`, then `api_keys`), else
    /// [`DEFAULT_ORG_ID`].
    pub fn first_org(&self) -> String {
        self.orgs
            .first()
            .or_else(|| self.keys.keys().next())
            .or_else(|| self.api_keys.keys().next())
            .map_or_else(|| DEFAULT_ORG_ID.to_owned(), Clone::clone)
    }
}

impl MockAtlas {
    /// Shell lines pointing the MongoDB Atlas tools at this mock: `unset`
    /// of the variables that would clash, `export` of
    /// `MONGODB_ATLAS_BASE_URL`, `MONGODB_ATLAS_PUBLIC_API_KEY`,
    /// `MONGODB_ATLAS_PRIVATE_API_KEY` and `MONGODB_ATLAS_ORG_ID`, then a
    /// comment naming the API keys there are to delete (and one naming the
    /// HTTPS base URL when the mock serves HTTPS).
    ///
    /// Signs in with `credential` when given; otherwise creates an
    /// `ORG_OWNER` key in `org_id` to sign in with (its private key is made
    /// up, [`crate::PRIVATE_KEY_MARKER`] first). When `org_id` has no key
    /// besides that one, creates the [`KEYS_TO_DELETE`]. The lines hold
    /// the private key: they are meant for the caller's own shell.
    pub fn shell_env(
        &self,
        org_id: &str,
        credential: Option<&Credential>,
    ) -> Result<String, RecordError> {
        let (public_key, private_key) = match credential {
            Some(c) => (c.public_key.clone(), c.private_key.clone()),
            None => {
                let key = self.add_api_key(
                    org_id,
                    ApiKey {
                        desc: "atlas-admin-mock --print-env".into(),
                        roles: vec!["ORG_OWNER".into()],
                        ..ApiKey::default()
                    },
                )?;
                (key.public_key, key.private_key)
            }
        };
        let others = |atlas: &MockAtlas| -> Vec<String> {
            atlas
                .api_keys(org_id)
                .into_iter()
                .filter(|key| key.public_key != public_key)
                .map(|key| key.id)
                .collect()
        };
        let mut to_delete = others(self);
        if to_delete.is_empty() {
            for id in KEYS_TO_DELETE {
                self.add_api_key(org_id, ApiKey::with_id(id))?;
            }
            to_delete = others(self);
        }
        let mut lines = format!("unset {}\n", CLASHING.join(" "));
        for (name, value) in [
            ("MONGODB_ATLAS_BASE_URL", self.base_url().as_str()),
            ("MONGODB_ATLAS_PUBLIC_API_KEY", &public_key),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", &private_key),
            ("MONGODB_ATLAS_ORG_ID", org_id),
        ] {
            lines.push_str(&format!("export {name}={}\n", shell_quote(value)));
        }
        lines.push_str(&format!(
            "# API keys of {org_id} to delete: {}\n",
            to_delete.join(" ")
        ));
        if let Some(url) = self.tls_base_url() {
            lines.push_str(&format!("# the same Atlas over HTTPS: {url}\n"));
        }
        Ok(lines)
    }
}

/// `value` as one shell word: as it is when it holds only characters no
/// shell treats specially, else in single quotes.
fn shell_quote(value: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !value.is_empty() && value.chars().all(plain) {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_and_others_are_single_quoted() {
        assert_eq!(
            shell_quote("http://127.0.0.1:1/api/atlas/v1.0"),
            "http://127.0.0.1:1/api/atlas/v1.0"
        );
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's $x"), r"'it'\''s $x'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn the_first_configured_org_wins_else_the_default() {
        let mut config = MockConfig::default();
        assert_eq!(config.first_org(), DEFAULT_ORG_ID);
        config
            .keys
            .insert("aaaaaaaaaaaaaaaaaaaaaaaa".into(), Vec::new());
        assert_eq!(config.first_org(), "aaaaaaaaaaaaaaaaaaaaaaaa");
        config.orgs.push("bbbbbbbbbbbbbbbbbbbbbbbb".into());
        assert_eq!(config.first_org(), "bbbbbbbbbbbbbbbbbbbbbbbb");
    }
}
