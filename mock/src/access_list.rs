//! An API key's access list: list, add, get and delete entries, answered
//! as Atlas answers them.

use crate::address::Block;
use crate::answer::Answer;
use crate::body;
use crate::call::{Call, Outcome};
use crate::clock::rfc3339;
use crate::errors::AtlasError;
use crate::paging::Paging;
use crate::percent;
use crate::records::{AccessListEntry, ApiKey};
use crate::stats::Counters;
use serde_json::{json, Value};
use std::net::IpAddr;

/// An entry as Atlas shows it.
fn shown(list_href: &str, entry: &AccessListEntry) -> Value {
    let name = entry.ip_address.as_deref().unwrap_or(&entry.cidr_block);
    let mut shown = json!({
        "cidrBlock": entry.cidr_block,
        "count": entry.count,
        "created": entry.created,
        "links": [{"href": format!("{list_href}/{}", percent::encode(name)), "rel": "self"}],
    });
    for (field, value) in [
        ("ipAddress", &entry.ip_address),
        ("lastUsed", &entry.last_used),
        ("lastUsedAddress", &entry.last_used_address),
    ] {
        if let Some(value) = value {
            shown[field] = json!(value);
        }
    }
    shown
}

/// `{base}/orgs/{orgId}/apiKeys/{apiUserId}/accessList`.
fn list_href(call: &Call<'_>) -> String {
    format!(
        "{}/orgs/{}/apiKeys/{}/accessList",
        call.base_url(),
        call.param("orgId"),
        call.param("apiUserId")
    )
}

/// A page of `key`'s access list.
fn page(call: &Call<'_>, paging: Paging, key: &ApiKey) -> Value {
    let href = list_href(call);
    let results = key
        .access_list
        .iter()
        .skip(paging.skip())
        .take(paging.items_per_page)
        .map(|entry| shown(&href, entry))
        .collect();
    paging.page(&href, results, key.access_list.len())
}

/// `GET .../accessList`: a page of entries, oldest first.
pub(crate) fn list(call: &Call<'_>) -> Outcome {
    let paging = Paging::of(call.request)?;
    let world = call.shared.world();
    let key = call.key(&world)?;
    Counters::bump(&call.shared.counters.access_listed);
    Ok(Answer::json(200, page(call, paging, key)))
}

/// `POST .../accessList` with `[{"ipAddress": ...} | {"cidrBlock": ...}]`:
/// all added or, on any error, none; answers the first page.
pub(crate) fn add(call: &Call<'_>) -> Outcome {
    let paging = Paging::of(call.request)?;
    let mut world = call.shared.world();
    call.key(&world)?;
    let Value::Array(items) = body::parse(&call.request.body)? else {
        return Err(AtlasError::invalid_json());
    };
    let created = rfc3339(call.shared.clock.wall());
    let mut new_entries: Vec<AccessListEntry> = Vec::with_capacity(items.len());
    for item in &items {
        let entry = requested_entry(item, &created)?;
        if new_entries.iter().any(|e| e.cidr_block == entry.cidr_block) {
            return Err(AtlasError::duplicate_addresses_in_input());
        }
        new_entries.push(entry);
    }
    let key = call.key_mut(&mut world)?;
    if let Some(entry) = new_entries.iter().find(|new| {
        key.access_list
            .iter()
            .any(|old| old.cidr_block == new.cidr_block)
    }) {
        let name = entry.ip_address.as_deref().unwrap_or(&entry.cidr_block);
        return Err(AtlasError::address_already_in_access_list(name));
    }
    let added = new_entries.len() as u64;
    key.access_list.extend(new_entries);
    Counters::add(&call.shared.counters.access_added, added);
    Ok(Answer::json(
        call.flavour.created_status(),
        page(call, paging, key),
    ))
}

/// One item of an add request as a new entry created at `created`.
fn requested_entry(item: &Value, created: &str) -> Result<AccessListEntry, AtlasError> {
    let Value::Object(map) = item else {
        return Err(AtlasError::invalid_json());
    };
    body::only(map, &["ipAddress", "cidrBlock"])?;
    let (ip_address, block) = match (
        body::string(map, "ipAddress")?,
        body::string(map, "cidrBlock")?,
    ) {
        (Some(_), Some(_)) => return Err(AtlasError::both_ip_and_cidr()),
        (None, None) => return Err(AtlasError::neither_ip_nor_cidr()),
        (Some(ip), None) => {
            let address: IpAddr = ip
                .parse()
                .map_err(|_| AtlasError::invalid_ip_address_or_cidr(ip))?;
            (Some(ip.to_owned()), Block::of_ip(address))
        }
        (None, Some(cidr)) => (
            None,
            Block::parse(cidr).ok_or_else(|| AtlasError::invalid_ip_address_or_cidr(cidr))?,
        ),
    };
    Ok(AccessListEntry {
        cidr_block: block.to_string(),
        ip_address,
        created: created.to_owned(),
        ..AccessListEntry::default()
    })
}

/// The position of the `{ipAddress}` entry (an address or a CIDR block)
/// in `key`'s list; `400` when it is neither, `404` when it is not there.
fn position(call: &Call<'_>, key: &ApiKey) -> Result<usize, AtlasError> {
    let name = call.param("ipAddress");
    let block = Block::parse(name).ok_or_else(|| AtlasError::invalid_ip_address_or_cidr(name))?;
    let wanted = block.to_string();
    key.access_list
        .iter()
        .position(|entry| entry.cidr_block == wanted)
        .ok_or_else(|| AtlasError::access_list_entry_not_found(name, &key.id))
}

/// `GET .../accessList/{ipAddress}`: one entry.
pub(crate) fn get(call: &Call<'_>) -> Outcome {
    let world = call.shared.world();
    let key = call.key(&world)?;
    let entry = &key.access_list[position(call, key)?];
    Counters::bump(&call.shared.counters.access_listed);
    Ok(Answer::json(200, shown(&list_href(call), entry)))
}

/// `DELETE .../accessList/{ipAddress}` (a CIDR block's `/` sent as `%2F`):
/// 204. A key may not remove the entry its own caller is let in by.
pub(crate) fn delete(call: &Call<'_>) -> Outcome {
    let mut world = call.shared.world();
    let key = call.key_mut(&mut world)?;
    let at = position(call, key)?;
    let lets_caller_in = Block::parse(&key.access_list[at].cidr_block)
        .is_some_and(|block| block.contains(call.peer));
    if lets_caller_in && call.caller.public_key() == Some(key.public_key.as_str()) {
        return Err(AtlasError::cannot_remove_caller(&call.peer.to_string()));
    }
    key.access_list.remove(at);
    Counters::bump(&call.shared.counters.access_removed);
    Ok(Answer::no_content())
}
