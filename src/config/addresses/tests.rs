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
