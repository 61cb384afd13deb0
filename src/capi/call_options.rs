//! The options every call takes, as C passes them: `flags` (call-wide
//! `ATLAS_CALL_*` bits, and bits of one call only such as
//! `ATLAS_DELETE_MISSING_OK`) and a media type, decoded here once for
//! every export.

use super::error::atlas_error;
use super::strings::arg;
use crate::CallOptions;
use std::ffi::c_char;

/// Flag of every call: ask Atlas for a pretty-printed body (`pretty=true`).
pub const ATLAS_CALL_PRETTY: u32 = 1 << 0;

/// Flag of every call: ask Atlas to wrap its answer in an envelope
/// (`envelope=true`) and answer HTTP 200; the envelope's status decides the
/// outcome and is the one reported.
pub const ATLAS_CALL_ENVELOPE: u32 = 1 << 1;

/// Alias of ATLAS_CALL_PRETTY, the name atlas_delete_org_api_key first
/// documented; the same value, kept for source and binary compatibility.
#[allow(
    dead_code,
    reason = "a name for C only: cbindgen writes it to the header"
)]
pub const ATLAS_DELETE_PRETTY: u32 = ATLAS_CALL_PRETTY;

/// Alias of ATLAS_CALL_ENVELOPE, the name atlas_delete_org_api_key first
/// documented; the same value, kept for source and binary compatibility.
#[allow(
    dead_code,
    reason = "a name for C only: cbindgen writes it to the header"
)]
pub const ATLAS_DELETE_ENVELOPE: u32 = ATLAS_CALL_ENVELOPE;

/// Flag of atlas_delete_org_api_key only: a key that does not exist is
/// success (like `rm -f`), e.g. when a retried delete finds that its lost
/// first attempt already did it. Only Atlas' own API_KEY_NOT_FOUND counts:
/// a bare 404 from a proxy or a wrong base URL, or an unknown
/// organization, is still an error. Other calls refuse it.
pub const ATLAS_DELETE_MISSING_OK: u32 = 1 << 2;

/// The exports that take flags, for the flags only some of them take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Export {
    /// An export taking only the flags of every call (atlas_call,
    /// atlas_get_org_api_key...), by its C name; its *_with_accept variant
    /// goes by the same name.
    CallWide(&'static str),
    /// atlas_delete_org_api_key and atlas_delete_org_api_key_with_accept.
    DeleteOrgApiKey,
}

impl Export {
    /// The export's name, as C programs call it.
    fn name(self) -> &'static str {
        match self {
            Export::CallWide(name) => name,
            Export::DeleteOrgApiKey => "atlas_delete_org_api_key",
        }
    }
}

/// A flag bit, its name in atlas_admin.h, and the one export that takes
/// it (`None`: every call).
struct Flag {
    bit: u32,
    name: &'static str,
    only: Option<Export>,
}

/// Every flag (aliases aside); a test checks the names against the header.
const FLAGS: [Flag; 3] = [
    Flag {
        bit: ATLAS_CALL_PRETTY,
        name: "ATLAS_CALL_PRETTY",
        only: None,
    },
    Flag {
        bit: ATLAS_CALL_ENVELOPE,
        name: "ATLAS_CALL_ENVELOPE",
        only: None,
    },
    Flag {
        bit: ATLAS_DELETE_MISSING_OK,
        name: "ATLAS_DELETE_MISSING_OK",
        only: Some(Export::DeleteOrgApiKey),
    },
];

/// What an export was given: the options of every call, and its flags.
pub(crate) struct Decoded {
    /// pretty, envelope and the media type.
    pub(crate) options: CallOptions,
    flags: u32,
}

