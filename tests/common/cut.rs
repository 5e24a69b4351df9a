//! A TCP proxy on 127.0.0.1 between feedhook and the local PostgreSQL that a test can cut (every
//! connection dropped, new ones closed at once) and restore: the database going away, without
//! touching the machine's server.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// The proxy; it stops with the value.
pub struct CutProxy {
    pub port: u16,
    cut: Arc<AtomicBool>,
    refused: Arc<AtomicUsize>,
    links: Arc<Mutex<JoinSet<()>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl CutProxy {
    /// Forwards 127.0.0.1:`port` to `upstream` (host:port).
    pub async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(AtomicUsize::new(0));
        let links = Arc::new(Mutex::new(JoinSet::new()));
        let accept = tokio::spawn(accept(
            listener,
            upstream,
            (Arc::clone(&cut), Arc::clone(&refused)),
            Arc::clone(&links),
        ));
        Self {
            port,
            cut,
            refused,
            links,
            accept,
        }
    }

    /// Drops every connection, and closes new ones as soon as they come, until [`restore`].
    ///
    /// [`restore`]: CutProxy::restore
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.links.lock().unwrap().abort_all();
    }

    /// How many connections were closed at once because the proxy was cut.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }

    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.links.lock().unwrap().abort_all();
    }
}

async fn accept(
    listener: TcpListener,
    upstream: String,
    (cut, refused): (Arc<AtomicBool>, Arc<AtomicUsize>),
    links: Arc<Mutex<JoinSet<()>>>,
) {
    loop {
        let Ok((mut client, _)) = listener.accept().await else {
            return;
        };
        if cut.load(Ordering::SeqCst) {
            drop(client);
            refused.fetch_add(1, Ordering::SeqCst);
            continue;
        }
        let upstream = upstream.clone();
        links.lock().unwrap().spawn(async move {
            if let Ok(mut server) = TcpStream::connect(&upstream).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
        });
    }
}
