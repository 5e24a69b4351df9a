//! What the poll loop reads and writes on every poll, kept cheap: the feeds' poll states, and the
//! write-behind of `304 Not Modified` for healthy feeds (see `store/notes.rs`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tokio_postgres::Row;

use super::columns::{count_u32, millis};
use super::{LastResult, Pg, PollState, StoreError, sharing};
use crate::fetch::Validators;
use crate::store::LeaseKind;

const POLL_STATE_SELECT: &str = "SELECT feed, url, etag, last_modified, consecutive_failures,
                                        last_result, next_due_at
                                 FROM feeds";

impl Pg {
    /// The state one poll starts from, if the feed was ever polled.
    pub async fn poll_state(&self, feed: &str) -> Result<Option<PollState>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(&format!("{POLL_STATE_SELECT} WHERE feed = $1"), &[&feed])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(row.as_ref().map(|row| read_poll_state(row).1))
    }

    /// Every remembered feed's poll state, by name.
    pub async fn poll_states(&self) -> Result<HashMap<String, PollState>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(POLL_STATE_SELECT, &[])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(rows.iter().map(read_poll_state).collect())
    }

    /// Notes a `304 Not Modified` of a steady feed, written at the next [`Pg::flush_notes`].
    pub fn note_not_modified(&self, feed: &str, at: DateTime<Utc>, next_due_at: DateTime<Utc>) {
        self.notes.push(feed, at, next_due_at);
    }

    /// Whether notes are waiting for [`Pg::flush_notes`].
    pub fn has_notes(&self) -> bool {
        !self.notes.is_empty()
    }

    /// Writes the notes taken since the last flush, in one statement; returns how many. On a
    /// failure the notes are dropped: the feeds keep their previous times, which only makes them
    /// due sooner.
    pub async fn flush_notes(&self) -> Result<usize, StoreError> {
        let notes = self.notes.take();
        if notes.is_empty() {
            return Ok(0);
        }
        // One row per feed, its latest note: an UPDATE … FROM applies one match per row.
        let mut latest: HashMap<&str, (DateTime<Utc>, DateTime<Utc>)> = HashMap::new();
        for note in &notes {
            let times = (millis(note.at), millis(note.next_due_at));
            latest
                .entry(note.feed.as_str())
                .and_modify(|kept| *kept = (*kept).max(times))
                .or_insert(times);
        }
        let feeds: Vec<&str> = latest.keys().copied().collect();
        let polled: Vec<DateTime<Utc>> = feeds.iter().map(|feed| latest[feed].0).collect();
        let due: Vec<DateTime<Utc>> = feeds.iter().map(|feed| latest[feed].1).collect();
        // A feed taken over since its note keeps the times its new holder writes.
        let (owner, epochs) = self.sharing.epochs(LeaseKind::Feed);
        let sql = format!(
            "UPDATE feeds SET last_poll_at = u.at, next_due_at = u.due
             FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS u(feed, at, due)
             WHERE feeds.feed = u.feed
               AND (feeds.last_poll_at IS NULL OR feeds.last_poll_at < u.at)
               AND {}",
            sharing::fence(LeaseKind::Feed, "feeds.feed", 4, 5)
        );
        let client = self.client().await?;
        client
            .execute(&sql, &[&feeds, &polled, &due, &owner, &epochs])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(notes.len())
    }
}

fn read_poll_state(row: &Row) -> (String, PollState) {
    let last_result: Option<String> = row.get(5);
    let state = PollState {
        url: row.get(1),
        validators: Validators {
            etag: row.get(2),
            last_modified: row.get(3),
        },
        consecutive_failures: count_u32(row.get(4)),
        last_result: last_result.as_deref().and_then(LastResult::from_column),
        next_due_at: row.get(6),
    };
    (row.get(0), state)
}
