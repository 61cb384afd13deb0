//! A string that must never be printed and is wiped from memory when dropped.

use std::fmt;
use zeroize::Zeroizing;

/// A secret: a private key, a service account's client secret, or an
/// access token.
///
/// `Debug` prints a placeholder, there is no `Display`, and the bytes are
/// zeroized on drop so a core dump taken after the client is gone holds no key.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Takes ownership of `value`; it is wiped when the last copy is dropped.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret itself; callers must only feed it to a hash, never to a formatter.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6");
        let shown = format!("{s:?}");
        assert!(!shown.contains("0c1b7a3e"), "{shown}");
        assert_eq!(s.expose(), "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6");
    }
}
