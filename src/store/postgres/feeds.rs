//! Feed state: validators, schedule and health, and recording each poll's outcome.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use tokio_postgres::{GenericClient, Row, Transaction};

use super::columns::{count_u32, count_u64, millis, stored_key, text};
use super::{
    Arrival, Failure, FeedState, LastResult, Pg, PollRecord, PollSummary, StoreError, outbox,
    sharing,
};
use crate::fetch::Validators;
use crate::parse::Entry;
use crate::store::codec::{decode_info, encode_entry, encode_info};
use crate::store::queue;
#[cfg(doc)]
use crate::store::retention::SEEN_REFRESH;
use crate::store::retention::refresh_before;

impl Pg {
    /// Records a poll that returned a document, in one transaction (see `sqlite::Db::record_poll`
    /// for what is queued). The feed's row is locked first, so two instances recording the same
    /// feed take turns and the second sees the entries of the first.
    ///
    /// A pushed document is recorded the same way, the feed's polling left as it was (see
    /// [`Arrival`]). An instance that has joined records a poll only of the feeds whose lease it
    /// holds; a push, whichever instance the hub reached, is recorded under the feed's row lock
    /// alone (it moves no due time, and the lock keeps its dedupe exact).
    pub async fn record_document(
        &self,
        record: &PollRecord,
        arrival: Arrival,
    ) -> Result<PollSummary, StoreError> {
        let fence = match arrival {
            Arrival::Polled => self
                .sharing
                .feed_fence(&record.feed)
                .map_err(|failure| self.store_error(failure))?,
            Arrival::Pushed => None,
        };
        let mut client = self.client().await?;
        let recorded = async {
            let tx = client.transaction().await?;
            if let Some(fence) = fence {
                sharing::hold_feed(&tx, &record.feed, fence).await?;
            }
            let summary = record_poll_in(&tx, record, arrival).await?;
            tx.commit().await?;
            Ok(summary)
        };
        recorded.await.map_err(|failure| self.store_error(failure))
    }

    /// Records a poll without a document; returns the failure count. An instance that has joined
    /// records only the feeds whose lease it holds.
    pub async fn record_outcome(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        next_due_at: DateTime<Utc>,
        outcome: Outcome<'_>,
    ) -> Result<u32, StoreError> {
        let fence = self
            .sharing
            .feed_fence(feed)
            .map_err(|failure| self.store_error(failure))?;
        let mut client = self.client().await?;
        let times = (at, next_due_at);
        let recorded = async {
            let Some(fence) = fence else {
                return upsert_outcome(&**client, feed, url, times, outcome).await;
            };
            let tx = client.transaction().await?;
            sharing::hold_feed(&tx, feed, fence).await?;
            let failures = upsert_outcome(&*tx, feed, url, times, outcome).await?;
            tx.commit().await?;
            Ok(failures)
        };
        recorded.await.map_err(|failure| self.store_error(failure))
    }

    /// What the state remembers about one feed, if it was ever polled.
    pub async fn feed_state(&self, feed: &str) -> Result<Option<FeedState>, StoreError> {
        let client = self.client().await?;
        let sql = format!("{FEED_STATE_SELECT} WHERE f.feed = $1");
        let row = client
            .query_opt(&sql, &[&feed])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(row.as_ref().map(read_feed_state))
    }

    /// Every feed the state remembers, by name — including feeds no longer configured.
    pub async fn feed_states(&self) -> Result<Vec<FeedState>, StoreError> {
        let client = self.client().await?;
        let sql = format!("{FEED_STATE_SELECT} ORDER BY f.feed");
        let rows = client
            .query(&sql, &[])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(rows.iter().map(read_feed_state).collect())
    }
}

async fn record_poll_in(
    tx: &Transaction<'_>,
    record: &PollRecord,
    arrival: Arrival,
) -> Result<PollSummary, Failure> {
    tx.execute(
        "INSERT INTO feeds (feed, url) VALUES ($1, $2) ON CONFLICT (feed) DO NOTHING",
        &[&record.feed, &record.url],
    )
    .await?;
    let initialized: bool = tx
        .query_one(
            "SELECT initialized FROM feeds WHERE feed = $1 FOR UPDATE",
            &[&record.feed],
        )
        .await?
        .get(0);
    match arrival {
        Arrival::Polled => update_polled_feed(tx, record).await?,
        Arrival::Pushed => update_pushed_feed(tx, record).await?,
    }
    let new = mark_seen(tx, record).await?;
    let plan = queue::plan(record, &new, !initialized);
    let at = record.polled_at;
    let mut queued = 0;
    if let Some(note) = &plan.note {
        insert_entries(tx, &record.feed, &[note], at).await?;
        let keys = [note.key.as_str()];
        queued += outbox::enqueue(tx, &record.feed, &keys, &record.channels, at).await?;
    }
    let keys: Vec<&str> = plan.to_queue.iter().map(|e| e.key.as_str()).collect();
    queued += outbox::enqueue(tx, &record.feed, &keys, &record.channels, at).await?;
    Ok(PollSummary {
        queued,
        ..plan.summary
    })
}

async fn update_polled_feed(tx: &Transaction<'_>, record: &PollRecord) -> Result<(), Failure> {
    let info = encode_info(&record.info).map_err(Failure::Encode)?;
    // The validators are replaced, not merged: a response without an ETag must not leave the
    // previous one to be sent again.
    tx.execute(
        "UPDATE feeds SET url = $2, etag = $3, last_modified = $4, info = $5, last_poll_at = $6,
                last_result = 'ok', last_error = NULL, consecutive_failures = 0,
                next_due_at = $7, initialized = true
         WHERE feed = $1",
        &[
            &record.feed,
            &record.url,
            &record.validators.etag,
            &record.validators.last_modified,
            &info,
            &millis(record.polled_at),
            &millis(record.next_due_at),
        ],
    )
    .await?;
    Ok(())
}

