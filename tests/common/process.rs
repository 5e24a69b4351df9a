//! Driving the real binary as a process: start `run`, follow its log, signal it, wait for it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::Setup;

/// How long a test waits for something the daemon does within a second or two when healthy: long
/// enough that a loaded CI machine never trips it, short enough that a hang fails the test.
pub const PATIENCE: Duration = Duration::from_secs(30);

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

/// A child's stderr (its log), read line by line as it is written, so that a test can wait for an
/// event instead of sleeping, and the pipe never fills up and blocks the daemon.
pub struct Log {
    text: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl Log {
    /// Takes over `child`'s piped stderr.
    pub fn follow(child: &mut Child) -> Self {
        let stderr = child.stderr.take().expect("stderr is piped");
        let text = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&text);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut text = sink.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        Self {
            text,
            reader: Some(reader),
        }
    }

    /// Everything logged so far.
    pub fn text(&self) -> String {
        self.text.lock().unwrap().clone()
    }

    pub fn contains(&self, needle: &str) -> bool {
        self.text.lock().unwrap().contains(needle)
    }

    /// Waits (bounded by [`PATIENCE`]) until a line containing `needle` has been logged.
    pub async fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while !self.contains(needle) {
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {needle:?} in the log:\n{}",
                self.text()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Everything the child logged, once it has exited and closed its stderr.
    pub fn finish(mut self) -> String {
        if let Some(reader) = self.reader.take() {
            reader.join().expect("the log reader ends with the child");
        }
        self.text()
    }
}
