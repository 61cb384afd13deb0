//! Request authentication. Today HTTP Digest (Atlas programmatic API keys);
//! OAuth bearer tokens for service accounts will sit beside it.

mod challenge;
mod digest;

pub(crate) use challenge::digest_challenge;
pub(crate) use digest::DigestAuth;
