//! One poll of one feed: the only place that knows the order of the steps —
//! fetch → parse → store (entries and outbox in one transaction) → wake the channels.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Feed;
use crate::fetch::Validators;
use crate::fetch::{FetchError, FetchOutcome, FetchRequest, FetchedBody};
use crate::parse::{self, Entry};
use crate::schedule;
use crate::store::{
    self, LastResult, PollRecord, PollState, PollSummary, QueueLimits, SkipEntry, StoreError,
};

use super::filter;
use super::overflow::overflow_note;

use super::Pipeline;

/// How a poll ended, with when the feed is next due.
#[derive(Debug, Clone, PartialEq)]
pub struct PollReport {
    pub outcome: PollOutcome,
    pub next_due: DateTime<Utc>,
    /// What the state now holds for the feed, for its next poll to start from; `None` when the
    /// poll could not be recorded.
    pub state: Option<PollState>,
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
    /// The poll failed; the message names the cause.
    Failed(String),
}

/// Polls `feed` once and records the result. `known` is what the state held for the feed after its
/// previous poll (`None`: never polled, or unknown).
pub async fn poll_feed(pipeline: &Pipeline, feed: &Feed, known: Option<PollState>) -> PollReport {
    let report = match try_poll(pipeline, feed, known).await {
        Ok(report) => report,
        Err(error) => {
            crate::metrics::poll_store_failed(&feed.name);
            let next_due = schedule::after_failure(&feed.cadence, pipeline.clock.now(), 1);
            let message = format!("cannot record the poll in the state: {error}");
            tracing::error!(feed = %feed.name, error = %error, "cannot record the poll in the state; nothing was queued and the feed will be read again");
            PollReport {
                outcome: PollOutcome::Failed(message),
                next_due,
                state: None,
            }
        }
    };
    log_outcome(feed, &report);
    crate::metrics::poll_finished(&feed.name, &report.outcome, pipeline.clock.now());
    report
}

async fn try_poll(
    pipeline: &Pipeline,
    feed: &Feed,
    known: Option<PollState>,
) -> Result<PollReport, StoreError> {
    let failures = known
        .as_ref()
        .map_or(0, |s| s.consecutive_failures)
        .saturating_add(1);
    let steady = known
        .as_ref()
        .is_some_and(|s| s.is_steady(feed.url.as_str()));
    // Validators belong to the URL they came from: after the config's URL changes, fetch in full.
    let validators = known
        .filter(|s| s.url == feed.url.as_str())
        .map(|s| s.validators)
        .unwrap_or_default();
    if feed.fetch.transport.tls_insecure {
        // At every poll, so that an exception made while debugging is not forgotten.
        tracing::warn!(feed = %feed.name, "tls_insecure is set: this feed's TLS certificate is not verified");
    }
    let request = FetchRequest::for_feed(feed, &validators);
    match crate::metrics::timed_fetch(&feed.name, pipeline.fetcher.fetch(request)).await {
        Ok(FetchOutcome::NotModified { hints }) => {
            let now = pipeline.clock.now();
            let next_due = schedule::after_success(&feed.cadence, now, hints);
            if steady {
                pipeline.store.note_not_modified(&feed.name, now, next_due);
            } else {
                let (name, url) = (feed.name.clone(), feed.url.to_string());
                store::run_blocking(&pipeline.store, move |s| {
                    s.record_not_modified(&name, &url, now, next_due)
                })
                .await?;
            }
            Ok(PollReport {
                outcome: PollOutcome::NotModified,
                next_due,
                state: Some(state_after(
                    feed,
                    validators,
                    0,
                    LastResult::NotModified,
                    next_due,
                )),
            })
        }
        Ok(FetchOutcome::Fetched(body)) => {
            read_body(pipeline, feed, body, validators, failures).await
        }
        Err(error) => record_fetch_error(pipeline, feed, &error, validators, failures).await,
    }
}

/// What the state holds for `feed` after a poll recorded these.
fn state_after(
    feed: &Feed,
    validators: Validators,
    consecutive_failures: u32,
    last_result: LastResult,
    next_due: DateTime<Utc>,
) -> PollState {
    PollState {
        url: feed.url.to_string(),
        validators,
        consecutive_failures,
        last_result: Some(last_result),
        next_due_at: Some(next_due),
    }
}

