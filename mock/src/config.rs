//! What the mock Atlas holds when it starts: organizations, API keys,
//! the credentials and service accounts it accepts, how strictly it does
//! Digest, how long its access tokens live and how fast it lets callers go.

use crate::rate_limit::RateLimit;
use crate::records::ApiKey;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The mock's starting state, also readable from a JSON file:
///
/// ```json
/// {
///   "orgs": ["5f1a2b3c4d5e6f7a8b9c0d1e"],
///   "keys": {"5f1a2b3c4d5e6f7a8b9c0d1e": ["6a1b2c3d4e5f6a7b8c9d0e1f"]},
///   "api_keys": {"5f1a2b3c4d5e6f7a8b9c0d1e": [
///     {"id": "6a1b2c3d4e5f6a7b8c9d0e2a", "public_key": "ijklmnop", "desc": "CI",
///      "roles": ["ORG_OWNER"], "access_list": [{"cidr_block": "10.0.0.0/8"}]}
///   ]},
///   "credentials": [{"public_key": "abcdefgh", "private_key": "secret"}],
///   "digest": {"algorithms": ["MD5"], "qop": true, "nonce_ttl_secs": 300, "nc_check": "off"},
///   "service_accounts": [{"client_id": "mdb_sa_id_1234", "client_secret": "mdb_sa_sk_5678"}],
///   "token_lifetime_secs": 3600,
///   "tls": {"cert": "server.pem", "key": "server-key.pem"},
///   "token_cap": 100,
///   "rate_limit": {"capacity": 20, "refill_per_sec": 20, "status": 429,
///                  "error_code": "RATE_LIMITED_TOKEN_BUCKET", "retry_after": true}
/// }
/// ```
///
/// Every field may be left out; the defaults are those of [`MockConfig::default`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MockConfig {
    /// Organizations that exist (those named in `keys` exist too).
    pub orgs: Vec<String>,
    /// API keys that exist, by organization ID, with made-up public keys,
    /// descriptions and the role `ORG_MEMBER`.
    pub keys: BTreeMap<String, Vec<String>>,
    /// API keys that exist, by organization ID, as full records (fields
    /// left empty are made up; see [`ApiKey`]). Added after `keys`.
    pub api_keys: BTreeMap<String, Vec<ApiKey>>,
    /// Key pairs the mock accepts for Digest authentication.
    pub credentials: Vec<Credential>,
    /// Digest behaviour.
    pub digest: DigestSettings,
    /// Service accounts that may get access tokens from `POST /api/oauth/token`.
    pub service_accounts: Vec<ServiceAccount>,
    /// Seconds an access token is valid (`expires_in`); 3600 as on Atlas.
    pub token_lifetime_secs: u64,
    /// When set, the mock also serves HTTPS, on a port of its own, with
    /// this certificate (see [`crate::MockAtlas::tls_base_url`]).
    pub tls: Option<TlsFiles>,
    /// How many live (unexpired, unrevoked) access tokens one service
    /// account may hold; past it the token endpoint answers as Atlas does,
    /// `403 {"error":"access_denied","error_description":"Access Token
    /// limit reached"}`. 100 as on Atlas.
    pub token_cap: usize,
    /// A token bucket that every authenticated API request takes from;
    /// none by default.
    pub rate_limit: Option<RateLimit>,
}

/// Atlas' cap on live access tokens per service account.
pub const DEFAULT_TOKEN_CAP: usize = 100;

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            orgs: Vec::new(),
            keys: BTreeMap::new(),
            api_keys: BTreeMap::new(),
            credentials: Vec::new(),
            digest: DigestSettings::default(),
            service_accounts: Vec::new(),
            token_lifetime_secs: 3600,
            tls: None,
            token_cap: DEFAULT_TOKEN_CAP,
            rate_limit: None,
        }
    }
}

/// The PEM files of an HTTPS listener: for tests of TLS and of proxy
/// tunnels, with a certificate from a CA made for the run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    /// The server's certificate chain, leaf first.
    pub cert: PathBuf,
    /// The server's private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
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

/// A service account the mock issues OAuth 2.0 access tokens to
/// (client credentials grant).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceAccount {
    /// The client ID, the Basic user name at the token endpoint.
    pub client_id: String,
    /// The client secret, the Basic password at the token endpoint.
    pub client_secret: String,
}

