//! What a client proves its identity with, and where it finds it: explicit
//! arguments, the environment, or an Atlas CLI profile.

mod env;
mod found;
mod profile;
mod sources;

pub(crate) use sources::{load, Loaded};

use crate::secret::Secret;
use crate::Error;

/// How a client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// A programmatic API key, sent with HTTP Digest: the public key is the
    /// user name and the private key the password. MongoDB calls API keys a
    /// legacy method and recommends service accounts.
    ApiKey {
        /// The public key (Digest user name).
        public_key: String,
        /// The private key (Digest password); never printed.
        private_key: Secret,
    },
    /// A service account (OAuth 2.0 client credentials), exchanged at
    /// `{host}/api/oauth/token` for a bearer token that the client caches.
    ServiceAccount {
        /// The client ID, e.g. `mdb_sa_id_...`.
        client_id: String,
        /// The client secret, e.g. `mdb_sa_sk_...`; never printed.
        client_secret: Secret,
    },
}

impl Credentials {
    /// A programmatic API key pair.
    pub fn api_key(public_key: impl Into<String>, private_key: impl Into<Secret>) -> Self {
        Credentials::ApiKey {
            public_key: public_key.into(),
            private_key: private_key.into(),
        }
    }

    /// A service account's client ID and secret.
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Credentials::ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// The part that may be shown: the public key or the client ID.
    pub fn id(&self) -> &str {
        match self {
            Credentials::ApiKey { public_key, .. } => public_key,
            Credentials::ServiceAccount { client_id, .. } => client_id,
        }
    }

    /// Refuses values that cannot go into an `Authorization` header, without
    /// ever quoting the secret half.
    pub(crate) fn check(&self) -> Result<(), Error> {
        // Basic authentication (the token request) cannot carry a colon in
        // the user name; Digest quotes it, so API keys may have one.
        let (id_name, id, secret_name, secret, colon_ok) = match self {
            Credentials::ApiKey {
                public_key,
                private_key,
            } => ("public_key", public_key, "private_key", private_key, true),
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => (
                "client_id",
                client_id,
                "client_secret",
                client_secret,
                false,
            ),
        };
        if id.is_empty() {
            return Err(Error::invalid(id_name, "must not be empty"));
        }
        if !id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        {
            return Err(Error::invalid(
                id_name,
                "must be printable ASCII without spaces, quotes or backslashes",
            ));
        }
        if !colon_ok && id.contains(':') {
            return Err(Error::invalid(id_name, "must not contain colons"));
        }
        if secret.expose().is_empty() {
            return Err(Error::invalid(secret_name, "must not be empty"));
        }
        if secret.expose().chars().any(char::is_control) {
            return Err(Error::invalid(
                secret_name,
                "must not contain control characters",
            ));
        }
        Ok(())
    }
}

/// Credentials given field by field, as the C and Python skins and the
/// environment give them; [`CredentialFields::resolve`] decides what they
/// amount to.
#[derive(Debug, Clone, Default)]
pub(crate) struct CredentialFields {
    pub public_key: Option<String>,
    pub private_key: Option<Secret>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
}

/// What each field is called where it came from (an argument, a variable,
/// a profile key), for error messages.
pub(crate) struct FieldNames {
    pub public_key: &'static str,
    pub private_key: &'static str,
    pub client_id: &'static str,
    pub client_secret: &'static str,
}

/// The names of the builder's, C's and Python's arguments.
pub(crate) const ARGUMENTS: FieldNames = FieldNames {
    public_key: "public_key",
    private_key: "private_key",
    client_id: "client_id",
    client_secret: "client_secret",
};

impl CredentialFields {
    /// One complete kind of credentials, none at all, or an error naming
    /// the fields that are missing or that clash.
    pub(crate) fn resolve(self, names: &FieldNames) -> Result<Option<Credentials>, Error> {
        let key = pair(
            self.public_key,
            self.private_key,
            names.public_key,
            names.private_key,
        )?;
        let account = pair(
            self.client_id,
            self.client_secret,
            names.client_id,
            names.client_secret,
        )?;
        match (key, account) {
            (Some(_), Some(_)) => Err(Error::invalid(
                "credentials",
                format!(
                    "both an API key ({} and {}) and a service account ({} and {}) were given; \
                     give one of them",
                    names.public_key, names.private_key, names.client_id, names.client_secret
                ),
            )),
            (Some((public_key, private_key)), None) => Ok(Some(Credentials::ApiKey {
                public_key,
                private_key,
            })),
            (None, Some((client_id, client_secret))) => Ok(Some(Credentials::ServiceAccount {
                client_id,
                client_secret,
            })),
            (None, None) => Ok(None),
        }
    }
}

fn pair(
    id: Option<String>,
    secret: Option<Secret>,
    id_name: &'static str,
    secret_name: &'static str,
) -> Result<Option<(String, Secret)>, Error> {
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Some((id, secret))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(Error::invalid(
            secret_name,
            format!("{id_name} was given without {secret_name}"),
        )),
        (None, Some(_)) => Err(Error::invalid(
            id_name,
            format!("{secret_name} was given without {id_name}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(
        p: Option<&str>,
        k: Option<&str>,
        c: Option<&str>,
        s: Option<&str>,
    ) -> CredentialFields {
        CredentialFields {
            public_key: p.map(str::to_owned),
            private_key: k.map(Secret::new),
            client_id: c.map(str::to_owned),
            client_secret: s.map(Secret::new),
        }
    }

    #[test]
    fn one_kind_resolves() {
        let key = fields(Some("pub"), Some("priv"), None, None);
        assert_eq!(
            key.resolve(&ARGUMENTS).unwrap(),
            Some(Credentials::api_key("pub", "priv"))
        );
        let account = fields(None, None, Some("id"), Some("secret"));
        assert_eq!(
            account.resolve(&ARGUMENTS).unwrap(),
            Some(Credentials::service_account("id", "secret"))
        );
        assert_eq!(
            CredentialFields::default().resolve(&ARGUMENTS).unwrap(),
            None
        );
    }

    #[test]
    fn both_kinds_or_half_a_pair_name_the_fields_but_no_secret() {
        let both = fields(Some("pub"), Some("priv-x"), Some("id"), Some("secret-x"))
            .resolve(&ARGUMENTS)
            .unwrap_err()
            .to_string();
        for name in ["public_key", "private_key", "client_id", "client_secret"] {
            assert!(both.contains(name), "{both}");
        }
        assert!(
            !both.contains("priv-x") && !both.contains("secret-x"),
            "{both}"
        );
        let half = fields(None, None, Some("id"), None)
            .resolve(&ARGUMENTS)
            .unwrap_err()
            .to_string();
        assert!(half.contains("`client_secret`"), "{half}");
        let half = fields(None, Some("priv"), None, None)
            .resolve(&ARGUMENTS)
            .unwrap_err()
            .to_string();
        assert!(half.contains("`public_key`"), "{half}");
    }

    #[test]
    fn checks_never_quote_the_secret() {
        let e = Credentials::api_key("pub", "se\ncret").check().unwrap_err();
        assert!(e.to_string().contains("private_key") && !e.to_string().contains("se\ncret"));
        let e = Credentials::service_account("", "s").check().unwrap_err();
        assert!(e.to_string().contains("client_id"), "{e}");
        let e = Credentials::service_account("id:x", "s")
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("colons"), "{e}");
        assert!(Credentials::service_account("mdb_sa_id_1", "mdb_sa_sk_2")
            .check()
            .is_ok());
    }
}
