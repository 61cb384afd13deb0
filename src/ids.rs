//! Validation of Atlas object IDs before they go into a URL path.

use crate::Error;

/// Checks that `value` is an Atlas ObjectId: exactly 24 lowercase hex digits.
///
/// Anything else could change the request path (`../x`, `a?b`, `%2F`), so it
/// is refused before any byte leaves the machine. `name` is the parameter name
/// reported in the error.
pub(crate) fn check_object_id(name: &'static str, value: &str) -> Result<(), Error> {
    let reason = if value.is_empty() {
        "must not be empty".to_owned()
    } else if value.len() != 24 {
        format!(
            "must be 24 lowercase hex characters, got {} characters",
            value.chars().count()
        )
    } else if let Some(c) = value.chars().find(|c| !matches!(c, '0'..='9' | 'a'..='f')) {
        format!("must be 24 lowercase hex characters, found {c:?}")
    } else {
        return Ok(());
    };
    Err(Error::invalid(name, reason))
}

/// The bad IDs that the tests of every language share.
#[cfg(test)]
#[path = "../tests/fixtures/bad_ids.rs"]
mod fixture;

#[cfg(test)]
mod tests {
    use super::check_object_id;

    #[test]
    fn accepts_object_ids() {
        assert!(check_object_id("org_id", "5f1a2b3c4d5e6f7a8b9c0d1e").is_ok());
    }

    #[test]
    fn refuses_everything_else() {
        for bad in super::fixture::bad_ids() {
            let err = check_object_id("api_key_id", bad).unwrap_err();
            assert!(err.to_string().contains("api_key_id"), "{err}");
        }
    }
}
