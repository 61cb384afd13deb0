//! Turning what the server sent into success or an [`Error`](crate::Error).

mod envelope;
mod error_body;

pub(crate) use envelope::unwrap_envelope;
pub(crate) use error_body::api_error;

/// The most of a response body this client ever keeps; the rest is not read,
/// so a hostile or broken server cannot make it allocate without bound.
pub(crate) const MAX_BODY_BYTES: u64 = 1024 * 1024;

/// A response with its body read (up to [`MAX_BODY_BYTES`]).
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub error_code_header: Option<String>,
    pub retry_after_header: Option<String>,
    pub location_header: Option<String>,
    pub content_type_header: Option<String>,
    pub body: Vec<u8>,
    /// When the answer arrived, by the client's clock: a `Retry-After`
    /// date counts from here.
    pub received_at: std::time::SystemTime,
    /// `host[:port]` of the server asked, for messages about answers that
    /// are not Atlas' own.
    pub server: String,
    /// The URL asked, without its query, for messages about paths Atlas
    /// does not serve.
    pub url: String,
}

/// A successful answer: its status and body (with `envelope=true`, the
/// wrapped status and content).
#[derive(Debug)]
pub(crate) struct Success {
    pub status: u16,
    pub body: Vec<u8>,
    /// The answer's `Content-Type`, named when its body cannot be read.
    pub content_type: Option<String>,
    /// How many attempts the call made; set by the transport's retry loop.
    pub attempts: u32,
}

/// Decides the outcome of a reply: any 2xx is success, unless the body is
/// an envelope (asked for with `envelope=true`) whose `status` says otherwise.
pub(crate) fn outcome(reply: Reply, envelope: bool) -> Result<Success, crate::Error> {
    let success = (200..300).contains(&reply.status);
    if !envelope {
        return if success {
            Ok(Success {
                status: reply.status,
                body: reply.body,
                content_type: reply.content_type_header,
                attempts: 1,
            })
        } else {
            Err(api_error(&reply, reply.status, &reply.body).into())
        };
    }
    match unwrap_envelope(&reply.body)? {
        None if success => Ok(Success {
            status: reply.status,
            body: reply.body,
            content_type: reply.content_type_header,
            attempts: 1,
        }),
        None => Err(api_error(&reply, reply.status, &reply.body).into()),
        Some((status, content)) if (200..300).contains(&status) => Ok(Success {
            status,
            body: content.into_bytes(),
            content_type: Some("application/json".to_owned()),
            attempts: 1,
        }),
        Some((status, content)) => Err(api_error(&reply, status, content.as_bytes()).into()),
    }
}
