//! `envelope=true` responses: `{"status": <real status>, "content": <body>}`.

use crate::Error;
use serde_json::Value;

/// Reads an envelope body. Returns the real status and the wrapped body as
/// JSON text, or `None` when the body is empty (a 204 has nothing to wrap).
///
/// Older Atlas docs call the wrapped field `envelope` instead of `content`;
/// both are accepted.
pub(crate) fn unwrap_envelope(body: &[u8]) -> Result<Option<(u16, String)>, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Error::protocol(format!(
            "envelope=true was requested but the body is not JSON ({e})"
        ))
    })?;
    let status = value
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| {
            Error::protocol(
                "envelope=true was requested but the body has no valid numeric \"status\"",
            )
        })?;
    let content = value
        .get("content")
        .or_else(|| value.get("envelope"))
        .map(Value::to_string)
        .unwrap_or_default();
    Ok(Some((status, content)))
}

#[cfg(test)]
mod tests {
    use super::unwrap_envelope;

    #[test]
    fn reads_status_and_content() {
        let (status, content) = unwrap_envelope(br#"{"status":404,"content":{"errorCode":"X"}}"#)
            .unwrap()
            .unwrap();
        assert_eq!(status, 404);
        assert_eq!(content, r#"{"errorCode":"X"}"#);
    }

    #[test]
    fn accepts_the_older_field_name() {
        let (status, content) = unwrap_envelope(br#"{"status":200,"envelope":{}}"#)
            .unwrap()
            .unwrap();
        assert_eq!((status, content.as_str()), (200, "{}"));
    }

    #[test]
    fn empty_body_is_no_envelope() {
        assert_eq!(unwrap_envelope(b" \n").unwrap(), None);
    }

    #[test]
    fn refuses_what_is_not_an_envelope() {
        for body in [
            &b"<html>"[..],
            b"[]",
            br#"{"status":"404"}"#,
            br#"{"status":70000}"#,
        ] {
            assert!(unwrap_envelope(body).is_err());
        }
    }
}
