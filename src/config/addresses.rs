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
mod tests;
