//! The series of each channel: what its worker's posts came to, counted as they happen, and the
//! standing of its queue, read from the state when `/metrics` is scraped (a worker waiting hours
//! for a retry would otherwise leave the queue depth stale while polls keep adding to it).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::{Registry, Unit};

use super::Metrics;
use super::labels::{ChannelLabels, DeliveryLabels, DeliveryOutcome};

/// One channel's queue, as read from the state when `/metrics` is scraped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueReading {
    pub channel: String,
    /// Deliveries waiting.
    pub pending: u64,
    /// Deliveries given up on and kept as failed.
    pub dead_letters: u64,
    /// Deliveries parked because the channel left the config (a removed channel's reading has
    /// only these).
    pub parked: u64,
    pub suspended: bool,
    /// How long the oldest pending delivery has waited (zero when none is).
    pub oldest_pending_age: Duration,
}

/// The channel metric families, as registered.
pub(super) struct Families {
    deliveries: Family<DeliveryLabels, Counter>,
    pending: Family<ChannelLabels, Gauge>,
    oldest_pending_age: Family<ChannelLabels, Gauge>,
    suspended: Family<ChannelLabels, Gauge>,
    dead_letters: Family<ChannelLabels, Gauge>,
    /// Across every channel, configured or removed: a removed channel has no series of its own.
    parked: Gauge,
}

/// One channel's series; `kind` is the channel's kind as its label reads.
pub(super) struct ChannelMetrics {
    kind: &'static str,
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
            parked: Gauge::default(),
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
        let help = "Deliveries parked because their channel left the config: posted if it comes \
                    back, pruned after [store] retention";
        registry.register("feedhook_parked_deliveries", help, families.parked.clone());
        families
    }

    fn handle(&self, channel: &str, kind: &'static str) -> ChannelMetrics {
        let labels = ChannelLabels {
            channel: channel.to_owned(),
            kind,
        };
        let deliveries = DeliveryOutcome::ALL.iter().map(|&outcome| {
            let labels = DeliveryLabels {
                channel: channel.to_owned(),
                kind,
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

    fn forget(&self, channel: &str, kind: &'static str) {
        let labels = ChannelLabels {
            channel: channel.to_owned(),
            kind,
        };
        for &outcome in DeliveryOutcome::ALL {
            let labels = DeliveryLabels {
                channel: channel.to_owned(),
                kind,
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
    /// Records what one post to `channel` (of kind `kind`, as its label reads) came to.
    pub fn record_delivery(&self, channel: &str, kind: &'static str, outcome: DeliveryOutcome) {
        self.channel(channel, kind).deliveries[outcome as usize].inc();
    }

    /// Sets the queue gauges from `readings`. Channels not tracked (removed ones) count only
    /// towards the parked deliveries.
    pub fn queues(&self, readings: &[QueueReading]) {
        let parked: u64 = readings.iter().map(|reading| reading.parked).sum();
        self.channel_families
            .parked
            .set(i64::try_from(parked).unwrap_or(i64::MAX));
        let channels = self.channels.read().unwrap_or_else(PoisonError::into_inner);
        for reading in readings {
            let Some(series) = channels.get(&reading.channel) else {
                continue;
            };
            series
                .pending
                .set(i64::try_from(reading.pending).unwrap_or(i64::MAX));
            series
                .dead_letters
                .set(i64::try_from(reading.dead_letters).unwrap_or(i64::MAX));
            series.suspended.set(i64::from(reading.suspended));
            let age = i64::try_from(reading.oldest_pending_age.as_secs()).unwrap_or(i64::MAX);
            series.oldest_pending_age.set(age);
        }
    }

    fn channel(&self, name: &str, kind: &'static str) -> Arc<ChannelMetrics> {
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
        channels: &mut HashMap<String, Arc<ChannelMetrics>>,
        name: &str,
        kind: &'static str,
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

    /// Creates the series of each of `configured` (name and kind), and drops every other's.
    pub(super) fn track_channels(&self, configured: &[(&str, &'static str)]) {
        let names: HashSet<&str> = configured.iter().map(|(name, _)| *name).collect();
        let mut channels = self
            .channels
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        channels.retain(|name, series| {
            let kept = names.contains(name.as_str());
            if !kept {
                self.channel_families.forget(name, series.kind);
            }
            kept
        });
        for &(name, kind) in configured {
            self.insert_channel(&mut channels, name, kind);
        }
    }
}
