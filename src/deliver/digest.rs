//! The worker of a digest channel (`digest = …`): its entries wait in the outbox, and at each
//! digest time they go out together, one post per part of the digest.
//!
//! When is a digest due? At the digest time after both the channel's last digest and its oldest
//! pending delivery ([`next_digest`]), both kept in the state. So a digest whose time passed while
//! feedhook was stopped is posted once at start, with everything that waited, never once per
//! missed time; and nothing waiting means nothing is posted.
//!
//! One digest takes at most [`MAX_DIGEST_ENTRIES`] entries, oldest first; the rest wait for the
//! next digest time. Each part goes through the same verdicts as a single post (pacing, 429
//! pauses, retries with backoff, suspension): a part's deliveries are marked delivered together,
//! only once the platform accepted it, and a write that fails then is retried, never the post. A
//! part that must be retried holds back the parts after it; the digest resumes with what is still
//! pending when the retry is due, without waiting for the next digest time.

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{DigestSchedule, shown_feed_name};
use crate::render::{self, Card, Payload};
use crate::store::{ChannelState, PendingDelivery, StoreError};

use super::verdict::Verdict;
use super::worker::{ChannelWorker, Posted, Step, WorkerReport, sleep_or_stop};

/// The most entries one digest takes; the rest wait for the next digest time.
pub const MAX_DIGEST_ENTRIES: usize = 500;

/// When the channel's next digest is due, given its standing: the digest time after both its
/// last digest and its oldest pending delivery. `None` when nothing waits (or a cron schedule
/// never fires again).
#[must_use]
pub fn next_digest(schedule: &DigestSchedule, state: &ChannelState) -> Option<DateTime<Utc>> {
    let oldest = state.oldest_pending_at?;
    let anchor = state.last_digest_at.map_or(oldest, |last| last.max(oldest));
    schedule.next_after(anchor)
}

/// Each delivery's feed as its card shows it: name and URL without login and query values.
#[must_use]
pub fn shown_feeds(deliveries: &[PendingDelivery]) -> Vec<(String, String)> {
    deliveries
        .iter()
        .map(|d| {
            let (name, url) = (shown_feed_name(&d.feed), shown_feed_name(&d.feed_url));
            (name.into_owned(), url.into_owned())
        })
        .collect()
}

/// The cards of `deliveries`, their feeds as `shown` ([`shown_feeds`]).
#[must_use]
pub fn cards<'a>(
    deliveries: &'a [PendingDelivery],
    shown: &'a [(String, String)],
) -> Vec<Card<'a>> {
    deliveries
        .iter()
        .zip(shown)
        .map(|(delivery, (feed_name, feed_url))| Card {
            feed_name,
            feed_url,
            feed: &delivery.feed_info,
            entry: &delivery.entry,
        })
        .collect()
}

impl ChannelWorker {
    /// One step of a digest channel's worker, after its suspension and pause were checked: wait
    /// for the digest time, or post the digest.
    pub(super) async fn digest_step(
        &self,
        schedule: &DigestSchedule,
        state: &ChannelState,
        stop: &CancellationToken,
        report: &mut WorkerReport,
        next_post_at: &mut Instant,
    ) -> Result<Step, StoreError> {
        let name = &self.channel.name;
        let head = match next_digest(schedule, state) {
            Some(due) => self
                .store
                .next_pending(name)
                .await?
                .map(|head| due.max(head.next_attempt_at)),
            None => None,
        };
        let Some(due) = head else {
            if self.settings.drain_until.is_some() {
                report.pending_left = state.pending > 0;
                return Ok(Step::Finished);
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = stop.cancelled() => {}
            }
            return Ok(Step::Continue);
        };
        if due > self.clock.now() {
            // Entries waiting for their digest time are where they should be: `once` leaves them
            // for the run at or after it, and does not count them as left undone.
            if self.settings.drain_until.is_some_and(|limit| due > limit) {
                let shown = schedule.shown(due);
                tracing::info!(channel = %name, waiting = state.pending, "the next digest is due at {shown}; its entries wait for it");
                return Ok(Step::Finished);
            }
            sleep_or_stop(self.clock.instant_at(due), stop).await;
            return Ok(Step::Continue);
        }
        self.post_digest(state, stop, report, next_post_at).await
    }

