//! Unpredictable values for nonces, tokens and new API keys: SHA-256 over a
//! per-instance random seed and a counter, which spares the mock a random
//! number crate and never repeats within one mock.

use sha2::{Digest as _, Sha256};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// The first group of every private key the mock creates: "mock" in hex.
pub const PRIVATE_KEY_MARKER: &str = "6d6f636b";

/// A source of random bytes and of the identifiers Atlas hands out.
pub(crate) struct Random {
    seed: u64,
    counter: AtomicU64,
}

impl Default for Random {
    fn default() -> Self {
        Random {
            seed: RandomState::new().build_hasher().finish(),
            counter: AtomicU64::new(0),
        }
    }
}

impl Random {
    /// 32 fresh bytes.
    fn block(&self) -> [u8; 32] {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut hasher = Sha256::new();
        hasher.update(self.seed.to_le_bytes());
        hasher.update(n.to_le_bytes());
        hasher.finalize().into()
    }

    /// `bytes` (at most 32) random bytes as lowercase hex.
    pub fn hex(&self, bytes: usize) -> String {
        hex(&self.block()[..bytes])
    }

    /// An ObjectId as Atlas writes it: 24 lowercase hex digits.
    pub fn object_id(&self) -> String {
        self.hex(12)
    }

    /// A programmatic API key's public key: 8 lowercase letters.
    pub fn public_key(&self) -> String {
        self.block()[..8]
            .iter()
            .map(|b| char::from(b'a' + b % 26))
            .collect()
    }

    /// A new API key's private key: a random (version 4) UUID whose first
    /// group is always [`PRIVATE_KEY_MARKER`], so a secret scan can find
    /// every private key the mock ever hands out. Atlas' masked form shows
    /// only the last group, so the marker never appears in a listing.
    pub fn private_key(&self) -> String {
        let uuid = self.uuid();
        format!("{PRIVATE_KEY_MARKER}{}", &uuid[8..])
    }

    /// A random (version 4) UUID.
    fn uuid(&self) -> String {
        let mut b = self.block();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex(&b[..16]);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

/// `bytes` as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::Random;

    #[test]
    fn makes_values_of_atlas_shapes_that_do_not_repeat() {
        let random = Random::default();
        let id = random.object_id();
        assert!(
            id.len() == 24
                && id
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        let public = random.public_key();
        assert!(public.len() == 8 && public.bytes().all(|b| b.is_ascii_lowercase()));
        let uuid = random.uuid();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{uuid}");
        assert_eq!(&uuid[14..15], "4", "{uuid}");
        let private = random.private_key();
        assert!(
            private.starts_with("6d6f636b-") && private.len() == 36,
            "{private}"
        );
        assert_ne!(random.object_id(), id);
        assert_ne!(random.hex(16), random.hex(16));
    }
}