async fn read_body(
    pipeline: &Pipeline,
    feed: &Feed,
    fetched: FetchedBody,
    sent: Validators,
    failures: u32,
) -> Result<PollReport, StoreError> {
    if let Some(moved) = &fetched.moved_permanently_to {
        tracing::warn!(feed = %feed.name, from = %feed.url, to = %moved, "the feed has moved permanently; update its url in the config");
    }
    let (parsed, fetched) = match parse_in_turn(pipeline, fetched).await? {
        Ok(ok) => ok,
        Err(error) => {
            return record_failure(pipeline, feed, sent, failures, error.to_string()).await;
        }
    };
    let now = pipeline.clock.now();
    let next_due = schedule::after_success(&feed.cadence, now, fetched.hints);
    let entries = oldest_first(parsed.entries);
    let (feed, validators, info) = (feed.clone(), fetched.validators, parsed.info);
    let state = state_after(&feed, validators.clone(), 0, LastResult::Ok, next_due);
    let commit_feed = feed.clone();
    let summary = store::run_blocking(&pipeline.store, move |s| {
        let skip = |entry: &Entry| filter::skips(&commit_feed, entry);
        let skip: Option<SkipEntry<'_>> = (!commit_feed.filter.is_empty()).then_some(&skip);
        s.record_poll(&PollRecord {
            feed: &commit_feed.name,
            url: commit_feed.url.as_str(),
            polled_at: now,
            validators: &validators,
            info: &info,
            entries: &entries,
            channels: &commit_feed.channels,
            backlog: commit_feed.backlog,
            next_due_at: next_due,
            limits: QueueLimits {
                max_new: commit_feed.max_new_per_poll,
                overflow_note: Some(overflow_note),
                not_before: commit_feed
                    .max_age
                    .map(|age| now - schedule::to_chrono(age)),
                skip,
            },
        })
    })
    .await?;
    if summary.queued > 0 {
        pipeline.wake_channels(&feed.channels);
    }
    log_held_back(&feed, &summary);
    let outcome = PollOutcome::Read {
        new_entries: summary.new_entries,
        queued: summary.queued,
        first_poll: summary.first_poll,
    };
    Ok(PollReport {
        outcome,
        next_due,
        state: Some(state),
    })
}

/// Parses `fetched` on the blocking pool once a parse turn is free.
async fn parse_in_turn(
    pipeline: &Pipeline,
    fetched: FetchedBody,
) -> Result<Result<(parse::ParsedFeed, FetchedBody), parse::ParseError>, StoreError> {
    let Ok(_turn) = pipeline.parse_turns.acquire().await else {
        return Err(StoreError::Database("the daemon is stopping".into()));
    };
    let feed_url = fetched.final_url.to_string();
    tokio::task::spawn_blocking(move || {
        parse::parse_feed(&fetched.body, fetched.charset.as_deref(), &feed_url)
            .map(|p| (p, fetched))
    })
    .await
    .map_err(|e| StoreError::Database(format!("parse task failed: {e}")))
}

async fn record_fetch_error(
    pipeline: &Pipeline,
    feed: &Feed,
    error: &FetchError,
    sent: Validators,
    failures: u32,
) -> Result<PollReport, StoreError> {
    let Some(wait) = error.retry_after() else {
        return record_failure(pipeline, feed, sent, failures, error.to_string()).await;
    };
    let now = pipeline.clock.now();
    let next_due = schedule::after_wait(&feed.cadence, now, wait);
    let (name, url, reason) = (feed.name.clone(), feed.url.to_string(), error.to_string());
    store::run_blocking(&pipeline.store, move |s| {
        s.record_wait(&name, &url, now, &reason, next_due)
    })
    .await?;
    Ok(PollReport {
        outcome: PollOutcome::Waiting(wait),
        next_due,
        state: Some(state_after(
            feed,
            sent,
            failures.saturating_sub(1),
            LastResult::Wait,
            next_due,
        )),
    })
}

