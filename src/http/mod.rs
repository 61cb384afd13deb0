//! A sans-IO HTTP/1.1 client codec: a request head written into a buffer,
//! a response head and body read from bytes handed in. It owns no socket,
//! reads no clock and logs nothing, so every rule about what a server may
//! send is tested without a network, and no header or body byte (an
//! `Authorization` value, an access token, a private key) can reach a log
//! through it.
//!
//! Built on `httparse` for the response head; the rest (request encoding,
//! body framing, keep-alive) is the few hundred lines below. ureq-proto
//! was measured against it: see the commit that introduced this module.

mod body;
#[cfg(test)]
mod properties;
mod request;
mod response;

pub(crate) use body::{BodyDecoder, Framing, Progress};
pub(crate) use request::{write_request, RequestHead};
pub(crate) use response::{parse_head, ResponseHead, MAX_HEAD_BYTES};