impl Decoded {
    /// Whether `flag`, one of the export's own flags, was given.
    pub(crate) fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

/// Decodes `flags` and `accept` (NULL: the client's media type) given to
/// `export`. Refused by name, before anything is sent: bits no flag has,
/// a flag of another export (ATLAS_DELETE_MISSING_OK on atlas_call), and
/// an `accept` that is not UTF-8 (the core checks the media type itself
/// when the call is made).
///
/// # Safety
/// `accept` is NULL or a NUL-terminated string that outlives the call.
pub(crate) unsafe fn decode(
    export: Export,
    flags: u32,
    accept: *const c_char,
) -> Result<Decoded, atlas_error> {
    let takes = |flag: &Flag| flag.only.is_none_or(|only| only == export);
    if let Some(other) = FLAGS.iter().find(|f| flags & f.bit != 0 && !takes(f)) {
        return Err(atlas_error::invalid(
            "flags",
            &format!(
                "{} ({:#x}) is a flag of {} only; {} does not take it",
                other.name,
                other.bit,
                other.only.map_or("every call", Export::name),
                export.name()
            ),
        ));
    }
    let known = FLAGS.iter().fold(0, |bits, flag| bits | flag.bit);
    if flags & !known != 0 {
        let taken: Vec<_> = FLAGS.iter().filter(|f| takes(f)).map(|f| f.name).collect();
        return Err(atlas_error::invalid(
            "flags",
            &format!(
                "has unknown bits {:#x}; {} takes 0 or a combination of {}",
                flags & !known,
                export.name(),
                taken.join(", ")
            ),
        ));
    }
    let mut options = CallOptions::new()
        .pretty(flags & ATLAS_CALL_PRETTY != 0)
        .envelope(flags & ATLAS_CALL_ENVELOPE != 0);
    if !accept.is_null() {
        options = options.accept(arg("accept", accept)?);
    }
    Ok(Decoded { options, flags })
}

/// The options of export `name`, which takes only the flags of every call:
/// [`decode`] for [`Export::CallWide`].
///
/// # Safety
/// As for [`decode`].
pub(crate) unsafe fn call_wide(
    name: &'static str,
    flags: u32,
    accept: *const c_char,
) -> Result<CallOptions, atlas_error> {
    decode(Export::CallWide(name), flags, accept).map(|decoded| decoded.options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const CALL: Export = Export::CallWide("atlas_call");

    /// Every `#define ATLAS_CALL_*` / `ATLAS_DELETE_*` in the header
    /// cbindgen generated, with its value as written.
    fn header_flags() -> BTreeMap<String, String> {
        let header = std::fs::read_to_string(env!("ATLAS_ADMIN_GENERATED_HEADER")).unwrap();
        header
            .lines()
            .filter_map(|line| {
                let (name, value) = line.strip_prefix("#define ")?.split_once(' ')?;
                let flag = name.starts_with("ATLAS_CALL_") || name.starts_with("ATLAS_DELETE_");
                flag.then(|| (name.to_owned(), value.to_owned()))
            })
            .collect()
    }

    #[test]
    fn the_table_names_every_flag_of_the_header_and_the_aliases_follow_it() {
        let header = header_flags();
        for flag in &FLAGS {
            let value = header
                .get(flag.name)
                .unwrap_or_else(|| panic!("{} is not in the header: {header:?}", flag.name));
            assert_eq!(
                value,
                &format!("(1 << {})", flag.bit.trailing_zeros()),
                "{}",
                flag.name
            );
        }
        let aliases: Vec<_> = header
            .iter()
            .filter(|(name, _)| !FLAGS.iter().any(|f| f.name == name.as_str()))
            .collect();
        assert_eq!(
            aliases,
            [
                (
                    &"ATLAS_DELETE_ENVELOPE".to_owned(),
                    &"ATLAS_CALL_ENVELOPE".to_owned()
                ),
                (
                    &"ATLAS_DELETE_PRETTY".to_owned(),
                    &"ATLAS_CALL_PRETTY".to_owned()
                ),
            ],
            "a flag in the header is neither in FLAGS nor a known alias"
        );
        assert_eq!(
            (ATLAS_DELETE_PRETTY, ATLAS_DELETE_ENVELOPE),
            (ATLAS_CALL_PRETTY, ATLAS_CALL_ENVELOPE)
        );
    }

    #[test]
    fn flags_become_call_options_and_foreign_or_unknown_bits_are_refused() {
        // SAFETY: a NULL accept is allowed.
        let decode = |export, flags| unsafe { decode(export, flags, std::ptr::null()) };
        let both = decode(CALL, ATLAS_CALL_PRETTY | ATLAS_CALL_ENVELOPE)
            .ok()
            .unwrap();
        assert_eq!(both.options, CallOptions::new().pretty(true).envelope(true));
        let delete = decode(Export::DeleteOrgApiKey, ATLAS_DELETE_MISSING_OK)
            .ok()
            .unwrap();
        assert!(delete.has(ATLAS_DELETE_MISSING_OK) && delete.options == CallOptions::new());
        let message = |flags| {
            let error = decode(CALL, flags).err().unwrap();
            error.message().to_owned()
        };
        let foreign = message(ATLAS_DELETE_MISSING_OK | ATLAS_CALL_PRETTY);
        assert!(
            foreign.contains("`flags`")
                && foreign.contains(
                    "ATLAS_DELETE_MISSING_OK (0x4) is a flag of \
                                     atlas_delete_org_api_key only; atlas_call"
                ),
            "{foreign}"
        );
        let unknown = message(1 << 7 | ATLAS_CALL_ENVELOPE);
        assert!(
            unknown.contains("unknown bits 0x80")
                && unknown.contains("ATLAS_CALL_PRETTY, ATLAS_CALL_ENVELOPE")
                && !unknown.contains("MISSING_OK"),
            "{unknown}"
        );
    }

    #[test]
    fn accept_is_taken_when_given() {
        let decoded = unsafe { decode(CALL, 0, c"application/vnd.atlas.2024-08-05+json".as_ptr()) }
            .ok()
            .unwrap();
        assert_eq!(
            decoded.options,
            CallOptions::new().api_version("2024-08-05")
        );
        let bad = unsafe { decode(CALL, 0, c"\xff".as_ptr()) }.err().unwrap();
        assert!(bad.message().contains("`accept`"), "{}", bad.message());
    }
}
