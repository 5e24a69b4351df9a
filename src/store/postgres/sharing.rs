//! Work sharing between the instances on one database.
//!
//! Each instance that runs the daemon joins: it gets a row in `instances`, which its heartbeat
//! keeps fresh. Feeds and channels are held by leases, rows of `leases` with an owner, an expiry
//! and an epoch. Every time computed here comes from the database's clock (`now()`), never an
//! instance's. A lease is claimed with `FOR UPDATE SKIP LOCKED` (two instances claiming at once
//! take different rows), and each claim takes a new epoch from one sequence, so that an epoch
//! names one holding of one lease. A write on held work checks, in its own statement, that the
//! lease still has this instance's epoch, and locks the lease row while it does: a takeover waits
//! for that write, or the write sees the takeover and is refused ([`StoreError::Fenced`]).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use tokio_postgres::{GenericClient, Row, Transaction};

use super::{Failure, Pg, StoreError};
use crate::config::shown_feed_name;
use crate::store::{Instance, InstanceInfo, LeaseHolder, LeaseKind};

/// Instances silent for this long are forgotten: `status` stops listing them.
const FORGET_AFTER_SECS: f64 = 24.0 * 3600.0;

/// This instance's place among the others.
pub(super) struct Sharing {
    /// How long a lease or a heartbeat lasts without renewal.
    lease: Duration,
    member: OnceLock<Member>,
}

/// An instance that has joined.
struct Member {
    id: String,
    /// As announced at the last join: a heartbeat after the instance was forgotten (silent for a
    /// day, a suspended VM) announces it again.
    info: Mutex<InstanceInfo>,
    /// The epoch of each lease this instance holds, as its last claim or renewal found it.
    held: Mutex<HashMap<(LeaseKind, String), i64>>,
}

impl Sharing {
    pub(super) fn new(lease: Duration) -> Self {
        Self {
            lease,
            member: OnceLock::new(),
        }
    }

    fn lease_secs(&self) -> f64 {
        self.lease.as_secs_f64()
    }

    fn held(&self) -> Option<std::sync::MutexGuard<'_, HashMap<(LeaseKind, String), i64>>> {
        let member = self.member.get()?;
        Some(member.held.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// What a write on `feed` must prove: nothing for a store that has not joined (the one-off
    /// commands), else the epoch of this instance's lease on it — refused at once without one.
    pub(super) fn feed_fence(&self, feed: &str) -> Result<Option<(&str, i64)>, Failure> {
        let Some(member) = self.member.get() else {
            return Ok(None);
        };
        let epoch = self
            .held()
            .and_then(|held| held.get(&(LeaseKind::Feed, feed.to_owned())).copied());
        match epoch {
            Some(epoch) => Ok(Some((member.id.as_str(), epoch))),
            None => Err(Failure::Fenced(format!("feed {}", shown_feed_name(feed)))),
        }
    }

    /// What a write on many rows of `kind` must prove: the owner and the epochs of the leases of
    /// that kind this instance holds (no owner, so no check, before it joined). [`fence`] checks
    /// them.
    pub(super) fn epochs(&self, kind: LeaseKind) -> (Option<&str>, Vec<i64>) {
        let Some(member) = self.member.get() else {
            return (None, Vec::new());
        };
        let epochs = self.held().map_or_else(Vec::new, |held| {
            held.iter()
                .filter(|((held_kind, _), _)| *held_kind == kind)
                .map(|(_, epoch)| *epoch)
                .collect()
        });
        (Some(member.id.as_str()), epochs)
    }

    pub(super) fn member_id(&self) -> Option<&str> {
        self.member.get().map(|member| member.id.as_str())
    }
}

/// The condition a write adds so that it applies only where this instance holds the lease of
/// `kind` on the name in `column`, at one of the epochs at placeholder `epochs`; the owner is at
/// placeholder `owner` (NULL: a store that has not joined, not fenced). The lease row is locked for
/// the write's transaction, so that a takeover waits for it.
pub(super) fn fence(kind: LeaseKind, column: &str, owner: usize, epochs: usize) -> String {
    format!(
        "(${owner}::text IS NULL OR EXISTS (
            SELECT 1 FROM leases l
            WHERE l.kind = '{kind}' AND l.name = {column}
              AND l.owner = ${owner} AND l.epoch = ANY(${epochs}::bigint[])
            FOR SHARE OF l))",
        kind = kind.as_str()
    )
}

