//! The list of keys to delete, IDs or public keys: from the arguments and
//! a key file.
//!
//! IDs are not checked here; the core refuses a malformed one before
//! sending anything, and that refusal is reported on the key's own line.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

/// The keys of `listed` then of `file` (`-` is `stdin`), each once, in
/// the order first seen.
pub fn collect(
    listed: &[String],
    file: Option<&Path>,
    stdin: &mut dyn BufRead,
) -> Result<Vec<String>, String> {
    let mut keys = listed.to_vec();
    if let Some(path) = file {
        let text = if path == Path::new("-") {
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read keys from standard input: {e}"))?;
            text
        } else {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read keys from {}: {e}", path.display()))?
        };
        keys.extend(parse(&text));
    }
    Ok(unique(keys))
}

/// The keys in a key file: one per line, trimmed; blank lines and comments
/// (from `#` to the end of the line) skipped.
pub fn parse(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// `keys` without repeats. Deleting a key twice would report the second
/// delete as "not found" and fail a run that did all it was asked.
fn unique(keys: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    keys.into_iter()
        .filter(|key| seen.insert(key.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_blank_lines_and_comments_and_trims() {
        let text = "# revoked 2024-05\n\n  6a1b2c3d4e5f6a7b8c9d0e1f  \r\n\t\n6a1b2c3d4e5f6a7b8c9d0e20 # leaked\n   # indented comment\n";
        assert_eq!(
            parse(text).collect::<Vec<_>>(),
            ["6a1b2c3d4e5f6a7b8c9d0e1f", "6a1b2c3d4e5f6a7b8c9d0e20"]
        );
    }

    #[test]
    fn arguments_come_first_and_repeats_go() {
        let mut stdin: &[u8] = b"b\na\nc\n";
        let keys = collect(
            &["a".into(), "b".into(), "a".into()],
            Some(Path::new("-")),
            &mut stdin,
        )
        .unwrap();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    #[test]
    fn a_missing_file_is_named() {
        let err =
            collect(&[], Some(Path::new("/nonexistent/keys.txt")), &mut &b""[..]).unwrap_err();
        assert!(err.contains("/nonexistent/keys.txt"), "{err}");
    }
}
