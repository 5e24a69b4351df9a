//! The two routes and the listener, against a real (in-memory) state.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use http_body_util::BodyExt;
use hyper::{Method, Request, StatusCode};
use tokio_util::sync::CancellationToken;

use super::{config, value};
use crate::config::HttpSettings;
use crate::daemon::Pipeline;
use crate::fetch::Validators;
use crate::metrics::routes::Endpoint;
use crate::metrics::{ListenError, Metrics, serve};
use crate::parse::{Entry, FeedInfo};
use crate::schedule::Clock;
use crate::store::{PollRecord, QueueLimits, Store};

fn pipeline(feeds: &[&str]) -> Arc<Pipeline> {
    let store = Arc::new(Store::open_in_memory().expect("memory store"));
    Arc::new(Pipeline::new(&config(feeds), store, Clock::new()).expect("pipeline"))
}

/// An endpoint over its own registry, tracking the test config's channels.
fn endpoint(pipeline: &Arc<Pipeline>) -> Endpoint {
    let metrics: &'static Metrics = Box::leak(Box::new(Metrics::new()));
    let config = config(&["blog"]);
    metrics.track(&config, &[]);
    let channels = config.channels.keys().cloned().collect();
    Endpoint::new(metrics, Arc::clone(pipeline), channels)
}

async fn get(endpoint: &Endpoint, path: &str, accept: &str) -> (StatusCode, String, String) {
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

/// Queues `count` deliveries for channel `hook` (a first poll posting its backlog).
fn queue(store: &Store, count: usize) {
    let entries: Vec<Entry> = (0..count)
        .map(|n| Entry {
            key: format!("entry-{n}"),
            ..Entry::default()
        })
        .collect();
    let now = Utc::now();
    let record = PollRecord {
        feed: "blog",
        url: "https://example.com/blog.xml",
        polled_at: now - chrono::TimeDelta::seconds(120),
        validators: &Validators::default(),
        info: &FeedInfo::default(),
        entries: &entries,
        channels: &["hook".to_owned()],
        backlog: count,
        next_due_at: now,
        limits: QueueLimits::default(),
    };
    store.record_poll(&record).expect("recorded");
}

#[tokio::test]
async fn healthz_is_ok_while_the_loop_beats_and_the_state_answers() {
    let pipeline = pipeline(&["blog"]);
    let (status, content_type, body) = get(&endpoint(&pipeline), "/healthz", "*/*").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    assert!(content_type.starts_with("text/plain"), "{content_type}");
}

#[tokio::test(start_paused = true)]
async fn healthz_is_503_with_the_reason_when_the_poll_loop_is_stuck() {
    let pipeline = pipeline(&["blog"]);
    tokio::time::advance(Duration::from_secs(31)).await;
    let (status, _, body) = get(&endpoint(&pipeline), "/healthz", "*/*").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "the poll loop has not gone round for 31s\n");
    pipeline.beat();
    let (status, _, _) = get(&endpoint(&pipeline), "/healthz", "*/*").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn metrics_reads_each_queue_from_the_state() {
    let pipeline = pipeline(&["blog"]);
    queue(&pipeline.store, 2);
    let (status, content_type, text) = get(&endpoint(&pipeline), "/metrics", "*/*").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    let hook = |name: &str| format!("{name}{{channel=\"hook\",kind=\"generic\"}}");
    assert_eq!(value(&text, &hook("feedhook_channel_pending")), 2);
    let age = value(&text, &hook("feedhook_channel_oldest_pending_age_seconds"));
    assert!((120..180).contains(&age), "{age}");
    let terminal = "feedhook_channel_pending{channel=\"terminal\",kind=\"console\"}";
    assert_eq!(value(&text, terminal), 0);
    assert!(text.contains("feedhook_build_info{version="), "{text}");
}

#[tokio::test]
async fn openmetrics_is_served_to_a_scraper_that_asks_for_it() {
    let pipeline = pipeline(&["blog"]);
    let accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";
    let (status, content_type, text) = get(&endpoint(&pipeline), "/metrics", accept).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(text.ends_with("# EOF\n"), "{text}");
}

#[tokio::test]
async fn other_paths_and_methods_are_refused() {
    let pipeline = pipeline(&["blog"]);
    let endpoint = endpoint(&pipeline);
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
async fn without_http_nothing_is_bound() {
    let config = config(&["blog"]);
    let server = serve(&config, pipeline(&["blog"]), CancellationToken::new())
        .await
        .expect("nothing to bind");
    assert_eq!(server.address(), None);
    server.stopped().await;
}

#[tokio::test]
async fn the_server_answers_until_the_daemon_stops() {
    let mut config = config(&["blog"]);
    let listen = "127.0.0.1:0".parse().expect("address");
    config.http = Some(HttpSettings { listen });
    let stop = CancellationToken::new();
    let server = serve(&config, pipeline(&["blog"]), stop.clone())
        .await
        .expect("binds");
    let address = server.address().expect("an address");
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

#[tokio::test]
async fn an_address_in_use_is_an_error_naming_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let listen = taken.local_addr().expect("address");
    let mut config = config(&["blog"]);
    config.http = Some(HttpSettings { listen });
    let error: ListenError = serve(&config, pipeline(&["blog"]), CancellationToken::new())
        .await
        .expect_err("the address is taken");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("cannot listen on {listen} ([http] listen): ")),
        "{message}"
    );
}
