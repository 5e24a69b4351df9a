//! What the delivery workers' posts count, and the queue gauges read from the state.

use std::time::Duration;

use super::{scrape, track, value};
use crate::metrics::{DeliveryOutcome, Metrics, QueueReading};

#[test]
fn posts_are_counted_by_outcome_with_the_channel_kind() {
    let metrics = Metrics::new();
    metrics.record_delivery("ops", "teams", DeliveryOutcome::Delivered);
    metrics.record_delivery("ops", "teams", DeliveryOutcome::Delivered);
    metrics.record_delivery("ops", "teams", DeliveryOutcome::RateLimited);
    let text = scrape(&metrics);
    let series = |outcome: &str| {
        format!(
            "feedhook_channel_deliveries_total{{channel=\"ops\",kind=\"teams\",outcome=\"{outcome}\"}}"
        )
    };
    assert_eq!(value(&text, &series("delivered")), 2);
    assert_eq!(value(&text, &series("rate_limited")), 1);
    assert_eq!(value(&text, &series("suspended")), 0);

    // A channel whose kind changed in a reload starts afresh under its new kind.
    metrics.record_delivery("ops", "slack", DeliveryOutcome::Delivered);
    let text = scrape(&metrics);
    assert!(!text.contains("kind=\"teams\""), "{text}");
    let slack =
        "feedhook_channel_deliveries_total{channel=\"ops\",kind=\"slack\",outcome=\"delivered\"}";
    assert_eq!(value(&text, slack), 1);
}

#[test]
fn queue_gauges_show_the_readings_of_the_scrape() {
    let metrics = Metrics::new();
    track(&metrics, &["blog"]);
    let hook = QueueReading {
        channel: "hook".into(),
        pending: 4,
        dead_letters: 2,
        parked: 1,
        suspended: true,
        oldest_pending_age: Duration::from_secs(90),
    };
    let idle = QueueReading {
        channel: "terminal".into(),
        ..QueueReading::default()
    };
    let untracked = QueueReading {
        channel: "gone".into(),
        pending: 7,
        parked: 5,
        ..QueueReading::default()
    };
    metrics.queues(&[hook, idle, untracked]);
    let text = scrape(&metrics);
    let hook = |name: &str| format!("{name}{{channel=\"hook\",kind=\"generic\"}}");
    assert_eq!(value(&text, &hook("feedhook_channel_pending")), 4);
    assert_eq!(
        value(&text, &hook("feedhook_channel_oldest_pending_age_seconds")),
        90
    );
    assert_eq!(value(&text, &hook("feedhook_channel_suspended")), 1);
    assert_eq!(value(&text, &hook("feedhook_channel_dead_letters")), 2);
    let terminal = |name: &str| format!("{name}{{channel=\"terminal\",kind=\"console\"}}");
    assert_eq!(value(&text, &terminal("feedhook_channel_suspended")), 0);
    assert_eq!(
        value(
            &text,
            &terminal("feedhook_channel_oldest_pending_age_seconds")
        ),
        0
    );
    assert!(!text.contains("channel=\"gone\""), "{text}");
    assert_eq!(
        value(&text, "feedhook_parked_deliveries"),
        6,
        "parked across configured and removed channels"
    );
}
