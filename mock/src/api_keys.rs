//! Organization API keys: list, get, create, update and delete, answered
//! as Atlas answers them.

use crate::answer::Answer;
use crate::body;
use crate::call::{Call, Outcome};
use crate::errors::AtlasError;
use crate::paging::Paging;
use crate::records::{is_org_role, is_valid_desc, ApiKey};
use crate::stats::Counters;
use serde_json::{json, Value};

/// A key as Atlas shows it, its private key masked (see [`shown_with`]).
pub(crate) fn shown(base_url: &str, org_id: &str, key: &ApiKey) -> Value {
    shown_with(base_url, org_id, key, &key.masked_private_key())
}

/// A key as Atlas shows it, with `private_key` as its `privateKey`: in
/// full only in the answer that creates it.
fn shown_with(base_url: &str, org_id: &str, key: &ApiKey, private_key: &str) -> Value {
    let roles: Vec<Value> = key
        .roles
        .iter()
        .map(|role| json!({"orgId": org_id, "roleName": role}))
        .collect();
    json!({
        "desc": key.desc,
        "id": key.id,
        "links": [{
            "href": format!("{base_url}/orgs/{org_id}/apiKeys/{}", key.id),
            "rel": "self",
        }],
        "privateKey": private_key,
        "publicKey": key.public_key,
        "roles": roles,
    })
}

/// `GET /orgs/{orgId}/apiKeys`: a page of keys in creation order.
pub(crate) fn list(call: &Call<'_>) -> Outcome {
    let paging = Paging::of(call.request)?;
    let world = call.shared.world();
    let org = call.org(&world)?;
    let (base, org_id) = (call.base_url(), call.param("orgId"));
    let results = org
        .in_order(paging.skip())
        .take(paging.items_per_page)
        .map(|key| shown(&base, org_id, key))
        .collect();
    let href = format!("{base}/orgs/{org_id}/apiKeys");
    let page = paging.page(&href, results, org.len());
    Counters::bump(&call.shared.counters.listed);
    Ok(Answer::json(200, page))
}

/// `GET /orgs/{orgId}/apiKeys/{apiUserId}`.
pub(crate) fn get(call: &Call<'_>) -> Outcome {
    let world = call.shared.world();
    let key = call.key(&world)?;
    Counters::bump(&call.shared.counters.fetched);
    Ok(Answer::json(
        200,
        shown(&call.base_url(), call.param("orgId"), key),
    ))
}

/// `POST /orgs/{orgId}/apiKeys` with `{"desc", "roles"}`: the new key,
/// its private key in full this once.
pub(crate) fn create(call: &Call<'_>) -> Outcome {
    let org_id = call.param("orgId");
    let mut world = call.shared.world();
    call.org(&world)?;
    let map = body::object(&call.request.body, &["desc", "roles"])?;
    let desc = checked_desc(body::string(&map, "desc")?)?;
    let roles = checked_roles(body::strings(&map, "roles")?, org_id)?;
    let key = ApiKey {
        desc: desc.to_owned(),
        roles,
        ..ApiKey::default()
    };
    let key = world
        .insert(org_id, key, call.shared.clock.wall())
        .map_err(|e| AtlasError::unexpected(&e.to_string()))?;
    Counters::bump(&call.shared.counters.created);
    let shown = shown_with(&call.base_url(), org_id, &key, &key.private_key);
    Ok(Answer::json(call.flavour.created_status(), shown))
}

/// `PATCH /orgs/{orgId}/apiKeys/{apiUserId}` with `desc` and/or `roles`.
pub(crate) fn update(call: &Call<'_>) -> Outcome {
    let org_id = call.param("orgId");
    let mut world = call.shared.world();
    call.key(&world)?;
    let map = body::object(&call.request.body, &["desc", "roles"])?;
    let desc = match body::string(&map, "desc")? {
        None => None,
        given => Some(checked_desc(given)?.to_owned()),
    };
    let roles = match body::strings(&map, "roles")? {
        None => None,
        given => Some(checked_roles(given, org_id)?),
    };
    let key = call.key_mut(&mut world)?;
    if let Some(desc) = desc {
        key.desc = desc;
    }
    if let Some(roles) = roles {
        key.roles = roles;
    }
    Counters::bump(&call.shared.counters.updated);
    Ok(Answer::json(200, shown(&call.base_url(), org_id, key)))
}

/// `DELETE /orgs/{orgId}/apiKeys/{apiUserId}`: 204.
pub(crate) fn delete(call: &Call<'_>) -> Outcome {
    let mut world = call.shared.world();
    call.org(&world)?;
    world
        .remove(call.param("orgId"), call.param("apiUserId"))
        .ok_or_else(|| call.key_not_found())?;
    Counters::bump(&call.shared.counters.deleted);
    Ok(Answer::no_content())
}

/// A description Atlas accepts (1 to 250 characters), else `INVALID_API_KEY_DESC`.
fn checked_desc(desc: Option<&str>) -> Result<&str, AtlasError> {
    desc.filter(|d| is_valid_desc(d))
        .ok_or_else(AtlasError::invalid_api_key_desc)
}

/// Roles Atlas accepts for a key of `org_id`: at least one, each an
/// organization role; repeats are dropped.
fn checked_roles(roles: Option<Vec<&str>>, org_id: &str) -> Result<Vec<String>, AtlasError> {
    let roles = roles.unwrap_or_default();
    if roles.is_empty() {
        return Err(AtlasError::missing_api_key_roles());
    }
    let mut kept: Vec<String> = Vec::with_capacity(roles.len());
    for role in roles {
        if !is_org_role(role) {
            // Project roles are real Atlas roles, just not for an organization.
            return Err(if role.starts_with("GROUP_") {
                AtlasError::invalid_role_for_org(role, org_id)
            } else {
                AtlasError::invalid_enum_value(role)
            });
        }
        if !kept.iter().any(|k| k == role) {
            kept.push(role.to_owned());
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::{checked_desc, checked_roles};

    const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";

    #[test]
    fn descriptions_have_1_to_250_characters() {
        assert_eq!(checked_desc(Some("ci")), Ok("ci"));
        for bad in [None, Some(""), Some(&*"x".repeat(251))] {
            assert_eq!(checked_desc(bad).unwrap_err().code, "INVALID_API_KEY_DESC");
        }
    }

    #[test]
    fn roles_are_organization_roles() {
        assert_eq!(
            checked_roles(Some(vec!["ORG_OWNER", "ORG_READ_ONLY", "ORG_OWNER"]), ORG),
            Ok(vec!["ORG_OWNER".to_owned(), "ORG_READ_ONLY".to_owned()])
        );
        for (roles, code) in [
            (None, "MISSING_API_KEY_ROLES"),
            (Some(vec![]), "MISSING_API_KEY_ROLES"),
            (
                Some(vec!["ORG_MEMBER", "GROUP_OWNER"]),
                "INVALID_ROLE_FOR_ORG",
            ),
            (Some(vec!["org_member"]), "INVALID_ENUM_VALUE"),
        ] {
            assert_eq!(
                checked_roles(roles.clone(), ORG).unwrap_err().code,
                code,
                "{roles:?}"
            );
        }
    }
}
