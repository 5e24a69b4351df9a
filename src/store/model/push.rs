//! The WebSub subscriptions the state keeps, so that a restart neither subscribes to every hub
//! again at once nor loses a subscription the hubs still deliver to.

use chrono::{DateTime, Utc};

/// Where a feed's subscription at its hub stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushState {
    /// Asked for; the hub has not verified the subscription yet.
    Subscribing,
    /// The hub verified the subscription: it pushes until the lease ends.
    Verified,
    /// Verified, and a renewal was asked for that the hub has not verified yet.
    Renewing,
    /// Asked to end (the feed left the config); the hub has not verified that yet.
    Unsubscribing,
    /// The hub refused (denied, an error answer) or never verified; see the reason.
    Failed,
}

impl PushState {
    /// The column's text.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Subscribing => "subscribing",
            Self::Verified => "verified",
            Self::Renewing => "renewing",
            Self::Unsubscribing => "unsubscribing",
            Self::Failed => "failed",
        }
    }

    /// The value of a column's text; `None` for text the state never writes.
    #[must_use]
    pub fn from_column(text: &str) -> Option<Self> {
        [
            Self::Subscribing,
            Self::Verified,
            Self::Renewing,
            Self::Unsubscribing,
            Self::Failed,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// One feed's subscription at one hub. `Debug` leaves the token and the secret out.
#[derive(Clone, PartialEq, Eq)]
pub struct PushSubscription {
    /// The feed's identity (its name in the config).
    pub feed: String,
    /// The topic subscribed to: the URL the feed advertises as its own.
    pub topic: String,
    pub hub: String,
    /// The last segment of the callback URL: random, one per subscription, so that only the hub
    /// told about it can reach it.
    pub token: String,
    /// The `hub.secret` that signs every push of this subscription.
    pub secret: String,
    pub state: PushState,
    /// Why the subscription failed (`denied: …`, the hub's answer), or the last hub error.
    pub reason: Option<String>,
    /// When the lease the hub granted ends (verified subscriptions).
    pub lease_expires_at: Option<DateTime<Utc>>,
    /// When the current subscribe or unsubscribe request was sent.
    pub requested_at: DateTime<Utc>,
    /// Hub requests that failed in a row (backoff).
    pub hub_failures: u32,
}

impl std::fmt::Debug for PushSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushSubscription")
            .field("feed", &self.feed)
            .field("topic", &self.topic)
            .field("hub", &self.hub)
            .field("state", &self.state)
            .field("reason", &self.reason)
            .field("lease_expires_at", &self.lease_expires_at)
            .field("requested_at", &self.requested_at)
            .field("hub_failures", &self.hub_failures)
            .finish_non_exhaustive()
    }
}
