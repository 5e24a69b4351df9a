use super::*;
use crate::config::feed::transport::ProxySetting;
use crate::config::secret::{Secret, SecretUrl};

#[test]
fn feed_headers_replace_defaults_of_the_same_name() {
    let mut headers = vec![
        ("X-Team".to_owned(), "ops".to_owned()),
        ("Accept".to_owned(), "application/rss+xml".to_owned()),
    ];
    merge_headers(&mut headers, vec![("accept".to_owned(), "*/*".to_owned())]);
    let names: Vec<_> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(names, [("X-Team", "ops"), ("accept", "*/*")]);
}

#[test]
fn user_agents_are_trimmed_header_values() {
    assert_eq!(
        user_agent(" reader/1.0 (+https://a.example) ").as_deref(),
        Ok("reader/1.0 (+https://a.example)")
    );
    assert!(user_agent(" ").is_err());
    assert!(user_agent("bad\u{7}agent").is_err());
}

#[test]
fn debug_shows_no_secret() {
    let proxy =
        url::Url::parse("http://proxyuser:proxypass@proxy.example:3128/").expect("valid url");
    let options = FetchOptions {
        headers: vec![("X-Api-Key".to_owned(), "header-secret".to_owned())],
        user_agent: Some("reader/1".to_owned()),
        credentials: Some(Credentials::Basic {
            username: "reader".to_owned(),
            password: Secret::new("basic-secret".to_owned()),
        }),
        transport: Arc::new(Transport {
            proxy: ProxySetting::Url(SecretUrl::new(proxy)),
            tls_insecure: false,
            ca: None,
        }),
    };
    let shown = format!("{options:?}");
    for secret in ["header-secret", "basic-secret", "proxyuser", "proxypass"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(
        shown.contains("X-Api-Key") && shown.contains("\"reader\""),
        "{shown}"
    );
    assert!(shown.contains("http://proxy.example:3128"), "{shown}");
    let bearer = Credentials::Bearer(Secret::new("token-secret".to_owned()));
    assert_eq!(format!("{bearer:?}"), "Bearer(…)");
}
