use std::path::Path;

use super::*;

#[test]
fn a_ca_file_needs_a_usable_certificate() {
    let path = Path::new("/etc/feedhook/ca.pem");
    let none = check_certificates(path, b"just text\n").expect_err("no PEM block");
    assert!(none.contains("holds no certificate"), "{none}");
    let garbage = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let unusable = check_certificates(path, garbage).expect_err("not a certificate");
    assert!(unusable.contains("cannot be used"), "{unusable}");
}
