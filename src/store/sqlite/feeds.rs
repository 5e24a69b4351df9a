//! Feed state: validators, schedule and health, and recording each poll's outcome.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::columns::{Millis, count_u32, count_u64, time};
use super::failure::Failure;
use super::{Arrival, Db, FeedState, LastResult, PollRecord, PollSummary, StoreError, outbox};
use crate::fetch::Validators;
use crate::parse::{Entry, FeedInfo};
use crate::store::codec::{decode_info, encode_entry, encode_info};
use crate::store::queue;
#[cfg(doc)]
use crate::store::retention::SEEN_REFRESH;
use crate::store::retention::refresh_before;

impl Db {
    /// Records a poll that returned a document, in one transaction: the feed's new validators and
    /// schedule, the entries seen, and one pending delivery per channel for each entry to post.
    ///
    /// On the feed's first poll every entry is marked seen and only the newest `backlog` are
    /// queued; afterwards every entry not seen before is queued, within the record's
    /// [`crate::store::QueueLimits`]. New entries its `skip` refuses are marked seen and never queued, on the
    /// first poll too. A key repeated within the document counts once (its first occurrence).
    #[cfg(test)]
    pub fn record_poll(&self, record: &PollRecord) -> Result<PollSummary, StoreError> {
        self.record_document(record, Arrival::Polled)
    }

    /// Records a document that a poll read or the feed's hub pushed, in one transaction (see
    /// [`Db::record_poll`] and [`Arrival`]).
    pub fn record_document(
        &self,
        record: &PollRecord,
        arrival: Arrival,
    ) -> Result<PollSummary, StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let summary = record_poll_in(&tx, record, arrival)?;
            tx.commit()?;
            Ok(summary)
        })
    }

    /// Records a `304 Not Modified`: the feed is healthy, its validators stay.
    pub fn record_not_modified(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        next_due_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            upsert_outcome(conn, feed, url, at, next_due_at, Outcome::NotModified)?;
            Ok(())
        })
    }

    /// Records a failed poll and returns how many polls in a row have now failed.
    pub fn record_failure(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        error: &str,
        next_due_at: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        self.with_conn(|conn| {
            upsert_outcome(conn, feed, url, at, next_due_at, Outcome::Error(error))
        })
    }

    /// Records a server asking us to wait (429, or 503 with `Retry-After`). Waiting as asked is
    /// not a failure: the failure count is unchanged.
    pub fn record_wait(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        reason: &str,
        next_due_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            upsert_outcome(conn, feed, url, at, next_due_at, Outcome::Wait(reason))?;
            Ok(())
        })
    }

    /// What the state remembers about one feed, if it was ever polled.
    pub fn feed_state(&self, feed: &str) -> Result<Option<FeedState>, StoreError> {
        self.with_conn(|conn| {
            let sql = format!("{FEED_STATE_SELECT} WHERE f.feed = ?1");
            let raw = conn
                .query_row(&sql, [feed], RawFeedState::read)
                .optional()?;
            Ok(raw.map(RawFeedState::into_state))
        })
    }

    /// Every feed the state remembers, by name — including feeds no longer configured.
    pub fn feed_states(&self) -> Result<Vec<FeedState>, StoreError> {
        self.with_conn(|conn| {
            let sql = format!("{FEED_STATE_SELECT} ORDER BY f.feed");
            let mut stmt = conn.prepare(&sql)?;
            let raws = stmt
                .query_map([], RawFeedState::read)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(raws.into_iter().map(RawFeedState::into_state).collect())
        })
    }
}