/// A pushed document: the feed's metadata, and nothing of its polling.
async fn update_pushed_feed(tx: &Transaction<'_>, record: &PollRecord) -> Result<(), Failure> {
    let info = encode_info(&record.info).map_err(Failure::Encode)?;
    tx.execute(
        "UPDATE feeds SET info = $2, initialized = true WHERE feed = $1",
        &[&record.feed, &info],
    )
    .await?;
    Ok(())
}

/// Inserts the entries not seen before and returns them in document order; refreshes the
/// `last_seen_at` of known entries whose mark is older than [`SEEN_REFRESH`] (reading a row costs
/// less than rewriting it). Two statements whatever the document's size.
async fn mark_seen<'r>(
    tx: &Transaction<'_>,
    record: &'r PollRecord,
) -> Result<Vec<&'r Entry>, Failure> {
    let entries = queue::distinct_entries(&record.entries);
    let keys: Vec<_> = entries.iter().map(|entry| stored_key(&entry.key)).collect();
    let stale_before = millis(refresh_before(record.polled_at));
    let known: HashSet<String> = tx
        .query(
            "WITH known AS (
                 SELECT key, last_seen_at FROM entries WHERE feed = $1 AND key = ANY($2)
             ), refreshed AS (
                 UPDATE entries SET last_seen_at = $3
                 FROM known
                 WHERE entries.feed = $1 AND entries.key = known.key
                   AND known.last_seen_at < $4
             )
             SELECT key FROM known",
            &[
                &record.feed,
                &keys,
                &millis(record.polled_at),
                &stale_before,
            ],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let new: Vec<&Entry> = entries
        .into_iter()
        .filter(|entry| !known.contains(stored_key(&entry.key).as_ref()))
        .collect();
    insert_entries(tx, &record.feed, &new, record.polled_at).await?;
    Ok(new)
}

pub(super) async fn insert_entries(
    tx: &Transaction<'_>,
    feed: &str,
    entries: &[&Entry],
    at: DateTime<Utc>,
) -> Result<(), Failure> {
    if entries.is_empty() {
        return Ok(());
    }
    let keys: Vec<_> = entries.iter().map(|entry| stored_key(&entry.key)).collect();
    let encoded = entries
        .iter()
        .map(|entry| encode_entry(entry))
        .collect::<Result<Vec<String>, String>>()
        .map_err(Failure::Encode)?;
    tx.execute(
        "INSERT INTO entries (feed, key, first_seen_at, last_seen_at, entry)
         SELECT $1, u.key, $3, $3, u.entry FROM unnest($2::text[], $4::text[]) AS u(key, entry)",
        &[&feed, &keys, &millis(at), &encoded],
    )
    .await?;
    Ok(())
}

/// How a poll without a document ended.
#[derive(Clone, Copy)]
pub enum Outcome<'a> {
    NotModified,
    Wait(&'a str),
    Error(&'a str),
}

/// Records a poll without a document. A feed polled for the first time gets its row here, still
/// uninitialised, so that its first document is treated as the first poll. Validators received from
/// another URL (the config's URL changed) are dropped. Returns the failure count.
async fn upsert_outcome(
    client: &impl GenericClient,
    feed: &str,
    url: &str,
    (at, next_due_at): (DateTime<Utc>, DateTime<Utc>),
    outcome: Outcome<'_>,
) -> Result<u32, Failure> {
    let (result, error, failures_sql) = match outcome {
        Outcome::NotModified => (LastResult::NotModified, None, "0"),
        Outcome::Wait(reason) => (LastResult::Wait, Some(reason), "feeds.consecutive_failures"),
        Outcome::Error(error) => (
            LastResult::Error,
            Some(error),
            "feeds.consecutive_failures + 1",
        ),
    };
    let insert_failures = i32::from(matches!(outcome, Outcome::Error(_)));
    let sql = format!(
        "INSERT INTO feeds (feed, url, last_poll_at, last_result, last_error,
                            consecutive_failures, next_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (feed) DO UPDATE SET
            etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END,
            last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified END,
            url = excluded.url, last_poll_at = excluded.last_poll_at,
            last_result = excluded.last_result, last_error = excluded.last_error,
            consecutive_failures = {failures_sql}, next_due_at = excluded.next_due_at
         RETURNING consecutive_failures"
    );
    let row = client
        .query_one(
            &sql,
            &[
                &feed,
                &url,
                &millis(at),
                &result.as_str(),
                &error.map(text),
                &insert_failures,
                &millis(next_due_at),
            ],
        )
        .await?;
    Ok(count_u32(row.get(0)))
}

const FEED_STATE_SELECT: &str = "
    SELECT f.feed, f.url, f.etag, f.last_modified, f.info, f.last_poll_at, f.last_result,
           f.last_error, f.consecutive_failures, f.next_due_at,
           (SELECT COUNT(*) FROM entries e WHERE e.feed = f.feed)
    FROM feeds f";

fn read_feed_state(row: &Row) -> FeedState {
    let feed: String = row.get(0);
    let info: String = row.get(4);
    FeedState {
        info: decode_info(&feed, &info),
        feed,
        url: row.get(1),
        validators: Validators {
            etag: row.get(2),
            last_modified: row.get(3),
        },
        last_poll_at: row.get(5),
        last_result: row.get(6),
        last_error: row.get(7),
        consecutive_failures: count_u32(row.get(8)),
        next_due_at: row.get(9),
        entries_seen: count_u64(row.get(10)),
    }
}
