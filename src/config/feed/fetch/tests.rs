use reqwest::header::HeaderName;

use super::*;
use crate::config::feed::transport::ProxySetting;
use crate::config::secret::{Secret, SecretUrl};

#[test]
fn user_agents_are_trimmed_header_values() {
    assert_eq!(
        user_agent(" reader/1.0 (+https://a.example) "),
        Ok(HeaderValue::from_static("reader/1.0 (+https://a.example)"))
    );
    assert!(user_agent(" ").is_err());
    assert!(user_agent("bad\u{7}agent").is_err());
}

#[test]
fn debug_shows_no_secret() {
    let proxy =
        url::Url::parse("http://proxyuser:proxypass@proxy.example:3128/").expect("valid url");
    let mut key = HeaderValue::from_static("header-secret");
    key.set_sensitive(true);
    let options = FetchOptions {
        headers: HeaderMap::from_iter([(HeaderName::from_static("x-api-key"), key)]),
        user_agent: Some(HeaderValue::from_static("reader/1")),
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
        shown.contains("x-api-key") && shown.contains("\"reader\""),
        "{shown}"
    );
    assert!(shown.contains("http://proxy.example:3128"), "{shown}");
    let bearer = Credentials::Bearer(Secret::new("token-secret".to_owned()));
    assert_eq!(format!("{bearer:?}"), "Bearer(…)");
}
