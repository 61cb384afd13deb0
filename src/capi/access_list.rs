//! `atlas_access_list`: an API key's access list as C reads it.

use super::panic::{read, release};
use super::text::{c_string, optional};
use crate::AccessListEntry;
use std::ffi::{c_char, CString};
use std::ptr;

/// The entries of an API key's access list: the addresses and networks
/// allowed to use the key. Opaque; read it with atlas_access_list_len,
/// atlas_access_list_cidr_block and atlas_access_list_ip_address, release
/// it with atlas_access_list_free. Immutable, so it may be read from any
/// thread.
pub struct atlas_access_list {
    entries: Vec<Entry>,
}

/// One entry, as C strings.
struct Entry {
    cidr_block: Option<CString>,
    ip_address: Option<CString>,
}

impl FromIterator<AccessListEntry> for atlas_access_list {
    fn from_iter<I: IntoIterator<Item = AccessListEntry>>(entries: I) -> Self {
        let text = |field: &Option<String>| field.as_deref().map(c_string);
        atlas_access_list {
            entries: entries
                .into_iter()
                .map(|entry| Entry {
                    cidr_block: text(&entry.cidr_block),
                    ip_address: text(&entry.ip_address),
                })
                .collect(),
        }
    }
}

/// How many entries `list` holds (0 when `list` is NULL).
///
/// # Safety
/// `list` is NULL or a list from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_access_list_len(list: *const atlas_access_list) -> usize {
    read(list, 0, |l| l.entries.len())
}

/// The network entry `index` allows, e.g. "10.0.0.0/24" (an address is
/// "/32" or "/128"), or NULL when Atlas gave none, `index` is out of range
/// or `list` is NULL. Owned by `list`: valid until atlas_access_list_free.
///
/// # Safety
/// `list` is NULL or a list from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_access_list_cidr_block(
    list: *const atlas_access_list,
    index: usize,
) -> *const c_char {
    read(list, ptr::null(), |l| {
        l.entries
            .get(index)
            .map_or(ptr::null(), |e| optional(&e.cidr_block))
    })
}

/// The address entry `index` allows, when it was given as an address
/// (e.g. "192.0.2.1"); NULL for a network, when `index` is out of range or
/// `list` is NULL. Owned by `list`: valid until atlas_access_list_free.
///
/// # Safety
/// `list` is NULL or a list from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn atlas_access_list_ip_address(
    list: *const atlas_access_list,
    index: usize,
) -> *const c_char {
    read(list, ptr::null(), |l| {
        l.entries
            .get(index)
            .map_or(ptr::null(), |e| optional(&e.ip_address))
    })
}

/// Releases a list. NULL is ignored. No other thread may be reading it.
///
/// # Safety
/// `list` is NULL or a list from this library, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn atlas_access_list_free(list: *mut atlas_access_list) {
    release(list);
}
