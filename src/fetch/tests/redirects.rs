//! Redirect chains: followed up to five hops, permanent moves reported, loops stopped.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Get, body_of, error_of, fetcher, url};
use crate::fetch::FetchError;

/// Mounts `/0 → /1 → … → /hops` with the given statuses (one per hop, cycled) and a feed at the end.
async fn chain(server: &MockServer, hops: usize, statuses: &[u16]) {
    for hop in 0..hops {
        let status = statuses[hop % statuses.len()];
        // Relative Locations, as many servers send them.
        let location = format!("{}", hop + 1);
        Mock::given(method("GET"))
            .and(path(format!("/{hop}")))
            .respond_with(ResponseTemplate::new(status).insert_header("location", location))
            .mount(server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("/{hops}")))
        .respond_with(ResponseTemplate::new(200).set_body_string("<feed/>"))
        .mount(server)
        .await;
}

#[tokio::test]
async fn three_temporary_redirects_are_followed() {
    let server = MockServer::start().await;
    chain(&server, 3, &[302, 307, 303]).await;
    let start = url(&server.uri(), "/0");

    let body = body_of(Get::new(&start).run(&fetcher()).await);

    assert_eq!(body.body, b"<feed/>");
    assert_eq!(body.final_url, url(&server.uri(), "/3"));
    assert_eq!(body.moved_permanently_to, None);
}

#[tokio::test]
async fn permanent_chain_reports_the_new_url() {
    let server = MockServer::start().await;
    chain(&server, 2, &[301, 308]).await;
    let start = url(&server.uri(), "/0");

    let body = body_of(Get::new(&start).run(&fetcher()).await);

    assert_eq!(body.moved_permanently_to, Some(url(&server.uri(), "/2")));
}

#[tokio::test]
async fn five_hops_are_allowed() {
    let server = MockServer::start().await;
    chain(&server, 5, &[302]).await;
    let start = url(&server.uri(), "/0");

    let body = body_of(Get::new(&start).run(&fetcher()).await);

    assert_eq!(body.final_url, url(&server.uri(), "/5"));
}

#[tokio::test]
async fn six_hops_are_too_many() {
    let server = MockServer::start().await;
    chain(&server, 6, &[302]).await;
    let start = url(&server.uri(), "/0");

    let err = error_of(Get::new(&start).run(&fetcher()).await);

    assert!(matches!(err, FetchError::TooManyRedirects), "{err:?}");
}

#[tokio::test]
async fn redirect_loop_is_too_many() {
    let server = MockServer::start().await;
    for (from, to) in [("/a", "/b"), ("/b", "/a")] {
        Mock::given(path(from))
            .respond_with(ResponseTemplate::new(302).insert_header("location", to))
            .mount(&server)
            .await;
    }
    let start = url(&server.uri(), "/a");

    let err = error_of(Get::new(&start).run(&fetcher()).await);

    assert!(matches!(err, FetchError::TooManyRedirects), "{err:?}");
}

#[tokio::test]
async fn redirect_to_another_scheme_is_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/feed"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "file:///etc/passwd"))
        .mount(&server)
        .await;
    let start = url(&server.uri(), "/feed");

    let err = error_of(Get::new(&start).run(&fetcher()).await);

    assert!(
        matches!(&err, FetchError::Other(m) if m.contains("file")),
        "{err:?}"
    );
}
