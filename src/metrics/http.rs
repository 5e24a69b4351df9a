//! The listener: a minimal HTTP/1.1 server (hyper) for the two routes of [`super::routes`]. It is
//! started by the daemon when `[http] listen` is set and stops with it, on the daemon's own
//! cancellation token.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use super::global;
use super::routes::Endpoint;
use crate::config::Config;
use crate::daemon::Pipeline;
use crate::store::{self, Store};

/// A client that takes longer than this to send its request headers is dropped.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long open connections may take to finish their response once the daemon stops.
const CLOSE_DEADLINE: Duration = Duration::from_secs(2);
/// The pause after a failed `accept` (out of file descriptors, usually), rather than spinning.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// The `[http] listen` address could not be bound.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {address} ([http] listen): {source}")]
pub struct ListenError {
    pub address: SocketAddr,
    #[source]
    pub source: std::io::Error,
}

/// The running endpoint, or nothing when `[http]` is not configured. Dropping it stops the server
/// at once; [`Server::stopped`] waits for the stop the daemon's token asked for.
#[derive(Debug)]
pub struct Server {
    address: Option<SocketAddr>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// The address actually bound (the port is known even when `listen` asked for port 0).
    #[must_use]
    pub fn address(&self) -> Option<SocketAddr> {
        self.address
    }

    /// Waits until the server has stopped listening and closed its connections.
    pub async fn stopped(mut self) {
        if let Some(task) = self.task.take()
            && let Err(error) = task.await
        {
            tracing::error!(%error, "the metrics endpoint ended unexpectedly");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// Serves `/metrics` and `/healthz` on `config`'s `[http] listen` address until `stop` is
/// cancelled; with no `[http]`, binds nothing. The configured feeds and channels are tracked first
/// (their series created, their health read from the state), so a scrape right after the start
/// sees every one of them.
pub async fn serve(
    config: &Config,
    pipeline: Arc<Pipeline>,
    stop: CancellationToken,
) -> Result<Server, ListenError> {
    let Some(http) = &config.http else {
        return Ok(Server {
            address: None,
            task: None,
        });
    };
    let listener = TcpListener::bind(http.listen)
        .await
        .map_err(|source| ListenError {
            address: http.listen,
            source,
        })?;
    let address = listener.local_addr().unwrap_or(http.listen);
    let states = store::run_blocking(&pipeline.store, Store::feed_states)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the feeds' state; their health metrics start from this run");
            Vec::new()
        });
    super::start_recording();
    global().track(config, &states);
    let endpoint = Endpoint::new(
        global(),
        pipeline,
        config.channels.keys().cloned().collect(),
    );
    tracing::info!(%address, "serving /metrics and /healthz");
    let task = tokio::spawn(accept(listener, Arc::new(endpoint), stop));
    Ok(Server {
        address: Some(address),
        task: Some(task),
    })
}

async fn accept(listener: TcpListener, endpoint: Arc<Endpoint>, stop: CancellationToken) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, Arc::clone(&endpoint), stop.clone()));
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection on the metrics endpoint");
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
            },
            Some(_) = connections.join_next() => {}
        }
    }
    // The port is free again from here: a reload binds it anew.
    drop(listener);
    let drained = tokio::time::timeout(CLOSE_DEADLINE, async {
        while connections.join_next().await.is_some() {}
    });
    if drained.await.is_err() {
        connections.shutdown().await;
    }
}

async fn connection(stream: TcpStream, endpoint: Arc<Endpoint>, stop: CancellationToken) {
    let service = service_fn(move |request| {
        let endpoint = Arc::clone(&endpoint);
        async move { Ok::<_, Infallible>(endpoint.respond(&request).await) }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    let result = tokio::select! {
        result = conn.as_mut() => result,
        () = stop.cancelled() => {
            // Finish the response in flight, then close instead of keeping the connection alive.
            conn.as_mut().graceful_shutdown();
            tokio::time::timeout(CLOSE_DEADLINE, conn).await.unwrap_or(Ok(()))
        }
    };
    if let Err(error) = result {
        tracing::debug!(%error, "a metrics connection ended with an error");
    }
}
