//! `atlas_api_key`: an organization API key as C reads it, with accessors.

use super::panic::{read, release};
use super::text::{c_string, secret_text};
use crate::ApiKey;
use std::ffi::{c_char, CString};
use std::ptr;
use zeroize::Zeroizing;

/// An organization API key: its ID, public key, description, roles and,
/// only in the answer to atlas_create_org_api_key, its private key.
/// Opaque; read it with the atlas_api_key_* accessors. A key returned by
/// a call is the caller's, released with atlas_api_key_free (which wipes
/// the private key from memory); a key from atlas_api_key_list_get belongs
/// to its list and must not be freed. Immutable, so it may be read from
/// any thread.
pub struct atlas_api_key {
    id: CString,
    public_key: CString,
    description: CString,
    roles: Vec<CString>,
    /// NUL-terminated, wiped when dropped; `None` unless just created.
    private_key: Option<Zeroizing<Vec<u8>>>,
}

impl From<ApiKey> for atlas_api_key {
    /// Takes the core's key, whose own copy of the private key is wiped
    /// when it is dropped here.
    fn from(key: ApiKey) -> Self {
        atlas_api_key {
            id: c_string(&key.id),
            public_key: c_string(&key.public_key),
            description: c_string(&key.description),
            roles: key.roles.iter().map(|role| c_string(role)).collect(),
            private_key: key.private_key().map(secret_text),
        }
    }
}

/// The key's ID, 24 hex digits (what atlas_get_org_api_key and
/// atlas_delete_org_api_key take). Owned by `key`: valid until the key
/// (or its list) is freed. NULL when `key` is NULL.
///
/// # Safety
/// `key` is NULL or a key from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_id(key: *const atlas_api_key) -> *const c_char {
    read(key, ptr::null(), |k| k.id.as_ptr())
}

/// The key's public key: its Digest user name, what logs and leak reports
/// show (what atlas_find_org_api_key takes). Owned by `key`: valid until
/// the key (or its list) is freed. NULL when `key` is NULL.
///
/// # Safety
/// `key` is NULL or a key from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_public_key(key: *const atlas_api_key) -> *const c_char {
    read(key, ptr::null(), |k| k.public_key.as_ptr())
}

/// What the key is for (Atlas' `desc`; empty when Atlas gave none). Owned
/// by `key`: valid until the key (or its list) is freed. NULL when `key`
/// is NULL.
///
/// # Safety
/// `key` is NULL or a key from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_description(key: *const atlas_api_key) -> *const c_char {
    read(key, ptr::null(), |k| k.description.as_ptr())
}

/// How many organization roles the key holds (0 when `key` is NULL).
///
/// # Safety
/// `key` is NULL or a key from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_role_count(key: *const atlas_api_key) -> usize {
    read(key, 0, |k| k.roles.len())
}

/// Organization role `index` of the key, e.g. "ORG_MEMBER", or NULL when
/// out of range or `key` is NULL. Owned by `key`: valid until the key (or
/// its list) is freed.
///
/// # Safety
/// `key` is NULL or a key from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_role(
    key: *const atlas_api_key,
    index: usize,
) -> *const c_char {
    read(key, ptr::null(), |k| {
        k.roles.get(index).map_or(ptr::null(), |role| role.as_ptr())
    })
}

/// The key's private key, known only in the answer to
/// atlas_create_org_api_key (Atlas shows it that once); NULL for every
/// other key and when `key` is NULL. Store it at once and never print or
/// log it. Owned by `key`: the library's copy is wiped from memory by
/// atlas_api_key_free.
///
/// # Safety
/// `key` is NULL or a key from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_private_key(key: *const atlas_api_key) -> *const c_char {
    read(key, ptr::null(), |k| {
        k.private_key
            .as_ref()
            .map_or(ptr::null(), |text| text.as_ptr().cast())
    })
}

/// Releases a key returned by a call, wiping its private key from memory
/// first. NULL is ignored. Never pass a key from atlas_api_key_list_get:
/// its list owns it. No other thread may be reading the key.
///
/// # Safety
/// `key` is NULL or a key a call returned, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_free(key: *mut atlas_api_key) {
    release(key);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn key(json: &str) -> atlas_api_key {
        atlas_api_key::from(serde_json::from_str::<ApiKey>(json).unwrap())
    }

    fn text(ptr: *const c_char) -> Option<String> {
        // SAFETY: the accessors give NULL or a string of a live key.
        (!ptr.is_null()).then(|| unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned())
    }

    #[test]
    fn accessors_read_the_core_key_and_only_a_created_key_has_a_private_key() {
        let created = key(
            r#"{"id":"6a1b2c3d4e5f6a7b8c9d0e1f","publicKey":"abcdefgh","desc":"CI",
                "privateKey":"5ec2e7a1-0000-4000-8000-000000000001",
                "roles":[{"orgId":"5f1a2b3c4d5e6f7a8b9c0d1e","roleName":"ORG_MEMBER"},
                         {"orgId":"5f1a2b3c4d5e6f7a8b9c0d1e","roleName":"ORG_READ_ONLY"}]}"#,
        );
        let created: *const atlas_api_key = &created;
        // SAFETY: `created` lives through the calls; NULL is allowed.
        unsafe {
            assert_eq!(
                text(atlas_api_key_id(created)).unwrap(),
                "6a1b2c3d4e5f6a7b8c9d0e1f"
            );
            assert_eq!(text(atlas_api_key_public_key(created)).unwrap(), "abcdefgh");
            assert_eq!(text(atlas_api_key_description(created)).unwrap(), "CI");
            assert_eq!(atlas_api_key_role_count(created), 2);
            assert_eq!(
                text(atlas_api_key_role(created, 1)).unwrap(),
                "ORG_READ_ONLY"
            );
            assert_eq!(text(atlas_api_key_role(created, 2)), None);
            assert_eq!(
                text(atlas_api_key_private_key(created)).unwrap(),
                "5ec2e7a1-0000-4000-8000-000000000001"
            );
            assert_eq!(text(atlas_api_key_id(ptr::null())), None);
            assert_eq!(atlas_api_key_role_count(ptr::null()), 0);
            assert_eq!(text(atlas_api_key_private_key(ptr::null())), None);
        }
        let listed = key(r#"{"id":"6a1b2c3d4e5f6a7b8c9d0e1f","publicKey":"abcdefgh",
                "privateKey":"********-****-****-000000000001","roles":[]}"#);
        // SAFETY: `listed` lives through the calls.
        unsafe {
            assert_eq!(text(atlas_api_key_private_key(&listed)), None);
            assert_eq!(text(atlas_api_key_description(&listed)).unwrap(), "");
        }
    }
}
