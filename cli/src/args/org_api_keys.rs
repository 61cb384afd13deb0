//! The arguments of the `org-api-keys` subcommands.

use super::{ConnectionArgs, Output, MAX_CONCURRENCY, ORG_ID_VARIABLE};
use crate::exit;
use atlas_admin::ORG_ROLES;
use clap::builder::NonEmptyStringValueParser;
use clap::{ArgGroup, Args, Subcommand};
use std::path::PathBuf;

/// `org-api-keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum OrgApiKeys {
    /// List the API keys of an organization: a table of ID, public key,
    /// description and roles (--output json: an object per key, then a
    /// summary).
    #[command(after_help = exit::help())]
    List(Box<ListArgs>),
    /// Show one API key.
    #[command(after_help = exit::help())]
    Get(Box<KeyArgs>),
    /// Create an API key; its private key goes to --private-key-out.
    ///
    /// The private key is shown by Atlas only once, in the answer to the
    /// creation. It is written to FILE, made with mode 0600; a FILE that
    /// already exists is refused before anything is sent. With
    /// --private-key-out -, it is the only thing printed on standard
    /// output and the result goes to standard error. It is never printed
    /// anywhere else, JSON output included.
    #[command(after_help = exit::help())]
    Create(Box<CreateArgs>),
    /// Change an API key's description and/or roles.
    #[command(after_help = exit::help())]
    Update(Box<UpdateArgs>),
    /// Replace an API key by a new one with the same roles and access
    /// list.
    ///
    /// The new key's description names the old key and today's date (UTC),
    /// after the old description. In order: the new key is created, its
    /// private key written to --private-key-out, the old key's access list
    /// copied to it, and the new key read back; only then, and only with
    /// --delete-old, the old key is deleted. A failure on the way says
    /// exactly which keys exist.
    #[command(after_help = exit::help())]
    Rotate(Box<RotateArgs>),
    /// An API key's IP access list.
    #[command(subcommand)]
    AccessList(AccessList),
    /// Delete (revoke) API keys of an organization, by ID or public key.
    ///
    /// Keys are deleted by several workers sharing one client. Results are
    /// printed one line per key, in input order; a key given twice (also
    /// by its ID and its public key) is deleted once. When any worker is
    /// rate limited (HTTP 429), every worker waits out the server's
    /// Retry-After before its next request.
    ///
    /// Public keys are resolved with one listing of the organization per
    /// run. Signed in with an API key, the run lists the organization
    /// once, and refuses to delete the key it is signed in with (exit 9)
    /// unless --allow-self is given; then that key is deleted last. Signed
    /// in with a service account, there is no such key and no such check.
    ///
    /// Credentials come from the environment (MONGODB_ATLAS_PUBLIC_API_KEY
    /// and MONGODB_ATLAS_PRIVATE_API_KEY, or MONGODB_ATLAS_CLIENT_ID and
    /// MONGODB_ATLAS_CLIENT_SECRET) or the Atlas CLI profile, or from
    /// --public-key with --private-key-file (or --client-id with
    /// --client-secret-file). Secrets are never taken as arguments.
    #[command(after_help = exit::help())]
    Delete(Box<DeleteArgs>),
}

/// `org-api-keys access-list` subcommands.
#[derive(Debug, Subcommand)]
pub enum AccessList {
    /// List the entries of an API key's access list.
    #[command(after_help = exit::help())]
    List(Box<KeyArgs>),
    /// Add IP addresses or CIDR blocks to an API key's access list, and
    /// show the list Atlas answers with.
    #[command(after_help = exit::help())]
    Add(Box<AccessListAddArgs>),
    /// Remove one entry from an API key's access list.
    #[command(after_help = exit::help())]
    Delete(Box<AccessListDeleteArgs>),
}

/// The organization, the output format and the connection: what every
/// `org-api-keys` command takes.
#[derive(Debug, Args)]
pub struct Scope {
    /// The organization's ID (24 hexadecimal digits).
    #[arg(long, value_name = "ORG_ID", env = ORG_ID_VARIABLE, value_parser = NonEmptyStringValueParser::new())]
    pub org: String,
    /// Text for people, or JSON lines for programs.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// Where and how to connect.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// Arguments of `org-api-keys list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The organization, output and connection.
    #[command(flatten)]
    pub scope: Scope,
}

/// Arguments of the commands about one key: `get`, `access-list list`.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The key: its ID (24 hexadecimal digits) or its public key (8
    /// lowercase letters or digits, found with one listing).
    #[arg(value_name = "KEY")]
    pub key: String,
    /// The organization, output and connection.
    #[command(flatten)]
    pub scope: Scope,
}

/// The help of `--role`, naming the roles the core accepts.
fn roles_help() -> String {
    format!(
        "An organization role of the key; repeat for more: {}",
        ORG_ROLES.join(", ")
    )
}