fn record_poll_in(
    tx: &Transaction<'_>,
    record: &PollRecord,
    arrival: Arrival,
) -> Result<PollSummary, Failure> {
    let initialized: Option<bool> = tx
        .prepare_cached("SELECT initialized FROM feeds WHERE feed = ?1")?
        .query_row([&record.feed], |row| row.get(0))
        .optional()?;
    let first_poll = initialized != Some(true);
    match arrival {
        Arrival::Polled => upsert_polled_feed(tx, record)?,
        Arrival::Pushed => upsert_pushed_feed(tx, record)?,
    }
    let new = mark_seen(tx, record)?;
    let plan = queue::plan(record, &new, first_poll);
    let mut queued = 0;
    if let Some(note) = &plan.note {
        insert_entry(tx, &record.feed, note, record.polled_at)?;
        queued += outbox::enqueue(
            tx,
            &record.feed,
            &[note.key.as_str()],
            &record.channels,
            record.polled_at,
        )?;
    }
    let keys: Vec<&str> = plan.to_queue.iter().map(|e| e.key.as_str()).collect();
    queued += outbox::enqueue(tx, &record.feed, &keys, &record.channels, record.polled_at)?;
    Ok(PollSummary {
        queued,
        ..plan.summary
    })
}

fn upsert_polled_feed(tx: &Transaction<'_>, record: &PollRecord) -> Result<(), Failure> {
    let info = encode_info(&record.info).map_err(Failure::Encode)?;
    // The validators are replaced, not merged: a response without an ETag must not leave the
    // previous one to be sent again.
    tx.prepare_cached(
        "INSERT INTO feeds (feed, url, etag, last_modified, info, last_poll_at, last_result,
                            last_error, consecutive_failures, next_due_at, initialized)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ok', NULL, 0, ?7, 1)
         ON CONFLICT (feed) DO UPDATE SET
            url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
            info = excluded.info, last_poll_at = excluded.last_poll_at, last_result = 'ok',
            last_error = NULL, consecutive_failures = 0, next_due_at = excluded.next_due_at,
            initialized = 1",
    )?
    .execute(params![
        record.feed,
        record.url,
        record.validators.etag,
        record.validators.last_modified,
        info,
        Millis(record.polled_at),
        Millis(record.next_due_at),
    ])?;
    Ok(())
}

/// A pushed document: the feed's metadata, and nothing of its polling.
fn upsert_pushed_feed(tx: &Transaction<'_>, record: &PollRecord) -> Result<(), Failure> {
    let info = encode_info(&record.info).map_err(Failure::Encode)?;
    tx.prepare_cached(
        "INSERT INTO feeds (feed, url, info, initialized) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (feed) DO UPDATE SET info = excluded.info, initialized = 1",
    )?
    .execute(params![record.feed, record.url, info])?;
    Ok(())
}

/// Inserts the entries not seen before and returns them in document order; refreshes the
/// `last_seen_at` of known entries whose mark is older than [`SEEN_REFRESH`].
///
/// Most entries of a changed document were seen already: a read of their row costs far less than
/// rewriting it (a page written to the WAL per entry per poll), so the mark is rewritten at most
/// once per `SEEN_REFRESH`, and pruning waits that much longer (`prune.rs`).
fn mark_seen<'r>(tx: &Transaction<'_>, record: &'r PollRecord) -> Result<Vec<&'r Entry>, Failure> {
    let mut last_seen =
        tx.prepare_cached("SELECT last_seen_at FROM entries WHERE feed = ?1 AND key = ?2")?;
    let mut touch =
        tx.prepare_cached("UPDATE entries SET last_seen_at = ?3 WHERE feed = ?1 AND key = ?2")?;
    let seen_at = Millis(record.polled_at);
    let stale_before = refresh_before(record.polled_at).timestamp_millis();
    let mut new = Vec::new();
    for entry in queue::distinct_entries(&record.entries) {
        let known: Option<i64> = last_seen
            .query_row(params![record.feed, entry.key], |row| row.get(0))
            .optional()?;
        match known {
            None => {
                insert_entry(tx, &record.feed, entry, record.polled_at)?;
                new.push(entry);
            }
            Some(mark) if mark < stale_before => {
                touch.execute(params![record.feed, entry.key, seen_at])?;
            }
            Some(_) => {}
        }
    }
    Ok(new)
}

