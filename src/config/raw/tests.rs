use super::*;

#[test]
fn fields_of_lists_every_key_of_a_raw_table() {
    assert_eq!(
        fields_of::<ChannelRaw>(),
        [
            "kind",
            "url",
            "url_file",
            "username",
            "icon_url",
            "channel",
            "template",
            "headers",
            "rate",
            "title_prefix",
            "hide_summary",
            "max_summary_chars",
            "homeserver",
            "room",
            "token",
            "token_file",
            "chat_id",
            "message_thread_id",
            "api_url",
            "password_file",
            "priority",
            "tags",
            "timeout",
            "max_pause",
            "suspend_after",
            "from",
            "to",
            "tls",
            "ca_file",
            "auth",
            "tenant",
            "client_id",
            "client_secret",
            "client_secret_file",
            "client_certificate_file",
            "authority",
            "scope",
            "forum",
            "thread_name",
            "thread_id",
            "mention",
            "digest",
            "timezone"
        ]
    );
    assert!(fields_of::<FeedRaw>().contains(&"max_body"));
}

#[test]
fn defaults_take_every_feed_key_but_what_makes_the_feed() {
    assert_eq!(
        defaults_fields(),
        [
            "interval",
            "schedule",
            "timezone",
            "backlog",
            "timeout",
            "max_body",
            "max_new_per_poll",
            "max_age",
            "headers",
            "user_agent",
            "basic_auth",
            "bearer_token",
            "bearer_token_file",
            "proxy",
            "tls_insecure",
            "ca_file",
            "push",
            "push_interval"
        ]
    );
    let feed = fields_of::<FeedRaw>();
    assert!(FEED_ONLY.iter().all(|key| feed.contains(key)), "{feed:?}");
}

#[test]
fn max_body_accepts_a_number_or_a_string() {
    let raw: FeedRaw = toml::from_str("max_body = 1024").expect("integer");
    assert_eq!(
        raw.max_body.map(Spanned::into_inner),
        Some(ByteSizeRaw::Bytes(1024))
    );
    let raw: FeedRaw = toml::from_str("max_body = \"2MB\"").expect("string");
    assert_eq!(
        raw.max_body.map(Spanned::into_inner),
        Some(ByteSizeRaw::Text("2MB".into()))
    );
    assert!(toml::from_str::<FeedRaw>("max_body = true").is_err());
}

#[test]
fn headers_keep_the_spans_of_their_names() {
    let raw: ChannelRaw =
        toml::from_str("headers = { X-B = \"2\", X-A = \"1\" }").expect("a table");
    let headers = raw.headers.expect("headers").into_inner();
    let mut names: Vec<_> = headers.keys().collect();
    names.sort_by_key(|name| name.span().start);
    assert_eq!(
        names
            .iter()
            .map(|n| n.get_ref().as_str())
            .collect::<Vec<_>>(),
        ["X-B", "X-A"]
    );
}
