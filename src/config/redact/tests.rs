use super::*;

const TOKEN: &str = "tok3n-0123456789";

#[test]
fn a_secret_is_masked_wherever_it_stands() {
    let redactor = Redactor::new([TOKEN]);
    let text = format!("No webhook at https://hooks.example/{TOKEN}; {TOKEN}.");
    assert_eq!(
        redactor.redact(&text),
        "No webhook at https://hooks.example/[redacted]; [redacted]."
    );
}

#[test]
fn text_without_a_secret_is_returned_as_it_is() {
    let redactor = Redactor::new([TOKEN]);
    assert!(matches!(
        redactor.redact("all quiet"),
        Cow::Borrowed("all quiet")
    ));
    assert!(matches!(
        Redactor::default().redact(TOKEN),
        Cow::Borrowed(_)
    ));
}

#[test]
fn percent_encoded_json_escaped_and_case_changed_forms_are_masked() {
    let secret = "s3cret/with space&\"quote\"é";
    let redactor = Redactor::new([secret]);
    for written in [
        "s3cret%2Fwith%20space%26%22quote%22%C3%A9",
        "s3cret%2fwith%20space%26%22quote%22%c3%a9",
        "s3cret%2Fwith+space%26%22quote%22%C3%A9",
        "s3cret/with%20space&%22quote%22%C3%A9",
        "s3cret/with space&\\\"quote\\\"é",
        "s3cret\\/with space&\\\"quote\\\"é",
        "s3cret/with space&\\\"quote\\\"\\u00e9",
        "s3cret/with space&amp;&quot;quote&quot;é",
        "S3CRET/WITH SPACE&\"QUOTE\"é",
    ] {
        let text = format!("<{written}>");
        assert_eq!(redactor.redact(&text), "<[redacted]>", "{written}");
    }
}

#[test]
fn overlapping_and_nested_secrets_leave_no_piece_visible() {
    let redactor = Redactor::new(["abcdefgh1234", "1234ijklmnop", "cdefgh12"]);
    assert_eq!(
        redactor.redact("x abcdefgh1234ijklmnop y"),
        "x [redacted] y",
        "overlapping"
    );
    assert_eq!(
        redactor.redact("x abcdefgh1234 y"),
        "x [redacted] y",
        "nested"
    );
    assert_eq!(redactor.redact("xcdefgh12y"), "x[redacted]y");
}

#[test]
fn secrets_shorter_than_the_minimum_are_not_masked() {
    let short = "a".repeat(MIN_SECRET_CHARS - 1);
    let long = "b".repeat(MIN_SECRET_CHARS);
    let redactor = Redactor::new(["", "ab", "true", short.as_str(), long.as_str()]);
    let text = format!("{{\"ok\":true,\"ab\":\"{short}\",\"c\":\"{long}\"}}");
    assert_eq!(
        redactor.redact(&text),
        format!("{{\"ok\":true,\"ab\":\"{short}\",\"c\":\"[redacted]\"}}")
    );
}

#[test]
fn a_secret_at_the_cut_of_an_excerpt_is_masked_whole() {
    let redactor = Redactor::new([TOKEN]);
    let text = format!("{}{TOKEN} and more", "x".repeat(10));
    let window = &text[..10 + redactor.longest()];
    assert_eq!(
        redactor.redact_start(window, 12),
        format!("{}[redacted]", "x".repeat(10))
    );
    assert_eq!(redactor.redact_start(&text, 5), "xxxxx");
    assert_eq!(
        redactor.redact_start("héllo", 2),
        "h",
        "cut on a char boundary"
    );
}

#[test]
fn debug_shows_no_secret() {
    let shown = format!("{:?}", Redactor::new([TOKEN]));
    assert!(!shown.contains("tok3n"), "{shown}");
    assert!(shown.starts_with("Redactor("), "{shown}");
}
