//! `/__mock/...`: controlling and inspecting the mock over HTTP, so C,
//! Python or shell tests can use the binary the way Rust tests use the library.
//!
//! - `GET  /__mock/stats`: the counters as JSON; `POST /__mock/stats/reset`
//!   (which also empties the request log)
//! - `GET  /__mock/requests`: the last API requests (method, target, accept,
//!   content_type, auth_scheme) as a JSON array, oldest first
//! - `POST /__mock/faults`: `{"fault": {"kind": "status", "status": 503}, "count": 2}`;
//!   kinds `drop`, `lose_answer`, `delay` (`"millis"`) and `status` (`"retry_after"`)
//! - `POST /__mock/delay`: `{"millis": 200}`, a delay before every API response
//! - `POST /__mock/reset`: drop queued faults and the delay
//! - `POST /__mock/expire-nonces`: make every issued nonce stale
//! - `POST /__mock/revoke-tokens`: forget every issued access token
//! - `GET  /__mock/keys`; `POST /__mock/keys`: `{"org_id": "...", "key_id": "..."}`

use crate::faults::Fault;
use crate::http::{Request, Response};
use crate::Shared;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Injection {
    fault: Fault,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Delay {
    millis: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewKey {
    org_id: String,
    key_id: String,
}

pub(crate) fn handle(shared: &Shared, request: &Request) -> Response {
    let route = request.path.trim_start_matches("/__mock");
    match (request.method.as_str(), route) {
        ("GET", "/stats") => ok(json!(shared.counters.snapshot())),
        ("POST", "/stats/reset") => {
            shared.reset_stats();
            Response::empty(204)
        }
        ("GET", "/requests") => ok(json!(shared.request_log.snapshot())),
        ("POST", "/faults") => match serde_json::from_slice::<Injection>(&request.body) {
            Ok(i) => {
                shared.faults().push(i.fault, i.count);
                Response::empty(204)
            }
            Err(e) => bad_request(&e.to_string()),
        },
        ("POST", "/delay") => match serde_json::from_slice::<Delay>(&request.body) {
            Ok(d) => {
                shared.faults().every_response_delay = Duration::from_millis(d.millis);
                Response::empty(204)
            }
            Err(e) => bad_request(&e.to_string()),
        },
        ("POST", "/reset") => {
            shared.faults().clear();
            Response::empty(204)
        }
        ("POST", "/expire-nonces") => {
            shared.digest.expire_all();
            Response::empty(204)
        }
        ("POST", "/revoke-tokens") => {
            shared.tokens.revoke_all();
            Response::empty(204)
        }
        ("GET", "/keys") => ok(json!(*shared.world())),
        ("POST", "/keys") => match serde_json::from_slice::<NewKey>(&request.body) {
            Ok(k) => {
                shared.world().entry(k.org_id).or_default().insert(k.key_id);
                Response::empty(201)
            }
            Err(e) => bad_request(&e.to_string()),
        },
        _ => Response::json(404, &json!({"error": "no such mock control"}), false),
    }
}

fn ok(value: serde_json::Value) -> Response {
    Response::json(200, &value, false)
}

fn bad_request(why: &str) -> Response {
    Response::json(400, &json!({ "error": why }), false)
}
