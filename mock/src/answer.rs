//! Turning an answer into HTTP as Atlas does: JSON, indented with
//! `pretty=true`, and wrapped in `{"status", "content"}` with HTTP 200 when
//! the request asked for `envelope=true`.

use crate::http::{Request, Response};
use serde_json::{json, Value};

/// A successful answer: a status and, unless it is a 204, a JSON body.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Option<Value>,
}

impl Answer {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: Value) -> Self {
        Answer {
            status,
            body: Some(body),
        }
    }

    /// `204 No Content`.
    pub fn no_content() -> Self {
        Answer {
            status: 204,
            body: None,
        }
    }

    /// The HTTP response for `request`.
    pub fn render(&self, request: &Request) -> Response {
        match (&self.body, request.flag("envelope")) {
            (_, true) => enveloped(request, self.status, self.body.as_ref()),
            (Some(body), false) => Response::json(self.status, body, request.flag("pretty")),
            (None, false) => Response::empty(self.status),
        }
    }
}

/// HTTP 200 with `{"status": status, "content": body}` (an empty object
/// when there is no body, as for a 204).
pub(crate) fn enveloped(request: &Request, status: u16, body: Option<&Value>) -> Response {
    let content = body.cloned().unwrap_or_else(|| json!({}));
    Response::json(
        200,
        &json!({"status": status, "content": content}),
        request.flag("pretty"),
    )
}
