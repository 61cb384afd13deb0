//! Accepting connections and serving requests on them, one thread each.

use crate::errors::fault_response;
use crate::faults::Fault;
use crate::http::read_request;
use crate::shared::Shared;
use crate::stats::Counters;
use crate::{admin, dispatch, oauth, versioning};
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use std::collections::HashMap;
use std::io::{BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// An idle keep-alive connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Open connections, so that stopping the server can close them.
#[derive(Default)]
pub(crate) struct Connections {
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, TcpStream>>,
}

impl Connections {
    fn add(&self, stream: &TcpStream) -> Option<u64> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let clone = stream.try_clone().ok()?;
        self.open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, clone);
        Some(id)
    }

    fn remove(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }

    pub fn close_all(&self) {
        for (_, stream) in self.open.lock().unwrap_or_else(|p| p.into_inner()).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// Serves each connection `listener` accepts in a thread of its own,
/// over TLS when there is a `tls` configuration, until `stopping`.
pub(crate) fn accept_loop(
    listener: TcpListener,
    tls: Option<Arc<ServerConfig>>,
    shared: Arc<Shared>,
    connections: Arc<Connections>,
    stopping: Arc<AtomicBool>,
) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        Counters::bump(&shared.counters.connections);
        let (shared, connections, tls) =
            (Arc::clone(&shared), Arc::clone(&connections), tls.clone());
        thread::spawn(move || {
            let Some(id) = connections.add(&stream) else {
                return;
            };
            serve(&shared, stream, tls);
            connections.remove(id);
        });
    }
}

fn serve(shared: &Shared, stream: TcpStream, tls: Option<Arc<ServerConfig>>) {
    let Ok(peer) = stream.peer_addr() else { return };
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    match tls {
        None => exchange(shared, stream, peer.ip()),
        Some(config) => {
            let Ok(connection) = ServerConnection::new(config) else {
                return;
            };
            exchange(shared, StreamOwned::new(connection, stream), peer.ip());
        }
    }
}

/// Answers the requests that arrive on `stream`, plain or TLS, until the
/// client closes it or a request says `Connection: close`.
fn exchange(shared: &Shared, stream: impl Read + Write, peer: IpAddr) {
    let mut reader = BufReader::new(stream);
    while let Ok(Some(request)) = read_request(&mut reader) {
        let response = if request.path.starts_with("/__mock/") {
            admin::handle(shared, &request)
        } else {
            Counters::bump(&shared.counters.requests);
            if request.path == oauth::TOKEN_PATH {
                Counters::bump(&shared.counters.token_requests);
            } else if request.path == oauth::REVOKE_PATH {
                Counters::bump(&shared.counters.revoke_requests);
            }
            shared.request_log.record(&request);
            let (fault, delay) = {
                let mut faults = shared.faults();
                (faults.next(), faults.every_response_delay)
            };
            if fault.is_some() {
                Counters::bump(&shared.counters.faults);
            }
            thread::sleep(delay + fault.as_ref().and_then(Fault::delay).unwrap_or_default());
            let response = match fault {
                Some(Fault::Drop) => return,
                Some(Fault::LoseAnswer) => {
                    dispatch::handle(shared, &request, peer);
                    return;
                }
                Some(Fault::Status {
                    status,
                    retry_after,
                }) => fault_response(status, retry_after),
                Some(Fault::Delay { .. }) | None => dispatch::handle(shared, &request, peer),
            };
            versioning::label(&request, response)
        };
        if response
            .write_to(reader.get_mut(), request.keep_alive)
            .is_err()
            || !request.keep_alive
        {
            return;
        }
    }
}