/// Checks, in the transaction about to write on `feed`, that this instance still holds its lease
/// at `epoch`, and locks the lease row until the transaction ends.
pub(super) async fn hold_feed(
    tx: &Transaction<'_>,
    feed: &str,
    (owner, epoch): (&str, i64),
) -> Result<(), Failure> {
    let held = tx
        .query_opt(
            "SELECT 1 FROM leases
             WHERE kind = 'feed' AND name = $1 AND owner = $2 AND epoch = $3
             FOR SHARE",
            &[&feed, &owner, &epoch],
        )
        .await?;
    match held {
        Some(_) => Ok(()),
        None => Err(Failure::Fenced(format!("feed {}", shown_feed_name(feed)))),
    }
}

impl Pg {
    /// Joins the instances sharing the database as `info` (again, after a reload: the digest is
    /// updated); returns this instance's id.
    pub async fn join(&self, info: &InstanceInfo) -> Result<String, StoreError> {
        let member = self.sharing.member.get_or_init(|| Member {
            id: new_instance_id(),
            info: Mutex::new(info.clone()),
            held: Mutex::default(),
        });
        info.clone_into(&mut member.info.lock().unwrap_or_else(PoisonError::into_inner));
        let client = self.client().await?;
        announce(&**client, &member.id, info)
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(member.id.clone())
    }

    /// Tells the others this instance is alive, forgets instances long silent, and returns the
    /// live ones (this one included), oldest first.
    pub async fn heartbeat(&self) -> Result<Vec<Instance>, StoreError> {
        let Some(member) = self.sharing.member.get() else {
            return Ok(Vec::new());
        };
        let info = member
            .info
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut client = self.client().await?;
        let beat = async {
            let tx = client.transaction().await?;
            announce(&*tx, &member.id, &info).await?;
            tx.execute(
                "DELETE FROM instances
                 WHERE heartbeat_at < now() - make_interval(secs => $1)",
                &[&FORGET_AFTER_SECS],
            )
            .await?;
            let live = format!(
                "{INSTANCE_SELECT} WHERE heartbeat_at > now() - make_interval(secs => $1)
                 ORDER BY started_at, id"
            );
            let rows = tx.query(&live, &[&self.sharing.lease_secs()]).await?;
            tx.commit().await?;
            Ok(rows.iter().map(read_instance).collect())
        };
        beat.await
            .map_err(|failure: tokio_postgres::Error| self.store_error(failure.into()))
    }

