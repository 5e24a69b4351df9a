use super::*;

fn redactor() -> Redactor {
    Redactor::new(["app-secret".to_owned()])
}

#[test]
fn a_granted_token_lives_as_long_as_the_endpoint_says() {
    let body = br#"{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0.abc"}"#;
    let (token, lifetime) = judge(200, body, &redactor()).expect("a token");
    assert_eq!(token.expose(), "eyJ0.abc");
    assert_eq!(lifetime, Duration::from_secs(3599));
    let text = br#"{"expires_in":"60","access_token":"t"}"#;
    assert_eq!(
        judge(200, text, &redactor()).expect("a token").1,
        Duration::from_secs(60)
    );
}

#[test]
fn a_refused_client_is_a_refusal_with_the_first_line_of_the_reason() {
    let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nCorrelation ID: 2"}"#;
    let error = judge(401, body, &redactor()).expect_err("refused");
    assert_eq!(
        error,
        TokenError::Refused(
            "HTTP 401, invalid_client: AADSTS7000215: Invalid client secret provided.".to_owned()
        )
    );
}

#[test]
fn a_description_quoting_the_secret_is_masked_and_control_characters_dropped() {
    let body = br#"{"error":"unauthorized_client","error_description":"bad app-secret\u001b[31m"}"#;
    let TokenError::Refused(said) = judge(400, body, &redactor()).expect_err("refused") else {
        panic!("not a refusal");
    };
    assert!(!said.contains("app-secret"), "{said}");
    assert!(!said.contains('\u{1b}'), "{said}");
}

#[test]
fn server_errors_and_answers_without_a_token_are_worth_another_try() {
    for (status, body) in [
        (503, &b"down"[..]),
        (429, br#"{"error":"temporarily_unavailable"}"#),
        (200, b"<html>"),
        (200, br#"{"access_token":"","expires_in":3600}"#),
    ] {
        assert!(
            matches!(
                judge(status, body, &redactor()),
                Err(TokenError::Unavailable(_))
            ),
            "{status}"
        );
    }
}
