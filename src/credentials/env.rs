//! Credentials and host from environment variables, by the names the Atlas
//! CLI and the Terraform provider read.

use super::found::{Found, Location};
use super::{CredentialFields, FieldNames};
use crate::{Api, Error};

/// The Atlas CLI's names for an API key pair.
const ATLAS_CLI_KEY: FieldNames = FieldNames {
    public_key: "MONGODB_ATLAS_PUBLIC_API_KEY",
    private_key: "MONGODB_ATLAS_PRIVATE_API_KEY",
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
};

/// The Terraform provider's names for an API key pair.
const TERRAFORM_KEY: FieldNames = FieldNames {
    public_key: "MONGODB_ATLAS_PUBLIC_KEY",
    private_key: "MONGODB_ATLAS_PRIVATE_KEY",
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
};

const CLIENT_ID: &str = "MONGODB_ATLAS_CLIENT_ID";
const CLIENT_SECRET: &str = "MONGODB_ATLAS_CLIENT_SECRET";
/// The Atlas CLI's Ops Manager URL; it implies the Ops Manager API.
const OPS_MANAGER_URL: &str = "MONGODB_ATLAS_OPS_MANAGER_URL";
/// The Terraform provider's host, e.g. `https://cloud.mongodb.com/`.
const BASE_URL: &str = "MONGODB_ATLAS_BASE_URL";

/// What the variables say; an empty variable counts as unset.
pub(super) fn read(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Found, Error> {
    let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
    // The Atlas CLI's names win over Terraform's when both are set.
    let names =
        if var(ATLAS_CLI_KEY.public_key).is_some() || var(ATLAS_CLI_KEY.private_key).is_some() {
            &ATLAS_CLI_KEY
        } else {
            &TERRAFORM_KEY
        };
    let fields = CredentialFields {
        public_key: var(names.public_key),
        private_key: var(names.private_key).map(Into::into),
        client_id: var(CLIENT_ID),
        client_secret: var(CLIENT_SECRET).map(Into::into),
    };
    let location = match (var(OPS_MANAGER_URL), var(BASE_URL)) {
        (Some(host), _) => Some(Location {
            host,
            api: Some(Api::OpsManager),
            source: OPS_MANAGER_URL.to_owned(),
        }),
        (None, Some(host)) => Some(Location {
            host,
            api: None,
            source: BASE_URL.to_owned(),
        }),
        (None, None) => None,
    };
    Ok(Found {
        credentials: fields.resolve(names)?,
        location,
    })
}

/// How the variables read are described when no credentials were found.
pub(super) fn describe() -> String {
    format!(
        "the environment variables {} and {}, {} and {}, {CLIENT_ID} and {CLIENT_SECRET}",
        ATLAS_CLI_KEY.public_key,
        ATLAS_CLI_KEY.private_key,
        TERRAFORM_KEY.public_key,
        TERRAFORM_KEY.private_key
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;
    use std::collections::HashMap;

    fn read_from(vars: &[(&str, &str)]) -> Result<Found, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        read(&|name| vars.get(name).cloned())
    }

    #[test]
    fn atlas_cli_names_win_over_terraform_names() {
        let found = read_from(&[
            ("MONGODB_ATLAS_PUBLIC_KEY", "tfpub"),
            ("MONGODB_ATLAS_PRIVATE_KEY", "tfpriv"),
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "clipub"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "clipriv"),
        ])
        .unwrap();
        assert_eq!(
            found.credentials,
            Some(Credentials::api_key("clipub", "clipriv"))
        );
        let found = read_from(&[
            ("MONGODB_ATLAS_PUBLIC_KEY", "tfpub"),
            ("MONGODB_ATLAS_PRIVATE_KEY", "tfpriv"),
        ])
        .unwrap();
        assert_eq!(
            found.credentials,
            Some(Credentials::api_key("tfpub", "tfpriv"))
        );
    }

    #[test]
    fn reads_a_service_account_and_hosts() {
        let found = read_from(&[
            ("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id_x"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "mdb_sa_sk_y"),
            ("MONGODB_ATLAS_BASE_URL", "https://cloud.mongodbgov.com/"),
        ])
        .unwrap();
        assert_eq!(
            found.credentials,
            Some(Credentials::service_account("mdb_sa_id_x", "mdb_sa_sk_y"))
        );
        let location = found.location.unwrap();
        assert_eq!(
            (location.host.as_str(), location.api),
            ("https://cloud.mongodbgov.com/", None)
        );
        let found = read_from(&[
            (
                "MONGODB_ATLAS_OPS_MANAGER_URL",
                "https://om.example.com:8443/",
            ),
            ("MONGODB_ATLAS_BASE_URL", "https://ignored.example.com/"),
        ])
        .unwrap();
        let location = found.location.unwrap();
        assert_eq!(location.host, "https://om.example.com:8443/");
        assert_eq!(location.api, Some(Api::OpsManager));
        assert_eq!(found.credentials, None);
    }

    #[test]
    fn half_a_pair_names_the_missing_variable_and_empty_means_unset() {
        let err = read_from(&[
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "clipub"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", ""),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("MONGODB_ATLAS_PRIVATE_API_KEY"), "{err}");
        let err = read_from(&[
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "p"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "k"),
            ("MONGODB_ATLAS_CLIENT_ID", "i"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("MONGODB_ATLAS_CLIENT_SECRET"), "{err}");
    }
}
