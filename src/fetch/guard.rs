//! The opt-in guard against server-side request forgery (`[fetch] block_private_addresses`): a
//! feed URL, or a redirect, that would make feedhook connect to the machine itself, its networks or
//! a cloud metadata service (169.254.169.254) is refused before a byte is sent.
//!
//! The check is made on the addresses actually connected to: host names go through
//! [`GuardedResolver`], which hands the HTTP client only allowed addresses, so a name that
//! resolves to a public address when checked and a private one when used (DNS rebinding) gains
//! nothing. The client skips resolution for literal addresses, so [`AddressGuard::check_url`]
//! checks those on every hop.
//!
//! Through an HTTP proxy (or socks5h) the proxy resolves feed host names, and only literal
//! addresses can be checked here.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::config::FetchSettings;

const HOW_TO_ALLOW: &str = "[fetch] block_private_addresses is on; list the network in [fetch] allow_addresses to reach it";

/// Ranges that are not the public internet, with what an operator would call them.
const BLOCKED_V4: &[(Ipv4Net, &str)] = &[
    (v4(0, 0, 0, 0, 8), "\"this network\""),
    (v4(10, 0, 0, 0, 8), "private"),
    (v4(100, 64, 0, 0, 10), "carrier-grade NAT"),
    (v4(127, 0, 0, 0, 8), "loopback"),
    (v4(169, 254, 0, 0, 16), "link-local (and cloud metadata)"),
    (v4(172, 16, 0, 0, 12), "private"),
    (v4(192, 0, 0, 0, 24), "IETF protocol assignment"),
    (v4(192, 0, 2, 0, 24), "documentation"),
    (v4(192, 168, 0, 0, 16), "private"),
    (v4(198, 18, 0, 0, 15), "benchmarking"),
    (v4(198, 51, 100, 0, 24), "documentation"),
    (v4(203, 0, 113, 0, 24), "documentation"),
    (v4(224, 0, 0, 0, 4), "multicast"),
    (v4(240, 0, 0, 0, 4), "reserved (and broadcast)"),
];

const BLOCKED_V6: &[(Ipv6Net, &str)] = &[
    (v6([0, 0, 0, 0, 0, 0, 0, 0], 128), "unspecified"),
    (v6([0, 0, 0, 0, 0, 0, 0, 1], 128), "loopback"),
    // IPv4-compatible addresses, deprecated since 2006 (RFC 4291 §2.5.5.1).
    (v6([0, 0, 0, 0, 0, 0, 0, 0], 96), "IPv4-compatible"),
    (v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48), "local-use NAT64"),
    (v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64), "discard-only"),
    (v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), "documentation"),
    (v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7), "unique-local"),
    (v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10), "link-local"),
    (v6([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10), "site-local"),
    (v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8), "multicast"),
];

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8) -> Ipv4Net {
    Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len)
}

const fn v6(s: [u16; 8], len: u8) -> Ipv6Net {
    let ip = Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    Ipv6Net::new_assert(ip, len)
}

/// The rules of `[fetch]`: every non-public address is refused unless `allow_addresses` lists it.
#[derive(Debug)]
pub(super) struct AddressGuard {
    allow: Vec<IpNet>,
}

impl AddressGuard {
    /// The guard `settings` ask for, if any.
    pub(super) fn from_settings(settings: &FetchSettings) -> Option<Arc<Self>> {
        settings.block_private_addresses.then(|| {
            Arc::new(Self {
                allow: settings.allow_addresses.clone(),
            })
        })
    }

    /// Why `ip` may not be connected to (the range it lies in), or `None` when it may.
    pub(super) fn refusal(&self, ip: IpAddr) -> Option<String> {
        // An IPv4 address written as IPv6 (::ffff:a.b.c.d) reaches the IPv4 host: judge that one.
        let ip = ip.to_canonical();
        if self.allow.iter().any(|net| net.contains(&ip)) {
            return None;
        }
        blocked_range(ip)
    }

    /// Refuses a URL whose host is a literal address that may not be connected to. Names are
    /// judged by [`GuardedResolver`] when the client resolves them.
    pub(super) fn check_url(&self, url: &Url) -> Result<(), Blocked> {
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(Host::Domain(_)) | None => return Ok(()),
        };
        match self.refusal(ip) {
            Some(range) => Err(Blocked(format!(
                "refused to connect to {ip}: {range}; {HOW_TO_ALLOW}"
            ))),
            None => Ok(()),
        }
    }

    /// The addresses of `host` that may be connected to; an error naming each refused one when
    /// none may.
    pub(super) fn filter(
        &self,
        host: &str,
        found: Vec<SocketAddr>,
    ) -> Result<Vec<SocketAddr>, Blocked> {
        let (allowed, refused): (Vec<_>, Vec<_>) = found
            .into_iter()
            .map(|addr| (addr, self.refusal(addr.ip())))
            .partition(|(_, refusal)| refusal.is_none());
        if allowed.is_empty() && !refused.is_empty() {
            let reasons: Vec<String> = refused
                .iter()
                .map(|(addr, range)| format!("{} is {}", addr.ip(), range.as_deref().unwrap_or("")))
                .collect();
            return Err(Blocked(format!(
                "refused to connect to {host}: it resolves only to blocked addresses ({}); {HOW_TO_ALLOW}",
                reasons.join(", ")
            )));
        }
        Ok(allowed.into_iter().map(|(addr, _)| addr).collect())
    }
}

/// The named range `ip` falls in, e.g. `loopback 127.0.0.0/8`.
fn blocked_range(ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(ip) => BLOCKED_V4
            .iter()
            .find(|(net, _)| net.contains(&ip))
            .map(|(net, name)| format!("{name} {net}")),
        IpAddr::V6(ip) => {
            // Translated forms reach the IPv4 address they embed.
            if let Some(embedded) = embedded_v4(ip) {
                return blocked_range(IpAddr::V4(embedded))
                    .map(|range| format!("a translated form of {embedded}, {range}"));
            }
            BLOCKED_V6
                .iter()
                .find(|(net, _)| net.contains(&ip))
                .map(|(net, name)| format!("{name} {net}"))
        }
    }
}

/// The IPv4 address inside a NAT64 (64:ff9b::/96, RFC 6052) or 6to4 (2002::/16, RFC 3056) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let ([0x64, 0xff9b, 0, 0, 0, 0, high, low] | [0x2002, high, low, ..]) = ip.segments() else {
        return None;
    };
    Some(Ipv4Addr::from((u32::from(high) << 16) | u32::from(low)))
}

/// A connection the guard refused; its message names the host, the address and the rule.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct Blocked(pub(super) String);

/// Resolves host names like the system does, then drops the addresses the guard refuses.
pub(super) struct GuardedResolver {
    guard: Arc<AddressGuard>,
    /// Hosts exempt from the guard: the proxies the operator configured, which are reached on
    /// purpose even when on a private network.
    exempt: Vec<String>,
}

impl GuardedResolver {
    pub(super) fn new(guard: Arc<AddressGuard>, exempt: Vec<String>) -> Self {
        Self { guard, exempt }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = Arc::clone(&self.guard);
        let exempt = self
            .exempt
            .iter()
            .any(|host| host.eq_ignore_ascii_case(name.as_str()));
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // The port is the client's to set: 0 here is replaced by the URL's.
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable = if exempt {
                found
            } else {
                guard.filter(&host, found)?
            };
            Ok(Box::new(usable.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests;
