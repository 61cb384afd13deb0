//! Sending one API request: the Digest handshake around single round trips.

mod round_trip;
mod transport_error;

use crate::response::Reply;
use crate::{auth, Client, Error};

/// What the request that drew a 401 carried.
enum Attempt {
    /// No credentials: the client has not seen a challenge yet.
    Anonymous,
    /// An answer to a remembered challenge.
    Preemptive(String),
    /// An answer to the challenge received during this call.
    Fresh(String),
}

impl Attempt {
    fn authorization(&self) -> Option<&str> {
        match self {
            Attempt::Anonymous => None,
            Attempt::Preemptive(h) | Attempt::Fresh(h) => Some(h),
        }
    }
}

impl Client {
    /// Sends `method` to `target` (path and query below the origin) and
    /// returns the final reply, after at most one fresh Digest answer (and
    /// one more if that answer's nonce went stale). A 401 that survives is
    /// returned as a reply, for the caller to report as unauthorized.
    pub(crate) fn send(&self, method: &str, target: &str) -> Result<Reply, Error> {
        let url = format!("{}{}", self.origin(), target);
        let auth = self.digest();
        let mut attempt = match auth.preemptive(method, target)? {
            Some(header) => Attempt::Preemptive(header),
            None => Attempt::Anonymous,
        };
        let mut stale_renewed = false;
        loop {
            let (reply, challenges) = self.round_trip(method, &url, attempt.authorization())?;
            if reply.status != 401 {
                return Ok(reply);
            }
            let challenge = match (auth::digest_challenge(&challenges), &attempt) {
                (Ok(challenge), _) => challenge,
                (Err(_), Attempt::Fresh(_)) => return Ok(reply),
                (Err(e), _) => return Err(e),
            };
            let answer_again = match attempt {
                Attempt::Anonymous | Attempt::Preemptive(_) => true,
                Attempt::Fresh(_) => {
                    challenge.stale && !std::mem::replace(&mut stale_renewed, true)
                }
            };
            if !answer_again {
                return Ok(reply);
            }
            attempt = Attempt::Fresh(auth.answer(challenge, method, target)?);
        }
    }
}