/// Records the `failures`-th failure in a row and backs the feed off accordingly.
async fn record_failure(
    pipeline: &Pipeline,
    feed: &Feed,
    sent: Validators,
    failures: u32,
    message: String,
) -> Result<PollReport, StoreError> {
    let now = pipeline.clock.now();
    let next_due = schedule::after_failure(&feed.cadence, now, failures);
    let (name, url, error) = (feed.name.clone(), feed.url.to_string(), message.clone());
    let recorded = store::run_blocking(&pipeline.store, move |s| {
        s.record_failure(&name, &url, now, &error, next_due)
    })
    .await?;
    Ok(PollReport {
        outcome: PollOutcome::Failed(message),
        next_due,
        state: Some(state_after(
            feed,
            sent,
            recorded,
            LastResult::Error,
            next_due,
        )),
    })
}

/// Orders a document's entries oldest first, the order they are posted in: by date (published, else
/// updated) when every entry has one, ties kept newest-last; otherwise the reverse of document order,
/// since feeds list their newest entry first.
#[must_use]
pub fn oldest_first(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.reverse();
    if entries.iter().all(|e| e.published.or(e.updated).is_some()) {
        entries.sort_by_key(|e| e.published.or(e.updated));
    }
    entries
}

fn log_held_back(feed: &Feed, summary: &PollSummary) {
    if summary.held_back > 0 {
        tracing::warn!(feed = %feed.name, held_back = summary.held_back, max_new_per_poll = feed.max_new_per_poll,
            "more entries look new than max_new_per_poll allows (did the publisher change every id?); the newest were queued, the rest summarised in one card");
    }
    if summary.too_old > 0 {
        tracing::info!(feed = %feed.name, skipped = summary.too_old, "new entries older than max_age were recorded and not posted");
    }
    if summary.filtered > 0 {
        tracing::info!(feed = %feed.name, filtered = summary.filtered, "new entries did not pass the feed's include/exclude filters; recorded as seen, not posted");
    }
}

fn log_outcome(feed: &Feed, report: &PollReport) {
    let next_due = report.next_due.format("%Y-%m-%d %H:%M:%S UTC");
    match &report.outcome {
        PollOutcome::Read {
            new_entries,
            queued,
            first_poll: true,
        } => {
            tracing::info!(feed = %feed.name, new_entries, queued, %next_due, "first poll: entries recorded as seen, only the backlog queued");
        }
        PollOutcome::Read {
            new_entries,
            queued,
            ..
        } => tracing::info!(feed = %feed.name, new_entries, queued, %next_due, "polled"),
        PollOutcome::NotModified => tracing::debug!(feed = %feed.name, %next_due, "not modified"),
        PollOutcome::Waiting(wait) => {
            tracing::warn!(feed = %feed.name, wait = %humantime::format_duration(*wait), %next_due, "the feed host asked us to wait");
        }
        PollOutcome::Failed(error) => {
            tracing::warn!(feed = %feed.name, %error, %next_due, "poll failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, published: Option<&str>) -> Entry {
        Entry {
            key: key.into(),
            published: published.map(|p| {
                DateTime::parse_from_rfc3339(p)
                    .expect("valid date")
                    .with_timezone(&Utc)
            }),
            ..Entry::default()
        }
    }

    fn keys(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.key.as_str()).collect()
    }

    #[test]
    fn dated_entries_are_ordered_by_date() {
        let entries = vec![
            entry("b", Some("2026-01-02T00:00:00Z")),
            entry("c", Some("2026-01-03T00:00:00Z")),
            entry("a", Some("2026-01-01T00:00:00Z")),
        ];
        assert_eq!(keys(&oldest_first(entries)), ["a", "b", "c"]);
    }

    #[test]
    fn undated_entries_are_posted_in_reverse_document_order() {
        let entries = vec![
            entry("newest", None),
            entry("middle", Some("2026-01-01T00:00:00Z")),
            entry("oldest", None),
        ];
        assert_eq!(keys(&oldest_first(entries)), ["oldest", "middle", "newest"]);
    }

    #[test]
    fn entries_with_equal_dates_keep_newest_last() {
        let same = Some("2026-01-01T00:00:00Z");
        let entries = vec![entry("second", same), entry("first", same)];
        assert_eq!(keys(&oldest_first(entries)), ["first", "second"]);
    }
}
