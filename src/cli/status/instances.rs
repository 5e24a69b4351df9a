//! On a database several instances share: the live instances, and which one holds each channel.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::store::{Instance, LeaseHolder, LeaseKind, Store, StoreError};

use super::super::table::Table;
use super::relative;

/// Who shares the database, as `status` shows it.
pub(super) struct Sharing {
    /// The live instances, oldest first.
    live: Vec<Instance>,
    /// The running lease of each channel, by channel.
    channels: HashMap<String, LeaseHolder>,
    /// How many feeds and channels each instance holds, by instance id.
    held: HashMap<String, (usize, usize)>,
    /// The digest of the config `status` read: an instance with another runs other work.
    digest: String,
}

impl Sharing {
    pub(super) async fn read(store: &Store, digest: String) -> Result<Self, StoreError> {
        let live: Vec<Instance> = store
            .instances()
            .await?
            .into_iter()
            .filter(|instance| instance.live)
            .collect();
        let mut held: HashMap<String, (usize, usize)> = HashMap::new();
        let running = |holders: Vec<LeaseHolder>| {
            holders
                .into_iter()
                .filter(|holder| holder.running && holder.owner.is_some())
        };
        for holder in running(store.lease_holders(LeaseKind::Feed).await?) {
            held.entry(holder.owner.unwrap_or_default()).or_default().0 += 1;
        }
        let mut channels = HashMap::new();
        for holder in running(store.lease_holders(LeaseKind::Channel).await?) {
            held.entry(holder.owner.clone().unwrap_or_default())
                .or_default()
                .1 += 1;
            channels.insert(holder.name.clone(), holder);
        }
        Ok(Self {
            live,
            channels,
            held,
            digest,
        })
    }

    /// The instance working `channel`'s outbox, as its cell shows it.
    pub(super) fn holder_cell(&self, channel: &str) -> String {
        match self.holder(channel) {
            Some(instance) => format!("{} pid {}", instance.host, instance.pid),
            None => "nobody (until an instance claims it)".into(),
        }
    }

    fn holder(&self, channel: &str) -> Option<&Instance> {
        let owner = self.channels.get(channel)?.owner.as_deref()?;
        self.live.iter().find(|instance| instance.id == owner)
    }

    pub(super) fn table(&self, now: DateTime<Utc>) -> Table {
        let mut table = Table::new(&[
            "INSTANCE",
            "HOST",
            "PID",
            "STARTED",
            "LAST HEARTBEAT",
            "FEEDS",
            "CHANNELS",
            "CONFIG",
        ]);
        for instance in &self.live {
            let (feeds, channels) = self.held.get(&instance.id).copied().unwrap_or_default();
            table.row(vec![
                instance.id.clone(),
                instance.host.clone(),
                instance.pid.to_string(),
                relative(instance.started_at, now),
                relative(instance.heartbeat_at, now),
                feeds.to_string(),
                channels.to_string(),
                self.config_cell(instance),
            ]);
        }
        table
    }

    fn config_cell(&self, instance: &Instance) -> String {
        if instance.config_digest == self.digest {
            "same".into()
        } else {
            format!("differs ({})", instance.config_digest)
        }
    }

    /// The `held_by` of `channel` in `--json`.
    pub(super) fn holder_json(&self, channel: &str) -> serde_json::Value {
        self.holder(channel).map_or(serde_json::Value::Null, |instance| {
            json!({ "instance": instance.id, "host": instance.host, "pid": instance.pid })
        })
    }

    /// The `instances` of `--json`.
    pub(super) fn instances_json(&self) -> serde_json::Value {
        let instances: Vec<_> = self
            .live
            .iter()
            .map(|instance| {
                let (feeds, channels) = self.held.get(&instance.id).copied().unwrap_or_default();
                json!({
                    "id": instance.id,
                    "host": instance.host,
                    "pid": instance.pid,
                    "started": instance.started_at,
                    "last_heartbeat": instance.heartbeat_at,
                    "feeds_held": feeds,
                    "channels_held": channels,
                    "config_digest": instance.config_digest,
                    "same_config": instance.config_digest == self.digest,
                })
            })
            .collect();
        serde_json::Value::Array(instances)
    }
}
