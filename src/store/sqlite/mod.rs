//! The SQLite backend: one process on one state file (WAL), the default.
//!
//! [`Db`] is synchronous: every call is short SQLite work on one connection. The store's facade
//! runs it off the async workers ([`blocking::run`]) and is the only caller.
//!
//! Invariant: one poll is one transaction — new validators, new seen entries and their pending
//! deliveries commit together, so a crash can neither lose an entry nor mark one seen that was not
//! queued.

mod backlog;
pub(super) mod blocking;
mod channels;
mod columns;
mod copy;
mod failure;
mod feeds;
mod lock;
mod migrations;
mod open;
mod outbox;
mod parking;
mod poll_state;
mod prune;
mod push;
#[cfg(test)]
pub(crate) mod testing;
mod watch;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use rusqlite::Connection;

use super::notes::Notes;
use super::{
    ChannelState, DeliveryId, FeedState, LastResult, PendingDelivery, PollRecord, PollState,
    PollSummary, StoreError,
};
use failure::Failure;
use lock::InstanceLock;
pub use watch::deleted_while_open;

/// The state database.
///
/// One connection behind a std `Mutex`: every call is short, synchronous `SQLite` work; the facade
/// runs it on the blocking pool, one call at a time.
pub struct Db {
    conn: Mutex<Connection>,
    /// 304s waiting for [`Db::flush_notes`].
    notes: Notes,
    /// The file as named in errors (`:memory:` for a store opened in memory).
    path: String,
    /// A write failed for want of space since the write-ahead log was last checkpointed.
    disk_was_full: AtomicBool,
    /// The one-writer lock, when opened as the writer. Declared after `conn` so that it is
    /// dropped after it: see the invariant in [`lock`].
    lock: Option<InstanceLock>,
}

impl Db {
    /// Runs `work` on the connection and classifies its failure.
    fn with_conn<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        // A panic while the lock was held cannot leave a transaction half-applied (rusqlite rolls
        // back on drop), so a poisoned lock still guards a consistent connection.
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        // Nothing is read from or written to a state that is no longer the one at its path.
        self.check_file()?;
        let result = work(&mut conn);
        if result.is_err() && !conn.is_autocommit() {
            // A write that failed half-way (a full disk) can leave its transaction open, and
            // every later one would fail behind it. Ending it is all that can be done here.
            let _ = conn.execute_batch("ROLLBACK");
        }
        let result = result.map_err(|e| e.into_store_error(&self.path, false));
        self.after_disk_full(&conn, &result);
        result
    }
}

impl Db {
    /// After a full disk, the first call that works checkpoints the write-ahead log into the file
    /// and truncates it: the log grown (or left unmerged) while space was short would otherwise
    /// keep the disk full, and with it every later write.
    fn after_disk_full<T>(&self, conn: &Connection, result: &Result<T, StoreError>) {
        match result {
            Err(StoreError::DiskFull(_)) => self.disk_was_full.store(true, Ordering::Relaxed),
            Ok(_) if self.disk_was_full.load(Ordering::Relaxed) => {
                let checkpoint: rusqlite::Result<(i64, i64, i64)> =
                    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    });
                match checkpoint {
                    // The first column is 1 when a reader kept the checkpoint from finishing.
                    Ok((0, _, _)) => {
                        self.disk_was_full.store(false, Ordering::Relaxed);
                        tracing::info!(path = %self.path, "space is back: the state's write-ahead log is merged and truncated");
                    }
                    Ok(_) => {}
                    Err(error) => {
                        tracing::warn!(path = %self.path, %error, "cannot yet merge the state's write-ahead log; trying again after the next write");
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
