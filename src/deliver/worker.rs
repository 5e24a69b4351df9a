//! The outbox worker of one channel.
//!
//! It takes the channel's oldest pending delivery, waits until it is due (keeping order: a delivery
//! waiting for its retry holds back the ones behind it, so a channel never sees entries out of order),
//! paces posts, posts, and records the verdict. A dead or slow channel only ever delays itself: every
//! channel has its own worker. A webhook that asks for a pause (429) holds its whole channel, for
//! no longer than the channel's `max_pause`; one that keeps failing is suspended and probed
//! ([`super::health`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{Channel, shown_feed_name};
use crate::render::{self, Card};
use crate::schedule::{Clock, to_chrono};
use crate::store::{DeliveryId, PendingDelivery, Store, StoreError};

use super::answer::Sent;
use super::post::Destination;
use super::turn::Turn;
use super::verdict::Verdict;

/// Why a paused channel waits, as the state records it and `status` shows it.
pub const PAUSED_BY_RETRY_AFTER: &str = "Retry-After";

/// How long the worker rests after the state database failed, before trying again.
const STORE_ERROR_PAUSE: Duration = Duration::from_secs(5);
/// For `once`: how many times the write recording a posted card is tried before the run gives up
/// and leaves it pending.
const ONCE_RECORD_TRIES: u32 = 6;

/// How a worker paces and bounds its work.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The least time between two posts to this channel.
    pub spacing: Duration,
    /// How long a suspended channel rests before it is tried again.
    pub suspension: Duration,
    /// Each feed's flood cap (`max_new_per_poll`, by feed name), applied to the backlog of a
    /// channel that recovers from a suspension.
    pub flood_caps: Arc<HashMap<String, usize>>,
    /// For `once`: stop when the queue is empty or the next attempt falls after this time, leaving the
    /// rest pending. `None` for the daemon, whose worker runs until stopped.
    pub drain_until: Option<DateTime<Utc>>,
}

/// What a worker did, for `once`'s summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerReport {
    pub delivered: u64,
    pub failed: u64,
    /// Deliveries were still pending when the worker stopped.
    pub pending_left: bool,
    /// Why the channel is suspended, if it is.
    pub suspended: Option<String>,
}

/// The worker of one channel.
pub struct ChannelWorker {
    pub channel: Channel,
    pub store: Arc<Store>,
    pub target: Arc<dyn Destination>,
    pub clock: Clock,
    /// Notified when a poll queued deliveries for this channel.
    pub wake: Arc<Notify>,
    pub settings: WorkerSettings,
    /// Told the verdict of each post (the daemon counts them in its metrics).
    pub on_verdict: Arc<dyn Fn(&Verdict) + Send + Sync>,
    /// On a state several instances share, whether this one works the channel now; `None`: it
    /// always does.
    pub turn: Option<Arc<Turn>>,
}

pub(super) enum Step {
    Continue,
    Finished,
}

/// What one post carried: one delivery, or the deliveries of one digest part.
pub(super) struct Posted<'a> {
    /// The oldest delivery posted: its attempts and retry time stand for the post's.
    pub head: &'a PendingDelivery,
    /// Every delivery the post carried, `head`'s first.
    pub ids: Vec<DeliveryId>,
}

impl<'a> Posted<'a> {
    fn single(delivery: &'a PendingDelivery) -> Self {
        Self {
            head: delivery,
            ids: vec![delivery.id],
        }
    }
}

