//! The operator's endpoint. Through the library, on a port the test binds: the daemon serves the
//! feed's polls and the channel's deliveries at /metrics and answers /healthz until it stops. On the
//! real binary, the `[http] listen` address: `run` listens on it alone and binds it again after a
//! reload with the counts kept; without it nothing listens; an address already taken stops `run`
//! from starting; `once` never listens.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::Child;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{Doc, FeedServer, Setup, Sink, generic_config, process, rss, stderr};
use feedhook::daemon::systemd::Notifier;
use feedhook::daemon::{self, MetricsRegistry, Monitoring};
use feedhook::schedule::Clock;
use feedhook::store::Store;
use tokio_util::sync::CancellationToken;

const LIMIT: Duration = Duration::from_secs(30);

/// `feedhook run` with its log read line by line as it comes.
struct Daemon {
    child: Child,
    lines: Receiver<String>,
    reader: JoinHandle<()>,
}

impl Daemon {
    fn start(setup: &Setup) -> Self {
        let mut child = process::spawn_run(setup);
        let log = child.stderr.take().expect("stderr is piped");
        let (send, lines) = channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(log).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            lines,
            reader,
        }
    }

    /// The address from the log line announcing the endpoint.
    fn endpoint_address(&self) -> SocketAddr {
        let deadline = Instant::now() + LIMIT;
        loop {
            let line = match self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => panic!("no endpoint announced within {LIMIT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("feedhook exited before listening"),
            };
            if line.contains("serving /metrics and /healthz")
                && let Some(address) = line
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("address="))
            {
                return address.parse().expect("a socket address");
            }
        }
    }

    fn signal(&self, name: &str) {
        process::signal(&self.child, name);
    }

    /// Stops the daemon with SIGTERM; its exit code and the rest of its log.
    fn stop(mut self) -> (Option<i32>, String) {
        self.signal("TERM");
        let status = self.child.wait().expect("exits");
        self.reader.join().expect("the log reader ends");
        (
            status.code(),
            self.lines.try_iter().collect::<Vec<_>>().join("\n"),
        )
    }
}

async fn wait_for(what: &str, done: impl AsyncFnMut() -> bool) {
    process::wait_for(what, LIMIT, done).await;
}

async fn get(address: SocketAddr, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("http://{address}{path}"))
        .await
        .expect("the endpoint answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a text body"))
}