impl ServiceAccount {
    /// A service account with this client ID and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
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

/// How the mock checks the nonce count (`nc`) that a client sends with
/// each use of a nonce. Whatever the mode, `nc=00000000` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NcCheck {
    /// Any count: what Atlas is seen to do.
    #[default]
    Off,
    /// Each count at most once per nonce (a replay check).
    Unique,
    /// Each count greater than any seen before for that nonce.
    Increasing,
    /// Exactly the last count seen for that nonce plus one, as Apache's
    /// `AuthDigestNcCheck On` demands: requests that share a nonce must
    /// reach the server in the order their counts were handed out.
    Exact,
}

impl NcCheck {
    /// Parses a flag value: `off`, `unique`, `increasing` or `exact`.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "off" => NcCheck::Off,
            "unique" => NcCheck::Unique,
            "increasing" => NcCheck::Increasing,
            "exact" => NcCheck::Exact,
            _ => return None,
        })
    }

    /// Whether count `nc` may follow `used` (every count seen so far with
    /// this nonce, of which `last` is the largest).
    pub(crate) fn allows(self, nc: u32, last: u32, used: &std::collections::HashSet<u32>) -> bool {
        nc != 0
            && match self {
                NcCheck::Off => true,
                NcCheck::Unique => !used.contains(&nc),
                NcCheck::Increasing => nc > last,
                NcCheck::Exact => Some(nc) == last.checked_add(1),
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
    /// How nonce counts are checked within one nonce.
    pub nc_check: NcCheck,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            algorithms: vec![Algorithm::Md5],
            qop: true,
            nonce_ttl_secs: 300,
            nc_check: NcCheck::Off,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MockConfig;

    #[test]
    fn reads_the_documented_example() {
        let config: MockConfig = serde_json::from_str(
            r#"{
              "orgs": ["5f1a2b3c4d5e6f7a8b9c0d1e"],
              "keys": {"5f1a2b3c4d5e6f7a8b9c0d1e": ["6a1b2c3d4e5f6a7b8c9d0e1f"]},
              "api_keys": {"5f1a2b3c4d5e6f7a8b9c0d1e": [
                {"id": "6a1b2c3d4e5f6a7b8c9d0e2a", "public_key": "ijklmnop", "desc": "CI",
                 "roles": ["ORG_OWNER"], "access_list": [{"cidr_block": "10.0.0.0/8"}]}
              ]},
              "credentials": [{"public_key": "abcdefgh", "private_key": "secret"}],
              "digest": {"algorithms": ["MD5"], "qop": true, "nonce_ttl_secs": 300, "nc_check": "off"},
              "service_accounts": [{"client_id": "mdb_sa_id_1234", "client_secret": "mdb_sa_sk_5678"}],
              "token_lifetime_secs": 60,
              "token_cap": 5,
              "rate_limit": {"capacity": 20, "refill_per_sec": 20, "status": 429,
                             "error_code": "RATE_LIMITED_TOKEN_BUCKET", "retry_after": true}
            }"#,
        )
        .unwrap();
        assert_eq!(config.service_accounts[0].client_id, "mdb_sa_id_1234");
        assert_eq!(config.service_accounts[0].client_secret, "mdb_sa_sk_5678");
        assert_eq!((config.token_lifetime_secs, config.token_cap), (60, 5));
        assert_eq!(
            config.rate_limit,
            Some(crate::rate_limit::RateLimit::new(20, 20.0))
        );
        let seeded = &config.api_keys["5f1a2b3c4d5e6f7a8b9c0d1e"][0];
        assert_eq!(
            (seeded.public_key.as_str(), seeded.desc.as_str()),
            ("ijklmnop", "CI")
        );
        assert_eq!(seeded.access_list[0].cidr_block, "10.0.0.0/8");
    }

    #[test]
    fn omitted_fields_take_the_defaults() {
        let config: MockConfig = serde_json::from_str(r#"{"orgs": []}"#).unwrap();
        assert!(config.service_accounts.is_empty());
        assert_eq!((config.token_lifetime_secs, config.token_cap), (3600, 100));
        assert_eq!(config.digest.nonce_ttl_secs, 300);
        assert_eq!(config.rate_limit, None);
        assert!(serde_json::from_str::<MockConfig>(r#"{"token_lifetime": 1}"#).is_err());
        assert!(serde_json::from_str::<MockConfig>(
            r#"{"service_accounts": [{"client_id": "a", "client_secret": "b", "x": 1}]}"#
        )
        .is_err());
    }
}
