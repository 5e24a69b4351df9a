//! A channel's outbox on a state that several instances share: one instance works it at a time,
//! the one that holds the channel's lease, so that the channel's order, pacing and pauses hold
//! across instances. The daemon's lease keeper sets each channel's [`Turn`]; the worker follows
//! it, and hands the channel over only between posts.

use std::sync::atomic::{AtomicU8, Ordering};

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::config::shown_feed_name;
use crate::store::{LeaseKind, PendingDelivery, StoreError};

use super::worker::{ChannelWorker, Step};

/// Whether this instance works a channel's outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Another instance does, or nobody yet.
    NotHeld,
    /// This one does.
    Held,
    /// This one does, and is asked to release the lease at its next pause between posts, so that
    /// a new instance gets its share.
    HandOver,
}

/// One channel's [`Holding`], and a wake-up for its worker when it changes.
#[derive(Debug)]
pub struct Turn {
    holding: AtomicU8,
    changed: Notify,
}

impl Default for Turn {
    fn default() -> Self {
        Self {
            holding: AtomicU8::new(Holding::NotHeld as u8),
            changed: Notify::new(),
        }
    }
}

impl Turn {
    #[must_use]
    pub fn holding(&self) -> Holding {
        match self.holding.load(Ordering::Acquire) {
            1 => Holding::Held,
            2 => Holding::HandOver,
            _ => Holding::NotHeld,
        }
    }

    /// The lease was claimed.
    pub fn held(&self) {
        self.set(Holding::Held);
    }

    /// The lease is no longer this instance's (taken over, or released).
    pub fn lost(&self) {
        self.set(Holding::NotHeld);
    }

    /// Asks the worker to release the lease at its next pause, if it holds it.
    pub fn hand_over(&self) {
        let (held, asked) = (Holding::Held as u8, Holding::HandOver as u8);
        let swapped =
            self.holding
                .compare_exchange(held, asked, Ordering::AcqRel, Ordering::Acquire);
        if swapped.is_ok() {
            self.changed.notify_one();
        }
    }

    fn set(&self, holding: Holding) {
        if self.holding.swap(holding as u8, Ordering::AcqRel) != holding as u8 {
            self.changed.notify_one();
        }
    }

    /// Resolves at the next change (or at once, when one came since the last wait).
    pub async fn changed(&self) {
        self.changed.notified().await;
    }
}

impl ChannelWorker {
    /// On a shared state: `None` while this instance works the channel; else waits for its turn
    /// (or releases the lease, when asked to hand the channel over) and says to go round.
    pub(super) async fn await_turn(
        &self,
        stop: &CancellationToken,
    ) -> Result<Option<Step>, StoreError> {
        let Some(turn) = &self.turn else {
            return Ok(None);
        };
        match turn.holding() {
            Holding::Held => Ok(None),
            Holding::HandOver => {
                let name = self.channel.name.clone();
                self.store
                    .release_leases(LeaseKind::Channel, &[name])
                    .await?;
                turn.lost();
                tracing::info!(channel = %self.channel.name, "handed the channel over to another instance, to share the work");
                Ok(Some(Step::Continue))
            }
            Holding::NotHeld => {
                tokio::select! {
                    () = turn.changed() => {}
                    () = stop.cancelled() => {}
                }
                Ok(Some(Step::Continue))
            }
        }
    }

    /// Notes the post of `delivery` in flight before it goes out; false when the channel is held
    /// by another instance now, and the card must not be posted.
    pub(super) async fn mark_in_flight(
        &self,
        delivery: &PendingDelivery,
    ) -> Result<bool, StoreError> {
        match self.store.mark_in_flight(delivery.id).await {
            Ok(None) => Ok(true),
            Ok(Some(previous)) => {
                let feed = shown_feed_name(&delivery.feed);
                let (channel, entry) = (&self.channel.name, &delivery.entry.key);
                tracing::warn!(%feed, %channel, %entry, %previous, "posting again a card whose post was in flight at another instance when its lease on the channel ended; the same Idempotency-Key goes with it");
                Ok(true)
            }
            Err(error) if error.is_fenced() => {
                self.lost_turn(&error);
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    /// A write was refused because another instance holds the channel now: stop working it.
    pub(super) fn lost_turn(&self, error: &StoreError) {
        if let Some(turn) = &self.turn {
            turn.lost();
        }
        tracing::warn!(channel = %self.channel.name, %error, "another instance took the channel over; this one stops working its outbox");
    }
}
