//! A feed's own headers, user agent and credentials arrive at its server, and stay there: a
//! redirect to another host or port gets none of them. A proxy is used when the feed names one.

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use wiremock::matchers::{basic_auth, bearer_token, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Get, body_of, fetcher, fetcher_for, url};
use crate::config::{Credentials, FetchOptions, ProxySetting, Secret, SecretUrl, Transport};

fn feed_response() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string("<feed/>")
}

/// Headers as the config hands them out: parsed, values marked sensitive.
fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(name, value)| {
            let mut value = HeaderValue::from_static(value);
            value.set_sensitive(true);
            (
                HeaderName::from_lowercase(name.to_ascii_lowercase().as_bytes()).expect("a name"),
                value,
            )
        })
        .collect()
}

fn basic(username: &str, password: &str) -> Credentials {
    Credentials::Basic {
        username: username.to_owned(),
        password: Secret::new(password.to_owned()),
    }
}

#[tokio::test]
async fn headers_and_user_agent_arrive() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-api-key", "k3y"))
        .and(header("user-agent", "reader/2"))
        .respond_with(feed_response())
        .expect(1)
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed");
    let options = FetchOptions {
        headers: headers(&[("X-Api-Key", "k3y"), ("Accept", "application/atom+xml")]),
        user_agent: Some(HeaderValue::from_static("reader/2")),
        ..FetchOptions::default()
    };

    let get = Get {
        options,
        ..Get::new(&feed)
    };
    body_of(get.run(&fetcher()).await);

    let requests = server.received_requests().await.expect("recording is on");
    let accept: Vec<_> = requests[0].headers.get_all("accept").iter().collect();
    assert_eq!(
        accept,
        ["application/atom+xml"],
        "the feed's Accept replaces ours"
    );
}

#[tokio::test]
async fn basic_auth_arrives() {
    let server = MockServer::start().await;
    Mock::given(basic_auth("reader", "pa55 word"))
        .respond_with(feed_response())
        .expect(1)
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed");

    let get = Get {
        options: FetchOptions {
            credentials: Some(basic("reader", "pa55 word")),
            ..FetchOptions::default()
        },
        ..Get::new(&feed)
    };
    let body = body_of(get.run(&fetcher()).await);

    assert_eq!(body.body, b"<feed/>");
}

#[tokio::test]
async fn a_bearer_token_arrives() {
    let server = MockServer::start().await;
    Mock::given(bearer_token("t0ken"))
        .respond_with(feed_response())
        .expect(1)
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed");

    let get = Get {
        options: FetchOptions {
            credentials: Some(Credentials::Bearer(Secret::new("t0ken".to_owned()))),
            ..FetchOptions::default()
        },
        ..Get::new(&feed)
    };
    body_of(get.run(&fetcher()).await);
}

/// The feed is on 127.0.0.1 and redirects to `localhost`: another host by name.
#[tokio::test]
async fn a_redirect_to_another_host_gets_no_credentials_nor_headers() {
    let elsewhere = MockServer::start().await;
    Mock::given(path("/moved"))
        .respond_with(feed_response())
        .mount(&elsewhere)
        .await;
    let origin = MockServer::start().await;
    let target = format!("http://localhost:{}/moved", elsewhere.address().port());
    Mock::given(path("/feed"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", target))
        .mount(&origin)
        .await;
    let feed = url(&origin.uri(), "/feed");
    let options = FetchOptions {
        headers: headers(&[("X-Api-Key", "k3y")]),
        user_agent: Some(HeaderValue::from_static("reader/2")),
        credentials: Some(basic("reader", "s3cret")),
        ..FetchOptions::default()
    };

    let get = Get {
        options,
        ..Get::new(&feed)
    };
    body_of(get.run(&fetcher()).await);

    let first = &origin.received_requests().await.expect("recording")[0];
    assert!(first.headers.contains_key("authorization"));
    let second = &elsewhere.received_requests().await.expect("recording")[0];
    assert!(!second.headers.contains_key("authorization"));
    assert!(!second.headers.contains_key("x-api-key"));
    let agent = second
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok());
    assert_eq!(agent, Some("reader/2"), "the user agent is not a secret");
}

/// Both servers are on 127.0.0.1: only the port differs, as with two services of one machine.
#[tokio::test]
async fn a_redirect_to_another_port_gets_no_credentials_nor_headers() {
    let elsewhere = MockServer::start().await;
    Mock::given(path("/moved"))
        .respond_with(feed_response())
        .mount(&elsewhere)
        .await;
    let origin = MockServer::start().await;
    let target = url(&elsewhere.uri(), "/moved").to_string();
    Mock::given(path("/feed"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", target))
        .mount(&origin)
        .await;
    let feed = url(&origin.uri(), "/feed");
    let get = Get {
        options: FetchOptions {
            headers: headers(&[("X-Api-Key", "k3y")]),
            credentials: Some(Credentials::Bearer(Secret::new("t0ken".to_owned()))),
            ..FetchOptions::default()
        },
        ..Get::new(&feed)
    };
    body_of(get.run(&fetcher()).await);

    let first = &origin.received_requests().await.expect("recording")[0];
    assert!(first.headers.contains_key("authorization"));
    let second = &elsewhere.received_requests().await.expect("recording")[0];
    assert!(!second.headers.contains_key("authorization"));
    assert!(!second.headers.contains_key("x-api-key"));
}

/// A server that quotes the feed's token in a redirect to an invalid URL.
#[tokio::test]
async fn an_error_quoting_a_configured_secret_masks_it() {
    let server = MockServer::start().await;
    let location = "http://bad host/feed?apikey=tok3n-of-the-feed";
    Mock::given(path("/feed"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location))
        .mount(&server)
        .await;
    let redactor = Arc::new(crate::config::Redactor::new(["tok3n-of-the-feed"]));
    let fetcher =
        crate::fetch::Fetcher::new(&crate::config::FetchSettings::default(), &[], &redactor)
            .expect("the client builds");

    let error = super::error_of(Get::new(&url(&server.uri(), "/feed")).run(&fetcher).await);

    let message = error.to_string();
    assert!(message.contains("apikey=[redacted]"), "{message}");
    assert!(!message.contains("tok3n"), "{message}");
}

/// The feed's host does not exist: only a proxy that forwards by the absolute URL can answer.
#[tokio::test]
async fn a_feed_proxy_carries_the_request() {
    let proxy = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(feed_response())
        .expect(1)
        .mount(&proxy)
        .await;
    let feed = url("http://feeds.invalid/", "/feed");
    let proxy_url = url::Url::parse(&proxy.uri()).expect("proxy URL");

    let get = Get {
        options: FetchOptions {
            transport: Arc::new(Transport {
                proxy: ProxySetting::Url(SecretUrl::new(proxy_url)),
                ..Transport::default()
            }),
            ..FetchOptions::default()
        },
        ..Get::new(&feed)
    };
    let body = body_of(get.run(&fetcher_for(&[&get.options])).await);

    assert_eq!(body.body, b"<feed/>");
    let requests = proxy.received_requests().await.expect("recording");
    assert_eq!(requests[0].url.host_str(), Some("feeds.invalid"));
}
