//! A bare TCP server on 127.0.0.1 for the behaviours a well-mannered mock server cannot show:
//! never answering, trickling bytes, bodies without a length, counting open requests.
//!
//! The accept loop is a task of the test's runtime, so it ends with the test.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves every connection with `handler` and returns the server's base URL.
pub(crate) async fn serve<F, Fut>(handler: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handler(stream));
        }
    });
    format!("http://{addr}/")
}

/// Reads up to the blank line ending the request head (the requests here have no body).
pub(crate) async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Writes the whole of `bytes`, ignoring a client that hung up (that is what most tests expect).
pub(crate) async fn write<S: AsyncWrite + Unpin>(stream: &mut S, bytes: &[u8]) -> bool {
    stream.write_all(bytes).await.is_ok()
}

/// Counts how many requests are open at once and remembers the most.
#[derive(Debug, Default)]
pub(crate) struct Gauge {
    open: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    pub(crate) fn enter(&self) {
        let open = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(open, Ordering::SeqCst);
    }

    pub(crate) fn leave(&self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }

    pub(crate) fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}
