//! Many slow feeds are fetched at once — within the global limit, and never more than the per-host
//! limit from one host. Counted at the servers, not timed.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use common::{Setup, rss};

/// Counts requests in flight, per server and across all of them.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Gauge {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A server that answers every request with a small feed after holding it for `hold`.
async fn slow_server(hold: Duration, global: Arc<Gauge>) -> (String, Arc<Gauge>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("addr");
    let local = Arc::new(Gauge::default());
    let gauges = (Arc::clone(&local), global);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (local, global) = (Arc::clone(&gauges.0), Arc::clone(&gauges.1));
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                local.enter();
                global.enter();
                tokio::time::sleep(hold).await;
                local.leave();
                global.leave();
                let body = rss(&[("a", "A")]);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body.as_bytes()).await;
            });
        }
    });
    (format!("http://{address}"), local)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_slow_feeds_are_fetched_concurrently_within_the_limits() {
    let global = Arc::new(Gauge::default());
    let mut servers = Vec::new();
    for _ in 0..10 {
        servers.push(slow_server(Duration::from_millis(400), Arc::clone(&global)).await);
    }
    let mut config = String::from(
        "[fetch]\nconcurrency = 16\nper_host = 3\n\n[channels.out]\nkind = \"console\"\n\n",
    );
    for i in 0..100 {
        let (base, _) = &servers[i % servers.len()];
        config.push_str(&format!(
            "[[feeds]]\nurl = \"{base}/feed{i}.xml\"\nchannels = [\"out\"]\n\n"
        ));
    }
    let setup = Setup::new(&config);
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let peak = global.peak.load(Ordering::SeqCst);
    assert!(
        peak > 3,
        "feeds of different hosts are fetched at once (peak {peak})"
    );
    assert!(peak <= 16, "the global limit holds (peak {peak})");
    for (base, gauge) in &servers {
        let peak = gauge.peak.load(Ordering::SeqCst);
        assert!(peak <= 3, "{base}: per-host limit exceeded ({peak})");
    }
}
