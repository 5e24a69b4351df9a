//! The two routes: `/metrics` (the registry, with the queue gauges read from the state first) and
//! `/healthz` (200 while the poll loop goes round and the state answers), and the [`Source`] they
//! read the running daemon through. Paths under a [`Delegate`]'s prefix go to its handler, whole:
//! the endpoint knows nothing of what it serves there (the WebSub callbacks).

use std::fmt::Display;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{ACCEPT, ALLOW, CONTENT_TYPE, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::{Format, Metrics, QueueReading};

/// The poll loop goes round at least every 5 s; this many seconds without it means it is stuck.
pub(super) const HEARTBEAT_STALE: Duration = Duration::from_secs(30);
/// How long a request waits for the state database (busy with a long write, or stuck).
const STORE_DEADLINE: Duration = Duration::from_secs(5);
const TEXT: &str = "text/plain; charset=utf-8";

/// What the endpoint reads from the running daemon when a request comes. A read of the state is
/// given 5 s: a slower one leaves the queue gauges as they were, and fails the health check.
pub trait Source: Send + Sync + 'static {
    /// Why the state could not be read.
    type Error: Display + Send;

    /// How long ago the poll loop last went round.
    fn since_heartbeat(&self) -> Duration;

    /// Each configured channel's queue, read now.
    fn queues(&self) -> impl Future<Output = Result<Vec<QueueReading>, Self::Error>> + Send;

    /// Whether the state database answers a trivial query.
    fn state_answers(&self) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// Answers one request, body and all.
pub type Handler =
    Arc<dyn Fn(Request<Incoming>) -> BoxFuture<'static, Response<Full<Bytes>>> + Send + Sync>;

/// The requests under `prefix` (e.g. `/websub/`), handed to `handler`.
#[derive(Clone)]
pub struct Delegate {
    pub prefix: &'static str,
    pub handler: Handler,
}

/// What the routes read: the registry and the running daemon.
pub(super) struct Endpoint<S> {
    metrics: Arc<Metrics>,
    source: S,
    delegate: Option<Delegate>,
}

impl<S: Source> Endpoint<S> {
    pub fn new(metrics: Arc<Metrics>, source: S, delegate: Option<Delegate>) -> Self {
        Self {
            metrics,
            source,
            delegate,
        }
    }

    /// Answers one request: the delegate's paths by the delegate, the rest here.
    pub async fn route(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        match &self.delegate {
            Some(delegate) if request.uri().path().starts_with(delegate.prefix) => {
                (delegate.handler)(request).await
            }
            _ => self.respond(&request).await,
        }
    }

    /// Answers one request; the body of a request is never read.
    pub async fn respond<B>(&self, request: &Request<B>) -> Response<Full<Bytes>> {
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            let mut response = reply(StatusCode::METHOD_NOT_ALLOWED, TEXT, "only GET is served\n");
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        match request.uri().path() {
            "/metrics" => self.metrics(format_asked(request.headers())).await,
            "/healthz" => self.health().await,
            _ => reply(
                StatusCode::NOT_FOUND,
                TEXT,
                "not found: feedhook serves /metrics and /healthz\n",
            ),
        }
    }

    async fn metrics(&self, format: Format) -> Response<Full<Bytes>> {
        self.refresh_queues().await;
        let text = self.metrics.encode(format, self.source.since_heartbeat());
        reply(StatusCode::OK, format.content_type(), text)
    }

    /// Reads each channel's queue from the state. A state that fails or is slow leaves the gauges
    /// as they were: the counters are still worth serving.
    async fn refresh_queues(&self) {
        match tokio::time::timeout(STORE_DEADLINE, self.source.queues()).await {
            Ok(Ok(readings)) => self.metrics.queues(&readings),
            Ok(Err(error)) => {
                tracing::warn!(%error, "cannot read the channels' queues for /metrics");
            }
            Err(_) => tracing::warn!(
                "the state did not answer within {STORE_DEADLINE:?}; /metrics serves the queue gauges as they were"
            ),
        }
    }

    async fn health(&self) -> Response<Full<Bytes>> {
        let since = self.source.since_heartbeat();
        if since > HEARTBEAT_STALE {
            let reason = format!(
                "the poll loop has not gone round for {}s\n",
                since.as_secs()
            );
            return reply(StatusCode::SERVICE_UNAVAILABLE, TEXT, reason);
        }
        let probe = self.source.state_answers();
        let reason = match tokio::time::timeout(STORE_DEADLINE, probe).await {
            Ok(Ok(())) => return reply(StatusCode::OK, TEXT, "ok\n"),
            Ok(Err(error)) => format!("the state database failed: {error}\n"),
            Err(_) => format!(
                "the state database did not answer within {}s\n",
                STORE_DEADLINE.as_secs()
            ),
        };
        reply(StatusCode::SERVICE_UNAVAILABLE, TEXT, reason)
    }
}

/// OpenMetrics for a scraper that asks for it, else Prometheus's classic text.
fn format_asked(headers: &HeaderMap) -> Format {
    let accept = headers.get(ACCEPT).and_then(|v| v.to_str().ok());
    if accept.is_some_and(|accept| accept.contains("application/openmetrics-text")) {
        Format::OpenMetrics
    } else {
        Format::Prometheus
    }
}

fn reply(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
