//! Failures: HTTP statuses with the server's hints, deadlines, refused and non-TLS connections.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Get, error_of, fetcher, raw, url};
use crate::config::{FetchOptions, Transport};
use crate::fetch::FetchError;

async fn answer(status: u16, headers: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status);
    for (name, value) in headers {
        response = response.insert_header(*name, *value);
    }
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn fetch_error(server: &MockServer) -> FetchError {
    let feed = url(&server.uri(), "/feed");
    error_of(Get::new(&feed).run(&fetcher()).await)
}

#[tokio::test]
async fn a_server_error_is_a_failure_not_a_request_to_wait() {
    let err = fetch_error(&answer(500, &[]).await).await;

    assert!(
        matches!(err, FetchError::Status { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn not_found_is_reported_with_its_status() {
    let err = fetch_error(&answer(404, &[]).await).await;

    assert!(
        matches!(err, FetchError::Status { status: 404, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn too_many_requests_carries_retry_after_seconds() {
    let err = fetch_error(&answer(429, &[("retry-after", "120")]).await).await;

    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn unavailable_carries_retry_after_as_a_date() {
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let err = fetch_error(&answer(503, &[("retry-after", &in_an_hour)]).await).await;

    let wait = err.retry_after().expect("a Retry-After hint");
    // The date has a one-second resolution and a little time passes before it is read.
    assert!(
        wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
}

#[tokio::test]
async fn silent_server_times_out() {
    let base = raw::serve(|mut stream| async move {
        raw::read_head(&mut stream).await;
        // Keep the connection open without answering until the client gives up.
        raw::read_head(&mut stream).await;
    })
    .await;
    let feed = url(&base, "/feed");
    let timeout = Duration::from_millis(300);

    let err = error_of(
        Get {
            timeout,
            ..Get::new(&feed)
        }
        .run(&fetcher())
        .await,
    );

    assert!(
        matches!(err, FetchError::Timeout(t) if t == timeout),
        "{err:?}"
    );
}

/// Headers at once, then one byte every 100 ms: each read succeeds, only the total deadline ends it.
#[tokio::test]
async fn trickling_body_ends_at_the_deadline() {
    let base = raw::serve(|mut stream| async move {
        raw::read_head(&mut stream).await;
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n";
        let mut ticks = tokio::time::interval(Duration::from_millis(100));
        if raw::write(&mut stream, head).await {
            for _ in 0..100 {
                ticks.tick().await;
                if !raw::write(&mut stream, b"x").await {
                    break;
                }
            }
        }
    })
    .await;
    let feed = url(&base, "/feed");
    let timeout = Duration::from_millis(500);

    let err = error_of(
        Get {
            timeout,
            ..Get::new(&feed)
        }
        .run(&fetcher())
        .await,
    );

    assert!(
        matches!(err, FetchError::Timeout(t) if t == timeout),
        "{err:?}"
    );
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    let feed = url(&format!("http://{addr}/"), "/feed");

    let err = error_of(Get::new(&feed).run(&fetcher()).await);

    assert!(
        matches!(&err, FetchError::Connect(m) if m.contains("refused")),
        "{err:?}"
    );
    assert!(err.to_string().len() < 100, "short message, got: {err}");
}

/// An `https` URL pointing at a plain-HTTP server: the handshake fails inside rustls.
#[tokio::test]
async fn plain_http_server_behind_an_https_url_is_a_tls_error() {
    let base = raw::serve(|mut stream| async move {
        let reply = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        raw::write(&mut stream, reply).await;
    })
    .await;
    let feed = url(&base.replacen("http://", "https://", 1), "/feed");

    let err = error_of(Get::new(&feed).run(&fetcher()).await);

    assert!(matches!(err, FetchError::Tls(_)), "{err:?}");
}

#[tokio::test]
async fn non_http_url_is_refused() {
    let feed = url("ftp://127.0.0.1/", "/feed");

    let err = error_of(Get::new(&feed).run(&fetcher()).await);

    assert!(
        matches!(&err, FetchError::Other(m) if m.contains("ftp")),
        "{err:?}"
    );
}

/// The daemon builds a fetcher from the feeds of each configuration it runs.
#[tokio::test]
async fn a_feed_the_fetcher_was_not_built_for_is_refused_without_a_request() {
    let server = answer(200, &[]).await;
    let feed = url(&server.uri(), "/feed");
    let get = Get {
        options: FetchOptions {
            transport: Arc::new(Transport {
                tls_insecure: true,
                ..Transport::default()
            }),
            ..FetchOptions::default()
        },
        ..Get::new(&feed)
    };

    let err = error_of(get.run(&fetcher()).await);

    assert!(
        matches!(&err, FetchError::Other(m) if m.contains("no HTTP client was built")),
        "{err:?}"
    );
    let requests = server.received_requests().await.expect("recording");
    assert!(requests.is_empty(), "{requests:?}");
}
