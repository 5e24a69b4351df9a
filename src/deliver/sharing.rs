//! What a channel's worker does on a state several instances share: it works the outbox only on
//! its [`super::turn::Turn`], notes each post in flight before it goes out, and stops when
//! another instance took the channel over.

use tokio_util::sync::CancellationToken;

use crate::config::shown_feed_name;
use crate::store::{LeaseKind, PendingDelivery, StoreError};

use super::turn::Holding;
use super::worker::{ChannelWorker, Step};

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