/// Arguments of `org-api-keys create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// What the key is for (1 to 250 characters).
    #[arg(long = "desc", value_name = "TEXT")]
    pub description: String,
    /// The key's roles.
    #[arg(long = "role", value_name = "ROLE", required = true, help = roles_help())]
    pub roles: Vec<String>,
    /// An IP address or CIDR block the key may be used from; repeat for
    /// more. Without any, the key has no access list of its own, and the
    /// organization's settings decide where it may be used from.
    #[arg(long = "access-list", value_name = "IP|CIDR")]
    pub access_list: Vec<String>,
    /// Where the private key goes: a new file (mode 0600; an existing one
    /// is refused), or - for standard output.
    #[arg(long, value_name = "FILE")]
    pub private_key_out: PathBuf,
    /// The organization, output and connection.
    #[command(flatten)]
    pub scope: Scope,
}

/// Arguments of `org-api-keys update`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args(["description", "roles"])))]
pub struct UpdateArgs {
    /// The key: its ID or its public key.
    #[arg(value_name = "KEY")]
    pub key: String,
    /// The new description (1 to 250 characters).
    #[arg(long = "desc", value_name = "TEXT")]
    pub description: Option<String>,
    /// The key's new roles, replacing its roles.
    #[arg(long = "role", value_name = "ROLE", help = roles_help())]
    pub roles: Vec<String>,
    /// The organization, output and connection.
    #[command(flatten)]
    pub scope: Scope,
}

/// Arguments of `org-api-keys rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The key to replace: its ID or its public key.
    #[arg(value_name = "KEY")]
    pub key: String,
    /// Where the new private key goes: a new file (mode 0600; an existing
    /// one is refused), or - for standard output.
    #[arg(long, value_name = "FILE")]
    pub private_key_out: PathBuf,
    /// Delete the old key once the new one exists, its private key is
    /// written, its access list copied and it was read back; also when
    /// the old key is the one this command is signed in with, since the
    /// new key's private key is in hand by then.
    #[arg(long)]
    pub delete_old: bool,
    /// The organization, output and connection.
    #[command(flatten)]
    pub scope: Scope,
}

/// Arguments of `org-api-keys access-list add`.
#[derive(Debug, Args)]
pub struct AccessListAddArgs {
    /// The key: its ID or its public key.
    #[arg(value_name = "KEY")]
    pub key: String,
    /// IP addresses (192.0.2.1) or CIDR blocks (10.0.0.0/24) to add.
    #[arg(value_name = "IP|CIDR", required = true)]
    pub entries: Vec<String>,
    /// The organization, output and connection.
    #[command(flatten)]
    pub scope: Scope,
}

/// Arguments of `org-api-keys access-list delete`.
#[derive(Debug, Args)]
pub struct AccessListDeleteArgs {
    /// The key: its ID or its public key.
    #[arg(value_name = "KEY")]
    pub key: String,
    /// The entry to remove, as listed: an IP address or a CIDR block.
    #[arg(value_name = "IP|CIDR")]
    pub entry: String,
    /// The organization, output and connection.
    #[command(flatten)]
    pub scope: Scope,
}

/// Arguments of `org-api-keys delete`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).multiple(true).args(["keys", "from_file"])))]
pub struct DeleteArgs {
    /// The organization's ID (24 hexadecimal digits).
    #[arg(long, value_name = "ORG_ID", env = ORG_ID_VARIABLE, value_parser = NonEmptyStringValueParser::new())]
    pub org: String,
    /// The keys to delete: IDs (24 hexadecimal digits) or public keys (8
    /// lowercase letters or digits).
    #[arg(value_name = "KEY")]
    pub keys: Vec<String>,
    /// Read keys (IDs or public keys) from FILE ("-" for standard input):
    /// one per line, blank lines and "#" comments skipped.
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// Treat a key that does not exist as gone, like `rm -f`: it is
    /// reported `already gone` (not `deleted`) and the run can still exit 0.
    #[arg(long)]
    pub missing_ok: bool,
    /// Resolve the keys and print what would be deleted (ID, public key,
    /// description), without deleting anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Read each key back after its delete and expect it gone; a key still
    /// there is a failure (exit 10).
    #[arg(long)]
    pub verify: bool,
    /// Also delete the API key this command is signed in with (last, after
    /// the others). Without it, that key is refused (exit 9). Has no
    /// effect with a service account, which is no API key.
    #[arg(long)]
    pub allow_self: bool,
    /// How many keys are deleted at once (1 to 64).
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=i64::from(MAX_CONCURRENCY)))]
    pub concurrency: u16,
    /// How results are printed: a line of text per key (`deleted KEY`,
    /// `already gone KEY (CODE)` with --missing-ok, `not found KEY
    /// (CODE)`, `failed KEY: message`, `skipped KEY: reason`, `would
    /// delete KEY` with --dry-run), or a JSON object per key and a summary
    /// object.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// Where and how to connect.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}
