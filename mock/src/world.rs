//! The mock's world: organizations, the API keys in each (in creation
//! order), and who may sign in with which key pair.

use crate::address::Block;
use crate::clock::rfc3339;
use crate::config::Credential;
use crate::random::Random;
use crate::records::{
    is_object_id, is_org_role, is_valid_desc, AccessListEntry, ApiKey, RecordError, DEFAULT_ROLE,
    MAX_DESC_CHARS,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::time::SystemTime;

/// One organization's API keys.
#[derive(Default)]
pub(crate) struct Org {
    /// Each key with its place in the creation order.
    keys: HashMap<String, (u64, ApiKey)>,
    /// Key IDs in creation order.
    order: BTreeMap<u64, String>,
}

impl Org {
    /// The key with this ID.
    pub fn get(&self, id: &str) -> Option<&ApiKey> {
        self.keys.get(id).map(|(_, key)| key)
    }

    /// How many keys the organization has.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Keys in creation order, `skip` of them skipped.
    pub fn in_order(&self, skip: usize) -> impl Iterator<Item = &ApiKey> {
        self.order.values().skip(skip).filter_map(|id| self.get(id))
    }
}

/// How signing in as a public key fares against its access lists.
pub(crate) enum Admission {
    /// Allowed from this address.
    Allowed,
    /// Refused: the address is not on an access list of this key.
    Refused,
}

/// Organizations, their keys, and the credentials the mock accepts.
pub(crate) struct World {
    orgs: BTreeMap<String, Org>,
    /// Key pairs from the configuration, which belong to no organization.
    credentials: Vec<Credential>,
    /// Every key's public key -> (organization, key ID).
    by_public_key: HashMap<String, (String, String)>,
    /// Public keys of credentials that a key took over: they sign in only
    /// while that key exists.
    claimed: HashSet<String>,
    next_seq: u64,
    random: Random,
}

impl World {
    /// An empty world accepting `credentials`.
    pub fn new(credentials: Vec<Credential>) -> Self {
        World {
            orgs: BTreeMap::new(),
            credentials,
            by_public_key: HashMap::new(),
            claimed: HashSet::new(),
            next_seq: 0,
            random: Random::default(),
        }
    }

    /// Makes organization `org_id` exist.
    pub fn add_org(&mut self, org_id: &str) {
        self.orgs.entry(org_id.to_owned()).or_default();
    }

    /// Organization `org_id`.
    pub fn org(&self, org_id: &str) -> Option<&Org> {
        self.orgs.get(org_id)
    }

    /// Every organization with its key IDs in creation order.
    pub fn key_ids(&self) -> BTreeMap<&str, Vec<&str>> {
        self.orgs
            .iter()
            .map(|(org_id, org)| {
                let ids = org.order.values().map(String::as_str).collect();
                (org_id.as_str(), ids)
            })
            .collect()
    }

    /// Makes key `key_id` exist in `org_id` (and the organization with
    /// it), with made-up keys, description and role; does nothing when it
    /// exists already. The ID is not checked: one that is no ObjectId
    /// cannot be reached over the API anyway.
    pub fn add_key_id(&mut self, org_id: &str, key_id: &str) {
        if self
            .org(org_id)
            .is_some_and(|org| org.get(key_id).is_some())
        {
            return;
        }
        let key = self.complete(ApiKey::with_id(key_id));
        self.store(org_id, key);
    }

    /// Adds `key` to `org_id` (creating the organization), making up the
    /// fields left empty (see [`ApiKey`]); returns the key as stored.
    pub fn insert(
        &mut self,
        org_id: &str,
        key: ApiKey,
        now: SystemTime,
    ) -> Result<ApiKey, RecordError> {
        let refuse = |why: String| Err(RecordError(why));
        if !is_object_id(org_id) {
            return refuse(format!(
                "organization ID {org_id:?} is not 24 lowercase hex digits"
            ));
        }
        let mut key = self.complete(key);
        if !is_object_id(&key.id) {
            return refuse(format!(
                "API key ID {:?} is not 24 lowercase hex digits",
                key.id
            ));
        }
        if self
            .org(org_id)
            .is_some_and(|org| org.get(&key.id).is_some())
        {
            return refuse(format!("API key {} already exists in {org_id}", key.id));
        }
        if key.public_key.is_empty() || key.public_key.contains([':', '"']) {
            return refuse(format!(
                "public key {:?} cannot be a Digest user name",
                key.public_key
            ));
        }
        if let Some((other_org, other)) = self.by_public_key.get(&key.public_key) {
            return refuse(format!(
                "public key {} already belongs to API key {other} in {other_org}",
                key.public_key
            ));
        }
        if !is_valid_desc(&key.desc) {
            return refuse(format!(
                "a description has 1 to {MAX_DESC_CHARS} characters"
            ));
        }
        if let Some(role) = key.roles.iter().find(|r| !is_org_role(r)) {
            return refuse(format!("{role} is not an organization role"));
        }
        let mut entries = Vec::with_capacity(key.access_list.len());
        for entry in std::mem::take(&mut key.access_list) {
            entries.push(seeded_entry(entry, now)?);
        }
        key.access_list = entries;
        Ok(self.store(org_id, key))
    }

    /// Fills in what a new key left empty.
    fn complete(&self, mut key: ApiKey) -> ApiKey {
        if key.id.is_empty() {
            key.id = self.random.object_id();
        }
        if key.public_key.is_empty() {
            key.public_key = loop {
                let candidate = self.random.public_key();
                if !self.by_public_key.contains_key(&candidate)
                    && self.credential(&candidate).is_none()
                {
                    break candidate;
                }
            };
        }
        if key.private_key.is_empty() {
            key.private_key = match self.credential(&key.public_key) {
                Some(credential) => credential.private_key.clone(),
                None => self.random.private_key(),
            };
        }
        if key.desc.is_empty() {
            key.desc = format!("Mock API key {}", key.id);
        }
        if key.roles.is_empty() {
            key.roles = vec![DEFAULT_ROLE.to_owned()];
        }
        key
    }

    /// Stores a complete key last in its organization's order.
    fn store(&mut self, org_id: &str, key: ApiKey) -> ApiKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.credential(&key.public_key).is_some() {
            self.claimed.insert(key.public_key.clone());
        }
        self.by_public_key
            .insert(key.public_key.clone(), (org_id.to_owned(), key.id.clone()));
        let org = self.orgs.entry(org_id.to_owned()).or_default();
        org.order.insert(seq, key.id.clone());
        org.keys.insert(key.id.clone(), (seq, key.clone()));
        key
    }

    /// Removes key `key_id` from `org_id`.
    pub fn remove(&mut self, org_id: &str, key_id: &str) -> Option<ApiKey> {
        let org = self.orgs.get_mut(org_id)?;
        let (seq, key) = org.keys.remove(key_id)?;
        org.order.remove(&seq);
        self.by_public_key.remove(&key.public_key);
        Some(key)
    }

    /// Key `key_id` of `org_id`, to change its description, roles or access
    /// list (its IDs and key pair never change).
    pub fn key_mut(&mut self, org_id: &str, key_id: &str) -> Option<&mut ApiKey> {
        self.orgs
            .get_mut(org_id)?
            .keys
            .get_mut(key_id)
            .map(|(_, key)| key)
    }

    /// The configured credential with this public key.
    pub fn credential(&self, public_key: &str) -> Option<&Credential> {
        self.credentials.iter().find(|c| c.public_key == public_key)
    }

    /// The key with this public key, and its organization.
    pub fn key_by_public_key(&self, public_key: &str) -> Option<(&str, &ApiKey)> {
        let (org_id, key_id) = self.by_public_key.get(public_key)?;
        Some((org_id, self.org(org_id)?.get(key_id)?))
    }

    /// The password of Digest user `public_key`: a key's private key, or a
    /// credential's unless a key took it over.
    pub fn private_key(&self, public_key: &str) -> Option<String> {
        if let Some((_, key)) = self.key_by_public_key(public_key) {
            return Some(key.private_key.clone());
        }
        if self.claimed.contains(public_key) {
            return None;
        }
        self.credential(public_key).map(|c| c.private_key.clone())
    }

    /// Checks `ip` against the access lists of signing in as `public_key`
    /// (the credential's `ip_access_list` and the key's access list, when
    /// not empty); an allowed use is counted on the key's matching entry.
    pub fn admit(&mut self, public_key: &str, ip: IpAddr, now: SystemTime) -> Admission {
        let ip_text = ip.to_string();
        if let Some(list) = self
            .credential(public_key)
            .and_then(|c| c.ip_access_list.as_ref())
        {
            if !list.contains(&ip_text) {
                return Admission::Refused;
            }
        }
        let Some((org_id, key_id)) = self.by_public_key.get(public_key).cloned() else {
            return Admission::Allowed;
        };
        let Some(key) = self.key_mut(&org_id, &key_id) else {
            return Admission::Allowed;
        };
        if key.access_list.is_empty() {
            return Admission::Allowed;
        }
        let entry = key
            .access_list
            .iter_mut()
            .find(|entry| Block::parse(&entry.cidr_block).is_some_and(|block| block.contains(ip)));
        match entry {
            Some(entry) => {
                entry.count += 1;
                entry.last_used = Some(rfc3339(now));
                entry.last_used_address = Some(ip_text);
                Admission::Allowed
            }
            None => Admission::Refused,
        }
    }
}

