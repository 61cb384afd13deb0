//! `Client::from_env`: credentials and host from the environment and an
//! Atlas CLI profile, end to end against the mock. One test, because the
//! process environment is shared by every thread of a test binary.

mod common;

use atlas_admin::{Api, Client, ClientBuilder, DeleteOptions, ErrorKind};
use common::*;
use std::path::Path;

const VARIABLES: [&str; 9] = [
    "MONGODB_ATLAS_PUBLIC_API_KEY",
    "MONGODB_ATLAS_PRIVATE_API_KEY",
    "MONGODB_ATLAS_PUBLIC_KEY",
    "MONGODB_ATLAS_PRIVATE_KEY",
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
    "MONGODB_ATLAS_BASE_URL",
    "MONGODB_ATLAS_OPS_MANAGER_URL",
    "XDG_CONFIG_HOME",
];

fn clear() {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
}

fn write_profile(config_home: &Path, text: &str) {
    std::fs::create_dir_all(config_home.join("atlascli")).unwrap();
    std::fs::write(config_home.join("atlascli/config.toml"), text).unwrap();
}

fn delete_with(client: &Client, atlas: &atlas_admin_mock::MockAtlas, i: usize) {
    atlas.add_key(ORG, &key(i));
    client
        .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
        .unwrap();
    assert!(!atlas.has_key(ORG, &key(i)));
}

#[test]
fn environment_then_profile_with_explicit_settings_on_top() {
    capture_logs();
    let atlas = mock();
    let home = std::env::temp_dir().join(format!("atlas-admin-from-env-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    clear();
    std::env::set_var("XDG_CONFIG_HOME", &home);
    std::env::set_var("HOME", home.join("no-home"));

    // Nothing anywhere: the error lists every source and no value.
    let err = record(Client::from_env(None).unwrap_err());
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let message = err.to_string();
    for part in [
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_CLIENT_ID",
        "profile \"default\"",
        &home.join("atlascli/config.toml").display().to_string(),
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }

    // A profile alone, with the host from the Terraform variable.
    write_profile(
        &home,
        &format!(
            "[default]\npublic_api_key = \"{PUBLIC}\"\nprivate_api_key = \"{PRIVATE}\"\n\n\
             [robot]\nclient_id = \"{CLIENT_ID}\"\nclient_secret = \"{CLIENT_SECRET}\"\n"
        ),
    );
    std::env::set_var("MONGODB_ATLAS_BASE_URL", atlas.origin());
    let client = Client::from_env(None).unwrap();
    assert_eq!(client.public_key(), Some(PUBLIC));
    assert_eq!(client.base_url(), atlas.base_url());
    delete_with(&client, &atlas, 1);

    // A named profile holds a service account.
    let client = Client::from_env(Some("robot")).unwrap();
    assert_eq!(client.client_id(), Some(CLIENT_ID));
    delete_with(&client, &atlas, 2);
    assert_eq!(atlas.stats().tokens_issued, 1);
    let err = record(Client::from_env(Some("missing")).unwrap_err());
    assert!(err.to_string().contains("no such profile"), "{err}");

    // The environment wins over the profile; a wrong key there proves it.
    std::env::set_var("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC);
    std::env::set_var(
        "MONGODB_ATLAS_PRIVATE_API_KEY",
        "ffffffff-0000-4000-8000-wrongprivate",
    );
    let client = Client::from_env(None).unwrap();
    let err = record(
        client
            .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
            .unwrap_err(),
    );
    assert_eq!(err.kind(), ErrorKind::Unauthorized);

    // Explicit settings win over the environment, set before or after.
    let mut builder = ClientBuilder::new();
    builder.digest_credentials(PUBLIC, PRIVATE);
    builder.load_env(None).unwrap();
    delete_with(&builder.build().unwrap(), &atlas, 3);
    let client = ClientBuilder::from_env(None)
        .unwrap()
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    assert_eq!(client.client_id(), Some(CLIENT_ID));

    // An Ops Manager URL implies the Ops Manager API.
    std::env::set_var("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE);
    std::env::set_var(
        "MONGODB_ATLAS_OPS_MANAGER_URL",
        format!("{}/", atlas.origin()),
    );
    let client = Client::from_env(None).unwrap();
    assert_eq!(client.api(), Api::OpsManager);
    assert_eq!(
        client.base_url(),
        format!("{}/api/public/v1.0", atlas.origin())
    );
    atlas.reset_stats();
    delete_with(&client, &atlas, 4);
    assert!(atlas.recent_requests()[0]
        .target
        .starts_with("/api/public/v1.0/"));

    // Half a pair in the environment names the missing variable.
    std::env::remove_var("MONGODB_ATLAS_PRIVATE_API_KEY");
    let err = record(ClientBuilder::from_env(None).unwrap_err());
    assert!(
        err.to_string().contains("MONGODB_ATLAS_PRIVATE_API_KEY"),
        "{err}"
    );
    clear();
    let _ = std::fs::remove_dir_all(&home);
}
