//! A channel's health. Failure belongs to the channel, not to each delivery: a webhook that fails
//! every post (network errors, timeouts, 5xx) for the channel's `suspend_after` gets the channel
//! suspended — everything pending kept — and probed with one post after [`FIRST_PROBE`], doubling
//! to every [`LONGEST_PROBE_GAP`]. The first post that gets through ends the streak, and the
//! backlog built up meanwhile is cut to each feed's flood cap (`max_new_per_poll`, the rule of a
//! poll that finds too many new entries): the older entries are listed in one "…and N more" card
//! that goes first, then the newest, oldest first.

use std::fmt::Write;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::shown_feed_name;
use crate::parse::{Entry, FeedInfo};
use crate::schedule::to_chrono;
use crate::store::{PendingDelivery, StoreError};

use super::backoff;
use super::worker::{ChannelWorker, Posted, Step, WorkerReport, round_secs};

/// The first probe of a suspended failing channel comes this long after the suspension.
pub const FIRST_PROBE: Duration = Duration::from_secs(60);
/// Probes are never spaced further apart than this.
pub const LONGEST_PROBE_GAP: Duration = Duration::from_secs(3600);
/// How many summarised entries the backlog card lists by title.
const LISTED: usize = 10;

/// The wait before the next probe, after `failed_probes` probes failed: doubling from
/// [`FIRST_PROBE`] up to [`LONGEST_PROBE_GAP`].
#[must_use]
pub fn probe_delay(failed_probes: u32) -> Duration {
    FIRST_PROBE
        .saturating_mul(1 << failed_probes.min(20))
        .min(LONGEST_PROBE_GAP)
}

impl ChannelWorker {
    /// A post failed in a way that may mend (network, timeout, 5xx): retry the delivery with
    /// backoff, give it up after its retry budget, or — once the channel has failed for its
    /// `suspend_after` — suspend the channel until the next probe.
    pub(super) async fn retry_later(
        &self,
        posted: &Posted<'_>,
        reason: String,
        retry_after: Option<Duration>,
        report: &mut WorkerReport,
    ) -> Result<Step, StoreError> {
        let delivery = posted.head;
        let (id, now) = (delivery.id, self.clock.now());
        let feed = shown_feed_name(&delivery.feed);
        let (channel, entry) = (&self.channel.name, &delivery.entry.key);
        let since = self.store.note_channel_failing(channel, now).await?;
        let attempts = delivery.attempts + 1;
        if backoff::retried_for(attempts) >= backoff::GIVE_UP_AFTER {
            tracing::error!(%feed, %channel, %entry, attempts, error = %reason, "giving up on this delivery after {:?} of retries; it is kept as failed (`feedhook retry` re-queues it)", backoff::GIVE_UP_AFTER);
            let reason = format!("gave up after {attempts} attempts: {reason}");
            self.fail_all(posted, &reason, report).await?;
            return Ok(Step::Continue);
        }
        let failing_for = (now - since).to_std().unwrap_or_default();
        if failing_for >= self.channel.delivery.suspend_after {
            return self
                .suspend_failing(delivery, since, failing_for, &reason, report)
                .await;
        }
        let asked = retry_after
            .unwrap_or_default()
            .min(self.channel.delivery.max_pause);
        let delay = backoff::retry_delay(attempts).max(asked);
        tracing::warn!(%feed, %channel, %entry, attempts, error = %reason, "delivery failed; retrying in {}", humantime::format_duration(round_secs(delay)));
        self.store
            .schedule_retry(id, now + to_chrono(delay), &reason)
            .await?;
        Ok(Step::Continue)
    }

    async fn suspend_failing(
        &self,
        head: &PendingDelivery,
        since: DateTime<Utc>,
        failing_for: Duration,
        error: &str,
        report: &mut WorkerReport,
    ) -> Result<Step, StoreError> {
        let channel = &self.channel.name;
        let state = self.store.channel_state(channel).await?;
        let wait = probe_delay(state.probes);
        let until = self.clock.now() + to_chrono(wait);
        let shown = |d: Duration| humantime::format_duration(round_secs(d)).to_string();
        let reason = format!(
            "every post has failed for {} (since {}): {error}; probing again in {}",
            shown(failing_for),
            since.format("%Y-%m-%d %H:%M UTC"),
            shown(wait)
        );
        tracing::error!(%channel, failing_for = %shown(failing_for), pending = state.pending, error = %error,
            "the webhook keeps failing; channel suspended, its pending deliveries kept, next probe at {until} (or `feedhook retry`, a reload or a restart)");
        self.store
            .suspend_failing(channel, head.id, until, &reason)
            .await?;
        if self.settings.drain_until.is_some() {
            report.suspended = Some(reason);
            report.pending_left = true;
            return Ok(Step::Finished);
        }
        Ok(Step::Continue)
    }

    /// A post got through after the channel had been failing since `failing_since`: once that was
    /// long enough to suspend it, the backlog is cut to the flood cap before it drains.
    pub(super) async fn recovered(&self, failing_since: DateTime<Utc>) -> Result<(), StoreError> {
        let now = self.clock.now();
        let failed_for = (now - failing_since).to_std().unwrap_or_default();
        let channel = &self.channel.name;
        tracing::info!(%channel, failed_for = %humantime::format_duration(round_secs(failed_for)), "the webhook is answering again; the channel is healthy");
        // A digest channel's backlog goes out as digests, each bounded: nothing to cut.
        if failed_for < self.channel.delivery.suspend_after || self.channel.digest.is_some() {
            return Ok(());
        }
        let caps = std::sync::Arc::clone(&self.settings.flood_caps);
        for (feed, count) in self
            .store
            .summarise_backlog(channel, caps, backlog_note, now)
            .await?
        {
            let feed = shown_feed_name(&feed);
            tracing::warn!(%feed, %channel, summarised = count, "more entries waited than the feed's max_new_per_poll; the oldest are listed in one card, the newest follow");
        }
        Ok(())
    }
}

/// The card standing for the `held` entries (oldest first) of `feed` that waited in `channel`
/// beyond the flood cap while its webhook was failing.
#[must_use]
pub fn backlog_note(
    channel: &str,
    feed: &str,
    info: &FeedInfo,
    held: &[&Entry],
    at: DateTime<Utc>,
) -> Entry {
    let count = held.len();
    let mut summary = format!(
        "<p>{count} entries waited while this channel's webhook was failing, more than this feed's \
         max_new_per_poll. They are listed here rather than posted one by one:</p><ul>"
    );
    for entry in held.iter().rev().take(LISTED) {
        let title = escape(entry.title.as_deref().unwrap_or("(untitled)"));
        match &entry.link {
            Some(link) => {
                let _ = write!(summary, "<li><a href=\"{}\">{title}</a></li>", escape(link));
            }
            None => {
                let _ = write!(summary, "<li>{title}</li>");
            }
        }
    }
    summary.push_str("</ul>");
    if count > LISTED {
        let _ = write!(summary, "<p>…and {} more.</p>", count - LISTED);
    }
    Entry {
        key: format!("feedhook:backlog:{channel}:{}", at.timestamp_millis()),
        title: Some(format!(
            "…and {count} more from {}",
            info.title.as_deref().unwrap_or(feed)
        )),
        link: info.link.clone(),
        published: Some(at),
        summary_html: Some(summary),
        ..Entry::default()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
