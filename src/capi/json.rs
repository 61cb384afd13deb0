//! JSON that may hold secrets (a created key's `privateKey`, a database
//! user's password): its text for C written without stray copies, and its
//! strings wiped before their memory is released.

use serde_json::Value;
use std::io;
use zeroize::{Zeroize, Zeroizing};

/// Counts the bytes written to it.
struct Length(usize);

impl io::Write for Length {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `value` as compact JSON text ending in a NUL byte, wiped when dropped.
/// Measured first, then written into a buffer of exactly that size, so no
/// growing buffer leaves a copy behind. JSON escapes control characters,
/// so the only NUL is the last byte.
pub(crate) fn c_text(value: &Value) -> Zeroizing<Vec<u8>> {
    let mut length = Length(0);
    // Writing a Value to a writer that never fails cannot fail.
    let _ = serde_json::to_writer(&mut length, value);
    let mut text = Zeroizing::new(Vec::with_capacity(length.0 + 1));
    let _ = serde_json::to_writer(&mut *text, value);
    text.push(0);
    text
}

/// Wipes every string in `value`, object keys included, and empties it.
pub(crate) fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(fields) => {
            for (mut name, mut field) in std::mem::take(fields) {
                name.zeroize();
                wipe(&mut field);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    *value = Value::Null;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_compact_json_with_one_nul_at_the_end_and_no_spare_room() {
        let value = json!({"privateKey": "k\u{0}ey", "n": [1, 2.5, null, true], "é": "ü"});
        let text = c_text(&value);
        let (last, body) = text.split_last().unwrap();
        assert_eq!(*last, 0);
        assert!(!body.contains(&0));
        assert_eq!(serde_json::from_slice::<Value>(body).unwrap(), value);
        assert_eq!(text.capacity(), text.len(), "measured exactly: no regrowth");
    }

    #[test]
    fn wipe_empties_every_string() {
        let mut value = json!({"a": ["secret", {"b": "secret"}], "c": 1});
        wipe(&mut value);
        assert_eq!(value, Value::Null);
    }
}
