use super::*;

#[test]
fn usernames_cannot_hold_a_colon() {
    assert_eq!(username("reader").as_deref(), Ok("reader"));
    assert!(username("a:b").expect_err("colon").contains("\":\""));
    assert!(username("").is_err());
}

#[test]
fn bearer_tokens_must_fit_a_header_and_are_never_repeated() {
    assert_eq!(
        bearer_token("abc.DEF-123_~+/=").as_deref(),
        Ok("abc.DEF-123_~+/=")
    );
    for bad in ["s3cret token", "s3cret\nInjected: 1", "s3cret\u{7}"] {
        let message = bearer_token(bad).expect_err(bad);
        assert!(!message.contains("s3cret"), "{message}");
    }
}
