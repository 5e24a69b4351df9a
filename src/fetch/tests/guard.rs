//! `[fetch] block_private_addresses`: feeds and redirects that would reach the machine's own
//! addresses are refused before a request is sent, unless `allow_addresses` lets them through.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Get, body_of, error_of, url};
use crate::config::FetchSettings;
use crate::fetch::{FetchError, Fetcher};

fn guarded(allow: &[&str]) -> Fetcher {
    let settings = FetchSettings {
        block_private_addresses: true,
        allow_addresses: allow
            .iter()
            .map(|net| net.parse().expect("test network"))
            .collect(),
        ..FetchSettings::default()
    };
    Fetcher::new(&settings, &[], &std::sync::Arc::default()).expect("the client builds")
}

async fn feed_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<feed/>"))
        .mount(&server)
        .await;
    server
}

async fn requests_seen(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

fn blocked_message(err: FetchError) -> String {
    match err {
        FetchError::Blocked(message) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_loopback_feed_is_refused_before_any_request() {
    let server = feed_server().await;
    let feed = url(&server.uri(), "/feed");

    let err = error_of(Get::new(&feed).run(&guarded(&[])).await);

    let message = blocked_message(err);
    assert!(
        message.starts_with("refused to connect to 127.0.0.1: loopback 127.0.0.0/8"),
        "{message}"
    );
    assert!(message.contains("allow_addresses"), "{message}");
    assert_eq!(requests_seen(&server).await, 0);
}

#[tokio::test]
async fn an_allowed_network_is_reached() {
    let server = feed_server().await;
    let feed = url(&server.uri(), "/feed");

    let body = body_of(Get::new(&feed).run(&guarded(&["127.0.0.0/8"])).await);

    assert_eq!(body.body, b"<feed/>");
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused() {
    let server = feed_server().await;
    let port = server.address().port();
    let feed = url(&format!("http://localhost:{port}/"), "/feed");

    let message = blocked_message(error_of(Get::new(&feed).run(&guarded(&[])).await));

    assert!(
        message.starts_with("refused to connect to localhost: it resolves only to blocked"),
        "{message}"
    );
    assert!(message.contains("127.0.0.1 is loopback"), "{message}");
    assert_eq!(requests_seen(&server).await, 0);
}

#[tokio::test]
async fn a_name_connects_only_to_its_allowed_addresses() {
    let server = feed_server().await;
    let port = server.address().port();
    let feed = url(&format!("http://localhost:{port}/"), "/feed");

    // localhost is also ::1, which stays blocked; 127.0.0.1 is enough.
    let body = body_of(Get::new(&feed).run(&guarded(&["127.0.0.1/32"])).await);

    assert_eq!(body.body, b"<feed/>");
}

#[tokio::test]
async fn a_redirect_to_a_blocked_address_is_refused() {
    let server = MockServer::start().await;
    let port = server.address().port();
    Mock::given(path("/feed"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("http://127.0.0.2:{port}/inside")),
        )
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed");

    let err = error_of(Get::new(&feed).run(&guarded(&["127.0.0.1/32"])).await);

    let message = blocked_message(err);
    assert!(
        message.starts_with("refused to connect to 127.0.0.2: loopback"),
        "{message}"
    );
    assert_eq!(
        requests_seen(&server).await,
        1,
        "only the allowed first hop"
    );
}
