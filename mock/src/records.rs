//! What the mock holds about an organization API key, and the rules every
//! key obeys however it was made (seeded by a test or created over the API).

use serde::Deserialize;
use std::fmt;

/// The organization roles an API key may have.
pub(crate) const ORG_ROLES: [&str; 6] = [
    "ORG_OWNER",
    "ORG_MEMBER",
    "ORG_GROUP_CREATOR",
    "ORG_BILLING_ADMIN",
    "ORG_BILLING_READ_ONLY",
    "ORG_READ_ONLY",
];

/// The role a key gets when none is given to the mock.
pub(crate) const DEFAULT_ROLE: &str = "ORG_MEMBER";

/// The most characters an API key's description may have.
pub(crate) const MAX_DESC_CHARS: usize = 250;

/// Whether `id` is an ObjectId as Atlas writes it: 24 lowercase hex digits.
pub(crate) fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `desc` is a description Atlas accepts: 1 to 250 characters.
pub(crate) fn is_valid_desc(desc: &str) -> bool {
    (1..=MAX_DESC_CHARS).contains(&desc.chars().count())
}

/// Whether `role` is one of [`ORG_ROLES`].
pub(crate) fn is_org_role(role: &str) -> bool {
    ORG_ROLES.contains(&role)
}

/// An organization API key as the mock holds it.
///
/// To seed one ([`MockAtlas::add_api_key`](crate::MockAtlas::add_api_key),
/// `MockConfig::api_keys`, `POST /__mock/keys`), fields left empty are
/// made up: an ID, a public key of 8 lowercase letters, a private key (a
/// UUID), a description, and the role `ORG_MEMBER`. A public key that is
/// also a [`Credential`](crate::Credential)'s takes that credential over:
/// its private key is the credential's unless given, and once the key is
/// deleted the credential no longer signs in.
#[derive(Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiKey {
    /// The key's ID, 24 lowercase hex digits.
    pub id: String,
    /// The public key: the Digest user name.
    pub public_key: String,
    /// The private key: the Digest password. Never shown by `Debug`.
    pub private_key: String,
    /// The description (`desc`), 1 to 250 characters.
    pub desc: String,
    /// Organization role names, such as `ORG_MEMBER`.
    pub roles: Vec<String>,
    /// Where the key may be used from; empty means anywhere.
    pub access_list: Vec<AccessListEntry>,
}

impl ApiKey {
    /// A key with this ID, everything else to be made up when seeded.
    pub fn with_id(id: impl Into<String>) -> Self {
        ApiKey {
            id: id.into(),
            ..ApiKey::default()
        }
    }

    /// The private key as Atlas shows it after creation: all but the last
    /// group masked, `********-****-****-db2c132ca78d`.
    /// A key that is not a UUID (a test's own) keeps at most its last
    /// quarter, so no masked form ever shows a whole private key.
    pub fn masked_private_key(&self) -> String {
        let key = &self.private_key;
        let tail: String = match key.rsplit_once('-') {
            Some((_, last)) => last.to_owned(),
            None => {
                let count = key.chars().count();
                key.chars().skip(count - count / 4).collect()
            }
        };
        format!("********-****-****-{tail}")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .field("public_key", &self.public_key)
            .field("private_key", &"<redacted>")
            .field("desc", &self.desc)
            .field("roles", &self.roles)
            .field("access_list", &self.access_list)
            .finish()
    }
}

/// An entry of an API key's access list.
///
/// To seed one, give `ip_address` or `cidr_block`
/// ([`AccessListEntry::ip`], [`AccessListEntry::cidr`]); the rest is filled
/// in (`created` is the mock clock's now when left empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccessListEntry {
    /// The network, `1.2.3.4/32` for a single address.
    pub cidr_block: String,
    /// The address, when the entry was added as one.
    pub ip_address: Option<String>,
    /// When the entry was added, RFC 3339 in UTC.
    pub created: String,
    /// How many requests the key made from inside this entry.
    pub count: u64,
    /// When the key was last used from inside this entry, RFC 3339 in UTC.
    pub last_used: Option<String>,
    /// The address the key was last used from inside this entry.
    pub last_used_address: Option<String>,
}

impl AccessListEntry {
    /// An entry for one IP address.
    pub fn ip(address: impl Into<String>) -> Self {
        AccessListEntry {
            ip_address: Some(address.into()),
            ..AccessListEntry::default()
        }
    }

    /// An entry for a CIDR block such as `10.0.0.0/24`.
    pub fn cidr(block: impl Into<String>) -> Self {
        AccessListEntry {
            cidr_block: block.into(),
            ..AccessListEntry::default()
        }
    }
}

/// Why a seeded record was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError(pub(crate) String);

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RecordError {}

#[cfg(test)]
mod tests {
    use super::{is_object_id, is_valid_desc, ApiKey};

    #[test]
    fn masks_all_but_the_last_group_and_debug_hides_the_private_key() {
        let key = ApiKey {
            private_key: "0c1b7a3e-d7f4-4c4c-9d5a-db2c132ca78d".into(),
            ..ApiKey::with_id("6a1b2c3d4e5f6a7b8c9d0e1f")
        };
        assert_eq!(key.masked_private_key(), "********-****-****-db2c132ca78d");
        let plain = ApiKey {
            private_key: "secretsecretsecret".into(),
            ..ApiKey::default()
        };
        assert_eq!(plain.masked_private_key(), "********-****-****-cret");
        let debug = format!("{key:?}");
        assert!(!debug.contains("0c1b7a3e"), "{debug}");
        assert!(debug.contains("6a1b2c3d4e5f6a7b8c9d0e1f"), "{debug}");
    }

    #[test]
    fn checks_ids_and_descriptions() {
        assert!(is_object_id("6a1b2c3d4e5f6a7b8c9d0e1f"));
        assert!(!is_object_id("6A1B2C3D4E5F6A7B8C9D0E1F"));
        assert!(!is_object_id("6a1b2c3d4e5f6a7b8c9d0e1"));
        assert!(is_valid_desc("x") && is_valid_desc(&"é".repeat(250)));
        assert!(!is_valid_desc("") && !is_valid_desc(&"x".repeat(251)));
    }
}
