//! Deliveries parked while their channel is out of the config (see [`ChannelParking`]).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior, params};

use super::columns::Millis;
use super::failure::Failure;
use super::{Db, StoreError};
use crate::store::ChannelParking;

impl Db {
    /// Parks the pending deliveries of every channel not in `keep` at `at`, and puts the parked
    /// deliveries of the channels in `keep` back in the queue, due at once (the channel's return
    /// is a fresh start, like a restart); in one transaction. Ids do not change, so restored
    /// deliveries go out before anything queued since.
    pub fn park_channels_not_in(
        &self,
        keep: &[String],
        at: DateTime<Utc>,
    ) -> Result<ChannelParking, StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut parking = ChannelParking::default();
            for channel in channels_with(&tx, "pending")? {
                if !keep.contains(&channel) {
                    let parked = tx
                        .prepare_cached(
                            "UPDATE deliveries SET status = 'parked', parked_at = ?2
                             WHERE status = 'pending' AND channel = ?1",
                        )?
                        .execute(params![channel, Millis(at)])?;
                    parking.parked.push((channel, parked as u64));
                }
            }
            for channel in channels_with(&tx, "parked")? {
                if keep.contains(&channel) {
                    let restored = tx
                        .prepare_cached(
                            "UPDATE deliveries
                             SET status = 'pending', parked_at = NULL, next_attempt_at = ?2
                             WHERE status = 'parked' AND channel = ?1",
                        )?
                        .execute(params![channel, Millis(at)])?;
                    parking.restored.push((channel, restored as u64));
                }
            }
            tx.commit()?;
            Ok(parking)
        })
    }

    /// The channels that have parked deliveries, by name.
    pub fn parked_channels(&self) -> Result<Vec<String>, StoreError> {
        self.with_conn(|conn| channels_with(conn, "parked"))
    }
}

/// The channels with deliveries in `status`, by name.
fn channels_with(conn: &Connection, status: &str) -> Result<Vec<String>, Failure> {
    let channels = conn
        .prepare_cached(
            "SELECT DISTINCT channel FROM deliveries WHERE status = ?1 ORDER BY channel",
        )?
        .query_map([status], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(channels)
}

#[cfg(test)]
mod tests;
