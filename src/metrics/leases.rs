//! The series of an instance sharing a database with others: the leases it holds, and the leases
//! it claimed or lost to another instance. Absent on a SQLite state, where nothing is shared.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::Metrics;

/// What a lease covers, as the `kind` label reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseWork {
    Feed,
    Channel,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LeaseLabels {
    kind: &'static str,
}

impl LeaseWork {
    fn labels(self) -> LeaseLabels {
        LeaseLabels {
            kind: match self {
                Self::Feed => "feed",
                Self::Channel => "channel",
            },
        }
    }
}

/// One round of the lease keeper, for one kind of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseReading {
    pub work: LeaseWork,
    /// Leases held after the round.
    pub held: u64,
    /// Leases claimed in the round.
    pub won: u64,
    /// Leases found taken over by another instance in the round.
    pub lost: u64,
}

/// The lease families, as registered.
pub(super) struct Families {
    held: Family<LeaseLabels, Gauge>,
    won: Family<LeaseLabels, Counter>,
    lost: Family<LeaseLabels, Counter>,
}

impl Families {
    pub(super) fn register(registry: &mut Registry) -> Self {
        let families = Self {
            held: Family::default(),
            won: Family::default(),
            lost: Family::default(),
        };
        registry.register(
            "feedhook_leases_held",
            "Leases this instance holds on a shared database, by kind (feed or channel)",
            families.held.clone(),
        );
        registry.register(
            "feedhook_lease_claims_won",
            "Leases this instance claimed (free, released, or run out), by kind",
            families.won.clone(),
        );
        registry.register(
            "feedhook_lease_claims_lost",
            "Leases of this instance that another instance took over, by kind",
            families.lost.clone(),
        );
        families
    }
}

impl Metrics {
    /// Records one round of the lease keeper.
    pub fn record_leases(&self, reading: &LeaseReading) {
        let labels = reading.work.labels();
        let families = &self.lease_families;
        families
            .held
            .get_or_create(&labels)
            .set(reading.held as i64);
        families.won.get_or_create(&labels).inc_by(reading.won);
        families.lost.get_or_create(&labels).inc_by(reading.lost);
    }
}
