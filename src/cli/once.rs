//! `feedhook once`: one poll of every feed, a bounded delivery pass, a summary, an exit status.

use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::shown_feed_name;
use crate::daemon::{self, OnceReport};
use crate::poll::PollOutcome;
use crate::schedule::Clock;

use super::escape::printable;
use super::{EXIT_INCOMPLETE, EXIT_OK, EXIT_STATE, load_config, open_store};

pub async fn run(path: PathBuf) -> u8 {
    let config = match load_config(&path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // Held (with the state's lock) until `once` returns, so a daemon cannot start on it meanwhile.
    let store = match open_store(&config).await {
        Ok(store) => Arc::new(store),
        Err(code) => return code,
    };
    let progress = Progress::on_terminal(config.feeds.len());
    let shown = |done, total| progress.show(done, total);
    let result = daemon::once_with_progress(&config, store, Clock::new(), &shown).await;
    progress.clear();
    match result {
        Ok(report) => {
            eprint!("{}", summary(&report));
            if report.all_done() {
                EXIT_OK
            } else {
                EXIT_INCOMPLETE
            }
        }
        Err(error) => {
            eprintln!("feedhook: {error}");
            EXIT_STATE
        }
    }
}

/// A one-line progress count on stderr, only on a terminal and only for enough feeds to wait for:
/// under journald, cron or a pipe, nothing is drawn.
struct Progress {
    enabled: bool,
}

/// Fewer feeds than this finish too fast to need a progress line.
const PROGRESS_FROM: usize = 20;

impl Progress {
    fn on_terminal(feeds: usize) -> Self {
        Self {
            enabled: feeds >= PROGRESS_FROM && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }
    }

    fn show(&self, done: usize, total: usize) {
        if self.enabled {
            let width = 30;
            let filled = done * width / total.max(1);
            eprint!(
                "\r[{}{}] {done}/{total} feeds polled",
                "#".repeat(filled),
                "-".repeat(width - filled)
            );
        }
    }

    fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The lines printed to stderr: a count, then one line per problem.
fn summary(report: &OnceReport) -> String {
    let failed_feeds: Vec<_> = report
        .feeds
        .iter()
        .filter_map(|(feed, outcome)| feed_problem(outcome).map(|p| (feed, p)))
        .collect();
    let delivered: u64 = report.channels.iter().map(|(_, r)| r.delivered).sum();
    let read = report.feeds.len() - failed_feeds.len();
    let mut out = format!(
        "once: {read} of {} feed(s) read, {delivered} delivered\n",
        report.feeds.len()
    );
    for (feed, problem) in failed_feeds {
        let (feed, problem) = (shown_feed_name(feed), printable(&problem));
        let _ = writeln!(out, "  feed {feed}: {problem}");
    }
    for (channel, worker) in &report.channels {
        if let Some(reason) = &worker.suspended {
            let reason = printable(reason);
            let _ = writeln!(out, "  channel {channel}: suspended: {reason}");
        } else if worker.pending_left {
            let _ = writeln!(
                out,
                "  channel {channel}: deliveries still pending (retried at the next run)"
            );
        }
        if worker.failed > 0 {
            let _ = writeln!(
                out,
                "  channel {channel}: {} delivery(ies) failed (see the log)",
                worker.failed
            );
        }
    }
    out
}

fn feed_problem(outcome: &PollOutcome) -> Option<String> {
    match outcome {
        PollOutcome::Waiting(wait) => Some(format!(
            "the host asked to wait {}",
            humantime::format_duration(*wait)
        )),
        PollOutcome::Failed(failure) => Some(failure.message.clone()),
        PollOutcome::Read { .. } | PollOutcome::NotModified => None,
    }
}
