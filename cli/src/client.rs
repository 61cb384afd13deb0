//! The one core client every worker shares, configured from the
//! environment and profile, then the connection flags; and its life, in
//! one place for every command.

use crate::args::ConnectionArgs;
use crate::exit::Exit;
use crate::{fail, Console};
use atlas_admin::{Client, ClientBuilder, DEFAULT_MAX_IDLE_CONNECTIONS};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Builds the client for `args` (a connection kept for each of
/// `workers`), runs `work` with it, and is done with it: every command's
/// client lives here and nowhere else, and every way a run ends returns
/// through here, a failure or an interrupted `delete` included (a `delete`
/// that a second signal ends returns here without waiting for its
/// workers, which may still hold the client). A client that cannot be
/// built is reported, exit 1.
pub fn with<'a>(
    args: &ConnectionArgs,
    workers: usize,
    console: &mut Console<'a>,
    work: impl FnOnce(&Arc<Client>, &mut Console<'a>) -> Exit,
) -> Exit {
    let client = match build(args, workers) {
        Ok(client) => Arc::new(client),
        Err(message) => return fail(console, &message),
    };
    let exit = work(&client, console);
    // The run is over, however it ended: what ends the client's session
    // (its connections, a service account's token) belongs here. Closing
    // revokes the token the run minted (within a second, a failure only
    // logged), so that a script running the command line once per key
    // does not pile up live tokens until Atlas refuses new ones.
    client.close();
    drop(client);
    exit
}

/// A client for `args`, with a connection kept for each of `workers`.
fn build(args: &ConnectionArgs, workers: usize) -> Result<Client, String> {
    // Explicit credentials win over loaded ones, but the environment and
    // profile may still name the host (an Ops Manager URL, say).
    let mut builder =
        ClientBuilder::from_env(args.profile.as_deref()).map_err(|e| e.to_string())?;
    if let Some(url) = &args.base_url {
        builder.base_url(url);
    }
    if let Some(host) = &args.host {
        builder.host(host);
    }
    if let Some(api) = args.api {
        builder.api(api);
    }
    if let (Some(public_key), Some(path)) = (&args.public_key, &args.private_key_file) {
        builder.digest_credentials(public_key, read_secret(path, "--private-key-file")?);
    }
    if let (Some(client_id), Some(path)) = (&args.client_id, &args.client_secret_file) {
        builder.service_account(client_id, read_secret(path, "--client-secret-file")?);
    }
    if let Some(retries) = args.max_retries {
        builder.max_retries(retries);
    }
    builder.max_idle_connections(workers.max(DEFAULT_MAX_IDLE_CONNECTIONS));
    builder.build().map_err(|e| e.to_string())
}

/// The secret in the file at `path`, without its trailing line break.
/// Errors name the file, never what it holds.
fn read_secret(path: &Path, flag: &str) -> Result<String, String> {
    let fail = |e: std::io::Error| format!("cannot read {flag} {}: {e}", path.display());
    let mut file = std::fs::File::open(path).map_err(fail)?;
    // Sized up front so reading never reallocates and leaves a stray copy
    // of the secret behind in freed memory (the core wipes its own copy).
    let size = file.metadata().map_err(fail)?.len();
    let mut secret = String::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    file.read_to_string(&mut secret).map_err(fail)?;
    let kept = secret.trim_end_matches(['\n', '\r']).len();
    secret.truncate(kept);
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_file_loses_its_line_break_and_errors_do_not_show_it() {
        let path =
            std::env::temp_dir().join(format!("atlas-admin-cli-secret-{}", std::process::id()));
        std::fs::write(&path, "s3cr3t-value\r\n").unwrap();
        assert_eq!(
            read_secret(&path, "--private-key-file").unwrap(),
            "s3cr3t-value"
        );
        std::fs::remove_file(&path).unwrap();
        let err = read_secret(&path, "--private-key-file").unwrap_err();
        assert!(err.contains("--private-key-file") && err.contains(&*path.to_string_lossy()));
    }
}
