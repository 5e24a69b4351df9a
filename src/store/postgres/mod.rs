//! The PostgreSQL backend: several feedhook instances on several hosts sharing one database.
//!
//! Same semantics as `sqlite/`, call for call; the behavioural suite (`tests/store_behaviour.rs`)
//! runs every test against both. Connections come from a pool (deadpool); every method takes one
//! for its own work and returns it.
//!
//! Invariant: one poll is one transaction — new validators, new seen entries and their pending
//! deliveries commit together, so a crash can neither lose an entry nor mark one seen that was not
//! queued. No session-level state (advisory locks, prepared statements across transactions) is
//! relied on, so PgBouncer in transaction mode works.

mod backlog;
mod channels;
mod columns;
mod connect;
mod copy;
mod digest;
mod failure;
mod feeds;
mod migrations;
mod outage;
mod outbox;
mod parking;
mod poll_state;
mod prune;
mod push;
mod sharing;
mod tls;

use std::sync::Arc;

use deadpool_postgres::{Object, Pool};

use super::notes::Notes;
use super::{
    Arrival, ChannelState, DeliveryId, FeedState, LastResult, PendingDelivery, PollRecord,
    PollState, PollSummary, StoreError,
};
use failure::Failure;
pub use feeds::Outcome;
use sharing::Sharing;

/// The shared database.
pub struct Pg {
    pool: Pool,
    /// 304s waiting for [`Pg::flush_notes`].
    notes: Notes,
    /// This instance among the others, once it has joined (`run`); the one-off commands never
    /// join, and write without leases.
    sharing: Sharing,
    /// The database as errors name it (`postgres://host:port/name`, no password).
    shown: String,
    /// The password, masked in every error text in case the server or the driver quotes it.
    secrets: Vec<String>,
    /// Whether the database is reachable, as the last calls found it.
    outage: Arc<outage::Outage>,
}

impl Pg {
    /// A connection from the pool.
    async fn client(&self) -> Result<Object, StoreError> {
        self.pool
            .get()
            .await
            .map_err(|error| self.store_error(Failure::from(error)))
    }

    /// `failure`, named after this database and with its password masked. An unreachable
    /// database opens an outage, or is part of the one under way.
    fn store_error(&self, failure: Failure) -> StoreError {
        let error = failure.into_store_error(&self.shown, &self.secrets);
        if let StoreError::Unavailable { message, .. } = &error {
            self.outage.report(message, &self.pool);
        }
        error
    }

    /// The outage under way, as the error a call would meet; `None` while the database answers.
    pub fn unreachable(&self) -> Option<StoreError> {
        self.outage.current()
    }

    /// Returns once the database answers again (at once when it does).
    pub async fn reachable_again(&self) {
        self.outage.wait_over().await;
    }
}
