//! The WebSub series: pushes received (by kind), pushes ignored (by reason), and how many
//! subscriptions stand in each state.

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::Metrics;
use super::labels::{
    IgnoredPushLabels, PushIgnored, PushKind, PushLabels, SubscriptionLabels, SubscriptionState,
};

pub(super) struct Families {
    received: Family<PushLabels, Counter>,
    ignored: Family<IgnoredPushLabels, Counter>,
    subscriptions: Family<SubscriptionLabels, Gauge>,
}

impl Families {
    pub fn register(registry: &mut Registry) -> Self {
        let families = Self {
            received: Family::default(),
            ignored: Family::default(),
            subscriptions: Family::default(),
        };
        let help = "Pushes from WebSub hubs whose signature holds, by kind: fat (entries \
                    recorded) or thin (the feed polled at once)";
        registry.register("feedhook_pushes", help, families.received.clone());
        let help = "Pushes ignored, by reason: unsigned, bad_signature or too_large";
        registry.register("feedhook_pushes_ignored", help, families.ignored.clone());
        let help = "Feeds' WebSub subscriptions in each state: subscribed, pending or failed";
        let subscriptions = families.subscriptions.clone();
        registry.register("feedhook_push_subscriptions", help, subscriptions);
        // Every value exported from the start, so that a rate reads 0 rather than nothing.
        for &kind in PushKind::ALL {
            families.received.get_or_create_owned(&PushLabels { kind });
        }
        for &reason in PushIgnored::ALL {
            families
                .ignored
                .get_or_create_owned(&IgnoredPushLabels { reason });
        }
        for &state in SubscriptionState::ALL {
            families
                .subscriptions
                .get_or_create_owned(&SubscriptionLabels { state });
        }
        families
    }
}

impl Metrics {
    /// Counts a push whose signature held.
    pub fn record_push(&self, kind: PushKind) {
        self.push_families
            .received
            .get_or_create(&PushLabels { kind })
            .inc();
    }

    /// Counts a push that was ignored.
    pub fn record_ignored_push(&self, reason: PushIgnored) {
        self.push_families
            .ignored
            .get_or_create(&IgnoredPushLabels { reason })
            .inc();
    }

    /// Sets how many subscriptions stand in each state (every state not listed reads 0).
    pub fn push_subscriptions(&self, counts: &[(SubscriptionState, usize)]) {
        for &state in SubscriptionState::ALL {
            let count = counts
                .iter()
                .filter(|(s, _)| *s == state)
                .map(|(_, count)| *count)
                .sum::<usize>();
            self.push_families
                .subscriptions
                .get_or_create(&SubscriptionLabels { state })
                .set(count as i64);
        }
    }
}
