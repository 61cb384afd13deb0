//! Kept-alive connections waiting for the next request, most recently
//! used first; after a fork, only the child's own (see [`crate::fork`]).

use super::connection::Connection;
use super::tcp;
use crate::fork::{self, Generation};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A connection that answered more recently than this is reused without a
/// probe. Servers close idle connections after seconds (Apache's
/// KeepAliveTimeout is 5 s); one that closes sooner without saying so makes
/// the next request fail as a network I/O error before any answer, which a
/// delete retries. Each probe costs a system call, as much as the send.
pub(super) const PROBE_AFTER_IDLE: Duration = Duration::from_secs(1);

/// The idle connections of one client (it talks to one origin: the token
/// endpoint shares it).
#[derive(Debug)]
pub(crate) struct Pool {
    idle: Mutex<Idle>,
    max_idle: usize,
    /// The process's fork generation, which connections are stamped with.
    forks: &'static Generation,
}

/// The idle connections and the fork generation they were pooled in.
#[derive(Debug)]
struct Idle {
    connections: Vec<Connection>,
    generation: u64,
}

impl Pool {
    /// A pool keeping up to `max_idle` connections; 0 keeps none.
    pub(crate) fn new(max_idle: usize) -> Self {
        Self::watching(max_idle, fork::process())
    }

    /// A pool whose connections belong to the process of `forks`.
    pub(super) fn watching(max_idle: usize, forks: &'static Generation) -> Self {
        Pool {
            idle: Mutex::new(Idle {
                connections: Vec::new(),
                generation: forks.current(),
            }),
            max_idle,
            forks,
        }
    }

    /// Marks a connection just opened as this process's.
    pub(super) fn adopt(&self, connection: &mut Connection) {
        connection.generation = self.forks.current();
    }

    /// The most recently used idle connection that is still open at `now`
    /// (by the client's clock): one that answered within
    /// [`PROBE_AFTER_IDLE`] is taken as it is, an older one is probed and
    /// closed if its server has closed it or sent something unasked.
    /// Connections pooled before this process was forked are its parent's:
    /// they are closed (the descriptors only) and never used.
    pub(super) fn take(&self, now: Instant) -> Option<Connection> {
        loop {
            let connection = {
                let _held = fork::hold_off();
                self.idle().connections.pop()
            }?;
            let idle_for = now.saturating_duration_since(connection.answered_at);
            if idle_for < PROBE_AFTER_IDLE || tcp::probe(connection.stream().tcp()) {
                return Some(connection);
            }
            log::debug!(
                "closing a pooled connection its server closed (idle {:.1} s)",
                idle_for.as_secs_f64()
            );
        }
    }

    /// Keeps `connection` for the next request; the least recently used
    /// one is closed when the pool is full. One opened before this process
    /// was forked is closed instead.
    pub(super) fn put(&self, connection: Connection) {
        if self.max_idle == 0 || connection.generation != self.forks.current() {
            return;
        }
        let _held = fork::hold_off();
        let idle = &mut self.idle().connections;
        if idle.len() >= self.max_idle {
            idle.remove(0);
        }
        idle.push(connection);
    }

    /// The idle connections of this process, under the lock; those pooled
    /// before a fork are dropped first. Dropping a connection closes its
    /// descriptor and writes nothing: a parent's connection stays open in
    /// the parent. Callers hold forks off while they hold it
    /// ([`fork::hold_off`]).
    fn idle(&self) -> MutexGuard<'_, Idle> {
        // A poisoned lock only means another thread panicked while moving a
        // connection; the list itself is still sound.
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let generation = self.forks.current();
        if idle.generation != generation {
            idle.connections.clear();
            idle.generation = generation;
        }
        idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::stream::Stream;
    use std::net::{TcpListener, TcpStream};

    /// A connection to a listener, answered at `at`, and the server's end.
    fn connection(listener: &TcpListener, at: Instant) -> (Connection, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (Connection::new(Stream::Plain(client), at), server)
    }

    fn port_of(connection: &Connection) -> u16 {
        connection.stream().tcp().local_addr().unwrap().port()
    }

    #[test]
    fn most_recently_used_first_and_bounded() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let now = Instant::now();
        let pool = Pool::new(2);
        let mut ports = Vec::new();
        let mut servers = Vec::new();
        for _ in 0..3 {
            let (connection, server) = connection(&listener, now);
            ports.push(port_of(&connection));
            servers.push(server);
            pool.put(connection);
        }
        assert_eq!(port_of(&pool.take(now).unwrap()), ports[2]);
        assert_eq!(port_of(&pool.take(now).unwrap()), ports[1]);
        assert!(pool.take(now).is_none(), "the oldest was closed");
        let none = Pool::new(0);
        none.put(connection(&listener, now).0);
        assert!(none.take(now).is_none());
    }

    #[test]
    fn only_connections_idle_for_a_while_are_probed() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let answered = Instant::now();
        let pool = Pool::new(4);
        let (closed, server) = connection(&listener, answered);
        drop(server);
        // A blocking peek returns 0 once the server's FIN has arrived.
        assert_eq!(closed.stream().tcp().peek(&mut [0]).unwrap(), 0);
        let closed_port = port_of(&closed);
        // Its server is gone, but it answered a moment ago: taken unprobed
        // (a request on it fails before any answer and is retried).
        pool.put(closed);
        let taken = pool.take(answered + Duration::from_millis(999)).unwrap();
        assert_eq!(port_of(&taken), closed_port);
        pool.put(taken);
        // Idle long enough to be probed: found closed and dropped.
        let later = answered + PROBE_AFTER_IDLE;
        assert!(pool.take(later).is_none());
        let (open, _server) = connection(&listener, answered);
        let open_port = port_of(&open);
        pool.put(open);
        assert_eq!(port_of(&pool.take(later).unwrap()), open_port);
    }
}
