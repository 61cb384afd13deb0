//! Service accounts: a bearer token per client, fetched by one thread while
//! the others wait for it, replaced before it expires or once refused, and
//! given up when the client closes.

use super::token::{self, Bearer, Grant, Surrendered, TokenCache};
use crate::fork::{self, Generation};
use crate::secret::Secret;
use crate::Error;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A service account's credentials and its current token.
#[derive(Debug)]
pub(crate) struct ServiceAccountAuth {
    client_id: String,
    basic: Secret,
    cache: Mutex<TokenCache>,
    /// The lock held while a token is being fetched (Atlas rate-limits its
    /// token endpoint, so sixteen threads starting together must cause one
    /// fetch), one per fork generation: a child forked while a thread of
    /// its parent was fetching inherits that lock held, by a thread the
    /// child does not have, and must not wait on it.
    fetching: Mutex<(u64, Arc<Mutex<()>>)>,
    forks: &'static Generation,
}

impl ServiceAccountAuth {
    pub(crate) fn new(client_id: String, client_secret: Secret) -> Self {
        Self::watching(client_id, client_secret, fork::process())
    }

    /// Credentials whose fetch lock belongs to the process of `forks`.
    fn watching(client_id: String, client_secret: Secret, forks: &'static Generation) -> Self {
        ServiceAccountAuth {
            basic: token::basic_authorization(&client_id, &client_secret),
            client_id,
            cache: Mutex::new(TokenCache::default()),
            fetching: Mutex::new((forks.current(), Arc::default())),
            forks,
        }
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The token request's `Authorization` header.
    pub(crate) fn basic_authorization(&self) -> &str {
        self.basic.expose()
    }

    /// The cached token, or a new one from `fetch`, and whether it is new.
    /// Threads that find no token queue behind the one fetching and then
    /// use what it got.
    pub(crate) fn bearer<F: From<Error>>(
        &self,
        now: &dyn Fn() -> Instant,
        fetch: &mut dyn FnMut() -> Result<Grant, F>,
    ) -> Result<(Bearer, bool), F> {
        if let Some(bearer) = self.with_cache(|cache| cache.get(now())) {
            return Ok((bearer, false));
        }
        let lock = self.fetch_lock();
        let _fetching = lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(bearer) = self.with_cache(|cache| cache.get(now())) {
            return Ok((bearer, false));
        }
        log::debug!(
            "fetching an access token for service account {}",
            self.client_id
        );
        let grant = fetch()?;
        let bearer = self.with_cache(|cache| cache.store(grant, now(), std::process::id()));
        Ok((bearer, true))
    }

    /// This process's fetch lock; a new one after a fork.
    fn fetch_lock(&self) -> Arc<Mutex<()>> {
        let generation = self.forks.current();
        let _held = fork::hold_off();
        // The guarded pair is written whole: a panic cannot tear it.
        let mut fetching = self.fetching.lock().unwrap_or_else(|p| p.into_inner());
        if fetching.0 != generation {
            *fetching = (generation, Arc::default());
        }
        Arc::clone(&fetching.1)
    }

    /// The token to revoke as the client closes at `now`, forgotten here
    /// either way: `None` when there is none, it has expired, or another
    /// process minted it (this one is its fork, and they share it). A
    /// fetch in flight is not waited for: closing must be prompt.
    pub(crate) fn surrender(&self, now: Instant) -> Option<Secret> {
        match self.with_cache(|cache| cache.surrender(now, std::process::id())) {
            Surrendered::Revoke(token) => Some(token),
            Surrendered::Inherited => {
                log::debug!(
                    "not revoking the access token of service account {}: another \
                     process minted it and may still use it",
                    self.client_id
                );
                None
            }
            Surrendered::Nothing => None,
        }
    }

    /// Forgets the token of `generation`, which the server refused.
    pub(crate) fn discard(&self, generation: u64) {
        self.with_cache(|cache| cache.discard(generation));
    }

    /// `f` on the cache, under its lock, with forks held off
    /// ([`fork::hold_off`]) so that no child inherits the lock held. A
    /// poisoned lock only means a thread panicked while storing a token;
    /// the worst outcome of using the cache anyway is one extra fetch.
    fn with_cache<R>(&self, f: impl FnOnce(&mut TokenCache) -> R) -> R {
        let _held = fork::hold_off();
        f(&mut self.cache.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn grant() -> Grant {
        token::parse_grant(br#"{"access_token":"t","expires_in":3600}"#).unwrap()
    }

    #[test]
    fn sixteen_threads_cause_one_fetch() {
        let auth = ServiceAccountAuth::new("id".into(), Secret::new("s3cr3t-value"));
        let fetches = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..16 {
                s.spawn(|| {
                    auth.bearer::<Error>(&Instant::now, &mut || {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        Ok(grant())
                    })
                    .unwrap()
                });
            }
        });
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_forked_child_does_not_wait_for_its_parents_fetch() {
        static FORKS: Generation = Generation::new();
        let auth = ServiceAccountAuth::watching("id".into(), Secret::new("s3cr3t"), &FORKS);
        let (started, release) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
        std::thread::scope(|s| {
            // A thread of the parent, fetching when the process forks.
            let parent = s.spawn(|| {
                auth.bearer::<Error>(&Instant::now, &mut || {
                    started.wait();
                    release.wait();
                    Ok(grant())
                })
            });
            started.wait();
            FORKS.advance();
            // The child's first call fetches its own token at once.
            let (done, fetched) = std::sync::mpsc::channel();
            let auth = &auth;
            let child = s.spawn(move || {
                let bearer = auth.bearer::<Error>(&Instant::now, &mut || Ok(grant()));
                done.send(()).unwrap();
                bearer
            });
            let waited = fetched.recv_timeout(Duration::from_secs(10));
            release.wait();
            assert!(
                waited.is_ok(),
                "the child waited for the fetch a thread of its parent had started"
            );
            assert!(child.join().unwrap().unwrap().1, "a token of its own");
            parent.join().unwrap().unwrap();
        });
    }

    #[test]
    fn a_refused_token_is_fetched_again_and_expiry_follows_the_clock() {
        let auth = ServiceAccountAuth::new("id".into(), Secret::new("s3cr3t-value"));
        let t0 = Instant::now();
        let mut fetches = 0;
        let mut fetch = || -> Result<Grant, Error> {
            fetches += 1;
            Ok(grant())
        };
        let (first, new) = auth.bearer(&|| t0, &mut fetch).unwrap();
        assert!(new);
        let (again, new) = auth.bearer(&|| t0, &mut fetch).unwrap();
        assert!(!new && again.generation == first.generation);
        auth.discard(first.generation);
        let (second, new) = auth.bearer(&|| t0, &mut fetch).unwrap();
        assert!(new && second.generation != first.generation);
        let later = t0 + Duration::from_secs(3541);
        let (third, new) = auth.bearer(&|| later, &mut fetch).unwrap();
        assert!(new && third.generation != second.generation);
        assert_eq!(fetches, 3);
        assert!(!format!("{auth:?}").contains("s3cr3t"));
    }

    #[test]
    fn closing_surrenders_the_token_once_and_a_later_call_fetches_anew() {
        let auth = ServiceAccountAuth::new("id".into(), Secret::new("s3cr3t-value"));
        let t0 = Instant::now();
        let mut fetches = 0;
        let mut fetch = || -> Result<Grant, Error> {
            fetches += 1;
            Ok(grant())
        };
        assert!(
            auth.surrender(t0).is_none(),
            "nothing minted, nothing revoked"
        );
        auth.bearer(&|| t0, &mut fetch).unwrap();
        assert_eq!(auth.surrender(t0).unwrap().expose(), "t");
        assert!(auth.surrender(t0).is_none());
        let (_, new) = auth.bearer(&|| t0, &mut fetch).unwrap();
        assert!(new);
        assert_eq!(fetches, 2);
    }
}
