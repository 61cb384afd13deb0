//! `--data`: a request body given as JSON text, `@FILE` or `@-`, read and
//! checked before anything is sent.

use serde_json::Value;
use std::io::BufRead;
use std::path::PathBuf;
use std::str::FromStr;

/// Where the request body comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// The JSON given on the command line, already parsed.
    Json(Value),
    /// `@FILE`: read when the command runs.
    File(PathBuf),
    /// `@-`: standard input, read when the command runs.
    Stdin,
}

/// JSON text, `@FILE` or `@-`. JSON never starts with `@`, so the two
/// cannot be confused. Text that is not JSON is a usage error here, before
/// any credentials are loaded.
impl FromStr for Data {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.strip_prefix('@') {
            Some("-") => Ok(Data::Stdin),
            Some("") => Err("@ needs a file name, or - for standard input".into()),
            Some(path) => Ok(Data::File(path.into())),
            None => parse(text.as_bytes()).map(Data::Json),
        }
    }
}

impl Data {
    /// The body as JSON, reading the file or `stdin` now. Errors name the
    /// source and the place of the fault, never what it holds (a body may
    /// carry a secret).
    pub fn read(&self, stdin: &mut dyn BufRead) -> Result<Value, String> {
        match self {
            Data::Json(value) => Ok(value.clone()),
            Data::File(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| format!("cannot read --data @{}: {e}", path.display()))?;
                parse(&bytes).map_err(|e| format!("--data @{} is {e}", path.display()))
            }
            Data::Stdin => {
                let mut bytes = Vec::new();
                stdin
                    .read_to_end(&mut bytes)
                    .map_err(|e| format!("cannot read --data @- from standard input: {e}"))?;
                parse(&bytes).map_err(|e| format!("--data @- (standard input) is {e}"))
            }
        }
    }
}

/// `bytes` as JSON, or an error saying where it went wrong: `not JSON: ...`.
fn parse(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "not JSON: {} at line {}, column {}",
            problem(&e),
            e.line(),
            e.column()
        )
    })
}

/// What kind of fault, without serde_json's own wording, which may quote
/// part of the input.
fn problem(error: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match error.classify() {
        Category::Eof => "it ends too soon",
        Category::Syntax | Category::Data | Category::Io => "a syntax error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_file_and_standard_input() {
        assert_eq!(
            Data::from_str(r#"{"desc": "ci", "roles": ["ORG_MEMBER"]}"#),
            Ok(Data::Json(json!({"desc": "ci", "roles": ["ORG_MEMBER"]})))
        );
        assert_eq!(
            Data::from_str("@body.json"),
            Ok(Data::File("body.json".into()))
        );
        assert_eq!(Data::from_str("@-"), Ok(Data::Stdin));
        let mut stdin: &[u8] = b" [1, 2]\n";
        assert_eq!(Data::Stdin.read(&mut stdin), Ok(json!([1, 2])));
    }

    #[test]
    fn what_is_not_json_is_refused_without_being_quoted() {
        let err = Data::from_str("{\"privateKey\": s3cr3t}").unwrap_err();
        assert!(err.contains("not JSON") && err.contains("column"), "{err}");
        assert!(!err.contains("s3cr3t"), "{err}");
        assert!(Data::from_str("").unwrap_err().contains("ends too soon"));
        assert!(Data::from_str("@").is_err());
        let mut stdin: &[u8] = b"{\"a\": 1";
        let err = Data::Stdin.read(&mut stdin).unwrap_err();
        assert!(err.contains("standard input"), "{err}");
        let err = Data::File("/nonexistent/body.json".into())
            .read(&mut &b""[..])
            .unwrap_err();
        assert!(err.contains("/nonexistent/body.json"), "{err}");
    }
}