    /// Every instance the database remembers (live or not), oldest first.
    pub async fn instances(&self) -> Result<Vec<Instance>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!("{INSTANCE_SELECT} ORDER BY started_at, id"),
                &[&self.sharing.lease_secs()],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(rows.iter().map(read_instance).collect())
    }

    /// Makes sure each of `names` has a lease row to be claimed.
    pub async fn offer_leases(&self, kind: LeaseKind, names: &[String]) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO leases (kind, name) SELECT $1, unnest($2::text[])
                 ON CONFLICT DO NOTHING",
                &[&kind.as_str(), &names],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(())
    }

    /// Renews every lease of `kind` this instance still holds; returns their names. A lease
    /// missing from them was taken over since the last renewal.
    pub async fn renew_leases(&self, kind: LeaseKind) -> Result<Vec<String>, StoreError> {
        let Some(id) = self.sharing.member_id() else {
            return Ok(Vec::new());
        };
        let client = self.client().await?;
        let rows = client
            .query(
                "UPDATE leases SET expires_at = now() + make_interval(secs => $3)
                 WHERE kind = $1 AND owner = $2
                 RETURNING name, epoch",
                &[&kind.as_str(), &id, &self.sharing.lease_secs()],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        let renewed: HashMap<String, i64> =
            rows.iter().map(|row| (row.get(0), row.get(1))).collect();
        let names = renewed.keys().cloned().collect();
        if let Some(mut held) = self.sharing.held() {
            held.retain(|(held_kind, _), _| *held_kind != kind);
            held.extend(
                renewed
                    .into_iter()
                    .map(|(name, epoch)| ((kind, name), epoch)),
            );
        }
        Ok(names)
    }

    /// Claims at most `wanted` leases of `kind` among `names` that nobody holds or whose lease
    /// ran out (its holder stopped renewing); returns the names claimed.
    pub async fn claim_leases(
        &self,
        kind: LeaseKind,
        names: &[String],
        wanted: usize,
    ) -> Result<Vec<String>, StoreError> {
        let Some(id) = self.sharing.member_id() else {
            return Ok(Vec::new());
        };
        if wanted == 0 {
            return Ok(Vec::new());
        }
        let client = self.client().await?;
        // In random order, so that instances claiming at once rarely reach for the same rows.
        let rows = client
            .query(
                "WITH free AS (
                     SELECT kind, name FROM leases
                     WHERE kind = $1 AND name = ANY($2)
                       AND (owner IS NULL OR expires_at < now())
                     ORDER BY random()
                     LIMIT $3
                     FOR UPDATE SKIP LOCKED
                 )
                 UPDATE leases SET owner = $4, epoch = nextval('lease_epochs'),
                    acquired_at = now(), expires_at = now() + make_interval(secs => $5)
                 FROM free WHERE leases.kind = free.kind AND leases.name = free.name
                 RETURNING leases.name, leases.epoch",
                &[
                    &kind.as_str(),
                    &names,
                    &(wanted as i64),
                    &id,
                    &self.sharing.lease_secs(),
                ],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        let claimed: Vec<(String, i64)> = rows.iter().map(|row| (row.get(0), row.get(1))).collect();
        if let Some(mut held) = self.sharing.held() {
            for (name, epoch) in &claimed {
                held.insert((kind, name.clone()), *epoch);
            }
        }
        Ok(claimed.into_iter().map(|(name, _)| name).collect())
    }

    /// Gives up this instance's leases of `kind` on `names`: another instance may claim them at
    /// once.
    pub async fn release_leases(
        &self,
        kind: LeaseKind,
        names: &[String],
    ) -> Result<(), StoreError> {
        let Some(id) = self.sharing.member_id() else {
            return Ok(());
        };
        if let Some(mut held) = self.sharing.held() {
            for name in names {
                held.remove(&(kind, name.clone()));
            }
        }
        let client = self.client().await?;
        client
            .execute(
                "UPDATE leases SET owner = NULL, expires_at = '-infinity'
                 WHERE kind = $1 AND owner = $2 AND name = ANY($3)",
                &[&kind.as_str(), &id, &names],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(())
    }

    /// Leaves: releases every lease this instance holds and removes it from the instances, so
    /// that the others take its work over at once rather than after the lease.
    pub async fn leave(&self) -> Result<(), StoreError> {
        let Some(id) = self.sharing.member_id() else {
            return Ok(());
        };
        if let Some(mut held) = self.sharing.held() {
            held.clear();
        }
        let mut client = self.client().await?;
        let left = async {
            let tx = client.transaction().await?;
            tx.execute(
                "UPDATE leases SET owner = NULL, expires_at = '-infinity' WHERE owner = $1",
                &[&id],
            )
            .await?;
            tx.execute("DELETE FROM instances WHERE id = $1", &[&id])
                .await?;
            tx.commit().await
        };
        left.await.map_err(|error| self.store_error(error.into()))
    }

    /// Who holds each lease of `kind`, by name.
    pub async fn lease_holders(&self, kind: LeaseKind) -> Result<Vec<LeaseHolder>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT name, owner, acquired_at,
                        CASE WHEN expires_at = '-infinity' THEN NULL ELSE expires_at END,
                        owner IS NOT NULL AND expires_at > now()
                 FROM leases WHERE kind = $1 ORDER BY name",
                &[&kind.as_str()],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(rows
            .iter()
            .map(|row| LeaseHolder {
                name: row.get(0),
                owner: row.get(1),
                acquired_at: row.get(2),
                expires_at: row.get(3),
                running: row.get(4),
            })
            .collect())
    }
}

/// Writes this instance's row, or refreshes its heartbeat and digest.
async fn announce(
    client: &impl GenericClient,
    id: &str,
    info: &InstanceInfo,
) -> Result<(), tokio_postgres::Error> {
    client
        .execute(
            "INSERT INTO instances (id, host, pid, config_digest) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET config_digest = excluded.config_digest,
                heartbeat_at = now()",
            &[&id, &info.host, &i64::from(info.pid), &info.config_digest],
        )
        .await?;
    Ok(())
}

const INSTANCE_SELECT: &str = "SELECT id, host, pid, started_at, heartbeat_at, config_digest,
        heartbeat_at > now() - make_interval(secs => $1)
    FROM instances";

fn read_instance(row: &Row) -> Instance {
    Instance {
        id: row.get(0),
        host: row.get(1),
        pid: u32::try_from(row.get::<_, i64>(2)).unwrap_or(0),
        started_at: row.get(3),
        heartbeat_at: row.get(4),
        config_digest: row.get(5),
        live: row.get(6),
    }
}

/// 16 random hex digits: unique enough among the instances of one database.
fn new_instance_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}
