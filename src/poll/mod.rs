//! The poll stage: turns a due feed into recorded entries. One poll of one feed (here) is the only
//! place that knows the order of the steps — fetch → parse → store (entries and outbox in one
//! transaction) → wake the channels.
//!
//! - `context`: what a poll needs, built by the daemon ([`PollContext`]).
//! - `read`: the fetch and the parse, also read in full by the one-off commands ([`read_once`]).
//! - `filter`: which new entries are posted; `overflow`: the one card that stands for a flood.
//! - `pushed`: a document a feed's WebSub hub pushed, recorded as a poll records what it read.
//! - `outcome`: how a poll ended ([`PollReport`]), with a typed cause when it failed.
//! - [`scheduler`]: the loop that polls each feed when it is due, and `once`'s single pass;
//!   `assignment`: which feeds it polls when several instances share the state.
//!
//! Nothing here records metrics: each poll's report goes to the context's observer, and the daemon
//! decides what to do with it.

mod assignment;
mod context;
mod filter;
mod outcome;
mod overflow;
mod pushed;
mod read;
pub mod scheduler;

pub use assignment::{Assignment, Assignments};
pub use context::PollContext;
pub use outcome::{FailureCause, FetchFailure, PollFailure, PollOutcome, PollReport};
pub use pushed::{PingError, PushOutcome, record_pinged, record_pushed};
pub use read::{Document, FetchStats, ReadError, read_once};
pub use scheduler::Heartbeat;

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::{Cadence, Feed, shown_url};
use crate::fetch::{FetchError, FetchOutcome, FetchSlot, FetchedBody, ServerHints, Validators};
use crate::parse::Entry;
use crate::schedule;
use crate::store::{
    LastResult, PollRecord, PollState, PollSummary, QueueLimits, SkipEntry, StoreError,
};

use overflow::overflow_note;

/// Polls `feed` once and records the result. `known` is what the state held for the feed after its
/// previous poll (`None`: never polled, or unknown).
pub async fn poll_feed(context: &PollContext, feed: &Feed, known: Option<PollState>) -> PollReport {
    let failures = known
        .as_ref()
        .map_or(0, |s| s.consecutive_failures)
        .saturating_add(1);
    let steady = known
        .as_ref()
        .is_some_and(|s| s.is_steady(feed.url.as_str()));
    // Validators belong to the URL they came from: after the config's URL changes, fetch in full.
    let sent = known
        .filter(|s| s.url == feed.url.as_str())
        .map(|s| s.validators)
        .unwrap_or_default();
    if feed.fetch.transport.tls_insecure {
        // At every poll, so that an exception made while debugging is not forgotten.
        tracing::warn!(feed = %feed.display_name(), "tls_insecure is set: this feed's TLS certificate is not verified");
    }
    let fetched = read::fetch(&context.fetcher, feed, &sent).await;
    let poll = Poll {
        context,
        feed,
        cadence: context.cadence(feed),
        sent,
        failures,
        fetch: fetched.stats,
    };
    let report = match fetched.outcome {
        Ok(FetchOutcome::NotModified { hints }) => {
            drop(fetched.slot);
            poll.not_modified(hints, steady).await
        }
        Ok(FetchOutcome::Fetched(body)) => poll.read_body(body, fetched.slot).await,
        Err(error) => poll.fetch_failed(&error).await,
    };
    let (report, unlogged) = match report {
        Ok(report) => (report, true),
        // An unreachable database is logged once for the instance, by the store.
        Err(error) => (
            store_failed(context, feed, &error, fetched.stats),
            !error.is_retryable(),
        ),
    };
    if unlogged {
        outcome::log(feed, &report);
    }
    context.finished(feed, &report);
    report
}

