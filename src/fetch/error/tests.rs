use super::*;

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
