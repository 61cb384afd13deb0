//! Server-side HTTP Digest, as Atlas does it: nonces that expire and are
//! then answered `stale=true`, MD5 or SHA-256, `qop="auth"` or none, and an
//! optional replay check on the nonce count.

use crate::clock::MockClock;
use crate::config::{Algorithm, DigestSettings};
use crate::http::Request;
use crate::random::{hex, Random};
use crate::stats::Counters;
use md5::{Digest as _, Md5};
use sha2::Sha256;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The realm Atlas uses.
pub const REALM: &str = "MMS Public API";

/// Nonces are forgotten (not merely stale) after this many lifetimes.
const FORGET_AFTER_TTLS: u32 = 10;

struct NonceState {
    issued: Instant,
    algorithm: Algorithm,
    used_nc: HashSet<u32>,
    last_nc: u32,
}

/// The outcome of checking a request's `Authorization` header.
pub(crate) enum Verdict {
    /// Accepted for this public key.
    Authorized(String),
    /// Refused: answer 401 with fresh challenges, `stale` as given.
    Challenge { stale: bool },
}

/// Issues nonces and checks Digest answers, with lifetimes on the mock's clock.
pub(crate) struct DigestServer {
    settings: DigestSettings,
    random: Random,
    clock: Arc<MockClock>,
    nonces: Mutex<HashMap<String, NonceState>>,
}

impl DigestServer {
    /// A server that does Digest as `settings` say, on `clock`.
    pub fn new(settings: DigestSettings, clock: Arc<MockClock>) -> Self {
        DigestServer {
            settings,
            random: Random::default(),
            clock,
            nonces: Mutex::new(HashMap::new()),
        }
    }

    fn ttl(&self) -> Duration {
        Duration::from_secs(self.settings.nonce_ttl_secs)
    }

    /// Issues a nonce per offered algorithm and returns the header values.
    pub fn challenges(&self, stale: bool) -> Vec<String> {
        let mut nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        let forget = self.ttl() * FORGET_AFTER_TTLS;
        let now = self.clock.now();
        nonces.retain(|_, n| now.saturating_duration_since(n.issued) < forget);
        self.settings
            .algorithms
            .iter()
            .map(|&algorithm| {
                let nonce = self.random.hex(16);
                nonces.insert(
                    nonce.clone(),
                    NonceState {
                        issued: now,
                        algorithm,
                        used_nc: HashSet::new(),
                        last_nc: 0,
                    },
                );
                let qop = if self.settings.qop { ", qop=\"auth\"" } else { "" };
                format!(
                    "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{nonce}\", algorithm={}{qop}, stale={stale}",
                    algorithm.name()
                )
            })
            .collect()
    }

    /// Makes every nonce issued so far stale, as if its lifetime had passed.
    pub fn expire_all(&self) {
        let mut nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        let Some(past) = self
            .clock
            .now()
            .checked_sub(self.ttl() + Duration::from_secs(1))
        else {
            nonces.clear();
            return;
        };
        for state in nonces.values_mut() {
            state.issued = past;
        }
    }

    /// Checks the request's `Authorization` header; `password_of` gives
    /// the private key of a public key that may sign in.
    pub fn verify(
        &self,
        request: &Request,
        password_of: impl FnOnce(&str) -> Option<String>,
        counters: &Counters,
    ) -> Verdict {
        let refuse = Verdict::Challenge { stale: false };
        let Some(header) = request.header("authorization") else {
            return refuse;
        };
        let Some(params) = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
            .map(|(_, rest)| parse_params(rest))
        else {
            return refuse;
        };
        let param = |name: &str| params.get(name).map(String::as_str);
        let (Some(username), Some(realm), Some(nonce), Some(uri), Some(response)) = (
            param("username"),
            param("realm"),
            param("nonce"),
            param("uri"),
            param("response"),
        ) else {
            return refuse;
        };
        if realm != REALM || uri != request.target {
            return refuse;
        }
        let Some(password) = password_of(username) else {
            return refuse;
        };
        let mut nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        let Some(state) = nonces.get_mut(nonce) else {
            return refuse;
        };
        let algorithm = match param("algorithm") {
            None => Algorithm::Md5,
            Some(a) => match Algorithm::parse(a) {
                Some(a) => a,
                None => return refuse,
            },
        };
        if algorithm != state.algorithm {
            return refuse;
        }
        let ha1 = hash(algorithm, &format!("{username}:{REALM}:{password}"));
        let ha2 = hash(algorithm, &format!("{}:{uri}", request.method));
        let (expected, nc) = if self.settings.qop {
            let (Some("auth"), Some(nc_text), Some(cnonce)) =
                (param("qop"), param("nc"), param("cnonce"))
            else {
                return refuse;
            };
            let Ok(nc) = u32::from_str_radix(nc_text, 16) else {
                return refuse;
            };
            let expected = hash(
                algorithm,
                &format!("{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}"),
            );
            (expected, Some(nc))
        } else {
            (hash(algorithm, &format!("{ha1}:{nonce}:{ha2}")), None)
        };
        if expected != response {
            return refuse;
        }
        if self.clock.now().saturating_duration_since(state.issued) >= self.ttl() {
            return Verdict::Challenge { stale: true };
        }
        if let Some(nc) = nc {
            if !self
                .settings
                .nc_check
                .allows(nc, state.last_nc, &state.used_nc)
            {
                Counters::bump(&counters.nc_rejected);
                return refuse;
            }
            state.used_nc.insert(nc);
            state.last_nc = state.last_nc.max(nc);
        }
        Verdict::Authorized(username.to_owned())
    }
}

fn hash(algorithm: Algorithm, text: &str) -> String {
    match algorithm {
        Algorithm::Md5 => hex(&Md5::digest(text.as_bytes())),
        Algorithm::Sha256 => hex(&Sha256::digest(text.as_bytes())),
    }
}

/// Parses `name=value, name="quoted \" value"` pairs.
fn parse_params(text: &str) -> HashMap<String, String> {
    let mut params = HashMap::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if name.is_empty() {
            return params;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                value.push(c);
            }
        }
        params.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::parse_params;

    #[test]
    fn parses_quoted_and_plain_values() {
        let p = parse_params(r#"username="a\"b", nc=00000001, qop=auth, uri="/x?y=1,2""#);
        assert_eq!(p["username"], "a\"b");
        assert_eq!(p["nc"], "00000001");
        assert_eq!(p["qop"], "auth");
        assert_eq!(p["uri"], "/x?y=1,2");
    }
}
