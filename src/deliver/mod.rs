//! Delivery: one outbox worker per channel posts that channel's pending deliveries, oldest first.
//!
//! - [`post`] sends one payload (never following redirects) or prints it for a console channel;
//!   [`request`] builds the HTTP request each platform's API wants.
//!   [`email`] sends an email channel's messages through its relay, and judges the relay's replies.
//!   [`entra`] gets and keeps the Entra ID tokens of Teams workflows restricted to the tenant.
//! - [`answer`] reads what came back (or the error that came instead) and turns it into a
//!   [`Verdict`], using [`verdict`], which decides in one place what a webhook's answer means
//!   (delivered, retry, wait, reject the payload, the webhook is gone).
//! - [`backoff`] spaces retries; [`health`] suspends a channel that keeps failing, probes it, and
//!   cuts its backlog to the flood cap when it recovers; [`unanswered`] repeats a post that timed
//!   out once sent sparingly, since the webhook may have posted it.
//! - [`worker`] is the loop: wait for work, respect the channel's pacing and suspension, post,
//!   act on the verdict; [`digest`] is its variant for a digest channel, which waits for the
//!   digest time and posts every waiting entry together, part by part; on a state several
//!   instances share, [`turn`] says whether this instance works the channel now, and `sharing`
//!   holds what the worker does about it.
//!
//! Delivery is at-least-once: a delivery is marked delivered only after a 2xx, so a crash repeats at
//! most the post that was in flight, and loses nothing.

pub mod answer;
pub mod backoff;
pub mod digest;
pub mod email;
pub mod entra;
pub mod health;
pub mod post;
pub mod request;
mod sharing;
pub mod turn;
pub mod unanswered;
pub mod verdict;
pub mod worker;

pub use answer::{PostError, Sent};
pub use digest::{MAX_DIGEST_ENTRIES, next_digest};
pub use post::{Destination, Poster, Target};
pub use turn::{Holding, Turn};
pub use verdict::Verdict;
pub use worker::{ChannelWorker, WorkerReport, WorkerSettings};

use std::time::Duration;

use crate::config::ChannelKind;

/// The least time between two posts to one channel, keeping under each platform's rate limit
/// instead of provoking 429s: Teams about 4 per second, Slack and Google Chat 1, Discord 5 per 2 s,
/// Mattermost 10, Telegram 20 per minute in a group, Matrix and ntfy one per 5 s after a burst
/// (Synapse's and ntfy.sh's defaults), Rocket.Chat 1. A generic webhook (a log collector, an
/// automation endpoint) has no platform limit to stay under: its posts follow each other as fast as
/// it answers, and a 429 with `Retry-After` still pauses the channel. A channel's `rate` overrides it.
#[must_use]
pub fn default_spacing(kind: ChannelKind) -> Duration {
    match kind {
        ChannelKind::Teams | ChannelKind::TeamsMessageCard => Duration::from_millis(250),
        ChannelKind::Slack | ChannelKind::GoogleChat | ChannelKind::Rocketchat => {
            Duration::from_secs(1)
        }
        // Discord allows 5 posts per 2 seconds per webhook.
        ChannelKind::Discord => Duration::from_millis(400),
        ChannelKind::Mattermost => Duration::from_millis(100),
        // Synapse's default `rc_message` (0.2 per second, bursts of 10), and ntfy.sh's default
        // visitor limit (a burst of 60 requests, then one per 5 s).
        ChannelKind::Matrix | ChannelKind::Ntfy => Duration::from_secs(5),
        // At most 20 messages a minute to one group; 1 per second to one private chat.
        ChannelKind::Telegram => Duration::from_secs(3),
        // Relays limit messages per minute rather than per second; a burst of a feed's backlog
        // stays well under the common limits (Exchange Online: 30 per minute).
        ChannelKind::Email => Duration::from_secs(2),
        ChannelKind::Generic | ChannelKind::Console => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests;
