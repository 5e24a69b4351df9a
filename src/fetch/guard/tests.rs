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
