//! `atlas_client_cancel_all`: stopping the calls in flight on a client,
//! from another thread or a signal handler.

use super::client::{atlas_client, live};
use super::panic::catch;

/// Cancels every call in flight on `client`: each returns
/// ATLAS_STATUS_CANCELLED at the end of its current slice (within about
/// 200 ms) while it waits to retry or for an answer. Only calls in flight
/// are affected: a call started after this returns runs as usual (each
/// call notes the client's count of cancellations when it starts, and
/// stops when that count moves). A request already sent may have taken
/// effect; the connection of a cancelled call is closed, never reused.
/// Opening a connection (at most the connect timeout) and sending a
/// request are not cut into slices.
///
/// Async-signal-safe (one atomic add: no lock, no allocation), so a SIGINT
/// handler may call it, and thread-safe. NULL is ignored.
///
/// # Safety
/// `client` is NULL or a live client, not freed before this returns.
#[no_mangle]
pub unsafe extern "C" fn atlas_client_cancel_all(client: *const atlas_client) {
    // NULL is checked here: `live` would make (allocate) an error for it.
    if client.is_null() {
        return;
    }
    catch((), || {
        if let Ok(client) = live(client) {
            client.cancel_all();
        }
    });
}
