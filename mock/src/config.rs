//! What the mock Atlas holds when it starts: organizations, API keys,
//! the credentials it accepts, and how strictly it does Digest.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The mock's starting state, also readable from a JSON file:
///
/// ```json
/// {
///   "orgs": ["5f1a2b3c4d5e6f7a8b9c0d1e"],
///   "keys": {"5f1a2b3c4d5e6f7a8b9c0d1e": ["6a1b2c3d4e5f6a7b8c9d0e1f"]},
///   "credentials": [{"public_key": "abcdefgh", "private_key": "secret"}],
///   "digest": {"algorithms": ["MD5"], "qop": true, "nonce_ttl_secs": 300, "strict_nc": false}
/// }
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockConfig {
    /// Organizations that exist (those named in `keys` exist too).
    #[serde(default)]
    pub orgs: Vec<String>,
    /// API keys that exist, by organization ID.
    #[serde(default)]
    pub keys: BTreeMap<String, Vec<String>>,
    /// Key pairs the mock accepts for Digest authentication.
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// Digest behaviour.
    #[serde(default)]
    pub digest: DigestSettings,
}

/// A programmatic API key the mock authenticates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The Digest user name.
    pub public_key: String,
    /// The Digest password.
    pub private_key: String,
    /// When set, requests from other addresses get
    /// `403 IP_ADDRESS_NOT_ON_ACCESS_LIST` (the mock is reached from 127.0.0.1).
    #[serde(default)]
    pub ip_access_list: Option<Vec<String>>,
}

impl Credential {
    /// A key pair usable from any address.
    pub fn new(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Credential {
            public_key: public_key.into(),
            private_key: private_key.into(),
            ip_access_list: None,
        }
    }
}

/// The Digest hash algorithm of a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Algorithm {
    /// What Atlas sends.
    #[serde(rename = "MD5")]
    Md5,
    /// RFC 7616's SHA-256.
    #[serde(rename = "SHA-256")]
    Sha256,
}

impl Algorithm {
    /// The name used in headers.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    /// Parses a header or flag value, case-insensitively.
    pub fn parse(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("md5") {
            Some(Algorithm::Md5)
        } else if text.eq_ignore_ascii_case("sha-256") {
            Some(Algorithm::Sha256)
        } else {
            None
        }
    }
}

/// How the mock does Digest authentication.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DigestSettings {
    /// Challenges offered, one `WWW-Authenticate` header each, in this order.
    pub algorithms: Vec<Algorithm>,
    /// Offer `qop="auth"` (RFC 2617); off means RFC 2069 style, no `nc`.
    pub qop: bool,
    /// Seconds a nonce is valid; after that it is answered `stale=true`.
    pub nonce_ttl_secs: u64,
    /// Refuse a nonce count already used with the same nonce (replay check).
    pub strict_nc: bool,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            algorithms: vec![Algorithm::Md5],
            qop: true,
            nonce_ttl_secs: 300,
            strict_nc: false,
        }
    }
}
