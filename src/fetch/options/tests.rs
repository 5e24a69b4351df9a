use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).expect("test URL")
}

#[test]
fn credentials_stay_on_the_feeds_scheme_host_and_port() {
    let feed = url("https://feeds.example/rss");
    assert!(same_origin(&feed, &url("https://feeds.example/other")));
    assert!(same_origin(&feed, &url("https://feeds.example:443/rss")));
    assert!(!same_origin(&feed, &url("https://feeds.example:8443/rss")));
    assert!(!same_origin(&feed, &url("http://feeds.example/rss")));
    assert!(!same_origin(&feed, &url("https://cdn.example/rss")));
    let plain = url("http://feeds.example/rss");
    assert!(!same_origin(&plain, &url("https://feeds.example/rss")));
    assert!(!same_origin(&plain, &url("http://feeds.example:8080/rss")));
}

#[test]
fn the_feeds_headers_go_out_as_the_config_made_them_and_only_to_its_host() {
    let mut key = reqwest::header::HeaderValue::from_static("k3y");
    key.set_sensitive(true);
    let mut options = FetchOptions::default();
    options.headers.insert("x-api-key", key);
    let feed = url("https://feeds.example/rss");
    let client = reqwest::Client::new();
    let request = |hop: &str| {
        let hop = url(hop);
        apply(client.get(hop.clone()), &options, &feed, &hop)
            .build()
            .expect("a request")
    };
    let own = request("https://feeds.example/rss");
    let value = own
        .headers()
        .get("x-api-key")
        .expect("sent to the feed's host");
    assert!(value.is_sensitive());
    assert!(!format!("{:?}", own.headers()).contains("k3y"));
    let other = request("https://cdn.example/rss");
    assert!(other.headers().get("x-api-key").is_none());
}
