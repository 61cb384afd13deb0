//! `atlas-admin-mock`: run the mock Atlas as a process and print its URL.

use atlas_admin_mock::{
    Algorithm, Credential, MockAtlas, MockConfig, NcCheck, RateLimit, ServiceAccount, TlsFiles,
};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
Usage: atlas-admin-mock [OPTIONS]

Serves an emulated MongoDB Atlas Administration API on 127.0.0.1 and prints
its base URL (http://127.0.0.1:PORT/api/atlas/v1.0) on the first line of
standard output; with --tls-cert and --tls-key, the base URL of the same
Atlas over HTTPS (https://127.0.0.1:PORT2/api/atlas/v1.0) on the second.
Runs until killed. Controls live under /__mock/ (see docs/mock.md).

With --print-env it prints shell lines instead, to paste into another shell
(or source from a file the output went to), so that the quick starts, the
command line and other tools reading the MongoDB Atlas variables call it:
  unset MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET MONGODB_ATLAS_OPS_MANAGER_URL
  export MONGODB_ATLAS_BASE_URL=http://127.0.0.1:PORT/api/atlas/v1.0
  export MONGODB_ATLAS_PUBLIC_API_KEY=...  MONGODB_ATLAS_PRIVATE_API_KEY=...
  export MONGODB_ATLAS_ORG_ID=...
  # API keys of ORG_ID to delete: ID...
The key pair is the first --credential, else a new ORG_OWNER key of the
organization (the first configured, else 5f1a2b3c4d5e6f7a8b9c0d1e); when
that organization has no other key, five are made to delete, the keys the
README's quick starts delete: 6a1b2c3d4e5f6a7b8c9d0e1f, ...0e2f, ...0e3f,
...0e4f and ...0e5f.

Options:
  --port N                 port to listen on; 0 (default) picks a free one
  --config FILE            start from a JSON file (orgs, keys, api_keys, credentials,
                           digest, service_accounts, token_lifetime_secs, token_cap,
                           rate_limit)
  --org ORG_ID             an organization that exists (repeatable)
  --key ORG_ID:KEY_ID      an API key that exists, with a made-up key pair,
                           description and role ORG_MEMBER (repeatable)
  --credential PUB:PRIV    a key pair the mock accepts (repeatable)
  --algorithm MD5|SHA-256  a Digest algorithm to offer, in order (repeatable)
  --no-qop                 RFC 2069 Digest, without qop and nc
  --nonce-ttl SECS         nonce lifetime before stale=true (default 300)
  --nc-check MODE          nonce counts accepted per nonce: off (default), unique,
                           increasing, or exact (last + 1, as Apache checks them)
  --service-account CLIENT_ID:SECRET
                           a service account that may get access tokens from
                           POST /api/oauth/token (repeatable)
  --token-lifetime SECS    access token lifetime (default 3600)
  --tls-cert FILE          also serve HTTPS, on a port of its own, with this PEM
                           certificate chain (leaf first) ...
  --tls-key FILE           ... and this PEM private key
  --token-cap N            live access tokens one service account may hold;
                           past it POST /api/oauth/token answers 403
                           access_denied, as Atlas does (default 100)
  --rate-limit CAPACITY:REFILL_PER_SEC
                           a token bucket every authenticated API request takes
                           from (after authentication, as on Atlas); refusals are
                           429 RATE_LIMITED_TOKEN_BUCKET with Retry-After
  --rate-limit-status N    the status of those refusals instead, e.g. 400
  --rate-limit-code CODE   their errorCode instead, e.g. INVITATIONS_RATE_LIMITED_IP
  --no-retry-after         refusals without Retry-After (Atlas sends it only sometimes)
  --print-env              print the shell lines above instead of the base URL(s)
  --help                   this text";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("atlas-admin-mock: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut port = 0u16;
    let mut config = MockConfig::default();
    let mut algorithms = Vec::new();
    let mut rate_limit: Option<RateLimit> = None;
    let (mut refusal_status, mut refusal_code, mut retry_after) = (None, None, true);
    let (mut tls_cert, mut tls_key) = (None, None);
    let mut print_env = false;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--port" => port = value()?.parse().map_err(|_| "--port needs a number")?,
            "--config" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                config = serde_json::from_str(&text)
                    .map_err(|e| format!("{path} is not a valid mock config: {e}"))?;
            }
            "--org" => config.orgs.push(value()?),
            "--key" => {
                let pair = value()?;
                let (org, key) = pair.split_once(':').ok_or("--key needs ORG_ID:KEY_ID")?;
                config.keys.entry(org.into()).or_default().push(key.into());
            }
            "--credential" => {
                let pair = value()?;
                let (public, private) = pair
                    .split_once(':')
                    .ok_or("--credential needs PUBLIC_KEY:PRIVATE_KEY")?;
                config.credentials.push(Credential::new(public, private));
            }
            "--algorithm" => {
                let name = value()?;
                algorithms
                    .push(Algorithm::parse(&name).ok_or(format!("unknown algorithm {name:?}"))?);
            }
            "--no-qop" => config.digest.qop = false,
            "--nonce-ttl" => {
                config.digest.nonce_ttl_secs =
                    value()?.parse().map_err(|_| "--nonce-ttl needs seconds")?;
            }
            "--nc-check" => {
                let mode = value()?;
                config.digest.nc_check =
                    NcCheck::parse(&mode).ok_or(format!("unknown --nc-check mode {mode:?}"))?;
            }
            "--service-account" => {
                let pair = value()?;
                let (id, secret) = pair
                    .split_once(':')
                    .ok_or("--service-account needs CLIENT_ID:SECRET")?;
                config
                    .service_accounts
                    .push(ServiceAccount::new(id, secret));
            }
            "--token-lifetime" => {
                config.token_lifetime_secs = value()?
                    .parse()
                    .map_err(|_| "--token-lifetime needs seconds")?;
            }
            "--rate-limit" => {
                let pair = value()?;
                let parsed = pair.split_once(':').and_then(|(capacity, refill)| {
                    Some(RateLimit::new(capacity.parse().ok()?, refill.parse().ok()?))
                });
                rate_limit = Some(parsed.ok_or("--rate-limit needs CAPACITY:REFILL_PER_SEC")?);
            }
            "--rate-limit-status" => {
                refusal_status = Some(
                    value()?
                        .parse()
                        .map_err(|_| "--rate-limit-status needs a status")?,
                );
            }
            "--rate-limit-code" => refusal_code = Some(value()?),
            "--no-retry-after" => retry_after = false,
            "--print-env" => print_env = true,
            "--tls-cert" => tls_cert = Some(value()?.into()),
            "--tls-key" => tls_key = Some(value()?.into()),
            "--token-cap" => {
                config.token_cap = value()?
                    .parse()
                    .map_err(|_| "--token-cap needs a number of tokens")?;
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if !algorithms.is_empty() {
        config.digest.algorithms = algorithms;
    }
    if let Some(mut limit) = rate_limit {
        limit.status = refusal_status.unwrap_or(limit.status);
        limit.error_code = refusal_code.unwrap_or(limit.error_code);
        limit.retry_after = retry_after;
        limit
            .check()
            .map_err(|why| format!("--rate-limit: {why}"))?;
        config.rate_limit = Some(limit);
    } else if refusal_status.is_some() || refusal_code.is_some() || !retry_after {
        return Err(
            "--rate-limit-status, --rate-limit-code and --no-retry-after need --rate-limit".into(),
        );
    }
    match (tls_cert, tls_key) {
        (Some(cert), Some(key)) => config.tls = Some(TlsFiles { cert, key }),
        (None, None) => {}
        _ => return Err("--tls-cert and --tls-key go together".into()),
    }
    // --print-env makes a key to sign in with when given none.
    if config.credentials.is_empty() && config.service_accounts.is_empty() && !print_env {
        eprintln!(
            "atlas-admin-mock: no --credential or --service-account given; every request will be refused"
        );
    }
    let org_id = config.first_org();
    let credential = config.credentials.first().cloned();
    let atlas = MockAtlas::start_on_port(config, port).map_err(|e| match e.kind() {
        // A configuration the mock cannot serve, named by the error.
        std::io::ErrorKind::InvalidInput => format!("invalid configuration: {e}"),
        _ => format!("cannot serve on 127.0.0.1:{port}: {e}"),
    })?;
    // One write, so that a reader that sees the first line sees them all.
    let text = if print_env {
        atlas
            .shell_env(&org_id, credential.as_ref())
            .map_err(|e| format!("--print-env: {e}"))?
    } else {
        let mut urls = format!("{}\n", atlas.base_url());
        if let Some(url) = atlas.tls_base_url() {
            urls.push_str(&format!("{url}\n"));
        }
        urls
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())?;
    drop(out);
    loop {
        std::thread::park();
    }
}
