//! The body: decoded, and capped on its decoded size whatever the server declares.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Get, MIB, body_of, error_of, fetcher, raw, url};
use crate::fetch::FetchError;

fn gzip(chunks: impl Iterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    for chunk in chunks {
        encoder.write_all(&chunk).expect("compress");
    }
    encoder.finish().expect("compress")
}

async fn serve_gzip(compressed: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(compressed),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn gzip_body_is_decoded() {
    let feed_xml = b"<rss><channel><title>zipped</title></channel></rss>".to_vec();
    let server = serve_gzip(gzip(std::iter::once(feed_xml.clone()))).await;
    let feed = url(&server.uri(), "/feed");

    let body = body_of(Get::new(&feed).run(&fetcher()).await);

    assert_eq!(body.body, feed_xml);
}

#[tokio::test]
async fn gzip_bomb_stops_at_the_cap() {
    // 50 MiB of zeros compress to about 200 KiB: well under the cap on the wire.
    let bomb = gzip((0..50).map(|_| vec![0u8; MIB as usize]));
    assert!(bomb.len() < MIB as usize);
    let server = serve_gzip(bomb).await;
    let feed = url(&server.uri(), "/feed");

    let err = error_of(Get::new(&feed).run(&fetcher()).await);

    assert!(
        matches!(err, FetchError::TooLarge { limit: MIB }),
        "{err:?}"
    );
}

#[tokio::test]
async fn declared_oversized_body_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 2 * MIB as usize]))
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed");

    let err = error_of(Get::new(&feed).run(&fetcher()).await);

    assert!(
        matches!(err, FetchError::TooLarge { limit: MIB }),
        "{err:?}"
    );
}

#[tokio::test]
async fn body_exactly_at_the_cap_is_accepted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 1000]))
        .mount(&server)
        .await;
    let feed = url(&server.uri(), "/feed");

    let outcome = Get {
        max_body: 1000,
        ..Get::new(&feed)
    }
    .run(&fetcher())
    .await;

    assert_eq!(body_of(outcome).body.len(), 1000);
}

/// A body with no `Content-Length`, delimited by closing the connection, that would go on for
/// 64 MiB: only counting while streaming can stop it.
#[tokio::test]
async fn undeclared_oversized_body_is_cut_while_streaming() {
    let base = raw::serve(|mut stream| async move {
        raw::read_head(&mut stream).await;
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\nconnection: close\r\n\r\n";
        let chunk = vec![b'x'; 64 * 1024];
        if raw::write(&mut stream, head).await {
            for _ in 0..1024 {
                if !raw::write(&mut stream, &chunk).await {
                    break;
                }
            }
        }
    })
    .await;
    let feed = url(&base, "/feed");

    let err = error_of(Get::new(&feed).run(&fetcher()).await);

    assert!(
        matches!(err, FetchError::TooLarge { limit: MIB }),
        "{err:?}"
    );
}
