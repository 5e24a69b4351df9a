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

#[test]
fn certificate_failures_name_the_way_out() {
    let untrusted = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
    let message = tls_message(&untrusted);
    assert!(
        message.starts_with("invalid peer certificate: UnknownIssuer; "),
        "{message}"
    );
    assert!(
        message.contains("ca_file") && message.contains("tls_insecure"),
        "{message}"
    );
    let expired = tls_message(&rustls::Error::InvalidCertificate(
        rustls::CertificateError::Expired,
    ));
    assert!(expired.contains("ca_file cannot help"), "{expired}");
    let handshake = rustls::Error::General("bad handshake".into());
    assert!(!tls_message(&handshake).contains("ca_file"));
}
