//! Conditional GET: validators captured from a 200 and sent back, 304 as "not modified".

use std::time::Duration;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Get, body_of, fetcher, url};
use crate::fetch::{FetchOutcome, Validators};

const LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";

fn feed_response() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("etag", "\"v1\"")
        .insert_header("last-modified", LAST_MODIFIED)
        .insert_header("cache-control", "public, max-age=900")
        .set_body_raw("<rss/>", "application/rss+xml; charset=ISO-8859-1")
}

#[tokio::test]
async fn first_fetch_captures_validators_charset_and_hints() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(feed_response())
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed.xml");

    let body = body_of(Get::new(&feed).run(&fetcher()).await);

    assert_eq!(body.body, b"<rss/>");
    assert_eq!(body.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        body.validators.last_modified.as_deref(),
        Some(LAST_MODIFIED)
    );
    assert_eq!(body.charset.as_deref(), Some("iso-8859-1"));
    assert_eq!(body.hints.max_age, Some(Duration::from_secs(900)));
    assert_eq!(body.final_url, feed);
    assert_eq!(body.moved_permanently_to, None);
}

#[tokio::test]
async fn first_fetch_sends_no_conditions_and_introduces_itself() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(feed_response())
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed.xml");

    body_of(Get::new(&feed).run(&fetcher()).await);

    let requests = server.received_requests().await.expect("recording is on");
    let headers = &requests[0].headers;
    assert!(headers.get("if-none-match").is_none());
    assert!(headers.get("if-modified-since").is_none());
    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok());
    assert_eq!(agent, Some(concat!("feedhook/", env!("CARGO_PKG_VERSION"))));
    let accept = headers.get("accept").and_then(|v| v.to_str().ok());
    assert!(accept.is_some_and(|a| a.starts_with("application/rss+xml")));
}

#[tokio::test]
async fn second_fetch_sends_validators_and_304_is_not_modified() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304).insert_header("cache-control", "max-age=600"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(feed_response())
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed.xml");
    let fetcher = fetcher();

    let first = body_of(Get::new(&feed).run(&fetcher).await);
    let second = Get {
        validators: first.validators,
        ..Get::new(&feed)
    }
    .run(&fetcher)
    .await;

    match second {
        Ok(FetchOutcome::NotModified { hints }) => {
            assert_eq!(hints.max_age, Some(Duration::from_secs(600)));
        }
        other => panic!("expected NotModified, got {other:?}"),
    }
    // Checked by hand: wiremock's `header` matcher splits values on commas, and HTTP dates have one.
    let requests = server.received_requests().await.expect("recording is on");
    let since = requests[1].headers.get("if-modified-since");
    assert_eq!(since.and_then(|v| v.to_str().ok()), Some(LAST_MODIFIED));
}

#[tokio::test]
async fn changed_feed_answers_200_with_new_validators() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).insert_header("etag", "\"v2\""))
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed.xml");
    let old = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };

    let body = body_of(
        Get {
            validators: old,
            ..Get::new(&feed)
        }
        .run(&fetcher())
        .await,
    );

    assert_eq!(body.validators.etag.as_deref(), Some("\"v2\""));
    assert_eq!(body.validators.last_modified, None);
}
