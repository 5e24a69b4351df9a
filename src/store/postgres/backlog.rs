//! A recovered channel's backlog, cut to the flood cap (see `sqlite/backlog.rs`: the same rules).
//! Per feed, the newest `cap` pending deliveries stay; the older ones are summarised in one card
//! that takes the place of the oldest, so the channel still receives everything oldest first.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tokio_postgres::Transaction;

use super::columns::{count_u64, millis, stored_key, text};
use super::feeds::insert_entries;
use super::{Failure, Pg, StoreError};
use crate::parse::Entry;
use crate::store::BacklogNote;
use crate::store::codec::decode_info;

impl Pg {
    /// For each feed with more than its cap (`caps`, by feed name; a feed not named, or a cap of
    /// 0, has no cap) of pending deliveries in `channel`: keeps the newest `cap`, turns the oldest
    /// into the card `note` writes about all the others, and settles the others as delivered by
    /// that card. Returns each feed summarised with how many entries its card stands for.
    pub async fn summarise_backlog(
        &self,
        channel: &str,
        caps: &HashMap<String, usize>,
        note: BacklogNote,
        at: DateTime<Utc>,
    ) -> Result<Vec<(String, usize)>, StoreError> {
        let mut client = self.client().await?;
        let summarised = async {
            let tx = client.transaction().await?;
            let counts = tx
                .query(
                    "SELECT feed, COUNT(*) FROM deliveries
                     WHERE channel = $1 AND status = 'pending' GROUP BY feed ORDER BY MIN(id)",
                    &[&channel],
                )
                .await?;
            let mut summarised = Vec::new();
            for row in counts {
                let feed: String = row.get(0);
                let cap = caps.get(&feed).copied().unwrap_or(0);
                let count = usize::try_from(count_u64(row.get(1))).unwrap_or(usize::MAX);
                if cap == 0 || count <= cap {
                    continue;
                }
                let held = summarise_feed(&tx, channel, &feed, count - cap, note, at).await?;
                summarised.push((feed, held));
            }
            tx.commit().await?;
            Ok::<_, Failure>(summarised)
        };
        summarised
            .await
            .map_err(|failure| self.store_error(failure))
    }
}

/// Summarises the oldest `surplus` pending deliveries of `feed` in `channel`; returns how many.
async fn summarise_feed(
    tx: &Transaction<'_>,
    channel: &str,
    feed: &str,
    surplus: usize,
    note: BacklogNote,
    at: DateTime<Utc>,
) -> Result<usize, Failure> {
    let rows = tx
        .query(
            "SELECT d.id, e.entry FROM deliveries d
             JOIN entries e ON e.feed = d.feed AND e.key = d.entry_key
             WHERE d.channel = $1 AND d.feed = $2 AND d.status = 'pending'
             ORDER BY d.id LIMIT $3",
            &[&channel, &feed, &i64::try_from(surplus).unwrap_or(i64::MAX)],
        )
        .await?;
    let Some(first) = rows.first().map(|row| row.get::<_, i64>(0)) else {
        return Ok(0);
    };
    // An entry that can no longer be read is still counted; it is only not listed by title.
    let entries: Vec<Entry> = rows
        .iter()
        .filter_map(|row| serde_json::from_str(row.get::<_, &str>(1)).ok())
        .collect();
    let listed: Vec<&Entry> = entries.iter().collect();
    let info: String = tx
        .query_one("SELECT info FROM feeds WHERE feed = $1", &[&feed])
        .await?
        .get(0);
    let mut card = note(channel, feed, &decode_info(feed, &info), &listed, at);
    card.key = format!("feedhook:backlog:{channel}:{}", at.timestamp_millis());
    insert_entries(tx, feed, &[&card], at).await?;
    tx.execute(
        "UPDATE deliveries SET entry_key = $2, attempts = 0, next_attempt_at = $3, last_error = NULL
         WHERE id = $1",
        &[&first, &stored_key(&card.key), &millis(at)],
    )
    .await?;
    let settled = format!(
        "summarised in the card {:?}",
        card.title.unwrap_or_default()
    );
    let others: Vec<i64> = rows[1..].iter().map(|row| row.get(0)).collect();
    tx.execute(
        "UPDATE deliveries SET status = 'delivered', delivered_at = $2, last_error = $3
         WHERE id = ANY($1)",
        &[&others, &millis(at), &text(&settled)],
    )
    .await?;
    Ok(rows.len())
}
