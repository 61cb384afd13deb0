//! The HTTP methods the Administration API uses.

use crate::Error;
use std::fmt;
use std::str::FromStr;

/// An HTTP method of the Administration API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Reads a resource or a list.
    Get,
    /// Creates a resource.
    Post,
    /// Replaces a resource.
    Put,
    /// Changes some fields of a resource.
    Patch,
    /// Deletes a resource.
    Delete,
}

/// Every method, in the order their names are listed in errors.
const METHODS: [Method; 5] = [
    Method::Get,
    Method::Post,
    Method::Put,
    Method::Patch,
    Method::Delete,
];

impl Method {
    /// The method's name on the wire, e.g. `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending the request twice does no more than sending it once
    /// (RFC 9110 §9.2.2); others are only retried when they surely did not
    /// arrive.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = Error;

    /// Parses a method name in any case (`get` is `GET`).
    fn from_str(name: &str) -> Result<Self, Error> {
        METHODS
            .into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Error::invalid(
                    "method",
                    format!(
                        "{name:?} is not a method of the Administration API; use one of {}",
                        METHODS.map(Method::as_str).join(", ")
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case_and_others_are_refused() {
        for method in METHODS {
            assert_eq!(method.as_str().parse::<Method>().unwrap(), method);
            assert_eq!(
                method.as_str().to_lowercase().parse::<Method>().unwrap(),
                method
            );
        }
        let err = "TRACE".parse::<Method>().unwrap_err().to_string();
        assert!(err.contains("`method`") && err.contains("PATCH"), "{err}");
        assert!(Method::Delete.is_idempotent() && !Method::Post.is_idempotent());
    }
}
