use super::*;

const SECRET: &str = "s3cret-of-this-subscription";
const BODY: &[u8] = b"<rss version=\"2.0\"><channel><title>t</title></channel></rss>";

#[test]
fn every_method_websub_names_is_verified() {
    for method in ["sha1", "sha256", "sha384", "sha512"] {
        let header = sign(method, SECRET, BODY).expect("a method WebSub names");
        assert!(header.starts_with(&format!("{method}=")));
        assert_eq!(
            check(Some(header.as_bytes()), SECRET, BODY),
            Ok(()),
            "{method}"
        );
    }
}

#[test]
fn a_known_hmac_sha256_is_accepted() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    let header = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert_eq!(
        check(
            Some(header.as_bytes()),
            "Jefe",
            b"what do ya want for nothing?"
        ),
        Ok(())
    );
}

#[test]
fn a_signature_with_another_secret_or_body_is_refused() {
    let header = sign("sha256", "another secret", BODY).expect("a method WebSub names");
    assert_eq!(
        check(Some(header.as_bytes()), SECRET, BODY),
        Err(SignatureError::Mismatch)
    );
    let header = sign("sha256", SECRET, BODY).expect("a method WebSub names");
    assert_eq!(
        check(Some(header.as_bytes()), SECRET, b"forged content"),
        Err(SignatureError::Mismatch)
    );
    let truncated = &header[..header.len() - 2];
    assert_eq!(
        check(Some(truncated.as_bytes()), SECRET, BODY),
        Err(SignatureError::Mismatch),
        "a prefix of the right MAC is no MAC"
    );
}

#[test]
fn an_unsigned_or_malformed_push_is_refused() {
    assert_eq!(check(None, SECRET, BODY), Err(SignatureError::Missing));
    for header in [
        "",
        "sha256",
        "sha256=",
        "md5=00112233",
        "sha256=not-hex!",
        "sha256=abc",
    ] {
        assert_eq!(
            check(Some(header.as_bytes()), SECRET, BODY),
            Err(SignatureError::Malformed),
            "{header:?}"
        );
    }
}

#[test]
fn the_method_name_is_read_without_regard_to_case() {
    let header = sign("sha512", SECRET, BODY)
        .expect("a method WebSub names")
        .replacen("sha512", "SHA512", 1);
    assert_eq!(check(Some(header.as_bytes()), SECRET, BODY), Ok(()));
}
