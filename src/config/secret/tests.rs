use super::*;

#[test]
fn display_and_debug_hide_path_and_query() {
    let url = url::Url::parse("https://example.webhook.office.com/webhookb2/secret-token?sig=abc")
        .expect("valid url");
    let hook = SecretUrl::new(url);
    for shown in [hook.to_string(), format!("{hook:?}")] {
        assert!(!shown.contains("secret"), "{shown}");
        assert!(!shown.contains("sig"), "{shown}");
        assert!(
            shown.contains("https://example.webhook.office.com/"),
            "{shown}"
        );
    }
}

#[test]
fn display_and_debug_hide_a_proxy_login_and_keep_its_port() {
    let url = url::Url::parse("http://proxyuser:proxypass@proxy.example:3128/").expect("valid url");
    let proxy = SecretUrl::new(url);
    for shown in [proxy.to_string(), format!("{proxy:?}")] {
        assert!(
            !shown.contains("proxyuser") && !shown.contains("proxypass"),
            "{shown}"
        );
        assert!(shown.contains("http://proxy.example:3128/…"), "{shown}");
    }
}

#[test]
fn passwords_and_tokens_show_as_an_ellipsis() {
    let secret = Secret::new("token-secret".to_owned());
    assert_eq!(format!("{secret:?}"), "Secret(…)");
    assert_eq!(secret.expose(), "token-secret");
}

#[test]
fn a_secret_file_loses_only_what_trim_removes_and_may_not_be_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("password");
    std::fs::write(&path, " pass word \r\n").expect("write");
    let read = |trim| read_secret(&path, "password", trim);
    assert_eq!(read(without_final_line_break).as_deref(), Ok(" pass word "));
    assert_eq!(read(str::trim).as_deref(), Ok("pass word"));
    std::fs::write(&path, "\n").expect("write");
    let empty = read(without_final_line_break).expect_err("empty");
    assert!(
        empty.ends_with("is empty; it should hold the password"),
        "{empty}"
    );
    let missing = read_secret(&dir.path().join("absent"), "password", str::trim);
    assert!(missing.expect_err("absent").starts_with("cannot read "));
}

#[test]
fn a_feed_url_is_shown_without_login_query_values_nor_fragment() {
    let url = url::Url::parse(
        "https://reader:pa55@feeds.example:8443/private/feed.xml?apikey=t0ken&view=&flag&#frag",
    )
    .expect("valid url");
    assert_eq!(
        shown_url(&url),
        "https://feeds.example:8443/private/feed.xml?apikey=…&view=&…&"
    );
    let plain = url::Url::parse("http://[::1]/feed.xml").expect("valid url");
    assert_eq!(shown_url(&plain), plain.as_str());
}

#[test]
fn a_feed_name_is_shown_as_it_is_and_a_feed_url_redacted() {
    assert_eq!(shown_feed_name("rust-blog"), "rust-blog");
    assert!(matches!(
        shown_feed_name("https://blog.example/feed.xml"),
        Cow::Borrowed(_)
    ));
    assert_eq!(
        shown_feed_name("HTTPS://me:pw@blog.example/feed.xml?token=x"),
        "https://blog.example/feed.xml?token=…"
    );
    assert_eq!(shown_feed_name("ftp://me:pw@x/"), "ftp://me:pw@x/");
}
