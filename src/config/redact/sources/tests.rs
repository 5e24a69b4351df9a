use crate::config::Config;

fn secrets(text: &str) -> Vec<String> {
    let config = Config::from_toml_str(text, std::path::Path::new("/etc/feedhook.toml"), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"));
    super::secrets_of(
        &config.channels,
        &config.feeds,
        config.store.database.as_ref(),
    )
}

fn assert_has(found: &[String], expected: &[&str]) {
    for secret in expected {
        assert!(
            found.iter().any(|s| s == secret),
            "{secret} not in {found:?}"
        );
    }
}

fn assert_lacks(found: &[String], unexpected: &[&str]) {
    for word in unexpected {
        assert!(!found.iter().any(|s| s == word), "{word} in {found:?}");
    }
}

#[test]
fn a_webhook_url_is_secret_in_every_part_but_its_route_words() {
    let url = "https://hooks.slack.example/services/T0001/B0002/XyZ9%2Fabc?sig=s1gnature&api-version=2016-06-01";
    let found = secrets(&format!(
        "[channels.ops]\nkind = \"slack\"\nurl = \"{url}\"\n"
    ));
    assert_has(
        &found,
        &[
            url,
            "/services/T0001/B0002/XyZ9%2Fabc",
            "sig=s1gnature&api-version=2016-06-01",
            "XyZ9%2Fabc",
            "XyZ9/abc",
            "T0001",
            "s1gnature",
            "2016-06-01",
        ],
    );
    assert_lacks(&found, &["services", "hooks.slack.example"]);
}

#[test]
fn a_feed_url_gives_its_login_and_query_values() {
    let found = secrets(
        "[channels.out]\nkind = \"console\"\n\n[[feeds]]\n\
         url = \"https://me%40example:p%40ss-w0rd@feeds.example/private/feed.xml?key=t0ken%2B1&view=compact\"\n\
         channels = [\"out\"]\n",
    );
    assert_has(
        &found,
        &[
            "p%40ss-w0rd",
            "p@ss-w0rd",
            "me@example:p@ss-w0rd",
            "bWVAZXhhbXBsZTpwQHNzLXcwcmQ=",
            "t0ken%2B1",
            "t0ken+1",
        ],
    );
    assert_lacks(&found, &["compact", "/private/feed.xml", "private"]);
}

#[test]
fn credentials_headers_and_proxies_are_secrets_and_plain_header_words_are_not() {
    let found = secrets(
        "[channels.hook]\nkind = \"generic\"\nurl = \"https://hook.example/in\"\n\
         headers = { Authorization = \"Bearer hook-t0ken\", X-Source = \"feedhook\", X-Tenant-Key = \"plainword\" }\n\n\
         [[feeds]]\nurl = \"https://a.example/feed\"\nchannels = [\"hook\"]\n\
         basic_auth = { username = \"reader\", password = \"letters\" }\n\
         headers = { Accept = \"application/atom+xml\" }\n\
         proxy = \"http://proxy-user:proxy-pa55@proxy.example:3128\"\n\n\
         [[feeds]]\nurl = \"https://b.example/feed\"\nchannels = [\"hook\"]\nbearer_token = \"b3arer\"\n",
    );
    assert_has(
        &found,
        &[
            "Bearer hook-t0ken",
            "hook-t0ken",
            "plainword",
            "letters",
            "reader:letters",
            "b3arer",
            "proxy-pa55",
            "http://proxy-user:proxy-pa55@proxy.example:3128/",
        ],
    );
    assert_lacks(
        &found,
        &["feedhook", "Bearer", "application/atom+xml", "reader"],
    );
}
