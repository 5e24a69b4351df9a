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
mod tests {
    use super::*;

    fn guard(allow: &[&str]) -> AddressGuard {
        AddressGuard {
            allow: allow
                .iter()
                .map(|net| net.parse().expect("test network"))
                .collect(),
        }
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    #[test]
    fn non_public_addresses_are_refused_by_name() {
        let guard = guard(&[]);
        let cases = [
            ("127.0.0.1", "loopback 127.0.0.0/8"),
            ("10.20.30.40", "private 10.0.0.0/8"),
            ("172.31.255.1", "private 172.16.0.0/12"),
            ("192.168.1.1", "private 192.168.0.0/16"),
            (
                "169.254.169.254",
                "link-local (and cloud metadata) 169.254.0.0/16",
            ),
            ("100.100.100.200", "carrier-grade NAT 100.64.0.0/10"),
            ("0.0.0.0", "\"this network\" 0.0.0.0/8"),
            ("255.255.255.255", "reserved (and broadcast) 240.0.0.0/4"),
            ("::", "unspecified ::/128"),
            ("::1", "loopback ::1/128"),
            ("fd12:3456::1", "unique-local fc00::/7"),
            ("fe80::1", "link-local fe80::/10"),
            ("::ffff:127.0.0.1", "loopback 127.0.0.0/8"),
            (
                "::ffff:169.254.169.254",
                "link-local (and cloud metadata) 169.254.0.0/16",
            ),
        ];
        for (address, range) in cases {
            assert_eq!(
                guard.refusal(ip(address)).as_deref(),
                Some(range),
                "{address}"
            );
        }
    }

    #[test]
    fn translated_forms_are_judged_by_the_address_they_embed() {
        let guard = guard(&[]);
        let nat64 = guard
            .refusal(ip("64:ff9b::a00:1"))
            .expect("10.0.0.1 inside");
        assert_eq!(nat64, "a translated form of 10.0.0.1, private 10.0.0.0/8");
        let six_to_four = guard
            .refusal(ip("2002:7f00:1::1"))
            .expect("127.0.0.1 inside");
        assert!(six_to_four.contains("loopback"), "{six_to_four}");
        assert_eq!(
            guard.refusal(ip("64:ff9b::808:808")),
            None,
            "8.8.8.8 is public"
        );
    }

    #[test]
    fn public_addresses_pass() {
        let guard = guard(&[]);
        for address in [
            "93.184.216.34",
            "1.1.1.1",
            "172.32.0.1",
            "2606:4700::1111",
            "100.128.0.1",
        ] {
            assert_eq!(guard.refusal(ip(address)), None, "{address}");
        }
    }

    #[test]
    fn allowed_networks_punch_holes_also_for_mapped_forms() {
        let guard = guard(&["10.1.2.0/24", "127.0.0.0/8"]);
        assert_eq!(guard.refusal(ip("10.1.2.7")), None);
        assert_eq!(guard.refusal(ip("::ffff:10.1.2.7")), None);
        assert!(guard.refusal(ip("10.1.3.7")).is_some());
        assert_eq!(guard.refusal(ip("127.0.0.1")), None);
    }

    #[test]
    fn literal_hosts_are_checked_and_names_left_to_the_resolver() {
        let guard = guard(&[]);
        let url = |text: &str| Url::parse(text).expect("test URL");
        let err = guard
            .check_url(&url("http://169.254.169.254/latest/"))
            .expect_err("metadata");
        assert!(
            err.0
                .starts_with("refused to connect to 169.254.169.254: link-local"),
            "{}",
            err.0
        );
        assert!(err.0.contains("allow_addresses"), "{}", err.0);
        // The URL parser reads these as 127.0.0.1 and [::ffff:7f00:1].
        assert!(guard.check_url(&url("http://0x7f.1/")).is_err());
        assert!(guard.check_url(&url("http://[::ffff:127.0.0.1]/")).is_err());
        assert!(guard.check_url(&url("http://localhost/")).is_ok());
    }

    #[test]
    fn resolved_addresses_are_filtered_and_all_blocked_is_an_error() {
        let guard = guard(&[]);
        let addr = |text: &str| SocketAddr::new(ip(text), 0);
        let mixed = guard.filter("mixed.test", vec![addr("10.0.0.1"), addr("93.184.216.34")]);
        assert_eq!(mixed.expect("one is public"), [addr("93.184.216.34")]);
        let err = guard
            .filter("internal.test", vec![addr("10.0.0.1"), addr("::1")])
            .expect_err("all blocked");
        assert!(
            err.0.starts_with(
                "refused to connect to internal.test: it resolves only to blocked addresses \
                 (10.0.0.1 is private 10.0.0.0/8, ::1 is loopback ::1/128)"
            ),
            "{}",
            err.0
        );
    }
}
