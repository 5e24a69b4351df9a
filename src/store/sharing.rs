//! The facade's work-sharing calls. On a database several instances share the work: each joins,
//! heartbeats, and holds feeds and channels by leases. A SQLite state has one process, which
//! holds everything: there is nothing to join, and these calls do nothing there.

use super::{Backend, Instance, InstanceInfo, LeaseHolder, LeaseKind, Store, StoreError};

impl Store {
    /// Joins the instances sharing the state as `info`; returns this instance's id, or `None`
    /// when the state is not shared (SQLite: this process holds all the work). Joining again
    /// (after a reload) updates the digest. From then on, writes on a feed or a channel's
    /// deliveries apply only while this instance holds its lease ([`StoreError::Fenced`]).
    pub async fn join(&self, info: &InstanceInfo) -> Result<Option<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => pg.join(info).await.map(Some),
        }
    }

    /// Tells the others this instance is alive; returns the live instances, this one included,
    /// oldest first (live: a heartbeat younger than the lease, by the database's clock).
    pub async fn heartbeat(&self) -> Result<Vec<Instance>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(Vec::new()),
            Backend::Postgres(pg) => pg.heartbeat().await,
        }
    }

    /// Every instance the state remembers, live or not, oldest first: for `status`.
    pub async fn instances(&self) -> Result<Vec<Instance>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(Vec::new()),
            Backend::Postgres(pg) => pg.instances().await,
        }
    }

    /// Makes each of `names` a lease that instances can claim.
    pub async fn offer_leases(&self, kind: LeaseKind, names: &[String]) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(()),
            Backend::Postgres(pg) => pg.offer_leases(kind, names).await,
        }
    }

    /// Renews the leases of `kind` this instance holds; returns their names (a lease it held and
    /// that is not among them was taken over).
    pub async fn renew_leases(&self, kind: LeaseKind) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(Vec::new()),
            Backend::Postgres(pg) => pg.renew_leases(kind).await,
        }
    }

    /// Claims at most `wanted` of the leases of `kind` on `names` that are free or ran out;
    /// returns the names claimed.
    pub async fn claim_leases(
        &self,
        kind: LeaseKind,
        names: &[String],
        wanted: usize,
    ) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(Vec::new()),
            Backend::Postgres(pg) => pg.claim_leases(kind, names, wanted).await,
        }
    }

    /// Gives up this instance's leases of `kind` on `names`.
    pub async fn release_leases(
        &self,
        kind: LeaseKind,
        names: &[String],
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(()),
            Backend::Postgres(pg) => pg.release_leases(kind, names).await,
        }
    }

    /// Leaves the instances: releases every lease held, so that the others take the work over
    /// at once.
    pub async fn leave(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(()),
            Backend::Postgres(pg) => pg.leave().await,
        }
    }

    /// Who holds each lease of `kind`, by name: for `status`.
    pub async fn lease_holders(&self, kind: LeaseKind) -> Result<Vec<LeaseHolder>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(Vec::new()),
            Backend::Postgres(pg) => pg.lease_holders(kind).await,
        }
    }
}