    /// Posts the digest of what waits, part after part; records it once every part is settled.
    async fn post_digest(
        &self,
        state: &ChannelState,
        stop: &CancellationToken,
        report: &mut WorkerReport,
        next_post_at: &mut Instant,
    ) -> Result<Step, StoreError> {
        let channel = &self.channel.name;
        let deliveries = self
            .store
            .pending_deliveries(channel, MAX_DIGEST_ENTRIES)
            .await?;
        let left = state.pending.saturating_sub(deliveries.len() as u64);
        let parts = match self.render_digest(&deliveries).await {
            Ok(parts) => parts,
            Err(reason) => {
                let posted = Posted {
                    head: &deliveries[0],
                    ids: deliveries.iter().map(|d| d.id).collect(),
                };
                tracing::error!(%channel, entries = deliveries.len(), error = %reason, "the digest could not be rendered; its entries are kept as failed");
                self.fail_all(&posted, &reason, report).await?;
                return Ok(Step::Continue);
            }
        };
        let count = parts.len();
        tracing::info!(%channel, entries = deliveries.len(), parts = count, waiting_for_next = left, "posting the digest");
        let mut failing_since = state.failing_since;
        for (number, (payload, carried)) in parts.into_iter().enumerate() {
            if !sleep_or_stop(*next_post_at, stop).await {
                return Ok(Step::Continue);
            }
            let posted = Posted {
                head: carried[0],
                ids: carried.iter().map(|d| d.id).collect(),
            };
            if !self.mark_in_flight(posted.head).await? {
                return Ok(Step::Continue);
            }
            let first = posted.ids[0].0;
            let key = format!("feedhook-{channel}-digest-{first}-{}", posted.ids.len());
            let sent = self.target.send(&key, &payload).await;
            let pause = sent
                .pause
                .unwrap_or_default()
                .min(self.channel.delivery.max_pause);
            *next_post_at = Instant::now() + self.settings.spacing.max(pause);
            let settled = matches!(sent.verdict, Verdict::Delivered | Verdict::Rejected { .. });
            let next = self
                .record(&posted, sent.verdict, report, failing_since.take(), stop)
                .await?;
            if !settled || matches!(next, Step::Finished) {
                tracing::info!(%channel, part = number + 1, parts = count, "the digest is held back with its part; what is still pending goes out when it may");
                return Ok(next);
            }
        }
        self.store.record_digest(channel, self.clock.now()).await?;
        if left > 0 {
            tracing::warn!(%channel, posted = deliveries.len(), waiting = left, "more entries waited than one digest takes ({MAX_DIGEST_ENTRIES}); the rest go out with the next digest");
        }
        Ok(Step::Continue)
    }

    /// The digest of `deliveries` in parts, each with the deliveries it lists; or why it could not
    /// be rendered.
    async fn render_digest<'a>(
        &self,
        deliveries: &'a [PendingDelivery],
    ) -> Result<Vec<(Payload, Vec<&'a PendingDelivery>)>, String> {
        let shown = shown_feeds(deliveries);
        let cards = cards(deliveries, &shown);
        // A digest pings the mentions of every feed in it (a feed's `mention`, else the channel's).
        let feeds = deliveries.iter().map(|delivery| delivery.feed.as_str());
        let options = self.channel.options.for_feeds(feeds);
        let kind = self.channel.kind;
        let parts =
            render::render_digest_off_worker(kind, &options, &cards, self.channel.digest_zone())
                .await
                .map_err(|error| error.to_string())?;
        Ok(parts
            .into_iter()
            .map(|part| {
                let carried = part.cards.iter().map(|&index| &deliveries[index]).collect();
                (part.output, carried)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