/// A seeded access list entry checked and completed: `cidr_block` from
/// `ip_address` when only that is given, `created` now when empty.
fn seeded_entry(
    mut entry: AccessListEntry,
    now: SystemTime,
) -> Result<AccessListEntry, RecordError> {
    let from_ip = match &entry.ip_address {
        Some(ip) => Some(
            ip.parse::<IpAddr>()
                .map(Block::of_ip)
                .map_err(|_| RecordError(format!("{ip:?} is not an IP address")))?,
        ),
        None => None,
    };
    let from_cidr = match entry.cidr_block.as_str() {
        "" => None,
        text => Some(
            Block::parse(text)
                .ok_or_else(|| RecordError(format!("{text:?} is not a CIDR block")))?,
        ),
    };
    let block = match (from_ip, from_cidr) {
        (Some(a), Some(b)) if a != b => {
            return Err(RecordError(format!(
                "ip_address {a} and cidr_block {b} disagree"
            )))
        }
        (Some(block), _) | (None, Some(block)) => block,
        (None, None) => {
            return Err(RecordError(
                "an access list entry needs ip_address or cidr_block".into(),
            ))
        }
    };
    entry.cidr_block = block.to_string();
    if entry.created.is_empty() {
        entry.created = rfc3339(now);
    }
    Ok(entry)
}
