//! `feedhook once`: one poll of every feed, a bounded delivery pass, a summary, an exit status.

use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::daemon::{self, OnceReport, PollOutcome};
use crate::schedule::Clock;

use super::{EXIT_INCOMPLETE, EXIT_OK, EXIT_STATE, load_config, open_store};

pub async fn run(path: PathBuf) -> u8 {
    let config = match load_config(&path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // Held until `once` returns, so a daemon cannot start on the same state meanwhile.
    let (_lock, store) = match open_store(&config) {
        Ok((lock, store)) => (lock, Arc::new(store)),
        Err(code) => return code,
    };
    match daemon::once(&config, store, Clock::new()).await {
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
        let _ = writeln!(out, "  feed {feed}: {problem}");
    }
    for (channel, worker) in &report.channels {
        if let Some(reason) = &worker.suspended {
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
        PollOutcome::Failed(error) => Some(error.clone()),
        PollOutcome::Read { .. } | PollOutcome::NotModified => None,
    }
}
