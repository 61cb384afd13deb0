//! The command line, declared with clap's derive API.
//!
//! There is deliberately no flag that takes a secret: argv is visible to
//! every user of the machine (`ps`, `/proc/PID/cmdline`). Secrets come from
//! the environment, the Atlas CLI profile, or a file named on the command
//! line.

mod org_api_keys;

pub use org_api_keys::*;

use crate::data::Data;
use crate::exit;
use atlas_admin::{Api, CallOptions, Method};
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use std::path::PathBuf;
use std::str::FromStr;

/// The Atlas CLI's variable for the organization, read when `--org` is
/// not given (so the quick starts and the command line take it alike).
pub const ORG_ID_VARIABLE: &str = "MONGODB_ATLAS_ORG_ID";

/// The most workers `--concurrency` allows: more would only earn 429s.
pub const MAX_CONCURRENCY: u16 = 64;

/// atlas-admin: the MongoDB Atlas Administration API from the shell.
#[derive(Debug, Parser)]
#[command(
    name = "atlas-admin",
    version,
    about = "The MongoDB Atlas Administration API from the shell",
    after_help = exit::help(),
    propagate_version = true
)]
pub struct Cli {
    /// Options of every call to Atlas, accepted before or after the
    /// subcommand.
    #[command(flatten)]
    pub call: CallArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options of every call, whatever the command: the one place they become
/// the core's [`CallOptions`].
#[derive(Debug, Args)]
pub struct CallArgs {
    /// Ask Atlas to pretty-print its answers (`pretty=true`); `api` also
    /// prints the body indented, as it does on a terminal.
    #[arg(long, global = true, help_heading = "Call options")]
    pub pretty: bool,
    /// Ask Atlas to wrap its answers in an envelope (`envelope=true`); the
    /// envelope's status then decides the outcome.
    #[arg(long, global = true, help_heading = "Call options")]
    pub envelope: bool,
}

impl CallArgs {
    /// The core's options for every call of this run.
    pub fn options(&self) -> CallOptions {
        CallOptions::new()
            .pretty(self.pretty)
            .envelope(self.envelope)
    }
}

/// The top-level subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Organization API keys.
    #[command(subcommand)]
    OrgApiKeys(OrgApiKeys),
    /// Call any endpoint of the Administration API and print the answer's
    /// JSON body.
    ///
    /// The body is printed on standard output, indented on a terminal or
    /// with --pretty, else on one line; nothing for an empty body. Errors
    /// go to standard error. With --output json, one object holds the
    /// outcome, the HTTP status, the error fields and the body.
    ///
    /// Credentials come from the environment or the Atlas CLI profile, or
    /// from --public-key with --private-key-file (or --client-id with
    /// --client-secret-file), as for every command.
    #[command(after_help = exit::help())]
    Api(Box<ApiArgs>),
    /// Print a shell completion script to standard output.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff) to standard output, or write one page per
    /// command into a directory.
    Man {
        /// Write atlas-admin.1 and a page for each subcommand here instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Arguments of `api`.
#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The HTTP method: GET, POST, PUT, PATCH or DELETE (any case).
    #[arg(value_name = "METHOD", value_parser = Method::from_str)]
    pub method: Method,
    /// The path below the API's base URL, e.g. /orgs/ORG_ID/apiKeys.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// A query parameter, NAME=VALUE (split at the first "="; escaped when
    /// sent). Repeat for more.
    #[arg(long = "query", value_name = "NAME=VALUE", value_parser = query_pair)]
    pub query: Vec<(String, String)>,
    /// The JSON request body: the text itself, @FILE, or @- for standard
    /// input. Refused before sending when it is not JSON.
    #[arg(long, value_name = "JSON|@FILE|@-", value_parser = Data::from_str)]
    pub data: Option<Data>,
    /// The resource version to ask for, a date (YYYY-MM-DD): Atlas v2
    /// versions each resource by date (`Accept:
    /// application/vnd.atlas.DATE+json`).
    #[arg(long, value_name = "DATE")]
    pub api_version: Option<String>,
    /// How the result is printed: the body as JSON, or one JSON object
    /// with the outcome, the status, the error fields and the body.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// Where and how to connect.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// `NAME=VALUE`, split at the first `=` (a value may hold more).
fn query_pair(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("{text:?} is not NAME=VALUE"))
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Text for people.
    Text,
    /// JSON lines for programs: one object per line.
    Json,
}

/// Where the API is and who calls it.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// The Atlas CLI profile to read credentials and the host from
    /// (`default` when not given).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The API flavour: atlas-v1 (the default), atlas-v2 or ops-manager.
    #[arg(long, value_name = "API", value_parser = Api::from_str)]
    pub api: Option<Api>,
    /// The full API base URL.
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "host",
        help = "The full API base URL, e.g. https://ops.example.com:8443/api/public/v1.0"
    )]
    pub base_url: Option<String>,
    /// The host the API lives on.
    #[arg(
        long,
        value_name = "URL",
        help = "The host the API lives on (default https://cloud.mongodb.com)"
    )]
    pub host: Option<String>,
    /// The public key of an API key, with --private-key-file. Not secret.
    #[arg(long, value_name = "KEY", requires = "private_key_file")]
    pub public_key: Option<String>,
    /// A file holding the private key (a trailing newline is ignored).
    #[arg(
        long,
        value_name = "PATH",
        requires = "public_key",
        conflicts_with_all = ["client_id", "client_secret_file"]
    )]
    pub private_key_file: Option<PathBuf>,
    /// A service account's client ID, with --client-secret-file. Not secret.
    #[arg(long, value_name = "ID", requires = "client_secret_file")]
    pub client_id: Option<String>,
    /// A file holding the service account's client secret.
    #[arg(long, value_name = "PATH", requires = "client_id")]
    pub client_secret_file: Option<PathBuf>,
    /// How many times the client retries one failed request (connection
    /// failures, timeouts, 429, 5xx) before the call fails; the library's
    /// default unless given.
    #[arg(long, value_name = "N")]
    pub max_retries: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn api_names_are_the_cores() {
        let cli = Cli::try_parse_from([
            "atlas-admin",
            "org-api-keys",
            "delete",
            "--org",
            "o",
            "--api",
            "ops-manager",
            "k",
        ])
        .unwrap();
        let Command::OrgApiKeys(OrgApiKeys::Delete(args)) = cli.command else {
            panic!("not a delete");
        };
        assert_eq!(args.connection.api, Some(Api::OpsManager));
        let err = Cli::try_parse_from([
            "atlas-admin",
            "org-api-keys",
            "delete",
            "--org",
            "o",
            "--api",
            "atlas-v3",
            "k",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("\"atlas-v2\""), "{err}");
    }

    #[test]
    fn call_options_are_global_and_become_the_cores() {
        let both = CallOptions::new().pretty(true).envelope(true);
        for (line, options) in [
            (
                &["--pretty", "--envelope", "org-api-keys", "delete"][..],
                &both,
            ),
            (&["org-api-keys", "--envelope", "delete", "--pretty"], &both),
            (
                &["org-api-keys", "delete", "--pretty"],
                &CallOptions::new().pretty(true),
            ),
            (&["org-api-keys", "delete"], &CallOptions::new()),
        ] {
            let args = ["atlas-admin"]
                .iter()
                .chain(line)
                .chain(&["--org", "o", "k"]);
            let cli = Cli::try_parse_from(args).unwrap();
            assert_eq!(&cli.call.options(), options, "{line:?}");
        }
    }

    #[test]
    fn api_takes_a_method_a_path_and_repeated_queries() {
        let cli = Cli::try_parse_from([
            "atlas-admin",
            "api",
            "patch",
            "/orgs/o/apiKeys/k",
            "--query",
            "a=1=2",
            "--query",
            "b=",
            "--data",
            "{\"desc\":\"x\"}",
            "--api-version",
            "2024-08-05",
        ])
        .unwrap();
        let Command::Api(args) = cli.command else {
            panic!("not api");
        };
        assert_eq!(args.method, Method::Patch);
        assert_eq!(args.path, "/orgs/o/apiKeys/k");
        let pairs = [("a", "1=2"), ("b", "")].map(|(n, v)| (n.to_owned(), v.to_owned()));
        assert_eq!(args.query, pairs);
        assert_eq!(
            args.data,
            Some(Data::Json(serde_json::json!({"desc": "x"})))
        );
        assert_eq!(args.api_version.as_deref(), Some("2024-08-05"));
        for bad in [&["--query", "a"][..], &["--data", "{"], &["--data", "@"]] {
            let line = ["atlas-admin", "api", "GET", "/orgs"].iter().chain(bad);
            assert!(Cli::try_parse_from(line).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn concurrency_must_be_positive() {
        for bad in ["0", "65", "x"] {
            let parsed = Cli::try_parse_from([
                "atlas-admin",
                "org-api-keys",
                "delete",
                "--org",
                "o",
                "--concurrency",
                bad,
                "k",
            ]);
            assert!(parsed.is_err(), "{bad}");
        }
    }
}