impl ChannelWorker {
    /// Works the channel's queue until `stop` is cancelled (or, for `once`, until drained). A post
    /// already sent when `stop` fires is allowed to finish and is recorded.
    pub async fn run(self, stop: CancellationToken) -> WorkerReport {
        let mut report = WorkerReport::default();
        let mut next_post_at = Instant::now();
        while !stop.is_cancelled() {
            match self.step(&stop, &mut report, &mut next_post_at).await {
                Ok(Step::Continue) => {}
                Ok(Step::Finished) => break,
                Err(error) if error.is_fenced() => self.lost_turn(&error),
                Err(error) if error.is_retryable() && self.settings.drain_until.is_none() => {
                    // The instance logs the outage once; the queue waits for the database.
                    tracing::debug!(channel = %self.channel.name, %error, "cannot reach the delivery state; waiting for the database");
                    self.rest_after(&error, &stop).await;
                }
                Err(error) => {
                    tracing::error!(channel = %self.channel.name, %error, "cannot read or write the delivery state; retrying in {STORE_ERROR_PAUSE:?}");
                    if self.settings.drain_until.is_some() {
                        report.pending_left = true;
                        break;
                    }
                    self.rest_after(&error, &stop).await;
                }
            }
        }
        report
    }

    async fn step(
        &self,
        stop: &CancellationToken,
        report: &mut WorkerReport,
        next_post_at: &mut Instant,
    ) -> Result<Step, StoreError> {
        if let Some(step) = self.await_turn(stop).await? {
            return Ok(step);
        }
        let name = self.channel.name.clone();
        let now = self.clock.now();
        // The standing and the next delivery in one call: one trip to the state per post.
        let (state, next) = self.store.worker_view(&name).await?;
        if let Some(until) = state.suspended_until.filter(|until| *until > now) {
            if self.settings.drain_until.is_some() {
                report.suspended = state.suspended_reason;
                report.pending_left = next.is_some();
                return Ok(Step::Finished);
            }
            self.rest(self.clock.instant_at(until), stop).await;
            return Ok(Step::Continue);
        }
        if state.suspended_until.is_some() {
            tracing::info!(channel = %self.channel.name, "the suspension is over; trying the webhook again");
            self.store.resume_channel(&name).await?;
            // Resuming may cut the backlog: read the queue again.
            return Ok(Step::Continue);
        }
        if let Some(until) = state.paused_until.filter(|until| *until > now) {
            if self.settings.drain_until.is_some_and(|limit| until > limit) {
                report.pending_left = next.is_some();
                return Ok(Step::Finished);
            }
            self.rest(self.clock.instant_at(until), stop).await;
            return Ok(Step::Continue);
        }
        if let Some(schedule) = &self.channel.digest {
            // A digest needs the outbox counts, which the worker view leaves out.
            let state = self.store.channel_state(&name).await?;
            return self
                .digest_step(schedule, &state, stop, report, next_post_at)
                .await;
        }
        let Some(delivery) = next else {
            if self.settings.drain_until.is_some() {
                return Ok(Step::Finished);
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = self.turn_changed() => {}
                () = stop.cancelled() => {}
            }
            return Ok(Step::Continue);
        };
        if delivery.next_attempt_at > now {
            if self
                .settings
                .drain_until
                .is_some_and(|limit| delivery.next_attempt_at > limit)
            {
                report.pending_left = true;
                return Ok(Step::Finished);
            }
            self.rest(self.clock.instant_at(delivery.next_attempt_at), stop)
                .await;
            return Ok(Step::Continue);
        }
        if self.turn.is_some() {
            // The channel's last post may have come from another instance.
            let spaced = state
                .last_delivery_at
                .map(|at| at + to_chrono(self.settings.spacing));
            if let Some(at) = spaced.filter(|at| *at > now) {
                *next_post_at = (*next_post_at).max(self.clock.instant_at(at));
            }
        }
        if !self.rest(*next_post_at, stop).await || !self.mark_in_flight(&delivery).await? {
            return Ok(Step::Continue);
        }
        let sent = self.post(&delivery).await;
        let pause = sent.pause.unwrap_or_default().min(self.max_pause());
        *next_post_at = Instant::now() + self.settings.spacing.max(pause);
        let posted = Posted::single(&delivery);
        self.record(&posted, sent.verdict, report, state.failing_since, stop)
            .await
    }

