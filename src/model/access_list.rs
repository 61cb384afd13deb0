//! `AccessListEntry`: an address or network allowed to use an API key, and
//! the check of one given by a caller.

use crate::Error;
use serde::Deserialize;
use std::net::IpAddr;

/// One entry of an API key's access list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AccessListEntry {
    /// The network allowed, e.g. `10.0.0.0/24` (an address is `/32`).
    #[serde(rename = "cidrBlock", default)]
    pub cidr_block: Option<String>,
    /// The address allowed, when the entry was given as one.
    #[serde(rename = "ipAddress", default)]
    pub ip_address: Option<String>,
}

/// Checks an access list entry before it is sent anywhere: an IPv4 or IPv6
/// address, or a CIDR block whose prefix length fits its family. The
/// calls taking entries check them again; this is for callers that must
/// know before doing something else first (creating the key they belong
/// to, say). Errors name `entries`.
pub fn check_access_list_entry(entry: &str) -> Result<(), Error> {
    Entry::parse("entries", entry).map(|_| ())
}

/// An access list entry a caller gives: an IP address or a CIDR block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    /// `ipAddress`.
    Address(IpAddr),
    /// `cidrBlock`, as given.
    Network(String),
}

impl Entry {
    /// Parses `text` as an IPv4 or IPv6 address, or a CIDR block whose
    /// prefix fits its address family; anything else is refused by name.
    pub(crate) fn parse(name: &'static str, text: &str) -> Result<Entry, Error> {
        let refuse = || {
            Error::invalid(
                name,
                format!(
                    "{text:?} is neither an IP address nor a CIDR block (e.g. 192.0.2.1 or \
                     10.0.0.0/24)"
                ),
            )
        };
        match text.split_once('/') {
            None => text.parse().map(Entry::Address).map_err(|_| refuse()),
            Some((address, prefix)) => {
                let address: IpAddr = address.parse().map_err(|_| refuse())?;
                let bits = if address.is_ipv4() { 32 } else { 128 };
                let fits = !prefix.is_empty()
                    && prefix.bytes().all(|b| b.is_ascii_digit())
                    && prefix.parse::<u8>().is_ok_and(|p| p <= bits);
                if !fits {
                    return Err(Error::invalid(
                        name,
                        format!("{text:?} has a prefix length outside 0 to {bits}"),
                    ));
                }
                Ok(Entry::Network(text.to_owned()))
            }
        }
    }

    /// The entry as Atlas takes it in a request body.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Entry::Address(address) => serde_json::json!({ "ipAddress": address.to_string() }),
            Entry::Network(block) => serde_json::json!({ "cidrBlock": block }),
        }
    }

    /// The entry as a path segment names it (escaped by the request).
    pub(crate) fn segment(&self) -> String {
        match self {
            Entry::Address(address) => address.to_string(),
            Entry::Network(block) => block.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses_and_networks_and_refuses_the_rest() {
        assert_eq!(
            Entry::parse("entry", "192.0.2.1").unwrap().to_json(),
            serde_json::json!({"ipAddress": "192.0.2.1"})
        );
        assert_eq!(
            Entry::parse("entry", "10.0.0.0/24").unwrap().to_json(),
            serde_json::json!({"cidrBlock": "10.0.0.0/24"})
        );
        assert!(Entry::parse("entry", "2001:db8::/32").is_ok());
        assert!(Entry::parse("entry", "::1").is_ok());
        for bad in [
            "",
            "300.1.1.1",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "2001:db8::/129",
            "example.com",
            "10.0.0.0/24/1",
            "1.2.3.4 ",
        ] {
            let err = Entry::parse("entries", bad).unwrap_err().to_string();
            assert!(err.contains("`entries`"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn reads_atlas_entries() {
        let entry: AccessListEntry = serde_json::from_str(
            r#"{"cidrBlock":"192.0.2.1/32","ipAddress":"192.0.2.1","created":"2026-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(entry.cidr_block.as_deref(), Some("192.0.2.1/32"));
        assert_eq!(entry.ip_address.as_deref(), Some("192.0.2.1"));
    }
}