pub(super) fn insert_entry(
    tx: &Transaction<'_>,
    feed: &str,
    entry: &Entry,
    at: DateTime<Utc>,
) -> Result<(), Failure> {
    tx.prepare_cached(
        "INSERT INTO entries (feed, key, first_seen_at, last_seen_at, entry)
         VALUES (?1, ?2, ?3, ?3, ?4)",
    )?
    .execute(params![
        feed,
        entry.key,
        Millis(at),
        encode_entry(entry).map_err(Failure::Encode)?
    ])?;
    Ok(())
}

#[derive(Clone, Copy)]
enum Outcome<'a> {
    NotModified,
    Wait(&'a str),
    Error(&'a str),
}

/// Records a poll without a document. A feed polled for the first time gets its row here, still
/// uninitialised, so that its first document is treated as the first poll. Validators received from
/// another URL (the config's URL changed) are dropped. Returns the failure count.
fn upsert_outcome(
    conn: &Connection,
    feed: &str,
    url: &str,
    at: DateTime<Utc>,
    next_due_at: DateTime<Utc>,
    outcome: Outcome<'_>,
) -> Result<u32, Failure> {
    let (result, error, failures_sql) = match outcome {
        Outcome::NotModified => (LastResult::NotModified, None, "0"),
        Outcome::Wait(reason) => (LastResult::Wait, Some(reason), "consecutive_failures"),
        Outcome::Error(error) => (LastResult::Error, Some(error), "consecutive_failures + 1"),
    };
    let insert_failures = i64::from(matches!(outcome, Outcome::Error(_)));
    let sql = format!(
        "INSERT INTO feeds (feed, url, last_poll_at, last_result, last_error,
                            consecutive_failures, next_due_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (feed) DO UPDATE SET
            etag = CASE WHEN url = excluded.url THEN etag END,
            last_modified = CASE WHEN url = excluded.url THEN last_modified END,
            url = excluded.url, last_poll_at = excluded.last_poll_at,
            last_result = excluded.last_result, last_error = excluded.last_error,
            consecutive_failures = {failures_sql}, next_due_at = excluded.next_due_at
         RETURNING consecutive_failures"
    );
    let failures: i64 = conn.prepare_cached(&sql)?.query_row(
        params![
            feed,
            url,
            Millis(at),
            result.as_str(),
            error,
            insert_failures,
            Millis(next_due_at)
        ],
        |row| row.get(0),
    )?;
    Ok(count_u32(failures))
}

const FEED_STATE_SELECT: &str = "
    SELECT f.feed, f.url, f.etag, f.last_modified, f.info, f.last_poll_at, f.last_result,
           f.last_error, f.consecutive_failures, f.next_due_at,
           (SELECT COUNT(*) FROM entries e WHERE e.feed = f.feed)
    FROM feeds f";

/// A feeds row as read, before its JSON is decoded.
struct RawFeedState {
    state: FeedState,
    info_json: String,
}

impl RawFeedState {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        let state = FeedState {
            feed: row.get(0)?,
            url: row.get(1)?,
            validators: Validators {
                etag: row.get(2)?,
                last_modified: row.get(3)?,
            },
            info: FeedInfo::default(),
            last_poll_at: time(row.get(5)?),
            last_result: row.get(6)?,
            last_error: row.get(7)?,
            consecutive_failures: count_u32(row.get(8)?),
            next_due_at: time(row.get(9)?),
            entries_seen: count_u64(row.get(10)?),
        };
        Ok(Self {
            state,
            info_json: row.get(4)?,
        })
    }

    fn into_state(self) -> FeedState {
        FeedState {
            info: decode_info(&self.state.feed, &self.info_json),
            ..self.state
        }
    }
}

#[cfg(test)]
mod tests;
