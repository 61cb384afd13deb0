//! The generic call: any method and path below the client's API base,
//! with the typed calls' authentication, retries, errors and secrets
//! hygiene.

use super::path::checked_path;
use super::{decode, CallOptions};
use crate::{Client, Error, Method};
use serde_json::Value;
use std::fmt;
use zeroize::Zeroize;

/// The answer to [`Client::call`]: its status and its body as JSON.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Response {
    /// The HTTP status (with `envelope`, the envelope's).
    pub status: u16,
    /// The body as JSON; `None` when there was none (a 204, say).
    pub body: Option<Value>,
}

/// Fields whose values are secrets wherever they appear in an answer
/// (a new API key's `privateKey`, an OAuth `access_token`); `Debug` shows
/// a placeholder for them.
const SECRET_FIELDS: [&str; 5] = [
    "privateKey",
    "access_token",
    "refresh_token",
    "client_secret",
    "secret",
];

/// The answer with every secret field's value replaced.
fn redacted(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| {
                    let shown = if SECRET_FIELDS.contains(&name.as_str()) {
                        Value::from("<redacted>")
                    } else {
                        redacted(value)
                    };
                    (name.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redacted).collect()),
        other => other.clone(),
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("body", &self.body.as_ref().map(redacted))
            .finish()
    }
}

impl Client {
    /// Calls any endpoint: `method` on `path` below the client's API base
    /// (e.g. `/orgs/{ORG-ID}/apiKeys`), with `query` pairs (escaped here)
    /// and an optional JSON `body`, under the same authentication, retries,
    /// errors and secrets hygiene as the typed calls. Its media type is
    /// the client's unless `options` names another (Atlas v2 versions each
    /// resource by date).
    ///
    /// The path is refused, with nothing sent, when it does not start with
    /// `/`, names a scheme or host, repeats the API's base path, holds a
    /// query, fragment, control characters, or `.`, `..` or empty segments.
    /// A `POST` or `PATCH` is retried only when it surely was not sent (the
    /// connection failed, or HTTP 429). Any 2xx is success; a body that is
    /// not JSON is [`Error::Protocol`], naming its content type.
    pub fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        options: &CallOptions,
    ) -> Result<Response, Error> {
        let path = checked_path(path, &self.base_url())?;
        let mut request = self.request_for_path(method, &path);
        for (name, value) in query {
            if name.is_empty() {
                return Err(Error::invalid("query", "a parameter has an empty name"));
            }
            request = request.query(name.to_string(), (*value).to_owned());
        }
        if let Some(body) = body {
            request = request.json(body.to_string().into_bytes());
        }
        let description = format!("{method} {path}");
        let mut success = self.send(request, options)?;
        let body = if success.body.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            decode::<Value>(&success, &description).map(Some)
        };
        // The answer may hold a secret (a new key's private key): only the
        // parsed copy, which the caller owns, is kept.
        success.body.zeroize();
        Ok(Response {
            status: success.status,
            body: body?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_hides_secret_fields_wherever_they_are() {
        let response = Response {
            status: 200,
            body: Some(json!({
                "id": "k1",
                "privateKey": "0c1b7a3e-secret",
                "results": [{"access_token": "tok-secret", "publicKey": "abcdefgh"}],
            })),
        };
        let shown = format!("{response:?}");
        assert!(
            shown.contains("abcdefgh") && shown.contains("<redacted>"),
            "{shown}"
        );
        assert!(
            !shown.contains("0c1b7a3e") && !shown.contains("tok-secret"),
            "{shown}"
        );
    }
}
