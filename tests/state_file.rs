//! The state file under the daemon's feet: deleted, replaced, its folder removed, reached through a
//! symlink. The daemon stops with an error naming the file (and an exit status systemd restarts
//! on) instead of carrying on with a state nobody can see, and two daemons never share one state.

// The shared helpers build fixtures with format!: clarity matters more than allocations there.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::process::Child;
use std::time::Duration;

use common::process::{Log, PATIENCE, signal, spawn_run, wait_exit, wait_for};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};
use feedhook::cli::{EXIT_STATE, EXIT_STATE_CHANGED};

/// A feedhook process, killed if a failed assertion leaves it running.
struct Daemon(Child);

impl Deref for Daemon {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl DerefMut for Daemon {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A daemon on one feed (polled every second) posting to `sink`, once its first poll is recorded.
async fn running(feeds: &FeedServer, sink: &Sink) -> (Setup, Daemon, Log) {
    let setup = Setup::new(&generic_config(
        sink,
        &[&feeds.url("/feed.xml")],
        "interval = \"1s\"",
    ));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let (child, log) = started(&setup).await;
    (setup, child, log)
}

async fn started(setup: &Setup) -> (Daemon, Log) {
    let mut child = Daemon(spawn_run(setup));
    let log = Log::follow(&mut child);
    log.wait_for("feedhook started").await;
    wait_for("the first poll to be recorded", PATIENCE, async || {
        setup.feed_states().iter().any(|f| f.last_poll_at.is_some())
    })
    .await;
    (child, log)
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The names in `folder`, sorted.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("read the folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn code(exit: u8) -> i32 {
    i32::from(exit)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_state_file_stops_the_daemon_with_an_error_naming_it() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, mut daemon, log) = running(&feeds, &sink).await;
    std::fs::remove_file(setup.state_path()).expect("delete the state");
    assert_eq!(
        wait_exit(&mut daemon, PATIENCE),
        Some(code(EXIT_STATE_CHANGED))
    );
    let log = log.finish();
    let state = setup.state_path().display().to_string();
    assert!(
        log.lines().any(|line| line.contains("ERROR")
            && line.contains(&state)
            && line.contains("deleted")),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn status_says_the_state_was_deleted_under_a_running_daemon() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, mut daemon, _log) = running(&feeds, &sink).await;
    std::fs::remove_file(setup.state_path()).expect("delete the state");
    let status = setup.run(&["status"]);
    let said = format!("{}{}", stdout(&status), stderr(&status));
    assert_eq!(status.status.code(), Some(code(EXIT_STATE)), "{said}");
    assert!(!said.contains("no state yet"), "{said}");
    assert!(
        said.contains(&setup.state_path().display().to_string()) && said.contains("deleted"),
        "{said}"
    );
    assert!(!setup.state_path().exists(), "status created no state");
    assert_eq!(
        wait_exit(&mut daemon, PATIENCE),
        Some(code(EXIT_STATE_CHANGED))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_file_replaced_by_another_database_stops_the_daemon() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, mut daemon, log) = running(&feeds, &sink).await;
    let other = Setup::new("[channels.out]\nkind = \"console\"\n");
    assert_eq!(other.run(&["once"]).status.code(), Some(0));
    std::fs::rename(other.state_path(), setup.state_path()).expect("replace the state");
    assert_eq!(
        wait_exit(&mut daemon, PATIENCE),
        Some(code(EXIT_STATE_CHANGED))
    );
    let log = log.finish();
    assert!(
        log.contains(&setup.state_path().display().to_string()) && log.contains("replaced"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_the_state_folder_stops_the_daemon_naming_the_folder() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let setup = Setup::new("");
    let folder = setup.dir.path().join("var");
    std::fs::create_dir(&folder).expect("state folder");
    std::fs::write(
        &setup.config_path,
        format!(
            "[store]\npath = \"var/feedhook.db\"\n\n{}",
            generic_config(&sink, &[&feeds.url("/feed.xml")], "interval = \"1s\"")
        ),
    )
    .expect("config");
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let mut daemon = Daemon(spawn_run(&setup));
    let log = Log::follow(&mut daemon);
    log.wait_for("feedhook started").await;
    std::fs::remove_dir_all(&folder).expect("remove the folder");
    assert_eq!(
        wait_exit(&mut daemon, PATIENCE),
        Some(code(EXIT_STATE_CHANGED))
    );
    let log = log.finish();
    assert!(
        log.contains(&folder.display().to_string()) && log.contains("removed"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_daemon_started_after_the_state_was_deleted_never_posts_beside_the_first() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, mut first, _first_log) = running(&feeds, &sink).await;
    std::fs::remove_file(setup.state_path()).expect("delete the state");
    // The second starts on a new state at once, while the first still has the deleted one open.
    let (mut second, second_log) = started(&setup).await;
    assert_eq!(
        wait_exit(&mut first, PATIENCE),
        Some(code(EXIT_STATE_CHANGED))
    );
    feeds.serve("/feed.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    wait_for("the new entry", PATIENCE, async || {
        !sink.titles().await.is_empty()
    })
    .await;
    signal(&second, "TERM");
    assert_eq!(wait_exit(&mut second, PATIENCE), Some(0));
    assert_eq!(sink.titles().await, ["B"], "posted once, by the second");
    let log = second_log.finish();
    assert!(!log.contains("ERROR"), "the second ran cleanly:\n{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_symlink_to_the_state_file_is_the_same_state() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, mut daemon, _log) = running(&feeds, &sink).await;
    let link = setup.dir.path().join("link.db");
    std::os::unix::fs::symlink(setup.state_path(), &link).expect("symlink");
    let linked = setup.dir.path().join("linked.toml");
    let config = std::fs::read_to_string(&setup.config_path).expect("config");
    std::fs::write(&linked, config.replace("\"state.db\"", "\"link.db\"")).expect("config");
    for command in ["run", "once"] {
        let mut other = Daemon(
            std::process::Command::new(env!("CARGO_BIN_EXE_feedhook"))
                .arg("--config")
                .arg(&linked)
                .arg(command)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("runs"),
        );
        let log = Log::follow(&mut other);
        assert_eq!(
            wait_exit(&mut other, PATIENCE),
            Some(code(EXIT_STATE)),
            "{command}"
        );
        let log = log.finish();
        assert!(log.contains("already running"), "{command}: {log}");
    }
    assert!(
        daemon.try_wait().expect("try_wait").is_none(),
        "undisturbed"
    );
    signal(&daemon, "TERM");
    assert_eq!(wait_exit(&mut daemon, PATIENCE), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn status_reads_beside_the_daemon_and_maintenance_refuses() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, mut daemon, _log) = running(&feeds, &sink).await;
    let status = setup.run(&["status"]);
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));
    assert!(stdout(&status).contains("hook"), "{}", stdout(&status));
    let feed = feeds.url("/feed.xml");
    for args in [vec!["mark-seen", feed.as_str()], vec!["once"]] {
        let output = setup.run(&args);
        assert_eq!(output.status.code(), Some(code(EXIT_STATE)), "{args:?}");
        assert!(stderr(&output).contains("already running"), "{args:?}");
    }
    signal(&daemon, "TERM");
    assert_eq!(wait_exit(&mut daemon, PATIENCE), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clean_exit_leaves_only_the_state_file() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, mut daemon, _log) = running(&feeds, &sink).await;
    signal(&daemon, "TERM");
    assert_eq!(wait_exit(&mut daemon, Duration::from_secs(15)), Some(0));
    assert_eq!(names_in(setup.dir.path()), ["feedhook.toml", "state.db"]);
}
