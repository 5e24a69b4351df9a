//! WebSub subscriptions: one row per feed, looked up by feed or by callback token.

use rusqlite::{OptionalExtension, Row, params};

use super::columns::{Millis, count_u32, time};
use super::{Db, StoreError};
use crate::store::{PushState, PushSubscription};

const COLUMNS: &str = "feed, topic, hub, token, secret, state, reason, lease_expires_at, \
                       requested_at, hub_failures";

impl Db {
    /// Every subscription the state keeps, by feed name.
    pub fn push_subscriptions(&self) -> Result<Vec<PushSubscription>, StoreError> {
        self.with_conn(|conn| {
            let sql = format!("SELECT {COLUMNS} FROM push_subscriptions ORDER BY feed");
            let mut statement = conn.prepare_cached(&sql)?;
            let rows = statement.query_map([], read_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// The subscription whose callback token is `token`.
    pub fn push_subscription(&self, token: &str) -> Result<Option<PushSubscription>, StoreError> {
        self.with_conn(|conn| {
            let sql = format!("SELECT {COLUMNS} FROM push_subscriptions WHERE token = ?1");
            Ok(conn
                .prepare_cached(&sql)?
                .query_row([token], read_row)
                .optional()?)
        })
    }

    /// Writes `subscription`, replacing the feed's previous one.
    pub fn save_push_subscription(&self, sub: &PushSubscription) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            let sql = format!(
                "INSERT OR REPLACE INTO push_subscriptions ({COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            );
            conn.prepare_cached(&sql)?.execute(params![
                sub.feed,
                sub.topic,
                sub.hub,
                sub.token,
                sub.secret,
                sub.state.as_str(),
                sub.reason,
                sub.lease_expires_at.map(Millis),
                Millis(sub.requested_at),
                i64::from(sub.hub_failures),
            ])?;
            Ok(())
        })
    }

    /// Forgets the subscription whose token is `token`; whether there was one.
    pub fn delete_push_subscription(&self, token: &str) -> Result<bool, StoreError> {
        self.with_conn(|conn| {
            let deleted = conn
                .prepare_cached("DELETE FROM push_subscriptions WHERE token = ?1")?
                .execute([token])?;
            Ok(deleted > 0)
        })
    }
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<PushSubscription> {
    let state: String = row.get(5)?;
    Ok(PushSubscription {
        feed: row.get(0)?,
        topic: row.get(1)?,
        hub: row.get(2)?,
        token: row.get(3)?,
        secret: row.get(4)?,
        // The schema's CHECK admits no other text.
        state: PushState::from_column(&state).unwrap_or(PushState::Failed),
        reason: row.get(6)?,
        lease_expires_at: time(row.get(7)?),
        requested_at: row.get::<_, Millis>(8)?.0,
        hub_failures: count_u32(row.get(9)?),
    })
}

#[cfg(test)]
mod tests;
