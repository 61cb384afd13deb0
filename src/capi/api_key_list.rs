//! `atlas_api_key_list`: the keys atlas_list_org_api_keys returns.

use super::api_keys::atlas_api_key;
use super::panic::{read, release};
use std::ptr;

/// Every API key of an organization, in the order Atlas lists them.
/// Opaque; read it with atlas_api_key_list_len and atlas_api_key_list_get,
/// release it with atlas_api_key_list_free. It owns its keys. Immutable,
/// so it may be read from any thread.
pub struct atlas_api_key_list {
    keys: Vec<atlas_api_key>,
}

impl FromIterator<atlas_api_key> for atlas_api_key_list {
    fn from_iter<I: IntoIterator<Item = atlas_api_key>>(keys: I) -> Self {
        atlas_api_key_list {
            keys: keys.into_iter().collect(),
        }
    }
}

/// How many keys `list` holds (0 when `list` is NULL).
///
/// # Safety
/// `list` is NULL or a list from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_list_len(list: *const atlas_api_key_list) -> usize {
    read(list, 0, |l| l.keys.len())
}

/// Key `index` of `list`, or NULL when out of range or `list` is NULL.
/// Owned by `list`: valid until atlas_api_key_list_free; never pass it to
/// atlas_api_key_free.
///
/// # Safety
/// `list` is NULL or a list from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_list_get(
    list: *const atlas_api_key_list,
    index: usize,
) -> *const atlas_api_key {
    read(list, ptr::null(), |l| {
        l.keys.get(index).map_or(ptr::null(), |key| key as *const _)
    })
}

/// Releases a list and every key in it. NULL is ignored. No other thread
/// may be reading the list or its keys.
///
/// # Safety
/// `list` is NULL or a list from this library, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_api_key_list_free(list: *mut atlas_api_key_list) {
    release(list);
}
