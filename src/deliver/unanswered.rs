//! A post that timed out once sent: the webhook may have received it and posted the card (a
//! webhook that answers after two minutes still posts), so repeating it is not like retrying a
//! 500. It is repeated after [`REPEAT_AFTER`] waits only — far longer than a retry's — and at most
//! [`REPEATS`] times; a card left unanswered that often is kept as failed and not posted again,
//! and its channel, whose webhook keeps doing this, is suspended and probed like a failing one.

use std::time::Duration;

use crate::config::shown_feed_name;
use crate::schedule::to_chrono;
use crate::store::StoreError;

use super::health::probe_delay;
use super::worker::{ChannelWorker, Posted, Step, WorkerReport, round_secs};

/// The waits before each repeat of a post left unanswered: the second post comes 10 minutes
/// after the first, the third an hour after the second.
pub const REPEAT_AFTER: [Duration; 2] = [Duration::from_secs(10 * 60), Duration::from_secs(3600)];
/// How many times a post left unanswered is repeated.
pub const REPEATS: u32 = REPEAT_AFTER.len() as u32;

impl ChannelWorker {
    /// Acts on a post of `delivery` that timed out once sent.
    pub(super) async fn unanswered(
        &self,
        posted: &Posted<'_>,
        reason: String,
        report: &mut WorkerReport,
    ) -> Result<Step, StoreError> {
        let delivery = posted.head;
        let (id, now) = (delivery.id, self.clock.now());
        let feed = shown_feed_name(&delivery.feed);
        let (channel, entry) = (&self.channel.name, &delivery.entry.key);
        self.store.note_channel_failing(channel, now).await?;
        let posts = delivery.unanswered + 1;
        if let Some(wait) = REPEAT_AFTER.get(delivery.unanswered as usize) {
            tracing::warn!(%feed, %channel, %entry, posts, error = %reason, "no answer to a post that was sent (the card may have been posted); posting it again in {}, at most {REPEATS} times", humantime::format_duration(*wait));
            let at = now + to_chrono(*wait);
            self.store.schedule_unanswered(id, at, &reason).await?;
            return Ok(Step::Continue);
        }
        let timeout = humantime::format_duration(round_secs(self.channel.delivery.timeout));
        tracing::error!(%feed, %channel, %entry, posts, error = %reason, "no answer to any of {posts} posts of this card within the channel's timeout of {timeout}: it is kept as failed and not posted again (the webhook may have posted it; `feedhook retry` re-queues it)");
        let failed = format!("outcome unknown: {posts} posts timed out once sent ({reason})");
        self.fail_all(posted, &failed, report).await?;
        let state = self.store.channel_state(channel).await?;
        let wait = probe_delay(state.probes);
        let until = now + to_chrono(wait);
        let why = format!(
            "the webhook leaves posts unanswered: {posts} posts of one card got no answer within \
             {timeout} once sent (raise the channel's timeout if the webhook is slow); probing \
             again in {}",
            humantime::format_duration(wait)
        );
        tracing::error!(%channel, error = %why, "channel suspended until {until} (or `feedhook retry`, a reload or a restart); its pending deliveries are kept");
        self.store.suspend_channel(channel, until, &why).await?;
        if self.settings.drain_until.is_some() {
            report.suspended = Some(why);
            report.pending_left = true;
            return Ok(Step::Finished);
        }
        Ok(Step::Continue)
    }
}
