//! What the delivery workers record, and the queue gauges read from the state.

use std::time::Duration;

use super::feeds::at;
use super::{config, scrape, value};
use crate::config::{Channel, ChannelKind};
use crate::deliver::Verdict;
use crate::metrics::Metrics;
use crate::store::ChannelState;

fn channel(name: &str, kind: ChannelKind) -> Channel {
    Channel {
        name: name.into(),
        kind,
        url: None,
        options: crate::config::ChannelOptions::default(),
        spacing: None,
        headers: reqwest::header::HeaderMap::new(),
    }
}

#[test]
fn posts_are_counted_by_outcome_with_the_channel_kind() {
    let metrics = Metrics::new();
    let ops = channel("ops", ChannelKind::Teams);
    metrics.delivery(&ops, &Verdict::Delivered);
    metrics.delivery(&ops, &Verdict::Delivered);
    let wait = Duration::from_secs(5);
    metrics.delivery(&ops, &Verdict::RateLimited { retry_after: wait });
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
    metrics.delivery(&channel("ops", ChannelKind::Slack), &Verdict::Delivered);
    let text = scrape(&metrics);
    assert!(!text.contains("kind=\"teams\""), "{text}");
    let slack =
        "feedhook_channel_deliveries_total{channel=\"ops\",kind=\"slack\",outcome=\"delivered\"}";
    assert_eq!(value(&text, slack), 1);
}

#[test]
fn queue_gauges_show_the_state_read_at_scrape_time() {
    let metrics = Metrics::new();
    metrics.track(&config(&["blog"]), &[]);
    let hook = ChannelState {
        channel: "hook".into(),
        suspended_until: Some(at(3600)),
        pending: 4,
        failed: 2,
        oldest_pending_at: Some(at(-90)),
        ..ChannelState::default()
    };
    let idle = ChannelState {
        channel: "terminal".into(),
        suspended_until: Some(at(-1)),
        ..ChannelState::default()
    };
    metrics.queues(&[hook, idle], at(0));
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
    assert_eq!(
        value(&text, &terminal("feedhook_channel_suspended")),
        0,
        "the suspension is over"
    );
    assert_eq!(
        value(
            &text,
            &terminal("feedhook_channel_oldest_pending_age_seconds")
        ),
        0
    );
}