/// The report of a poll whose result the state could not record.
fn store_failed(
    context: &PollContext,
    feed: &Feed,
    error: &StoreError,
    fetch: FetchStats,
) -> PollReport {
    let now = context.clock.now();
    // An unreachable database is logged once for the instance, and the poll loop waits for it
    // to answer before polling again: the feed is due again at once.
    let next_due = if error.is_fenced() {
        // Its new holder polls it; this instance polls it again only if it gets it back.
        tracing::warn!(feed = %feed.display_name(), error = %error, "another instance took the feed over during this poll; its result is not recorded");
        schedule::after_failure(&feed.cadence, now, 1)
    } else if error.is_retryable() {
        tracing::debug!(feed = %feed.display_name(), error = %error, "cannot record the poll in the state; the feed will be read again once the database answers");
        now
    } else {
        tracing::error!(feed = %feed.display_name(), error = %error, "cannot record the poll in the state; nothing was queued and the feed will be read again");
        schedule::after_failure(&context.cadence(feed), now, 1)
    };
    let message = format!("cannot record the poll in the state: {error}");
    PollReport {
        outcome: PollOutcome::failed(FailureCause::Store, message),
        next_due,
        state: None,
        fetch,
        hubs: None,
    }
}

/// One poll under way: the feed, what its previous poll left, and what the fetch cost.
struct Poll<'a> {
    context: &'a PollContext,
    feed: &'a Feed,
    /// The feed's own cadence, or the slower one while its hub pushes.
    cadence: Cow<'a, Cadence>,
    /// The validators sent, kept as they were when the poll fails.
    sent: Validators,
    /// The failures in a row if this poll fails too.
    failures: u32,
    fetch: FetchStats,
}

impl Poll<'_> {
    fn report(
        &self,
        outcome: PollOutcome,
        next_due: DateTime<Utc>,
        state: Option<PollState>,
    ) -> PollReport {
        PollReport {
            outcome,
            next_due,
            state,
            fetch: self.fetch,
            hubs: None,
        }
    }

    /// What the state holds for the feed after a poll recorded these.
    fn state_after(
        &self,
        validators: Validators,
        consecutive_failures: u32,
        last_result: LastResult,
        next_due: DateTime<Utc>,
    ) -> PollState {
        PollState {
            url: self.feed.url.to_string(),
            validators,
            consecutive_failures,
            last_result: Some(last_result),
            next_due_at: Some(next_due),
        }
    }

    async fn not_modified(
        self,
        hints: ServerHints,
        steady: bool,
    ) -> Result<PollReport, StoreError> {
        let (context, feed) = (self.context, self.feed);
        let now = context.clock.now();
        let next_due = schedule::after_success(&self.cadence, now, hints);
        if steady {
            context.store.note_not_modified(&feed.name, now, next_due);
        } else {
            context
                .store
                .record_not_modified(&feed.name, feed.url.as_str(), now, next_due)
                .await?;
        }
        let state = self.state_after(self.sent.clone(), 0, LastResult::NotModified, next_due);
        Ok(self.report(PollOutcome::NotModified, next_due, Some(state)))
    }

    /// Parses and records a fetched body. The poll keeps its fetch `slot` until then, so that no
    /// more bodies and documents wait in memory for their parse and store turns than fetches may
    /// run at once (a burst of polls, as the first round is, once queued hundreds of them).
    async fn read_body(
        self,
        fetched: FetchedBody,
        _slot: Option<FetchSlot>,
    ) -> Result<PollReport, StoreError> {
        let feed = self.feed;
        if let Some(moved) = &fetched.moved_permanently_to {
            let (from, to) = (shown_url(&feed.url), shown_url(moved));
            tracing::warn!(feed = %feed.display_name(), %from, %to, "the feed has moved permanently; update its url in the config");
        }
        let document = match read::parse(fetched, &self.context.parse_turns).await {
            Ok(document) => document,
            Err(ReadError::Stopping) => {
                let next_due = schedule::after_failure(&self.cadence, self.context.clock.now(), 1);
                let outcome = PollOutcome::failed(
                    FailureCause::Unfinished,
                    "the daemon is stopping; nothing was recorded",
                );
                return Ok(self.report(outcome, next_due, None));
            }
            Err(error) => {
                // A parse error may quote the body, which may quote the feed's own secrets.
                let redactor = self.context.fetcher.redactor();
                let message = redactor.redact(&error.to_string()).into_owned();
                return self.failed(FailureCause::Parse, message).await;
            }
        };
        if document.unread_entries > 0 {
            tracing::warn!(feed = %feed.display_name(), unread = document.unread_entries,
                "the document holds entries the parser could not read; they are not recorded (docs/parsing.md lists the known causes)");
        }
        let now = self.context.clock.now();
        let next_due = schedule::after_success(&self.cadence, now, document.hints);
        let state = self.state_after(document.validators.clone(), 0, LastResult::Ok, next_due);
        let hubs = document.hubs.clone();
        let summary = record(self.context, feed, document, now, next_due).await?;
        if summary.queued > 0 {
            self.context.queued(&feed.channels);
        }
        log_held_back(feed, &summary);
        let outcome = PollOutcome::Read {
            new_entries: summary.new_entries,
            queued: summary.queued,
            first_poll: summary.first_poll,
        };
        let mut report = self.report(outcome, next_due, Some(state));
        report.hubs = Some(hubs);
        Ok(report)
    }

    async fn fetch_failed(self, error: &FetchError) -> Result<PollReport, StoreError> {
        let Some(wait) = error.retry_after() else {
            let cause = FailureCause::Fetch(FetchFailure::of(error));
            return self.failed(cause, error.to_string()).await;
        };
        let (context, feed) = (self.context, self.feed);
        let now = context.clock.now();
        let next_due = schedule::after_wait(&self.cadence, now, wait);
        let reason = error.to_string();
        context
            .store
            .record_wait(&feed.name, feed.url.as_str(), now, &reason, next_due)
            .await?;
        let failures = self.failures.saturating_sub(1);
        let state = self.state_after(self.sent.clone(), failures, LastResult::Wait, next_due);
        Ok(self.report(PollOutcome::Waiting(wait), next_due, Some(state)))
    }

    /// Records the failure (the `failures`-th in a row) and backs the feed off accordingly.
    async fn failed(self, cause: FailureCause, message: String) -> Result<PollReport, StoreError> {
        let (context, feed) = (self.context, self.feed);
        let now = context.clock.now();
        let next_due = schedule::after_failure(&self.cadence, now, self.failures);
        let recorded = context
            .store
            .record_failure(&feed.name, feed.url.as_str(), now, &message, next_due)
            .await?;
        let state = self.state_after(self.sent.clone(), recorded, LastResult::Error, next_due);
        Ok(self.report(PollOutcome::failed(cause, message), next_due, Some(state)))
    }
}

