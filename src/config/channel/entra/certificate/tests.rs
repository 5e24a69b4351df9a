use super::*;

/// The test app's certificate and key (tests/fixtures/entra/app.pem, a self-signed RSA 2048
/// certificate made with openssl for these tests only).
const APP_PEM: &str = include_str!("../../../../../tests/fixtures/entra/app.pem");
/// An RSA key of another certificate.
const OTHER_KEY: &str = include_str!("../../../../../tests/fixtures/entra/other-key.pem");

fn written(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("app.pem");
    std::fs::write(&path, text).expect("written");
    (dir, path)
}

fn parts() -> (&'static str, &'static str) {
    let at = APP_PEM.find("-----BEGIN PRIVATE KEY-----").expect("a key");
    APP_PEM.split_at(at)
}

#[test]
fn the_thumbprints_are_base64url_hashes_of_the_certificate() {
    let (_dir, path) = written(APP_PEM);
    let credential = read(&path).expect("a credential");
    // `openssl x509 -in app.pem -noout -fingerprint -sha1`:
    // 36:52:0B:CC:E6:45:D9:87:E7:40:DB:F5:EE:DE:F1:5C:80:C2:C2:84
    let sha1 = [
        0x36, 0x52, 0x0B, 0xCC, 0xE6, 0x45, 0xD9, 0x87, 0xE7, 0x40, 0xDB, 0xF5, 0xEE, 0xDE, 0xF1,
        0x5C, 0x80, 0xC2, 0xC2, 0x84,
    ];
    assert_eq!(credential.sha1_thumbprint, URL_SAFE_NO_PAD.encode(sha1));
    assert_eq!(credential.sha256_thumbprint.len(), 43);
}

#[test]
fn the_key_may_come_before_the_certificate_and_the_certificate_after_another() {
    let (certificate, key) = parts();
    let (_dir, path) = written(&format!("{key}{certificate}"));
    let alone = read(&path).expect("a credential");
    // Another certificate first (a CA's, say): the key's own is found after it.
    let other = rcgen::generate_simple_self_signed(vec!["ca.example".to_owned()])
        .expect("a certificate")
        .cert
        .pem();
    let (_dir, path) = written(&format!("{other}{certificate}{key}"));
    assert_eq!(
        read(&path).expect("a credential").sha256_thumbprint,
        alone.sha256_thumbprint
    );
}

#[test]
fn a_file_without_a_certificate_or_without_a_key_is_refused() {
    let (certificate, key) = parts();
    let (_dir, path) = written(key);
    assert!(read(&path).expect_err("refused").contains("no certificate"));
    let (_dir, path) = written(certificate);
    assert!(read(&path).expect_err("refused").contains("no private key"));
}

#[test]
fn a_key_of_another_certificate_is_refused_without_showing_it() {
    let (certificate, _) = parts();
    let (_dir, path) = written(&format!("{certificate}{OTHER_KEY}"));
    let error = read(&path).expect_err("refused");
    assert!(error.contains("not its certificate's key"), "{error}");
    let key_line = OTHER_KEY.lines().nth(1).expect("a line of the key");
    assert!(!error.contains(key_line), "{error}");
}

#[test]
fn an_encrypted_key_is_refused_with_what_to_do() {
    let (certificate, _) = parts();
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w\n\
                     -----END ENCRYPTED PRIVATE KEY-----\n";
    let (_dir, path) = written(&format!("{certificate}{encrypted}"));
    assert!(read(&path).expect_err("refused").contains("encrypted"));
}

#[test]
fn debug_shows_the_path_and_thumbprint_only() {
    let (_dir, path) = written(APP_PEM);
    let shown = format!("{:?}", read(&path).expect("a credential"));
    assert!(shown.contains("sha1_thumbprint"), "{shown}");
    assert!(!shown.contains("key"), "{shown}");
}
