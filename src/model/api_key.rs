//! `ApiKey`: an organization's programmatic API key, and the checks of a
//! new key's description, roles and public key.

use crate::secret::Secret;
use crate::Error;
use serde::{Deserialize, Deserializer};
use std::fmt;

/// The organization roles a key may hold, as Atlas names them.
pub const ORG_ROLES: [&str; 6] = [
    "ORG_OWNER",
    "ORG_MEMBER",
    "ORG_GROUP_CREATOR",
    "ORG_BILLING_ADMIN",
    "ORG_BILLING_READ_ONLY",
    "ORG_READ_ONLY",
];

/// The longest description Atlas keeps.
pub const MAX_DESCRIPTION_CHARS: usize = 250;

/// An organization API key as Atlas describes it.
///
/// Its private key is known only in the answer to its creation
/// ([`Client::create_org_api_key`](crate::Client::create_org_api_key)):
/// [`ApiKey::private_key`] is `None` otherwise. `Debug` never shows it, and
/// it is wiped from memory when the key is dropped.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ApiKey {
    /// The key's ID, 24 hex digits.
    pub id: String,
    /// The public key: the Digest user name, and what logs and leak
    /// reports show.
    #[serde(rename = "publicKey")]
    pub public_key: String,
    /// What the key is for (Atlas' `desc`).
    #[serde(rename = "desc", default)]
    pub description: String,
    /// The key's roles in the organization, e.g. `ORG_MEMBER`.
    #[serde(default, deserialize_with = "org_role_names")]
    pub roles: Vec<String>,
    #[serde(rename = "privateKey", default, deserialize_with = "unmasked")]
    private_key: Option<Secret>,
}

impl ApiKey {
    /// The private key, only in the answer to the key's creation: Atlas
    /// shows it that once and masks it everywhere else. Store it at once;
    /// never print it.
    pub fn private_key(&self) -> Option<&str> {
        self.private_key.as_ref().map(Secret::expose)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .field("public_key", &self.public_key)
            .field("description", &self.description)
            .field("roles", &self.roles)
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// One of a key's roles: an organization role (`orgId`) or a project
/// role (`groupId`), which is not the organization's.
#[derive(Deserialize)]
struct Role {
    #[serde(rename = "roleName")]
    role_name: String,
    #[serde(rename = "groupId")]
    group_id: Option<String>,
}

/// The names of the organization roles among a key's roles.
fn org_role_names<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let roles = Vec::<Role>::deserialize(deserializer)?;
    Ok(roles
        .into_iter()
        .filter(|role| role.group_id.is_none())
        .map(|role| role.role_name)
        .collect())
}

/// The private key when Atlas shows it whole; `None` for the masked form
/// (`********-****-****-db2c132ca78d`) it shows after creation. Moved into
/// a [`Secret`], never copied.
fn unmasked<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Secret>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    Ok(value
        .filter(|key| !key.is_empty() && !key.contains('*'))
        .map(Secret::new))
}

/// Checks a new key's description: 1 to 250 characters, no control
/// characters.
pub(crate) fn check_description(description: &str) -> Result<(), Error> {
    let count = description.chars().count();
    let reason = if description.trim().is_empty() {
        "must not be empty".to_owned()
    } else if count > MAX_DESCRIPTION_CHARS {
        format!("is {count} characters; Atlas keeps at most {MAX_DESCRIPTION_CHARS}")
    } else if description.chars().any(char::is_control) {
        "must not hold control characters".to_owned()
    } else {
        return Ok(());
    };
    Err(Error::invalid("description", reason))
}

/// Checks a key's roles: at least one, each an organization role.
pub(crate) fn check_roles<R: AsRef<str>>(roles: &[R]) -> Result<(), Error> {
    if roles.is_empty() {
        return Err(Error::invalid(
            "roles",
            format!("must name at least one of {}", ORG_ROLES.join(", ")),
        ));
    }
    match roles
        .iter()
        .map(AsRef::as_ref)
        .find(|role| !ORG_ROLES.contains(role))
    {
        Some(role) => Err(Error::invalid(
            "roles",
            format!(
                "{role:?} is not an organization role; use {}",
                ORG_ROLES.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// Whether `text` has the form of an Atlas public key: 8 lowercase
/// letters or digits (an ID has 24 hex digits, so the two cannot be taken
/// for each other).
pub fn is_public_key(text: &str) -> bool {
    text.len() == 8
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Checks a public key given to find its key.
pub(crate) fn check_public_key(public_key: &str) -> Result<(), Error> {
    if is_public_key(public_key) {
        return Ok(());
    }
    Err(Error::invalid(
        "public_key",
        format!(
            "{public_key:?} is not an Atlas public key (8 lowercase letters or digits, e.g. \
             abcdefgh)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_atlas_key_records_and_keeps_only_an_unmasked_private_key() {
        let listed: ApiKey = serde_json::from_str(
            r#"{"id":"6a1b2c3d4e5f6a7b8c9d0e1f","desc":"CI","publicKey":"abcdefgh",
                "privateKey":"********-****-****-db2c132ca78d",
                "roles":[{"orgId":"5f1a2b3c4d5e6f7a8b9c0d1e","roleName":"ORG_MEMBER"},
                         {"groupId":"5f1a2b3c4d5e6f7a8b9c0d99","roleName":"GROUP_READ_ONLY"}],
                "links":[]}"#,
        )
        .unwrap();
        assert_eq!(listed.public_key, "abcdefgh");
        assert_eq!(listed.description, "CI");
        assert_eq!(listed.roles, ["ORG_MEMBER"]);
        assert_eq!(listed.private_key(), None);
        let created: ApiKey = serde_json::from_str(
            r#"{"id":"6a1b2c3d4e5f6a7b8c9d0e1f","publicKey":"abcdefgh",
                "privateKey":"0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6","roles":[]}"#,
        )
        .unwrap();
        assert_eq!(
            created.private_key(),
            Some("0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6")
        );
        let shown = format!("{created:?}");
        assert!(
            !shown.contains("0c1b7a3e") && shown.contains("<redacted>"),
            "{shown}"
        );
    }

    #[test]
    fn checks_descriptions_roles_and_public_keys() {
        assert!(check_description("rotation 2026-11-29").is_ok());
        for bad in ["", "  ", &"x".repeat(251), "a\nb"] {
            let err = check_description(bad).unwrap_err().to_string();
            assert!(err.contains("`description`"), "{err}");
        }
        assert!(check_description(&"é".repeat(250)).is_ok());
        assert!(check_roles(&["ORG_MEMBER", "ORG_READ_ONLY"]).is_ok());
        for bad in [&[][..], &["GROUP_OWNER"], &["org_member"]] {
            let err = check_roles(bad).unwrap_err().to_string();
            assert!(
                err.contains("`roles`") && err.contains("ORG_OWNER"),
                "{err}"
            );
        }
        assert!(is_public_key("abcdefgh") && is_public_key("ab12cd34"));
        for bad in [
            "ABCDEFGH",
            "abcdefg",
            "6a1b2c3d4e5f6a7b8c9d0e1f",
            "abcd efg",
        ] {
            assert!(check_public_key(bad).is_err(), "{bad}");
        }
    }
}