/// Records the entries of `document` and queues what is to be posted, in one transaction.
async fn record(
    context: &PollContext,
    feed: &Feed,
    document: Document,
    now: DateTime<Utc>,
    next_due: DateTime<Utc>,
) -> Result<PollSummary, StoreError> {
    context
        .store
        .record_poll(entries_record(feed, document, now, next_due))
        .await
}

/// What the state records of `document`: its entries, with the feed's filters and limits on
/// what is queued. A pushed document goes through here too.
fn entries_record(
    feed: &Feed,
    document: Document,
    now: DateTime<Utc>,
    next_due: DateTime<Utc>,
) -> PollRecord {
    let skip: Option<SkipEntry> = (!feed.filter.is_empty()).then(|| {
        let feed = feed.clone();
        Arc::new(move |entry: &Entry| filter::skips(&feed, entry)) as SkipEntry
    });
    PollRecord {
        feed: feed.name.clone(),
        url: feed.url.to_string(),
        polled_at: now,
        validators: document.validators,
        info: document.info,
        entries: document.entries,
        channels: feed.channels.clone(),
        backlog: feed.backlog,
        next_due_at: next_due,
        limits: QueueLimits {
            max_new: feed.max_new_per_poll,
            overflow_note: Some(overflow_note),
            not_before: feed.max_age.map(|age| now - schedule::to_chrono(age)),
            skip,
        },
    }
}

fn log_held_back(feed: &Feed, summary: &PollSummary) {
    if summary.held_back > 0 {
        tracing::warn!(feed = %feed.display_name(), held_back = summary.held_back, max_new_per_poll = feed.max_new_per_poll,
            "more entries look new than max_new_per_poll allows (did the publisher change every id?); the newest were queued, the rest summarised in one card");
    }
    if summary.too_old > 0 {
        tracing::info!(feed = %feed.display_name(), skipped = summary.too_old, "new entries older than max_age were recorded and not posted");
    }
    if summary.filtered > 0 {
        tracing::info!(feed = %feed.display_name(), filtered = summary.filtered, "new entries did not pass the feed's include/exclude filters; recorded as seen, not posted");
    }
}