    async fn post(&self, delivery: &PendingDelivery) -> Sent {
        // A feed named by its URL is shown without its login and query values, in cards too.
        let (feed_name, feed_url) = (
            shown_feed_name(&delivery.feed),
            shown_feed_name(&delivery.feed_url),
        );
        let card = Card {
            feed_name: &feed_name,
            feed_url: &feed_url,
            feed: &delivery.feed_info,
            entry: &delivery.entry,
        };
        // A template that fails, or a renderer bug on one odd entry, costs that delivery, not the
        // channel's worker; rendering off the async workers, so a slow one holds up no channel.
        // The delivery's feed may ping others than the channel does (a feed's `mention`).
        let options = self.channel.options.for_feeds([delivery.feed.as_str()]);
        let kind = self.channel.kind;
        let payload = match render::render_off_worker(kind, &options, &card).await {
            Ok(payload) => payload,
            Err(error) => {
                return Sent::from(Verdict::Rejected {
                    reason: error.to_string(),
                });
            }
        };
        let key = format!("feedhook-{}-{}", self.channel.name, delivery.id.0);
        self.target.send(&key, &payload).await
    }

    /// Acts on the verdict of one post: settles what it carried, or schedules it again, pauses or
    /// suspends the channel.
    pub(super) async fn record(
        &self,
        posted: &Posted<'_>,
        verdict: Verdict,
        report: &mut WorkerReport,
        failing_since: Option<DateTime<Utc>>,
        stop: &CancellationToken,
    ) -> Result<Step, StoreError> {
        let delivery = posted.head;
        let feed = shown_feed_name(&delivery.feed);
        let (channel, entry) = (&self.channel.name, &delivery.entry.key);
        (self.on_verdict)(&verdict);
        match verdict {
            Verdict::Delivered => {
                self.record_delivered(&posted.ids, stop).await?;
                report.delivered += posted.ids.len() as u64;
                tracing::info!(%feed, %channel, %entry, entries = posted.ids.len(), attempts = delivery.attempts + 1, "delivered");
                if let Some(since) = failing_since {
                    self.recovered(since).await?;
                }
            }
            Verdict::Retry {
                reason,
                retry_after,
            } => {
                return self.retry_later(posted, reason, retry_after, report).await;
            }
            Verdict::Unanswered { reason } => {
                return self.unanswered(posted, reason, report).await;
            }
            Verdict::RateLimited { retry_after } => self.pause(retry_after).await?,
            Verdict::Rejected { reason } => {
                tracing::error!(%feed, %channel, %entry, entries = posted.ids.len(), response = %reason, "the webhook rejected this card; it is kept as failed and the queue moves on");
                self.fail_all(posted, &reason, report).await?;
            }
            Verdict::ChannelGone { reason } => return self.suspend(reason, report).await,
        }
        Ok(Step::Continue)
    }

    /// Records a delivery whose post got through. The card is out, so this process never posts it
    /// again: a write that fails (a full disk) is retried, not the post, until it succeeds or the
    /// worker is stopped (`once` gives up after a few tries and leaves it pending).
    async fn record_delivered(
        &self,
        ids: &[DeliveryId],
        stop: &CancellationToken,
    ) -> Result<(), StoreError> {
        let mut tries = 0;
        loop {
            let now = self.clock.now();
            let written = match ids {
                [id] => self.store.mark_delivered(*id, now).await,
                ids => (self
                    .store
                    .mark_all_delivered(&self.channel.name, ids, now)
                    .await)
                    .map(drop),
            };
            let error = match written {
                Ok(()) => return Ok(()),
                // Recorded already: an earlier try committed and only its answer was lost.
                Err(StoreError::NotPending(id)) => {
                    tracing::warn!(channel = %self.channel.name, delivery = id, "the card was posted and its delivery is recorded already; nothing more to write");
                    return Ok(());
                }
                Err(error) => error,
            };
            if error.is_fenced() {
                // The new holder of the channel posts it again, with the same Idempotency-Key.
                return Err(error);
            }
            tries += 1;
            tracing::error!(channel = %self.channel.name, %error, tries, "the card was posted but cannot be recorded as delivered; the write is tried again (the card is not posted again)");
            let once_is_done = self.settings.drain_until.is_some() && tries >= ONCE_RECORD_TRIES;
            if once_is_done || !self.rest_after(&error, stop).await {
                return Err(error);
            }
        }
    }

