//! Borrowing C string arguments and arrays of them, refusing NULL and
//! invalid UTF-8 by name (and index).

use super::error::atlas_error;
use std::ffi::{c_char, CStr};

/// Borrows the NUL-terminated argument `name` as UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn arg<'a>(
    name: &'static str,
    ptr: *const c_char,
) -> Result<&'a str, atlas_error> {
    if ptr.is_null() {
        return Err(atlas_error::invalid(name, "must not be NULL"));
    }
    text(name, ptr)
}

/// Borrows the argument `name`, for which NULL means "not given".
///
/// # Safety
/// As for [`arg`].
pub(crate) unsafe fn optional_arg<'a>(
    name: &'static str,
    ptr: *const c_char,
) -> Result<Option<&'a str>, atlas_error> {
    if ptr.is_null() {
        return Ok(None);
    }
    text(name, ptr).map(Some)
}

/// Borrows the array argument `name` of `count` strings. A NULL array is
/// an empty one when `count` is 0 (whether the call accepts an empty list
/// is the core's to say) and refused otherwise; a NULL or invalid element
/// is refused as `name[index]`.
///
/// # Safety
/// `array` is NULL or points to `count` pointers, each NULL or a
/// NUL-terminated string, all outliving `'a`.
pub(crate) unsafe fn array_arg<'a>(
    name: &'static str,
    array: *const *const c_char,
    count: usize,
) -> Result<Vec<&'a str>, atlas_error> {
    if array.is_null() {
        if count == 0 {
            return Ok(Vec::new());
        }
        return Err(atlas_error::invalid(
            name,
            &format!("is NULL but its count is {count}"),
        ));
    }
    (0..count)
        .map(|index| {
            let element = *array.add(index);
            let name = format!("{name}[{index}]");
            if element.is_null() {
                return Err(atlas_error::invalid(&name, "must not be NULL"));
            }
            CStr::from_ptr(element)
                .to_str()
                .map_err(|_| atlas_error::invalid(&name, "is not valid UTF-8"))
        })
        .collect()
}

/// Borrows the array argument `name`, for which a NULL array with `count`
/// 0 means "not given"; otherwise as [`array_arg`] (a non-NULL array with
/// `count` 0 is an empty list, given).
///
/// # Safety
/// As for [`array_arg`].
pub(crate) unsafe fn optional_array_arg<'a>(
    name: &'static str,
    array: *const *const c_char,
    count: usize,
) -> Result<Option<Vec<&'a str>>, atlas_error> {
    if array.is_null() && count == 0 {
        return Ok(None);
    }
    array_arg(name, array, count).map(Some)
}

/// Borrows a NUL-terminated string known not to be NULL.
///
/// # Safety
/// `ptr` points to a NUL-terminated string that outlives `'a`.
unsafe fn text<'a>(name: &'static str, ptr: *const c_char) -> Result<&'a str, atlas_error> {
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|_| atlas_error::invalid(name, "is not valid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    fn refusal<T>(outcome: Result<T, atlas_error>) -> String {
        outcome.err().expect("refused").message().to_owned()
    }

    #[test]
    fn arrays_are_borrowed_and_bad_ones_refused_by_name_and_index() {
        let good = [c"ORG_MEMBER".as_ptr(), c"ORG_READ_ONLY".as_ptr()];
        // SAFETY: the arrays and strings live through each call.
        unsafe {
            assert_eq!(
                array_arg("roles", good.as_ptr(), 2).ok(),
                Some(vec!["ORG_MEMBER", "ORG_READ_ONLY"])
            );
            assert_eq!(array_arg("roles", ptr::null(), 0).ok(), Some(vec![]));
            assert_eq!(array_arg("roles", good.as_ptr(), 0).ok(), Some(vec![]));
            assert!(refusal(array_arg("roles", ptr::null(), 2))
                .contains("`roles`: is NULL but its count is 2"));
            let holed = [c"ORG_MEMBER".as_ptr(), ptr::null()];
            assert!(refusal(array_arg("roles", holed.as_ptr(), 2))
                .contains("`roles[1]`: must not be NULL"));
            let invalid = [c"\xff".as_ptr()];
            assert!(refusal(array_arg("entries", invalid.as_ptr(), 1))
                .contains("`entries[0]`: is not valid UTF-8"));
            assert_eq!(optional_array_arg("roles", ptr::null(), 0).ok(), Some(None));
            assert_eq!(
                optional_array_arg("roles", good.as_ptr(), 0).ok(),
                Some(Some(vec![]))
            );
            assert!(refusal(optional_array_arg("roles", ptr::null(), 1))
                .contains("`roles`: is NULL but its count is 1"));
            assert_eq!(optional_arg("description", ptr::null()).ok(), Some(None));
            assert!(refusal(optional_arg("description", c"\xc3\x28".as_ptr()))
                .contains("`description`: is not valid UTF-8"));
        }
    }
}
