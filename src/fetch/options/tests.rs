use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).expect("test URL")
}

#[test]
fn credentials_stay_on_the_feed_host_and_off_clear_text() {
    let feed = url("https://feeds.example/rss");
    assert!(same_site(&feed, &url("https://feeds.example/other")));
    assert!(same_site(&feed, &url("https://feeds.example:8443/rss")));
    assert!(!same_site(&feed, &url("http://feeds.example/rss")));
    assert!(!same_site(&feed, &url("https://cdn.example/rss")));
    let plain = url("http://feeds.example/rss");
    assert!(same_site(&plain, &url("https://feeds.example/rss")));
}

#[test]
fn header_values_are_marked_sensitive() {
    let map = header_map(&[("X-Api-Key".to_owned(), "k3y".to_owned())]).expect("valid");
    let value = map.get("x-api-key").expect("set");
    assert!(value.is_sensitive());
    assert!(!format!("{map:?}").contains("k3y"));
}
