use super::*;

#[test]
fn snowflakes_are_up_to_twenty_digits() {
    assert_eq!(
        snowflake(" 1234567890123456789 ").as_deref(),
        Ok("1234567890123456789")
    );
    for bad in ["", "12a", "-42", "123456789012345678901", "4 2"] {
        assert!(snowflake(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_thread_id_replaces_one_already_in_the_url_and_keeps_other_parameters() {
    let url = |text: &str| SecretUrl::new(Url::parse(text).expect("url"));
    let plain = into_thread(&url("https://discord.com/api/webhooks/1/t"), "42");
    assert_eq!(
        plain.expose().as_str(),
        "https://discord.com/api/webhooks/1/t?thread_id=42"
    );
    let already = into_thread(
        &url("https://discord.com/api/webhooks/1/t?wait=true&thread_id=7"),
        "42",
    );
    assert_eq!(
        already.expose().as_str(),
        "https://discord.com/api/webhooks/1/t?wait=true&thread_id=42"
    );
}
