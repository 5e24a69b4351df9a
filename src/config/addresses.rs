//! `[fetch] block_private_addresses` and `allow_addresses`: the opt-in guard against feeds (and
//! their redirects) that reach into the machine's own networks. The addresses themselves are
//! judged in `fetch`; here the allow-list is read.

use std::net::IpAddr;

use ipnet::IpNet;
use toml::Spanned;

use super::report::Report;

/// The networks of `allow_addresses` (`"10.1.2.0/24"`, `"fd00::/8"`, or one address), each bad
/// entry reported and left out.
pub(super) fn allow_list(
    raw: &Spanned<Vec<Spanned<String>>>,
    key: &str,
    report: &mut Report,
) -> Vec<IpNet> {
    raw.get_ref()
        .iter()
        .filter_map(|entry| {
            network(entry.get_ref())
                .map_err(|message| report.error(entry.span(), key, message))
                .ok()
        })
        .collect()
}

/// A network in CIDR notation, or a single address. Host bits are cleared (`10.1.2.3/24` is
/// `10.1.2.0/24`), as every CIDR reader does.
fn network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(address) = text.parse::<IpAddr>() {
        return Ok(IpNet::from(address));
    }
    text.parse::<IpNet>().map(|net| net.trunc()).map_err(|_| {
        format!(
            "{text:?} is not an address or a network in CIDR notation, e.g. \"10.1.2.0/24\", \
             \"192.168.1.10\" or \"fd00::/8\""
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> IpNet {
        text.parse().expect("test network")
    }

    #[test]
    fn networks_and_single_addresses_are_read() {
        assert_eq!(network("10.1.2.0/24"), Ok(net("10.1.2.0/24")));
        assert_eq!(network(" 10.1.2.3/24 "), Ok(net("10.1.2.0/24")));
        assert_eq!(network("192.168.1.10"), Ok(net("192.168.1.10/32")));
        assert_eq!(network("fd00::/8"), Ok(net("fd00::/8")));
        assert_eq!(network("::1"), Ok(net("::1/128")));
    }

    #[test]
    fn anything_else_is_refused_with_examples() {
        for bad in ["10.1.2.0/33", "intranet", "10.1.2/24", ""] {
            let message = network(bad).expect_err(bad);
            assert!(message.contains("CIDR notation"), "{message}");
        }
    }
}
