//! The life of one subscription as pure decisions over its stored record and the time: whether a
//! poll's discovery calls for a new subscription, when a verified one is renewed, when a request
//! the hub never verified is given up. The subscriber carries them out.

use chrono::{DateTime, TimeDelta, Utc};
use url::Url;

use crate::schedule;
use crate::store::{PushState, PushSubscription};

/// The lease asked for; hubs may grant another.
pub const LEASE: std::time::Duration = std::time::Duration::from_secs(10 * 24 * 3600);
/// A request the hub has not verified within this is taken as failed.
pub const PENDING_TIMEOUT: TimeDelta = TimeDelta::hours(1);
/// The first wait before a failing hub is asked again; it doubles per failure, capped.
const HUB_BACKOFF: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// What a poll's discovery calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// The subscription in place serves; nothing to do.
    Keep,
    /// Subscribe afresh (new token and secret), carrying this many hub failures in a row.
    Subscribe { hub_failures: u32 },
}

/// Whether `current` serves `hub` and `topic` at `now`, or a new subscription is due.
#[must_use]
pub fn offer(
    current: Option<&PushSubscription>,
    hub: &Url,
    topic: &Url,
    now: DateTime<Utc>,
) -> Offer {
    let Some(sub) = current else {
        return Offer::Subscribe { hub_failures: 0 };
    };
    if sub.hub != hub.as_str() || sub.topic != topic.as_str() {
        return Offer::Subscribe { hub_failures: 0 };
    }
    let keep = match sub.state {
        PushState::Subscribing => now < sub.requested_at + PENDING_TIMEOUT,
        PushState::Verified | PushState::Renewing => !lapsed(sub, now),
        PushState::Failed => now < retry_at(sub),
        PushState::Unsubscribing => false,
    };
    if keep {
        Offer::Keep
    } else {
        Offer::Subscribe {
            hub_failures: sub.hub_failures,
        }
    }
}

/// Where a subscription stands, as `status` and the metrics show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The hub verified it and its lease runs: the hub pushes.
    Subscribed,
    /// Asked for, or its end asked for; the hub has not verified yet.
    Pending,
    /// Refused, denied, never verified, or lapsed: the feed is polled at its own interval.
    Failed,
}

impl Standing {
    /// The word `status` shows.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Subscribed => "subscribed",
            Self::Pending => "pending",
            Self::Failed => "failed",
        }
    }
}

/// Where `sub` stands at `now`.
#[must_use]
pub fn standing(sub: &PushSubscription, now: DateTime<Utc>) -> Standing {
    match sub.state {
        PushState::Verified | PushState::Renewing if !lapsed(sub, now) => Standing::Subscribed,
        PushState::Subscribing | PushState::Unsubscribing => Standing::Pending,
        PushState::Verified | PushState::Renewing | PushState::Failed => Standing::Failed,
    }
}

/// Whether the hub delivers to `sub` at `now`: verified, and its lease not over.
#[must_use]
pub fn is_active(sub: &PushSubscription, now: DateTime<Utc>) -> bool {
    matches!(sub.state, PushState::Verified | PushState::Renewing) && !lapsed(sub, now)
}

/// A verified subscription whose lease is over.
#[must_use]
pub fn lapsed(sub: &PushSubscription, now: DateTime<Utc>) -> bool {
    matches!(sub.state, PushState::Verified | PushState::Renewing)
        && sub.lease_expires_at.is_none_or(|end| end <= now)
}

/// Whether `sub` is to be renewed at `now`, before its lease ends: in the last tenth of the lease
/// (at least a minute, at most a day before the end); after a failed renewal, once the hub's
/// backoff is over; after a renewal the hub never verified, an hour later.
#[must_use]
pub fn renewal_due(sub: &PushSubscription, now: DateTime<Utc>) -> bool {
    let Some(end) = sub.lease_expires_at else {
        return false;
    };
    let from = match sub.state {
        PushState::Verified if sub.hub_failures > 0 => retry_at(sub),
        PushState::Verified => {
            let lease = end - sub.requested_at;
            end - (lease / 10).clamp(TimeDelta::minutes(1), TimeDelta::days(1))
        }
        PushState::Renewing => sub.requested_at + PENDING_TIMEOUT,
        _ => return false,
    };
    now >= from && now < end
}

/// When a failed request to the hub of `sub` may be made again.
#[must_use]
pub fn retry_at(sub: &PushSubscription) -> DateTime<Utc> {
    sub.requested_at + schedule::to_chrono(schedule::backoff_delay(HUB_BACKOFF, sub.hub_failures))
}

#[cfg(test)]
mod tests;
