//! The series of each channel: what its worker's posts came to, counted as they happen, and the
//! standing of its queue, read from the state when `/metrics` is scraped (a worker waiting hours
//! for a retry would otherwise leave the queue depth stale while polls keep adding to it).

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError};

use chrono::{DateTime, Utc};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::{Registry, Unit};

use super::Metrics;
use super::labels::{ChannelLabels, DeliveryLabels, DeliveryOutcome};
use crate::config::{Channel, ChannelKind};
use crate::deliver::Verdict;
use crate::store::ChannelState;

/// The channel metric families, as registered.
pub(super) struct Families {
    deliveries: Family<DeliveryLabels, Counter>,
    pending: Family<ChannelLabels, Gauge>,
    oldest_pending_age: Family<ChannelLabels, Gauge>,
    suspended: Family<ChannelLabels, Gauge>,
    dead_letters: Family<ChannelLabels, Gauge>,
}

/// One channel's series.
pub(super) struct ChannelMetrics {
    kind: ChannelKind,
    deliveries: Vec<Counter>,
    pending: Gauge,
    oldest_pending_age: Gauge,
    suspended: Gauge,
    dead_letters: Gauge,
}

impl Families {
    pub fn register(registry: &mut Registry) -> Self {
        let families = Self {
            deliveries: Family::default(),
            pending: Family::default(),
            oldest_pending_age: Family::default(),
            suspended: Family::default(),
            dead_letters: Family::default(),
        };
        let help = "Posts to each channel, by outcome: delivered, retry, rate_limited (HTTP 429), \
                    rejected or suspended";
        registry.register(
            "feedhook_channel_deliveries",
            help,
            families.deliveries.clone(),
        );
        let help = "Deliveries waiting in the channel's queue";
        registry.register("feedhook_channel_pending", help, families.pending.clone());
        let help = "How long the oldest pending delivery has waited (0 when none is pending)";
        let age = families.oldest_pending_age.clone();
        registry.register_with_unit(
            "feedhook_channel_oldest_pending_age",
            help,
            Unit::Seconds,
            age,
        );
        let help = "1 while the channel is suspended because its webhook is gone, else 0";
        registry.register(
            "feedhook_channel_suspended",
            help,
            families.suspended.clone(),
        );
        let help = "Deliveries given up on and kept as failed (`feedhook retry` re-queues them)";
        registry.register(
            "feedhook_channel_dead_letters",
            help,
            families.dead_letters.clone(),
        );
        families
    }

    fn handle(&self, channel: &str, kind: ChannelKind) -> ChannelMetrics {
        let labels = ChannelLabels {
            channel: channel.to_owned(),
            kind: kind.as_str(),
        };
        let deliveries = DeliveryOutcome::ALL.iter().map(|&outcome| {
            let labels = DeliveryLabels {
                channel: channel.to_owned(),
                kind: kind.as_str(),
                outcome,
            };
            self.deliveries.get_or_create_owned(&labels)
        });
        ChannelMetrics {
            kind,
            deliveries: deliveries.collect(),
            pending: self.pending.get_or_create_owned(&labels),
            oldest_pending_age: self.oldest_pending_age.get_or_create_owned(&labels),
            suspended: self.suspended.get_or_create_owned(&labels),
            dead_letters: self.dead_letters.get_or_create_owned(&labels),
        }
    }

    fn forget(&self, channel: &str, kind: ChannelKind) {
        let labels = ChannelLabels {
            channel: channel.to_owned(),
            kind: kind.as_str(),
        };
        for &outcome in DeliveryOutcome::ALL {
            let labels = DeliveryLabels {
                channel: channel.to_owned(),
                kind: kind.as_str(),
                outcome,
            };
            self.deliveries.remove(&labels);
        }
        for family in [
            &self.pending,
            &self.oldest_pending_age,
            &self.suspended,
            &self.dead_letters,
        ] {
            family.remove(&labels);
        }
    }
}

impl Metrics {
    /// Records what one post to `channel` came to.
    pub fn delivery(&self, channel: &Channel, verdict: &Verdict) {
        let series = self.channel(&channel.name, channel.kind);
        series.deliveries[DeliveryOutcome::of(verdict) as usize].inc();
    }

    /// Sets the queue gauges of the channels read at `now`. Channels not tracked are skipped.
    pub(super) fn queues(&self, states: &[ChannelState], now: DateTime<Utc>) {
        let channels = self.channels.read().unwrap_or_else(PoisonError::into_inner);
        for state in states {
            let Some(series) = channels.get(&state.channel) else {
                continue;
            };
            series
                .pending
                .set(i64::try_from(state.pending).unwrap_or(i64::MAX));
            series
                .dead_letters
                .set(i64::try_from(state.failed).unwrap_or(i64::MAX));
            let suspended = state.suspended_until.is_some_and(|until| until > now);
            series.suspended.set(i64::from(suspended));
            let age = state
                .oldest_pending_at
                .map_or(0, |at| (now - at).num_seconds().max(0));
            series.oldest_pending_age.set(age);
        }
    }

    fn channel(&self, name: &str, kind: ChannelKind) -> Arc<ChannelMetrics> {
        let known = self
            .channels
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned();
        match known {
            Some(series) if series.kind == kind => series,
            _ => {
                let mut channels = self
                    .channels
                    .write()
                    .unwrap_or_else(PoisonError::into_inner);
                self.insert_channel(&mut channels, name, kind)
            }
        }
    }

    /// The series of `name`, made anew when the channel is new or changed kind.
    fn insert_channel(
        &self,
        channels: &mut std::collections::HashMap<String, Arc<ChannelMetrics>>,
        name: &str,
        kind: ChannelKind,
    ) -> Arc<ChannelMetrics> {
        match channels.get(name) {
            Some(series) if series.kind == kind => Arc::clone(series),
            previous => {
                if let Some(previous) = previous {
                    self.channel_families.forget(name, previous.kind);
                }
                let series = Arc::new(self.channel_families.handle(name, kind));
                channels.insert(name.to_owned(), Arc::clone(&series));
                series
            }
        }
    }

    pub(super) fn track_channels(&self, configured: &BTreeMap<String, Channel>) {
        let mut channels = self
            .channels
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        channels.retain(|name, series| {
            let kept = configured.contains_key(name);
            if !kept {
                self.channel_families.forget(name, series.kind);
            }
            kept
        });
        for channel in configured.values() {
            self.insert_channel(&mut channels, &channel.name, channel.kind);
        }
    }
}
