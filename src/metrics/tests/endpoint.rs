//! The two routes and the server, reading a daemon made up for the test.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::{Method, Request, StatusCode};
use tokio_util::sync::CancellationToken;

use super::{track, value};
use crate::metrics::routes::Endpoint;
use crate::metrics::{Metrics, QueueReading, Source, serve};

/// A daemon whose poll loop beat `since_heartbeat` ago, and whose state answers unless `broken`.
#[derive(Default)]
struct Daemon {
    since_heartbeat: Duration,
    broken: AtomicBool,
    pending: u64,
}

impl Source for Arc<Daemon> {
    type Error = &'static str;

    fn since_heartbeat(&self) -> Duration {
        self.since_heartbeat
    }

    async fn queues(&self) -> Result<Vec<QueueReading>, &'static str> {
        self.state_answers().await?;
        let hook = QueueReading {
            channel: "hook".into(),
            pending: self.pending,
            oldest_pending_age: Duration::from_secs(120),
            ..QueueReading::default()
        };
        Ok(vec![hook])
    }

    async fn state_answers(&self) -> Result<(), &'static str> {
        if self.broken.load(Ordering::Relaxed) {
            Err("disk I/O error")
        } else {
            Ok(())
        }
    }
}

/// An endpoint over its own registry, tracking the test channels, reading `daemon`.
fn endpoint(daemon: &Arc<Daemon>) -> Endpoint<Arc<Daemon>> {
    let metrics = Arc::new(Metrics::new());
    track(&metrics, &["blog"]);
    Endpoint::new(metrics, Arc::clone(daemon), None)
}

async fn get<S: Source>(
    endpoint: &Endpoint<S>,
    path: &str,
    accept: &str,
) -> (StatusCode, String, String) {
    let request = Request::builder()
        .uri(path)
        .header("accept", accept)
        .body(())
        .expect("request");
    let response = endpoint.respond(&request).await;
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

#[tokio::test]
async fn healthz_is_ok_while_the_loop_beats_and_the_state_answers() {
    let daemon = Arc::new(Daemon::default());
    let (status, content_type, body) = get(&endpoint(&daemon), "/healthz", "*/*").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    assert!(content_type.starts_with("text/plain"), "{content_type}");
}

#[tokio::test]
async fn healthz_is_503_with_the_reason_when_the_poll_loop_is_stuck() {
    let daemon = Arc::new(Daemon {
        since_heartbeat: Duration::from_secs(31),
        ..Daemon::default()
    });
    let (status, _, body) = get(&endpoint(&daemon), "/healthz", "*/*").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "the poll loop has not gone round for 31s\n");
}

#[tokio::test]
async fn healthz_is_503_with_the_reason_when_the_state_fails() {
    let daemon = Arc::new(Daemon::default());
    daemon.broken.store(true, Ordering::Relaxed);
    let (status, _, body) = get(&endpoint(&daemon), "/healthz", "*/*").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "the state database failed: disk I/O error\n");
}

#[tokio::test]
async fn metrics_reads_each_queue_when_scraped() {
    let daemon = Arc::new(Daemon {
        pending: 2,
        since_heartbeat: Duration::from_secs(4),
        ..Daemon::default()
    });
    let endpoint = endpoint(&daemon);
    let (status, content_type, text) = get(&endpoint, "/metrics", "*/*").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    let hook = |name: &str| format!("{name}{{channel=\"hook\",kind=\"generic\"}}");
    assert_eq!(value(&text, &hook("feedhook_channel_pending")), 2);
    assert_eq!(
        value(&text, &hook("feedhook_channel_oldest_pending_age_seconds")),
        120
    );
    let terminal = "feedhook_channel_pending{channel=\"terminal\",kind=\"console\"}";
    assert_eq!(value(&text, terminal), 0);
    assert!(
        text.contains("\nfeedhook_heartbeat_age_seconds 4"),
        "{text}"
    );
    assert!(text.contains("feedhook_build_info{version="), "{text}");

    // A state that fails leaves the gauges as they were; the counters are still served.
    daemon.broken.store(true, Ordering::Relaxed);
    let (status, _, text) = get(&endpoint, "/metrics", "*/*").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(value(&text, &hook("feedhook_channel_pending")), 2);
}

#[tokio::test]
async fn openmetrics_is_served_to_a_scraper_that_asks_for_it() {
    let daemon = Arc::new(Daemon::default());
    let accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";
    let (status, content_type, text) = get(&endpoint(&daemon), "/metrics", accept).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(text.ends_with("# EOF\n"), "{text}");
}

#[tokio::test]
async fn other_paths_and_methods_are_refused() {
    let endpoint = endpoint(&Arc::new(Daemon::default()));
    let (status, _, body) = get(&endpoint, "/", "*/*").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("/metrics and /healthz"), "{body}");
    let post = Request::builder()
        .method(Method::POST)
        .uri("/metrics")
        .body(())
        .expect("request");
    let response = endpoint.respond(&post).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET, HEAD");
}

#[tokio::test]
async fn the_server_answers_on_its_listener_until_stopped() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let stop = CancellationToken::new();
    let metrics = Arc::new(Metrics::new());
    let daemon = Arc::new(Daemon::default());
    let server = serve(listener, metrics, daemon, None, stop.clone()).expect("serves");
    let address = server.address();
    assert_ne!(address.port(), 0, "the bound port is known");
    let response = reqwest::get(format!("http://{address}/healthz"))
        .await
        .expect("answers");
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    stop.cancel();
    tokio::time::timeout(Duration::from_secs(5), server.stopped())
        .await
        .expect("stops promptly");
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "the port is closed"
    );
}
