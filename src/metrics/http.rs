//! The server: a minimal HTTP/1.1 server (hyper) for the two routes of [`super::routes`], on a
//! listener its caller bound (the daemon binds `[http] listen`; a test binds port 0). It stops on
//! the caller's cancellation token.

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

use super::Metrics;
use super::routes::{Delegate, Endpoint, Source};

/// A client that takes longer than this to send its request headers is dropped.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long open connections may take to finish their response once the daemon stops.
const CLOSE_DEADLINE: Duration = Duration::from_secs(2);
/// The pause after a failed `accept` (out of file descriptors, usually), rather than spinning.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// The running endpoint. Dropping it stops the server at once; [`Server::stopped`] waits for the
/// stop the caller's token asked for.
#[derive(Debug)]
pub struct Server {
    address: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// The address it listens on.
    #[must_use]
    pub fn address(&self) -> SocketAddr {
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

/// Serves `metrics` at `/metrics` and the health of `source` at `/healthz` on `listener`, and
/// the paths of `delegate` by its handler, until `stop` is cancelled.
pub fn serve<S: Source>(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    source: S,
    delegate: Option<Delegate>,
    stop: CancellationToken,
) -> std::io::Result<Server> {
    let address = listener.local_addr()?;
    if let Some(delegate) = &delegate {
        tracing::info!(%address, prefix = delegate.prefix, "serving /metrics, /healthz and callbacks");
    } else {
        tracing::info!(%address, "serving /metrics and /healthz");
    }
    let endpoint = Arc::new(Endpoint::new(metrics, source, delegate));
    let task = tokio::spawn(accept(listener, endpoint, stop));
    Ok(Server {
        address,
        task: Some(task),
    })
}

async fn accept<S: Source>(
    listener: TcpListener,
    endpoint: Arc<Endpoint<S>>,
    stop: CancellationToken,
) {
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

async fn connection<S: Source>(
    stream: TcpStream,
    endpoint: Arc<Endpoint<S>>,
    stop: CancellationToken,
) {
    let service = service_fn(move |request| {
        let endpoint = Arc::clone(&endpoint);
        async move { Ok::<_, Infallible>(endpoint.route(request).await) }
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
