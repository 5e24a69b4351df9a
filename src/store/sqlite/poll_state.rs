//! What the poll loop reads and writes on every poll, kept cheap: the feeds' poll states, read
//! once at start, and the write-behind of `304 Not Modified` for healthy feeds (see
//! `store/notes.rs`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::columns::{Millis, count_u32, time};
use super::{Db, LastResult, PollState, StoreError};
use crate::fetch::Validators;

const POLL_STATE_SELECT: &str = "SELECT feed, url, etag, last_modified, consecutive_failures,
                                        last_result, next_due_at
                                 FROM feeds";

impl Db {
    /// The state one poll starts from, if the feed was ever polled. Unlike [`Db::feed_state`] it
    /// neither counts the feed's entries nor decodes its info, so it stays cheap at any history size.
    pub fn poll_state(&self, feed: &str) -> Result<Option<PollState>, StoreError> {
        self.with_conn(|conn| {
            let state = conn
                .prepare_cached(&format!("{POLL_STATE_SELECT} WHERE feed = ?1"))?
                .query_row([feed], read_poll_state)
                .optional()?;
            Ok(state.map(|(_, state)| state))
        })
    }

    /// Every remembered feed's poll state, by name: what the poll loop starts from.
    pub fn poll_states(&self) -> Result<HashMap<String, PollState>, StoreError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare(POLL_STATE_SELECT)?;
            let rows = stmt.query_map([], read_poll_state)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Notes a `304 Not Modified` of a feed whose stored last result is already `not_modified`
    /// and that has no failures: only its poll and due times change, and they are written at
    /// the next [`Db::flush_notes`].
    pub fn note_not_modified(&self, feed: &str, at: DateTime<Utc>, next_due_at: DateTime<Utc>) {
        self.notes.push(feed, at, next_due_at);
    }

    /// Whether notes are waiting for [`Db::flush_notes`].
    #[must_use]
    pub fn has_notes(&self) -> bool {
        !self.notes.is_empty()
    }

    /// Writes the notes taken since the last flush, in one transaction; returns how many. On a
    /// failure the notes are dropped: the feeds keep their previous times, which only makes them
    /// due sooner.
    pub fn flush_notes(&self) -> Result<usize, StoreError> {
        let notes = self.notes.take();
        if notes.is_empty() {
            return Ok(0);
        }
        self.with_conn(|conn| {
            let tx = conn.transaction()?;
            {
                let mut update = tx.prepare_cached(
                    "UPDATE feeds SET last_poll_at = ?2, next_due_at = ?3
                     WHERE feed = ?1 AND (last_poll_at IS NULL OR last_poll_at < ?2)",
                )?;
                for note in &notes {
                    update.execute(params![
                        note.feed,
                        Millis(note.at),
                        Millis(note.next_due_at)
                    ])?;
                }
            }
            tx.commit()?;
            Ok(notes.len())
        })
    }
}

impl Drop for Db {
    /// The last notes are written when the store is closed (end of `run` or `once`, or a reload).
    fn drop(&mut self) {
        if let Err(error) = self.flush_notes() {
            tracing::warn!(%error, "cannot record the last not-modified polls; those feeds will be polled again soon after the next start");
        }
    }
}

fn read_poll_state(row: &Row<'_>) -> rusqlite::Result<(String, PollState)> {
    let state = PollState {
        url: row.get(1)?,
        validators: Validators {
            etag: row.get(2)?,
            last_modified: row.get(3)?,
        },
        consecutive_failures: count_u32(row.get(4)?),
        last_result: row
            .get::<_, Option<String>>(5)?
            .as_deref()
            .and_then(LastResult::from_column),
        next_due_at: time(row.get(6)?),
    };
    Ok((row.get(0)?, state))
}

#[cfg(test)]
mod tests;
