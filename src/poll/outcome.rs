//! How a poll ended: the one value the scheduler, `once`'s summary and the daemon's metrics all
//! read, with a typed cause when it failed.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Feed;
use crate::fetch::FetchError;
use crate::parse::HubLinks;
use crate::store::PollState;

use super::read::FetchStats;

/// How a poll ended, with when the feed is next due.
#[derive(Debug, Clone, PartialEq)]
pub struct PollReport {
    pub outcome: PollOutcome,
    pub next_due: DateTime<Utc>,
    /// What the state now holds for the feed, for its next poll to start from; `None` when the
    /// poll could not be recorded.
    pub state: Option<PollState>,
    /// What the poll's fetch cost.
    pub fetch: FetchStats,
    /// The WebSub hubs and topic the feed advertised, when the poll read a document.
    pub hubs: Option<HubLinks>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollOutcome {
    /// The feed was read; `queued` deliveries were added to the outbox.
    Read {
        new_entries: usize,
        queued: usize,
        first_poll: bool,
    },
    /// 304 Not Modified.
    NotModified,
    /// The host asked us to come back later (429 or 503 with Retry-After).
    Waiting(Duration),
    /// The poll failed.
    Failed(PollFailure),
}

/// Why a poll failed, and the message that says so to the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollFailure {
    pub cause: FailureCause,
    pub message: String,
}

impl std::fmt::Display for PollFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The step of the poll that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureCause {
    /// The fetch failed (a host asking us to wait is [`PollOutcome::Waiting`], not a failure).
    Fetch(FetchFailure),
    /// The body is not a feed, or the parser failed on it.
    Parse,
    /// The state could not record the poll; nothing was queued and the feed is read again soon.
    Store,
    /// The poll did not run to its end (the daemon is stopping, or the poll crashed); nothing was
    /// recorded.
    Unfinished,
}

/// The kinds of fetch failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchFailure {
    Timeout,
    Connect,
    Tls,
    Redirects,
    /// An HTTP status other than 2xx and 304 (and other than a 429/503 asking us to wait).
    HttpStatus,
    TooLarge,
    /// Refused by `[fetch] block_private_addresses`.
    Blocked,
    /// Any other transport failure: a broken body, a decoding error.
    Other,
}

impl FetchFailure {
    #[must_use]
    pub fn of(error: &FetchError) -> Self {
        match error {
            FetchError::Timeout(_) => Self::Timeout,
            FetchError::Connect(_) => Self::Connect,
            FetchError::Tls(_) => Self::Tls,
            FetchError::TooManyRedirects => Self::Redirects,
            FetchError::Status { .. } => Self::HttpStatus,
            FetchError::TooLarge { .. } => Self::TooLarge,
            FetchError::Blocked(_) => Self::Blocked,
            FetchError::Other(_) => Self::Other,
        }
    }
}

impl PollOutcome {
    pub(super) fn failed(cause: FailureCause, message: impl Into<String>) -> Self {
        Self::Failed(PollFailure {
            cause,
            message: message.into(),
        })
    }
}

/// One line in the log for how the poll of `feed` ended.
pub(super) fn log(feed: &Feed, report: &PollReport) {
    let next_due = report.next_due.format("%Y-%m-%d %H:%M:%S UTC");
    match &report.outcome {
        PollOutcome::Read {
            new_entries,
            queued,
            first_poll: true,
        } => {
            tracing::info!(feed = %feed.display_name(), new_entries, queued, %next_due, "first poll: entries recorded as seen, only the backlog queued");
        }
        PollOutcome::Read {
            new_entries,
            queued,
            ..
        } => tracing::info!(feed = %feed.display_name(), new_entries, queued, %next_due, "polled"),
        PollOutcome::NotModified => {
            tracing::debug!(feed = %feed.display_name(), %next_due, "not modified");
        }
        PollOutcome::Waiting(wait) => {
            tracing::warn!(feed = %feed.display_name(), wait = %humantime::format_duration(*wait), %next_due, "the feed host asked us to wait");
        }
        PollOutcome::Failed(error) => {
            tracing::warn!(feed = %feed.display_name(), %error, %next_due, "poll failed");
        }
    }
}

#[cfg(test)]
mod tests;
