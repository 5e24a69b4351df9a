use super::*;

#[test]
fn a_relay_url_is_smtp_or_smtps_with_a_host_only() {
    assert!(relay_url("smtp://relay.example:587").is_ok());
    assert!(relay_url("smtps://user:pass@relay.example").is_ok());
    for (text, expected) in [
        ("http://relay.example", "smtp://"),
        ("smtp:///", "no host"),
        ("smtp://relay.example/x", "without a path"),
        ("smtp://relay.example?x=1", "without a path"),
        ("not a url", "not a valid URL"),
    ] {
        let error = relay_url(text).expect_err(text);
        assert!(error.contains(expected), "{text}: {error}");
    }
}

#[test]
fn no_message_repeats_the_password() {
    let error = relay_url("http://user:hunter2-pass@relay.example").expect_err("not smtp");
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn an_address_with_a_name_is_a_mailbox() {
    let parsed = mailbox("Feeds <feeds@example.com>").expect("a mailbox");
    assert_eq!(parsed.name.as_deref(), Some("Feeds"));
    assert!(mailbox("feeds at example").is_err());
}
