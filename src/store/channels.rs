//! A channel's standing: suspension (its webhook is gone), last delivery, and outbox counts.
//!
//! A channel has a row only once something happened to it; until then it reads as the defaults.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::columns::{Millis, count_u64, time};
use super::error::Failure;
use super::{ChannelState, Store, StoreError};

impl Store {
    /// Suspends a channel until `until`; its pending deliveries stay queued.
    pub fn suspend_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "INSERT INTO channels (name, suspended_until, suspended_reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET
                    suspended_until = excluded.suspended_until,
                    suspended_reason = excluded.suspended_reason",
            )?
            .execute(params![channel, Millis(until), reason])?;
            Ok(())
        })
    }

    /// Lifts a channel's suspension (a no-op for a channel that is not suspended).
    pub fn resume_channel(&self, channel: &str) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "UPDATE channels SET suspended_until = NULL, suspended_reason = NULL
                 WHERE name = ?1",
            )?
            .execute([channel])?;
            Ok(())
        })
    }

    /// One channel's standing and outbox counts.
    pub fn channel_state(&self, channel: &str) -> Result<ChannelState, StoreError> {
        self.with_conn(|conn| read_channel(conn, channel))
    }

    /// The standing of each named channel, in the order given.
    pub fn channel_states(&self, names: &[String]) -> Result<Vec<ChannelState>, StoreError> {
        self.with_conn(|conn| names.iter().map(|name| read_channel(conn, name)).collect())
    }
}

fn read_channel(conn: &Connection, channel: &str) -> Result<ChannelState, Failure> {
    let mut state = conn
        .prepare_cached(
            "SELECT suspended_until, suspended_reason, last_delivery_at FROM channels
             WHERE name = ?1",
        )?
        .query_row([channel], |row| {
            Ok(ChannelState {
                channel: channel.to_owned(),
                suspended_until: time(row.get(0)?),
                suspended_reason: row.get(1)?,
                last_delivery_at: time(row.get(2)?),
                ..ChannelState::default()
            })
        })
        .optional()?
        .unwrap_or_else(|| ChannelState {
            channel: channel.to_owned(),
            ..ChannelState::default()
        });
    let mut counts = conn.prepare_cached(
        "SELECT status, COUNT(*), MIN(queued_at) FROM deliveries WHERE channel = ?1
         GROUP BY status",
    )?;
    let mut rows = counts.query([channel])?;
    while let Some(row) = rows.next()? {
        let status: String = row.get(0)?;
        let count = count_u64(row.get(1)?);
        match status.as_str() {
            "pending" => {
                state.pending = count;
                state.oldest_pending_at = time(row.get(2)?);
            }
            "failed" => state.failed = count,
            "delivered" => state.delivered = count,
            // The schema's CHECK admits no other status.
            _ => {}
        }
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{Poll, at};

    #[test]
    fn a_channel_never_used_reads_as_defaults() {
        let store = Store::open_in_memory().expect("memory store");
        let state = store.channel_state("ops").expect("read");
        assert_eq!(
            state,
            ChannelState {
                channel: "ops".to_owned(),
                ..ChannelState::default()
            }
        );
    }

    #[test]
    fn suspension_is_recorded_and_lifted() {
        let store = Store::open_in_memory().expect("memory store");
        store
            .suspend_channel("ops", at(60), "HTTP 410: webhook removed")
            .expect("suspend");
        let state = store.channel_state("ops").expect("read");
        assert_eq!(state.suspended_until, Some(at(60)));
        assert_eq!(
            state.suspended_reason.as_deref(),
            Some("HTTP 410: webhook removed")
        );

        store.resume_channel("ops").expect("resume");
        let state = store.channel_state("ops").expect("read");
        assert_eq!(
            (state.suspended_until, state.suspended_reason),
            (None, None)
        );
    }

    #[test]
    fn suspension_keeps_pending_deliveries() {
        let store = Store::open_in_memory().expect("memory store");
        Poll::new("blog", &[], &["ops"]).run(&store);
        Poll::new("blog", &["a", "b"], &["ops"])
            .at(at(15))
            .run(&store);
        store
            .suspend_channel("ops", at(60), "HTTP 404")
            .expect("suspend");
        assert_eq!(store.channel_state("ops").expect("read").pending, 2);
        store.resume_channel("ops").expect("resume");
        let next = store.next_pending("ops").expect("read").expect("pending");
        assert_eq!(next.entry.key, "a");
    }

    #[test]
    fn resuming_an_unknown_channel_is_harmless() {
        let store = Store::open_in_memory().expect("memory store");
        store.resume_channel("ghost").expect("resume");
        assert_eq!(
            store.channel_state("ghost").expect("read").suspended_until,
            None
        );
    }

    #[test]
    fn channel_states_come_back_in_the_order_asked() {
        let store = Store::open_in_memory().expect("memory store");
        Poll::new("blog", &[], &["ops", "dev"]).run(&store);
        Poll::new("blog", &["a"], &["ops"]).at(at(15)).run(&store);
        let names = ["dev".to_owned(), "ops".to_owned()];
        let states = store.channel_states(&names).expect("read");
        let summary: Vec<_> = states
            .iter()
            .map(|s| (s.channel.as_str(), s.pending))
            .collect();
        assert_eq!(summary, [("dev", 0), ("ops", 1)]);
        assert_eq!(states[0].oldest_pending_at, None);
        assert_eq!(states[1].oldest_pending_at, Some(at(15)));
    }
}
