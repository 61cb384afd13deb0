//! `org-api-keys create`: a new key, its private key written before
//! anything else is printed.

use crate::args::{CreateArgs, Output};
use crate::exit::{Category, Exit, Missing};
use crate::output::{self, Layout, Shape};
use crate::private_key_out::PrivateKeyOut;
use crate::report::Report;
use crate::{client, fail, usage_error, Console};
use atlas_admin::{ApiKey, CallOptions, Client, Error, ErrorKind};
use serde_json::json;
use std::io::Write;

/// `created "DESCRIPTION" (id ..., public key ..., ...)`.
const SHAPE: Shape = Shape {
    item: "description",
    items: "keys",
    done: "created",
    payload: None,
    layout: Layout::Lines,
};

/// Runs `org-api-keys create` with the run's `call` options.
pub fn run(args: &CreateArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    if let Err(message) = check_output(args.scope.output, &args.private_key_out) {
        return usage_error(console, &message);
    }
    if let Err(message) = check_entries(&args.access_list) {
        let report = Report::refused(&args.description, Category::Other, message);
        return output::print(console, args.scope.output, SHAPE, [report]);
    }
    client::with(&args.scope.connection, 1, console, |client, console| {
        let mut out = match PrivateKeyOut::open(&args.private_key_out) {
            Ok(out) => out,
            Err(message) => return fail(console, &message),
        };
        let report = create(client, args, &call, &mut out, &mut console.stdout);
        finish(console, args.scope.output, SHAPE, &out, report)
    })
}

/// Creates the key, writes its private key to `out`, then adds its access
/// list.
fn create(
    client: &Client,
    args: &CreateArgs,
    call: &CallOptions,
    out: &mut PrivateKeyOut,
    stdout: &mut dyn Write,
) -> Report {
    let (org, item) = (&args.scope.org, &args.description);
    let key = match client.create_org_api_key(org, &args.description, &args.roles, call) {
        Ok(key) => key,
        Err(error) => {
            let message = format!(
                "creating the key failed: {error}{}",
                maybe_made(&error, item)
            );
            return Report::failed(item, &error, error.attempts(), Missing::Any)
                .with_message(message);
        }
    };
    let mut fields = vec![
        ("id", json!(key.id)),
        ("public_key", json!(key.public_key)),
        ("roles", json!(key.roles)),
        ("access_list", json!(args.access_list)),
        ("private_key_file", json!(out.name())),
    ];
    if let Err(message) = write_secret(key, out, stdout, org) {
        fields.truncate(2);
        return Report::refused(item, Category::SecretNotWritten, message).with_fields(fields);
    }
    let id = fields[0].1.as_str().unwrap_or_default().to_owned();
    if !args.access_list.is_empty() {
        if let Err(error) = client.add_org_api_key_access_list(org, &id, &args.access_list, call) {
            let message = format!(
                "the key was created and its private key written to {}, but adding its \
                 access list failed: {error}; the key has no access list: add it with \
                 `org-api-keys access-list add`, or delete the key",
                out.name()
            );
            return Report::failed(item, &error, error.attempts(), Missing::Any)
                .with_message(message)
                .with_fields(fields);
        }
    }
    Report::done(item).with_fields(fields)
}

/// Writes `key`'s private key to `out`, then drops `key`, which wipes the
/// core's copy. The error says the key exists and how to delete it, and
/// holds no secret.
pub fn write_secret(
    key: ApiKey,
    out: &mut PrivateKeyOut,
    stdout: &mut dyn Write,
    org: &str,
) -> Result<(), String> {
    let written = match key.private_key() {
        Some(secret) => out.write(secret, stdout).map_err(|e| e.to_string()),
        None => Err("Atlas' answer did not include it".to_owned()),
    };
    written.map_err(|why| {
        format!(
            "key {} (public key {}) was created, but its private key could not be written to \
             {}: {why}; the private key is lost: delete the key with `atlas-admin \
             org-api-keys delete --org {org} {}`",
            key.id,
            key.public_key,
            match out.name().as_str() {
                "-" => "standard output".to_owned(),
                name => name.to_owned(),
            },
            key.id,
        )
    })
}

/// A note for a creation that failed after the request may have reached
/// Atlas (no answer, or a server error): a key may exist whose private
/// key nobody has.
pub fn maybe_made(error: &Error, description: &str) -> String {
    let unsure = matches!(
        error.kind(),
        ErrorKind::Timeout | ErrorKind::Transport | ErrorKind::ServerError | ErrorKind::Protocol
    );
    if unsure && error.attempts() > 0 {
        format!(
            "; the request may have reached Atlas: look for a key described {} \
             (org-api-keys list) and delete it, since its private key is lost",
            json!(description)
        )
    } else {
        String::new()
    }
}

/// Refuses `--output json` with `--private-key-out -`: standard output
/// cannot hold both the private key and JSON lines.
pub fn check_output(format: Output, private_key_out: &std::path::Path) -> Result<(), String> {
    if format == Output::Json && private_key_out == std::path::Path::new("-") {
        return Err(
            "--private-key-out - puts the private key alone on standard output, where \
             --output json would print JSON: give --private-key-out a file"
                .to_owned(),
        );
    }
    Ok(())
}

/// Prints the report of a run that wrote a private key: on standard error
/// when the key went to standard output, which then holds it alone.
pub fn finish(
    console: &mut Console<'_>,
    format: Output,
    shape: Shape,
    out: &PrivateKeyOut,
    report: Report,
) -> Exit {
    if out.is_stdout() {
        output::print_on_stderr(console, format, shape, [report])
    } else {
        output::print(console, format, shape, [report])
    }
}

/// Checks `--access-list` entries with the core's rule before the key is
/// created: a bad one found only after would leave a key without its list.
fn check_entries(entries: &[String]) -> Result<(), String> {
    for entry in entries {
        atlas_admin::check_access_list_entry(entry).map_err(|e| match e {
            atlas_admin::Error::InvalidArgument { reason, .. } => {
                format!("invalid argument `--access-list`: {reason}; nothing was sent")
            }
            other => other.to_string(),
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_list_entries_are_addresses_or_networks() {
        let ok = [
            "192.0.2.1",
            "10.0.0.0/24",
            "2001:db8::/32",
            "::1",
            "0.0.0.0/0",
        ];
        assert!(check_entries(&ok.map(String::from)).is_ok());
        for bad in [
            "",
            "300.1.1.1",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "2001:db8::/129",
            "example.com",
            "10.0.0.0/24/1",
            "1.2.3.4 ",
        ] {
            let err = check_entries(&[bad.to_owned()]).unwrap_err();
            assert!(err.contains("--access-list"), "{bad:?}: {err}");
        }
    }
}
