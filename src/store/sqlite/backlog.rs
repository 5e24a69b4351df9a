//! A recovered channel's backlog, cut to the flood cap: after a long outage a channel does not
//! post hundreds of cards in a row. Per feed, the newest `cap` pending deliveries stay; the older
//! ones are summarised in one card that takes the place of the oldest, so the channel still
//! receives everything oldest first.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::columns::{Millis, count_u64};
use super::failure::Failure;
use super::feeds::insert_entry;
use super::{Db, StoreError};
use crate::parse::Entry;
use crate::store::BacklogNote;
use crate::store::codec::decode_info;

impl Db {
    /// For each feed with more than its cap (`caps`, by feed name; a feed not named, or a cap of
    /// 0, has no cap) of pending deliveries in `channel`: keeps the newest `cap`, turns the oldest
    /// into the card `note` writes about all the others, and settles the others as delivered by
    /// that card. Returns each feed summarised with how many entries its card stands for.
    pub fn summarise_backlog(
        &self,
        channel: &str,
        caps: &HashMap<String, usize>,
        note: BacklogNote,
        at: DateTime<Utc>,
    ) -> Result<Vec<(String, usize)>, StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction()?;
            let counts: Vec<(String, i64)> = tx
                .prepare_cached(
                    "SELECT feed, COUNT(*) FROM deliveries
                     WHERE channel = ?1 AND status = 'pending' GROUP BY feed ORDER BY MIN(id)",
                )?
                .query_map([channel], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let mut summarised = Vec::new();
            for (feed, count) in counts {
                let cap = caps.get(&feed).copied().unwrap_or(0);
                let count = usize::try_from(count_u64(count)).unwrap_or(usize::MAX);
                if cap == 0 || count <= cap {
                    continue;
                }
                let held = summarise_feed(&tx, channel, &feed, count - cap, note, at)?;
                summarised.push((feed, held));
            }
            tx.commit()?;
            Ok(summarised)
        })
    }
}

/// Summarises the oldest `surplus` pending deliveries of `feed` in `channel`; returns how many.
fn summarise_feed(
    tx: &Transaction<'_>,
    channel: &str,
    feed: &str,
    surplus: usize,
    note: BacklogNote,
    at: DateTime<Utc>,
) -> Result<usize, Failure> {
    let rows: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT d.id, e.entry FROM deliveries d
             JOIN entries e ON e.feed = d.feed AND e.key = d.entry_key
             WHERE d.channel = ?1 AND d.feed = ?2 AND d.status = 'pending'
             ORDER BY d.id LIMIT ?3",
        )?
        .query_map(
            params![channel, feed, i64::try_from(surplus).unwrap_or(i64::MAX)],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?
        .collect::<Result<_, _>>()?;
    let Some(&(first, _)) = rows.first() else {
        return Ok(0);
    };
    // An entry that can no longer be read is still counted; it is only not listed by title.
    let entries: Vec<Entry> = rows
        .iter()
        .filter_map(|(_, json)| serde_json::from_str(json).ok())
        .collect();
    let listed: Vec<&Entry> = entries.iter().collect();
    let info: String = tx
        .prepare_cached("SELECT info FROM feeds WHERE feed = ?1")?
        .query_row([feed], |row| row.get(0))?;
    let mut card = note(channel, feed, &decode_info(feed, &info), &listed, at);
    card.key = format!("feedhook:backlog:{channel}:{}", at.timestamp_millis());
    insert_entry(tx, feed, &card, at)?;
    tx.prepare_cached(
        "UPDATE deliveries SET entry_key = ?2, attempts = 0, next_attempt_at = ?3, last_error = NULL
         WHERE id = ?1",
    )?
    .execute(params![first, card.key, Millis(at)])?;
    let settled = format!(
        "summarised in the card {:?}",
        card.title.unwrap_or_default()
    );
    let mut settle = tx.prepare_cached(
        "UPDATE deliveries SET status = 'delivered', delivered_at = ?2, last_error = ?3
         WHERE id = ?1",
    )?;
    for (id, _) in &rows[1..] {
        settle.execute(params![id, Millis(at), settled])?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests;
