use super::*;

#[derive(Debug, thiserror::Error)]
#[error("outer layer")]
struct Outer(#[source] std::io::Error);

#[test]
fn the_innermost_message_is_kept() {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
    assert_eq!(root_message(&Outer(io)), "Connection refused");
}

#[test]
fn rustls_errors_are_found_inside_io_errors() {
    let tls = rustls::Error::General("bad handshake".into());
    let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
    let io = std::io::Error::other(io);
    let found = find_in_chain::<rustls::Error>(&Outer(io)).map(ToString::to_string);
    assert_eq!(found.as_deref(), Some("unexpected error: bad handshake"));
    let plain = std::io::Error::other("nothing to do with TLS");
    assert!(find_in_chain::<rustls::Error>(&Outer(plain)).is_none());
}
