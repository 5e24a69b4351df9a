//! Under systemd: READY once the state is open and the poll loop runs, watchdog pings while it goes
//! round, RELOADING on SIGHUP, STOPPING on SIGTERM — all on `$NOTIFY_SOCKET`.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::os::unix::net::UnixDatagram;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::process::{signal, wait_exit};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};

/// Collects datagrams until `wanted` has been seen (among those from index `from` on) or the time
/// is up.
fn wait_for_message(socket: &UnixDatagram, seen: &mut Vec<String>, wanted: &str, from: usize) {
    let start = Instant::now();
    let mut buffer = [0u8; 4096];
    while !seen[from.min(seen.len())..]
        .iter()
        .any(|m| m.contains(wanted))
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no {wanted} in {seen:?}"
        );
        if let Ok(read) = socket.recv(&mut buffer) {
            seen.push(String::from_utf8_lossy(&buffer[..read]).into_owned());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_notify_protocol_is_spoken() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "interval = \"1h\"",
    ));
    let socket_path = setup.dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("bind");
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let mut child = setup
        .command(&["run"])
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "1500000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let mut seen = Vec::new();
    wait_for_message(&socket, &mut seen, "READY=1", 0);
    wait_for_message(&socket, &mut seen, "WATCHDOG=1", 0);
    signal(&child, "HUP");
    wait_for_message(&socket, &mut seen, "RELOADING=1", 0);
    wait_for_message(&socket, &mut seen, "MONOTONIC_USEC=", 0);
    let reloaded_at = seen.len();
    let start = Instant::now();
    let mut buffer = [0u8; 4096];
    while !seen[reloaded_at..].iter().any(|m| m.contains("READY=1")) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "not ready again after the reload: {seen:?}"
        );
        if let Ok(read) = socket.recv(&mut buffer) {
            seen.push(String::from_utf8_lossy(&buffer[..read]).into_owned());
        }
    }
    signal(&child, "TERM");
    wait_for_message(&socket, &mut seen, "STOPPING=1", 0);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(15)), Some(0));
    assert!(
        seen.iter().filter(|m| m.contains("READY=1")).count() >= 2,
        "ready again after the reload: {seen:?}"
    );
}
