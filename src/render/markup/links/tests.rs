use super::*;

#[test]
fn a_label_that_is_an_address_shows_the_real_url() {
    for label in [
        "https://bank.example",
        "bank.example",
        "www.bank.example/login",
        " (https://bank.example/a?b=c) ",
        "support@bank.example",
    ] {
        assert_eq!(
            judge(label, "https://evil.example/x"),
            LinkLabel::RealUrl,
            "{label}"
        );
    }
}

#[test]
fn an_address_label_for_its_own_url_also_shows_the_url() {
    assert_eq!(
        judge("https://blog.example.com/a", "https://blog.example.com/a"),
        LinkLabel::RealUrl
    );
}

#[test]
fn prose_naming_another_host_is_followed_by_the_real_host() {
    assert_eq!(
        judge("Log in at bank.example now", "https://www.evil.example/x"),
        LinkLabel::WithHost("evil.example".into())
    );
}

#[test]
fn prose_naming_the_linked_site_or_its_parent_is_kept() {
    assert_eq!(
        judge("see github.com for the code", "https://gist.github.com/a"),
        LinkLabel::AsIs
    );
    assert_eq!(
        judge("Read on WWW.Example.com", "https://example.com/"),
        LinkLabel::AsIs
    );
}

#[test]
fn prose_without_addresses_is_kept() {
    for label in [
        "the upgrade guide",
        "version 2.0",
        "e.g. this",
        "A.B",
        "日本語",
    ] {
        assert_eq!(
            judge(label, "https://evil.example"),
            LinkLabel::AsIs,
            "{label}"
        );
    }
}

#[test]
fn look_alike_letters_do_not_pass_for_the_real_domain() {
    // Cyrillic "а" in "bаnk" is another domain than Latin "bank".
    assert_eq!(
        judge("Visit b\u{430}nk.example today", "https://bank.example/"),
        LinkLabel::WithHost("bank.example".into())
    );
}

#[test]
fn a_domain_that_only_ends_like_the_label_is_another_site() {
    assert_eq!(
        judge("at bank.example", "https://evilbank.example/"),
        LinkLabel::WithHost("evilbank.example".into())
    );
}

#[test]
fn a_title_naming_another_host_is_followed_by_the_real_one() {
    assert_eq!(
        honest_title("Release 2.0", "https://x.example/"),
        "Release 2.0"
    );
    assert_eq!(
        honest_title("Log in at paypal.com", "https://x.example/a"),
        "Log in at paypal.com (x.example)"
    );
    assert_eq!(
        honest_title("x.example", "https://x.example/a"),
        "x.example"
    );
}
