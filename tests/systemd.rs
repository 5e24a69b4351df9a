//! Under systemd: READY once the state is open and the poll loop runs, watchdog pings while it goes
//! round, RELOADING on SIGHUP, STOPPING on SIGTERM — all on `$NOTIFY_SOCKET` (sd_notify(3)).

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::process::{PATIENCE, signal, wait_exit};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};

/// The datagrams received on a notify socket, in order.
struct NotifySocket {
    socket: UnixDatagram,
    received: Vec<String>,
}

impl NotifySocket {
    fn bind(path: &Path) -> Self {
        let socket = UnixDatagram::bind(path).expect("bind");
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        Self {
            socket,
            received: Vec::new(),
        }
    }

    /// Receives until one datagram from index `from` on contains `wanted`, and returns its index.
    fn wait_for(&mut self, wanted: &str, from: usize) -> usize {
        let start = Instant::now();
        let mut buffer = [0u8; 4096];
        loop {
            if let Some(found) =
                (from..self.received.len()).find(|&i| self.received[i].contains(wanted))
            {
                return found;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no {wanted:?} from datagram {from} on: {:?}",
                self.received
            );
            if let Ok(read) = self.socket.recv(&mut buffer) {
                self.received
                    .push(String::from_utf8_lossy(&buffer[..read]).into_owned());
            }
        }
    }

    /// Receives whatever is still queued on the socket.
    fn drain(&mut self) {
        let mut buffer = [0u8; 4096];
        while let Ok(read) = self.socket.recv(&mut buffer) {
            self.received
                .push(String::from_utf8_lossy(&buffer[..read]).into_owned());
        }
    }

    /// The indexes of the datagrams that contain `wanted`.
    fn indexes_of(&self, wanted: &str) -> Vec<usize> {
        (0..self.received.len())
            .filter(|&i| self.received[i].contains(wanted))
            .collect()
    }
}

/// CLOCK_MONOTONIC in microseconds, the clock systemd reads `MONOTONIC_USEC` against.
fn monotonic_usec() -> u128 {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    now.tv_sec as u128 * 1_000_000 + now.tv_nsec as u128 / 1_000
}

fn field<'a>(datagram: &'a str, key: &str) -> Option<&'a str> {
    datagram
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
}

#[tokio::test(flavor = "multi_thread")]
async fn ready_watchdog_reloading_and_stopping_are_notified_in_order() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "interval = \"1h\"",
    ));
    let socket_path = setup.dir.path().join("notify.sock");
    let mut notify = NotifySocket::bind(&socket_path);
    let mut child = setup
        .command(&["run"])
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "1500000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");

    let ready = notify.wait_for("READY=1", 0);
    assert!(
        setup.state_path().exists(),
        "READY before the state is open"
    );
    let status = field(&notify.received[ready], "STATUS").unwrap_or_default();
    assert!(
        !status.is_empty(),
        "READY without a STATUS: {:?}",
        notify.received
    );
    // Pings while the loop goes round: two of them, both after READY.
    let first_ping = notify.wait_for("WATCHDOG=1", 0);
    assert!(
        first_ping > ready,
        "a ping before READY: {:?}",
        notify.received
    );
    notify.wait_for("WATCHDOG=1", first_ping + 1);

    let before_reload = monotonic_usec();
    signal(&child, "HUP");
    let reloading = notify.wait_for("RELOADING=1", 0);
    let after_reload = monotonic_usec();
    // systemd (Type=notify-reload) only accepts RELOADING=1 with the time of the reload on its
    // monotonic clock, in the same datagram.
    let stamp: u128 = field(&notify.received[reloading], "MONOTONIC_USEC")
        .unwrap_or_else(|| {
            panic!(
                "no MONOTONIC_USEC beside RELOADING=1: {:?}",
                notify.received
            )
        })
        .parse()
        .expect("MONOTONIC_USEC is a number");
    assert!(
        (before_reload..=after_reload).contains(&stamp),
        "MONOTONIC_USEC={stamp} is not CLOCK_MONOTONIC between {before_reload} and {after_reload}"
    );
    let ready_again = notify.wait_for("READY=1", reloading + 1);

    signal(&child, "TERM");
    let stopping = notify.wait_for("STOPPING=1", ready_again + 1);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(15)), Some(0));
    notify.drain();
    assert_eq!(notify.indexes_of("READY=1"), [ready, ready_again]);
    assert_eq!(notify.indexes_of("RELOADING=1"), [reloading]);
    assert_eq!(notify.indexes_of("STOPPING=1"), [stopping]);
}
