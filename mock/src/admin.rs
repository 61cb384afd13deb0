//! `/__mock/...`: controlling and inspecting the mock over HTTP, so C,
//! Python or shell tests can use the binary the way Rust tests use the library.
//!
//! - `GET  /__mock/stats`: the counters and gauges (`active_tokens`) as
//!   JSON; `POST /__mock/stats/reset` (which also empties the request log;
//!   gauges are not counters and stay)
//! - `GET  /__mock/requests`: the last API requests (method, target, accept,
//!   content_type, auth_scheme) as a JSON array, oldest first
//! - `POST /__mock/faults`: `{"fault": {"kind": "status", "status": 503}, "count": 2}`;
//!   kinds `drop`, `lose_answer`, `delay` (`"millis"`) and `status` (`"retry_after"`)
//! - `POST /__mock/delay`: `{"millis": 200}`, a delay before every API response
//! - `POST /__mock/rate-limit`: `{"capacity": 20, "refill_per_sec": 20}`, a
//!   token bucket (full at first) that every authenticated API request takes
//!   from; optional `"status"` (429), `"error_code"`
//!   (`RATE_LIMITED_TOKEN_BUCKET`) and `"retry_after"` (true) shape its
//!   refusals. `DELETE /__mock/rate-limit` lifts it
//! - `POST /__mock/reset`: drop queued faults and the delay
//! - `POST /__mock/expire-nonces`: make every issued nonce stale
//! - `POST /__mock/revoke-tokens`: forget every issued access token
//! - `POST /__mock/keys`: `{"org_id": "...", "key_id": "..."}` (a key with
//!   made-up fields), or `{"org_id": "...", "api_key": {...}}` (a record as
//!   in `MockConfig::api_keys`; answers it as stored, private key included)
//! - `GET  /__mock/keys`: `{org: [key IDs]}`; `GET /__mock/keys?org=ORG`: that
//!   organization's records in creation order, private keys masked
//! - `GET  /__mock/clock`: `{"offset_millis", "wall"}`; `POST /__mock/clock/advance`:
//!   `{"millis": 1500}` moves the mock's clock forward

use crate::clock::rfc3339;
use crate::faults::Fault;
use crate::http::{Request, Response};
use crate::rate_limit::{Bucket, RateLimit};
use crate::records::{AccessListEntry, ApiKey};
use crate::shared::Shared;
use serde::Deserialize;
use serde_json::{json, Value};
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
    key_id: Option<String>,
    api_key: Option<ApiKey>,
}

/// Serves one `/__mock/` control.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Response {
    let route = request.path.trim_start_matches("/__mock");
    match (request.method.as_str(), route) {
        ("GET", "/stats") => ok(json!(shared.stats())),
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
        ("POST", "/rate-limit") => match serde_json::from_slice::<RateLimit>(&request.body) {
            Ok(limit) => match Bucket::new(limit, shared.clock.now()) {
                Ok(bucket) => {
                    *shared.rate_limit() = Some(bucket);
                    Response::empty(204)
                }
                Err(why) => bad_request(&why),
            },
            Err(e) => bad_request(&e.to_string()),
        },
        ("DELETE", "/rate-limit") => {
            *shared.rate_limit() = None;
            Response::empty(204)
        }
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
        ("GET", "/keys") => match request.query_value("org") {
            None => ok(json!(shared.world().key_ids())),
            Some(org_id) => {
                let world = shared.world();
                let keys = world.org(org_id).map(|org| {
                    let records: Vec<Value> = org.in_order(0).map(|k| record(k, false)).collect();
                    records
                });
                match keys {
                    Some(records) => ok(json!(records)),
                    None => not_found(&format!("no organization {org_id}")),
                }
            }
        },
        ("POST", "/keys") => match serde_json::from_slice::<NewKey>(&request.body) {
            Ok(NewKey {
                org_id,
                key_id: Some(key_id),
                api_key: None,
            }) => {
                shared.world().add_key_id(&org_id, &key_id);
                Response::empty(201)
            }
            Ok(NewKey {
                org_id,
                key_id: None,
                api_key: Some(key),
            }) => {
                let now = shared.clock.wall();
                match shared.world().insert(&org_id, key, now) {
                    Ok(stored) => Response::json(201, &record(&stored, true), false),
                    Err(e) => bad_request(&e.to_string()),
                }
            }
            Ok(_) => bad_request("give exactly one of key_id and api_key"),
            Err(e) => bad_request(&e.to_string()),
        },
        ("GET", "/clock") => ok(clock(shared)),
        ("POST", "/clock/advance") => match serde_json::from_slice::<Delay>(&request.body) {
            Ok(d) => {
                shared.clock.advance(Duration::from_millis(d.millis));
                ok(clock(shared))
            }
            Err(e) => bad_request(&e.to_string()),
        },
        _ => not_found("no such mock control"),
    }
}

/// The clock's state: how far it is ahead of real time and its calendar now.
fn clock(shared: &Shared) -> Value {
    json!({
        "offset_millis": u64::try_from(shared.clock.offset().as_millis()).unwrap_or(u64::MAX),
        "wall": rfc3339(shared.clock.wall()),
    })
}

/// A record in the form `POST /__mock/keys` takes, the private key masked
/// unless `with_private_key`.
fn record(key: &ApiKey, with_private_key: bool) -> Value {
    let private_key = if with_private_key {
        key.private_key.clone()
    } else {
        key.masked_private_key()
    };
    let entries: Vec<Value> = key.access_list.iter().map(entry).collect();
    json!({
        "id": key.id,
        "public_key": key.public_key,
        "private_key": private_key,
        "desc": key.desc,
        "roles": key.roles,
        "access_list": entries,
    })
}

fn entry(entry: &AccessListEntry) -> Value {
    json!({
        "cidr_block": entry.cidr_block,
        "ip_address": entry.ip_address,
        "created": entry.created,
        "count": entry.count,
        "last_used": entry.last_used,
        "last_used_address": entry.last_used_address,
    })
}

fn ok(value: serde_json::Value) -> Response {
    Response::json(200, &value, false)
}

fn bad_request(why: &str) -> Response {
    Response::json(400, &json!({ "error": why }), false)
}

fn not_found(why: &str) -> Response {
    Response::json(404, &json!({ "error": why }), false)
}
