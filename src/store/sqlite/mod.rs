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
mod failure;
mod feeds;
mod lock;
mod migrations;
mod open;
mod outbox;
mod poll_state;
mod prune;
mod push;
#[cfg(test)]
pub(crate) mod testing;
mod watch;

use std::sync::{Mutex, PoisonError};

use rusqlite::Connection;

use super::{
    ChannelState, DeliveryId, FeedState, LastResult, PendingDelivery, PollRecord, PollState,
    PollSummary, QueueLimits, StoreError,
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
    notes: Mutex<Vec<poll_state::NotModifiedNote>>,
    /// The file as named in errors (`:memory:` for a store opened in memory).
    path: String,
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
        work(&mut conn).map_err(|e| e.into_store_error(&self.path, false))
    }
}

#[cfg(test)]
mod tests;