    /// Dead-letters every delivery a post carried: they stay in the outbox as `failed` until
    /// requeued or pruned.
    pub(super) async fn fail_all(
        &self,
        posted: &Posted<'_>,
        reason: &str,
        report: &mut WorkerReport,
    ) -> Result<(), StoreError> {
        for id in &posted.ids {
            self.store
                .mark_failed(*id, self.clock.now(), reason)
                .await?;
        }
        report.failed += posted.ids.len() as u64;
        Ok(())
    }

    /// Waits before the state is tried again after `error`: the daemon's worker waits until the
    /// database answers again when it is unreachable (the store probes it with backoff); else, and
    /// for `once`, [`STORE_ERROR_PAUSE`]. `false` when `stop` came first.
    async fn rest_after(&self, error: &StoreError, stop: &CancellationToken) -> bool {
        if !error.is_retryable() || self.settings.drain_until.is_some() {
            return sleep_or_stop(Instant::now() + STORE_ERROR_PAUSE, stop).await;
        }
        tokio::select! {
            () = self.store.reachable_again() => true,
            () = stop.cancelled() => false,
        }
    }

    /// Holds the whole channel for as long as its webhook asked (429), but never longer than its
    /// `max_pause`: a webhook asking for years would otherwise stall the channel for good.
    async fn pause(&self, asked: Duration) -> Result<(), StoreError> {
        let capped = asked.min(self.max_pause());
        let until = self.clock.now() + to_chrono(capped);
        let (channel, shown) = (&self.channel.name, |d| {
            humantime::format_duration(round_secs(d))
        });
        if capped < asked {
            tracing::warn!(%channel, asked = %shown(asked), paused = %shown(capped), "the webhook is rate limiting (HTTP 429) and asks for a longer wait than max_pause; the channel is paused until {until} (`feedhook retry` lifts the pause)");
        } else {
            tracing::warn!(%channel, paused = %shown(capped), "the webhook is rate limiting (HTTP 429); the channel is paused until {until}");
        }
        self.store
            .pause_channel(channel, until, PAUSED_BY_RETRY_AFTER)
            .await
    }

    fn max_pause(&self) -> Duration {
        self.channel.delivery.max_pause
    }

    async fn suspend(&self, reason: String, report: &mut WorkerReport) -> Result<Step, StoreError> {
        let until = self.clock.now() + to_chrono(self.settings.suspension);
        tracing::error!(channel = %self.channel.name, url = %self.target, error = %reason,
            "channel suspended until {until} (or `feedhook retry`, a reload or a restart); its pending deliveries are kept");
        let (name, why) = (self.channel.name.clone(), reason.clone());
        // A gone webhook is a failing one too: when it answers again, its backlog is cut.
        self.store
            .note_channel_failing(&name, self.clock.now())
            .await?;
        self.store.suspend_channel(&name, until, &why).await?;
        if self.settings.drain_until.is_some() {
            report.suspended = Some(reason);
            report.pending_left = true;
            return Ok(Step::Finished);
        }
        Ok(Step::Continue)
    }
}

impl ChannelWorker {
    /// Sleeps until `deadline`; returns false if `stop` fired first, or this instance's turn on
    /// the channel changed.
    async fn rest(&self, deadline: Instant, stop: &CancellationToken) -> bool {
        tokio::select! {
            () = tokio::time::sleep_until(deadline) => true,
            () = stop.cancelled() => false,
            () = self.turn_changed() => false,
        }
    }

    /// Resolves when this instance's turn on the channel changes; never without sharing.
    async fn turn_changed(&self) {
        match &self.turn {
            Some(turn) => turn.changed().await,
            None => std::future::pending().await,
        }
    }
}

/// Sleeps until `deadline`; returns false if `stop` fired first.
pub(super) async fn sleep_or_stop(deadline: Instant, stop: &CancellationToken) -> bool {
    tokio::select! {
        () = tokio::time::sleep_until(deadline) => true,
        () = stop.cancelled() => false,
    }
}

pub(super) fn round_secs(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs().max(1))
}
