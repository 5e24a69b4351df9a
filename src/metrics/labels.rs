//! The label sets of the series, and the closed sets of values some labels take (`result`, `kind`,
//! `outcome`). These are the metrics' own types: the daemon maps the pipeline's values onto them.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct FeedLabels {
    pub feed: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct PollLabels {
    pub feed: String,
    pub result: PollResult,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct PollErrorLabels {
    pub feed: String,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct ChannelLabels {
    pub channel: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct DeliveryLabels {
    pub channel: String,
    pub kind: &'static str,
    pub outcome: DeliveryOutcome,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct PushLabels {
    pub kind: PushKind,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct IgnoredPushLabels {
    pub reason: PushIgnored,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct SubscriptionLabels {
    pub state: SubscriptionState,
}

/// A closed set of label values: the enum, every value in order (`ALL[v as usize] == v`), and the
/// text each one is exported as.
macro_rules! label_values {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The label value, as exported.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl EncodeLabelValue for $name {
            fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
                EncodeLabelValue::encode(&self.as_str(), encoder)
            }
        }
    };
}

label_values! {
    /// How a poll ended (`result`).
    PollResult {
        /// The feed was read.
        Ok => "ok",
        /// 304 Not Modified.
        NotModified => "not_modified",
        /// The host asked us to come back later (429, or 503 with Retry-After).
        Wait => "wait",
        /// The poll failed; [`ErrorKind`] says why.
        Error => "error",
    }
}

label_values! {
    /// Why a poll failed (`kind` of `feedhook_feed_poll_errors_total`).
    ErrorKind {
        Timeout => "timeout",
        Connect => "connect",
        Tls => "tls",
        Redirects => "redirects",
        /// An HTTP status other than 2xx and 304 (and other than a 429/503 asking us to wait).
        HttpStatus => "http_status",
        TooLarge => "too_large",
        /// Refused by `[fetch] block_private_addresses`.
        Blocked => "blocked",
        /// Any other transport failure: a broken body, a decoding error.
        Other => "other",
        /// The body is not a feed.
        Parse => "parse",
        /// The state database could not record the poll.
        Store => "store",
    }
}

label_values! {
    /// What became of one post (`outcome`).
    DeliveryOutcome {
        Delivered => "delivered",
        /// A transient failure; retried with backoff (or given up on after long enough).
        Retry => "retry",
        /// The webhook answered 429.
        RateLimited => "rate_limited",
        /// The platform refused this one payload; it is kept as failed.
        Rejected => "rejected",
        /// The webhook is gone; the channel was suspended.
        Suspended => "suspended",
    }
}

label_values! {
    /// What a hub pushed, its signature verified (`kind`).
    PushKind {
        /// A feed document, whose entries were recorded.
        Fat => "fat",
        /// No entries: the feed was polled at once.
        Thin => "thin",
    }
}

label_values! {
    /// Why a push was ignored (`reason`).
    PushIgnored {
        /// No `X-Hub-Signature`.
        Unsigned => "unsigned",
        /// A signature that does not match the subscription's secret, or is malformed.
        BadSignature => "bad_signature",
        /// Larger than the feed's `max_body`.
        TooLarge => "too_large",
    }
}

label_values! {
    /// Where a feed's WebSub subscription stands (`state`).
    SubscriptionState {
        /// The hub verified it and pushes.
        Subscribed => "subscribed",
        /// Asked for (or its end asked for); the hub has not verified yet.
        Pending => "pending",
        /// Denied, refused, never verified, or lapsed: the feed is polled at its own interval.
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests;
