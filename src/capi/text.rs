//! Text handed to C: NUL-terminated copies a handle owns, read back as
//! pointers valid until the handle is freed.

use std::ffi::{c_char, CString};
use std::ptr;
use zeroize::Zeroizing;

/// A C string from text that may hold NUL bytes (a server's answer can);
/// they are replaced rather than silently truncating the text.
pub(crate) fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "\u{fffd}")).unwrap_or_default()
}

/// The pointer to an optional C string, NULL when absent.
pub(crate) fn optional(text: &Option<CString>) -> *const c_char {
    text.as_ref().map_or(ptr::null(), |t| t.as_ptr())
}

/// A secret's NUL-terminated copy, wiped when dropped. Allocated at its
/// final size, so no growing buffer leaves a copy behind; a NUL byte in
/// it (no real secret has one) ends it early for C, as C reads it.
pub(crate) fn secret_text(secret: &str) -> Zeroizing<Vec<u8>> {
    let mut text = Zeroizing::new(Vec::with_capacity(secret.len() + 1));
    text.extend_from_slice(secret.as_bytes());
    text.push(0);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_are_replaced_and_secrets_end_in_one_nul_without_spare_room() {
        assert_eq!(c_string("a\0b").to_str(), Ok("a\u{fffd}b"));
        assert!(optional(&None).is_null());
        let text = secret_text("6d6f636b-0000");
        assert_eq!(&text[..], b"6d6f636b-0000\0");
        assert_eq!(text.capacity(), text.len());
    }
}
