//! Reading JSON request bodies as Atlas does: `INVALID_JSON` for what is
//! not JSON of the expected type, `INVALID_ATTRIBUTE` for an attribute the
//! resource does not have, `INVALID_JSON_ATTRIBUTE` for one of the wrong type.

use crate::errors::AtlasError;
use serde_json::{Map, Value};

/// The body parsed as JSON.
pub(crate) fn parse(body: &[u8]) -> Result<Value, AtlasError> {
    serde_json::from_slice(body).map_err(|_| AtlasError::invalid_json())
}

/// The body as a JSON object with no attributes but `allowed`.
pub(crate) fn object(body: &[u8], allowed: &[&str]) -> Result<Map<String, Value>, AtlasError> {
    match parse(body)? {
        Value::Object(map) => {
            only(&map, allowed)?;
            Ok(map)
        }
        _ => Err(AtlasError::invalid_json()),
    }
}

/// `INVALID_ATTRIBUTE` for the first attribute of `map` not in `allowed`.
pub(crate) fn only(map: &Map<String, Value>, allowed: &[&str]) -> Result<(), AtlasError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(name) => Err(AtlasError::invalid_attribute(name)),
        None => Ok(()),
    }
}

/// Attribute `name` as a string, when present.
pub(crate) fn string<'a>(
    map: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, AtlasError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(AtlasError::invalid_json_attribute(name)),
    }
}

/// Attribute `name` as a list of strings, when present.
pub(crate) fn strings<'a>(
    map: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<&'a str>>, AtlasError> {
    let Some(value) = map.get(name) else {
        return Ok(None);
    };
    value
        .as_array()
        .and_then(|items| items.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
        .map(Some)
        .ok_or_else(|| AtlasError::invalid_json_attribute(name))
}

#[cfg(test)]
mod tests {
    use super::{object, string, strings};

    #[test]
    fn reads_objects_and_their_attributes() {
        let map = object(br#"{"desc": "d", "roles": ["A", "B"]}"#, &["desc", "roles"]).unwrap();
        assert_eq!(string(&map, "desc").unwrap(), Some("d"));
        assert_eq!(strings(&map, "roles").unwrap(), Some(vec!["A", "B"]));
        assert_eq!(string(&map, "other").unwrap(), None);
        assert_eq!(
            strings(&map, "desc").unwrap_err().code,
            "INVALID_JSON_ATTRIBUTE"
        );
        assert_eq!(
            string(&map, "roles").unwrap_err().code,
            "INVALID_JSON_ATTRIBUTE"
        );
    }

    #[test]
    fn refuses_what_is_not_an_object_of_known_attributes() {
        for (body, code) in [
            (&b"{"[..], "INVALID_JSON"),
            (b"", "INVALID_JSON"),
            (b"[]", "INVALID_JSON"),
            (b"\"desc\"", "INVALID_JSON"),
            (br#"{"desc": "d", "id": "x"}"#, "INVALID_ATTRIBUTE"),
        ] {
            assert_eq!(object(body, &["desc"]).unwrap_err().code, code);
        }
        let roles = object(br#"{"roles": ["A", 1]}"#, &["roles"]).unwrap();
        assert_eq!(strings(&roles, "roles").unwrap_err().parameters, ["roles"]);
    }
}