/// The TCP sockets process `pid` listens on, read from /proc: its socket inodes, matched against the
/// kernel's tables of sockets in the LISTEN state (0A).
fn listening_sockets(pid: u32) -> usize {
    let inodes: HashSet<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("the process's descriptors")
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_owned(),
            )
        })
        .collect();
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .flat_map(|table| table.lines().skip(1).map(str::to_owned).collect::<Vec<_>>())
        .filter(|row| {
            let fields: Vec<&str> = row.split_whitespace().collect();
            fields.get(3) == Some(&"0A")
                && fields.get(9).is_some_and(|inode| inodes.contains(*inode))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daemon_serves_the_polls_and_deliveries_and_answers_healthz() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    let url = feeds.url("/feed.xml");
    let setup = Setup::new(&generic_config(
        &sink,
        &[&url],
        "interval = \"1h\"\nbacklog = 1",
    ));
    let config = setup.config();
    let store = Arc::new(Store::open(&config.store.path).expect("the state opens"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("its address");
    let monitoring = Monitoring {
        metrics: MetricsRegistry::default(),
        listener: Some(listener),
    };
    let stop = CancellationToken::new();
    let notifier = Arc::new(Notifier::absent());
    let running = tokio::spawn({
        let stop = stop.clone();
        async move {
            daemon::run(
                &config,
                store,
                Clock::new(),
                Some(monitoring),
                stop,
                notifier,
            )
            .await
        }
    });

    let polled = format!("feedhook_feed_polls_total{{feed=\"{url}\",result=\"ok\"}} 1");
    let delivered = "feedhook_channel_deliveries_total{channel=\"hook\",kind=\"generic\",outcome=\"delivered\"} 1";
    wait_for("the poll and the delivery in /metrics", async || {
        let (_, text) = get(address, "/metrics").await;
        text.contains(&polled) && text.contains(delivered)
    })
    .await;
    let (status, text) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    for series in [
        format!("feedhook_feed_new_entries_total{{feed=\"{url}\"}} 2"),
        format!("feedhook_feed_consecutive_failures{{feed=\"{url}\"}} 0"),
        format!("feedhook_feed_fetched_bytes_total{{feed=\"{url}\"}} "),
        format!("feedhook_feed_fetch_duration_seconds_count{{feed=\"{url}\"}} 1"),
        format!("feedhook_feed_last_success_timestamp_seconds{{feed=\"{url}\"}} "),
        "feedhook_channel_pending{channel=\"hook\",kind=\"generic\"} 0".to_owned(),
        format!(
            "feedhook_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        ),
    ] {
        assert!(text.contains(&series), "{series} missing from\n{text}");
    }
    assert_eq!(get(address, "/healthz").await, (200, "ok\n".to_owned()));

    stop.cancel();
    let ran = tokio::time::timeout(LIMIT, running)
        .await
        .expect("the daemon stops");
    assert!(matches!(ran, Ok(Ok(()))), "{ran:?}");
    assert!(
        !serves_feed(address, &url).await,
        "the endpoint stops with the daemon"
    );
}

/// Whether what answers at `address` is a daemon polling `url`. Once this test's daemon stopped,
/// another test of this file may take the freed port for its own daemon: that one is not ours.
async fn serves_feed(address: SocketAddr, url: &str) -> bool {
    let Ok(response) = reqwest::get(format!("http://{address}/metrics")).await else {
        return false;
    };
    let text = response.text().await.unwrap_or_default();
    text.contains(&format!("feed=\"{url}\""))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_serves_again_on_the_same_address_with_the_counts_kept() {
    // A free port, released for feedhook to take: a reload rebinds the address the file names.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|probe| probe.local_addr())
        .expect("a free port");
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/one.xml", Doc::rss(rss(&[("a", "A")])));
    feeds.serve("/two.xml", Doc::rss(rss(&[("b", "B")])));
    let (one, two) = (feeds.url("/one.xml"), feeds.url("/two.xml"));
    let http = format!("[http]\nlisten = \"{address}\"\n");
    let setup = Setup::new(&(generic_config(&sink, &[&one], "interval = \"1h\"") + &http));
    let daemon = Daemon::start(&setup);
    assert_eq!(daemon.endpoint_address(), address);
    assert_eq!(
        listening_sockets(daemon.child.id()),
        1,
        "only the endpoint listens"
    );
    let polled = |url: &str| format!("feedhook_feed_polls_total{{feed=\"{url}\",result=\"ok\"}} 1");
    wait_for("the first feed's poll", async || {
        get(address, "/metrics").await.1.contains(&polled(&one))
    })
    .await;

    setup.rewrite(&(generic_config(&sink, &[&one, &two], "interval = \"1h\"") + &http));
    daemon.signal("HUP");
    assert_eq!(
        daemon.endpoint_address(),
        address,
        "the same address after the reload"
    );
    wait_for("the added feed's poll", async || {
        let text = get(address, "/metrics").await.1;
        text.contains(&polled(&two)) && text.contains(&polled(&one))
    })
    .await;
    let (code, log) = daemon.stop();
    assert_eq!(code, Some(0), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_http_run_listens_on_nothing() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "interval = \"1h\"",
    ));
    let daemon = Daemon::start(&setup);
    wait_for("the first poll", async || {
        !feeds.requests("/feed.xml").await.is_empty()
    })
    .await;
    assert_eq!(listening_sockets(daemon.child.id()), 0, "nothing listens");
    let (code, log) = daemon.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(!log.contains("serving /metrics"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_address_in_use_stops_run_from_starting_and_once_never_listens() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("address");
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let mut config = generic_config(&sink, &[&feeds.url("/feed.xml")], "backlog = 1");
    config.push_str(&format!("[http]\nlisten = \"{address}\"\n"));
    let setup = Setup::new(&config);

    let output = setup.run(&["run"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let expected = format!("cannot listen on {address} ([http] listen)");
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));

    // `once` is for cron: it polls and delivers without binding the address.
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(sink.titles().await, ["A"]);
    drop(taken);
}
