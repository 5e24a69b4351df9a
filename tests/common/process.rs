//! Driving the real binary as a process: start `run`, signal it, wait for it.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::Setup;

pub fn spawn_run(setup: &Setup) -> Child {
    setup
        .command(&["run"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns feedhook")
}

pub fn signal(child: &Child, name: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Waits (real time, bounded) until `done` holds.
pub async fn wait_for(what: &str, limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status.code();
        }
        assert!(
            start.elapsed() < limit,
            "feedhook did not exit within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
