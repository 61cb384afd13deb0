//! `atlas_response`: the answer to atlas_call, with accessors.

use super::json::{c_text, wipe};
use super::panic::catch;
use crate::Response;
use std::ffi::c_char;
use std::ptr;
use zeroize::Zeroizing;

/// The answer to a successful atlas_call: its HTTP status and JSON body.
/// Opaque; read it with atlas_response_status and atlas_response_body and
/// release it with atlas_response_free, which wipes the body from memory
/// (it may hold a secret, e.g. a new API key's privateKey). Immutable, so
/// it may be read from any thread.
pub struct atlas_response {
    status: u16,
    /// The body as NUL-terminated JSON text; `None` when there was none.
    body: Option<Zeroizing<Vec<u8>>>,
}

impl From<Response> for atlas_response {
    /// Takes the core's answer, wiping its copy of the body once written
    /// as text.
    fn from(mut response: Response) -> Self {
        let body = response.body.as_mut().map(|value| {
            let text = c_text(value);
            wipe(value);
            text
        });
        atlas_response {
            status: response.status,
            body,
        }
    }
}

/// The HTTP status of the answer, e.g. 200 or 204 (with
/// ATLAS_CALL_ENVELOPE, the envelope's); 0 when `response` is NULL.
/// Thread-safe.
///
/// # Safety
/// `response` is NULL or a response from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_response_status(response: *const atlas_response) -> u16 {
    match response.as_ref() {
        Some(response) => catch(0, || response.status),
        None => 0,
    }
}

/// The answer's body as compact JSON text (NUL-terminated UTF-8), or NULL
/// when it had none (e.g. HTTP 204) or `response` is NULL. Owned by
/// `response`: valid until atlas_response_free, which wipes it. Thread-safe.
///
/// # Safety
/// `response` is NULL or a response from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_response_body(response: *const atlas_response) -> *const c_char {
    match response.as_ref() {
        Some(response) => catch(ptr::null(), || {
            response
                .body
                .as_ref()
                .map_or(ptr::null(), |text| text.as_ptr().cast())
        }),
        None => ptr::null(),
    }
}

/// Releases a response, wiping its body from memory first. NULL is
/// ignored. No other thread may be reading the response.
///
/// # Safety
/// `response` is NULL or a response from this library, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_response_free(response: *mut atlas_response) {
    if !response.is_null() {
        catch((), || drop(Box::from_raw(response)));
    }
}
