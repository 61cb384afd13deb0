//! Access list addresses: an IP address or a CIDR block, IPv4 or IPv6.

use std::fmt;
use std::net::IpAddr;

/// A network: an address and how many leading bits of it count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block {
    address: IpAddr,
    prefix: u8,
}

impl Block {
    /// A single address as a block: `/32` for IPv4, `/128` for IPv6.
    pub fn of_ip(address: IpAddr) -> Self {
        Block {
            address,
            prefix: max_prefix(address),
        }
    }

    /// Parses `1.2.3.4` (a single address) or `10.0.0.0/24`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.split_once('/') {
            None => text.parse().ok().map(Block::of_ip),
            Some((address, prefix)) => {
                let address: IpAddr = address.parse().ok()?;
                // Digits only: `u8::from_str` would also take a leading `+`.
                if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let prefix: u8 = prefix.parse().ok()?;
                (prefix <= max_prefix(address)).then_some(Block { address, prefix })
            }
        }
    }

    /// Whether `ip` lies inside the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (network, candidate, width) = match (self.address, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                (u128::from(u32::from(a)), u128::from(u32::from(b)), 32)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
            _ => return false,
        };
        let host_bits = width - u32::from(self.prefix);
        let mask = if host_bits >= 128 {
            0
        } else {
            u128::MAX << host_bits
        };
        network & mask == candidate & mask
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

fn max_prefix(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

#[cfg(test)]
mod tests {
    use super::Block;

    #[test]
    fn parses_addresses_and_blocks() {
        assert_eq!(Block::parse("1.2.3.4").unwrap().to_string(), "1.2.3.4/32");
        assert_eq!(
            Block::parse("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            Block::parse("2001:db8::1").unwrap().to_string(),
            "2001:db8::1/128"
        );
        assert_eq!(
            Block::parse("2001:0db8::/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4/33",
            "1.2.3.4/",
            "1.2.3.4/+8",
            "1.2.3.4/a",
            "x/8",
            "::/129",
            "1.2.3.4/8/8",
            "01.2.3.4",
        ] {
            assert_eq!(Block::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contains_the_addresses_of_its_network() {
        let block = Block::parse("192.0.2.0/24").unwrap();
        assert!(block.contains("192.0.2.77".parse().unwrap()));
        assert!(!block.contains("192.0.3.1".parse().unwrap()));
        assert!(!block.contains("::1".parse().unwrap()));
        assert!(Block::parse("0.0.0.0/0")
            .unwrap()
            .contains("203.0.113.9".parse().unwrap()));
        assert!(Block::parse("::/0")
            .unwrap()
            .contains("::1".parse().unwrap()));
        assert!(Block::parse("127.0.0.1")
            .unwrap()
            .contains("127.0.0.1".parse().unwrap()));
    }
}
