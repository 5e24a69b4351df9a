//! `feedhook store copy`: every row of one state written into another, whatever the backend of
//! either, so that switching backends posts nothing again and loses nothing pending.
//!
//! The copy moves rows, not API values: a feed's `initialized` flag, a delivery's id (its place
//! in the channel's order), attempts and unanswered posts, failed deliveries and their reasons all
//! come across as they were, and so do parked ones. [`TABLES`] lists the columns both backends hold; each backend reads
//! and writes them as [`Value`]s in its own column types (`sqlite/copy.rs`, `postgres/copy.rs`).
//! Tables are read a page at a time in key order, so a state of any size copies in bounded memory.

use chrono::{DateTime, Utc};

use super::{Backend, Store, StoreError};

/// Rows read and written per statement.
pub(super) const PAGE: usize = 500;

/// What a column holds, which fixes its type in each backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    /// An entry key: PostgreSQL keeps a key holding U+0000 in a form of its own.
    Key,
    /// A count (`INTEGER`).
    Int,
    /// A row id (`BIGINT` on PostgreSQL).
    Id,
    Time,
    Bool,
}

/// One column value on its way between backends.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Null,
    Text(String),
    Int(i64),
    Time(DateTime<Utc>),
    Bool(bool),
}

/// A table as the copy sees it: its columns, the first `key` of which order its pages.
pub(super) struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub key: usize,
}

impl Table {
    /// The column list, as SQL names it.
    pub fn column_list(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(name, _)| *name).collect();
        names.join(", ")
    }

    /// The key columns, as SQL names them.
    pub fn key_list(&self) -> String {
        let names: Vec<&str> = self.columns[..self.key]
            .iter()
            .map(|(name, _)| *name)
            .collect();
        names.join(", ")
    }
}

/// Every table the state keeps, parents before the tables that refer to them.
pub(super) const TABLES: &[Table] = &[
    Table {
        name: "feeds",
        columns: &[
            ("feed", Kind::Text),
            ("url", Kind::Text),
            ("etag", Kind::Text),
            ("last_modified", Kind::Text),
            ("info", Kind::Text),
            ("last_poll_at", Kind::Time),
            ("last_result", Kind::Text),
            ("last_error", Kind::Text),
            ("consecutive_failures", Kind::Int),
            ("next_due_at", Kind::Time),
            ("initialized", Kind::Bool),
        ],
        key: 1,
    },
    Table {
        name: "entries",
        columns: &[
            ("feed", Kind::Text),
            ("key", Kind::Key),
            ("first_seen_at", Kind::Time),
            ("last_seen_at", Kind::Time),
            ("entry", Kind::Text),
        ],
        key: 2,
    },
    Table {
        name: "deliveries",
        columns: &[
            ("id", Kind::Id),
            ("feed", Kind::Text),
            ("entry_key", Kind::Key),
            ("channel", Kind::Text),
            ("status", Kind::Text),
            ("attempts", Kind::Int),
            ("unanswered", Kind::Int),
            ("queued_at", Kind::Time),
            ("next_attempt_at", Kind::Time),
            ("last_error", Kind::Text),
            ("delivered_at", Kind::Time),
            ("failed_at", Kind::Time),
            ("parked_at", Kind::Time),
        ],
        key: 1,
    },
    Table {
        name: "channels",
        columns: &[
            ("name", Kind::Text),
            ("suspended_until", Kind::Time),
            ("suspended_reason", Kind::Text),
            ("last_delivery_at", Kind::Time),
            ("paused_until", Kind::Time),
            ("pause_reason", Kind::Text),
            ("failing_since", Kind::Time),
            ("probes", Kind::Int),
        ],
        key: 1,
    },
    Table {
        name: "push_subscriptions",
        columns: &[
            ("feed", Kind::Text),
            ("topic", Kind::Text),
            ("hub", Kind::Text),
            ("token", Kind::Text),
            ("secret", Kind::Text),
            ("state", Kind::Text),
            ("reason", Kind::Text),
            ("lease_expires_at", Kind::Time),
            ("requested_at", Kind::Time),
            ("hub_failures", Kind::Int),
        ],
        key: 1,
    },
];

/// How many rows of each table a copy wrote, in [`TABLES`] order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, u64)>,
}

impl CopyReport {
    /// The rows copied of `table`.
    #[must_use]
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|(name, _)| *name == table)
            .map_or(0, |(_, rows)| *rows)
    }
}

impl Store {
    /// Whether the state holds any feed, entry, delivery, channel or subscription.
    pub async fn holds_anything(&self) -> Result<bool, StoreError> {
        for table in TABLES {
            let found = match &self.backend {
                Backend::Sqlite(db) => db.run(|db| db.has_rows(table)).await?,
                Backend::Postgres(pg) => pg.has_rows(table).await?,
            };
            if found {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Deletes every row [`Store::copy_into`] writes, in one transaction.
    pub async fn clear(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(|db| db.clear(TABLES)).await,
            Backend::Postgres(pg) => pg.clear(TABLES).await,
        }
    }

    /// Writes every row of this state into `target`, which should be empty (see
    /// [`Store::holds_anything`]). Each page is its own transaction: a copy cut short leaves part
    /// of the rows in `target`, to be cleared before copying again.
    pub async fn copy_into(&self, target: &Self) -> Result<CopyReport, StoreError> {
        let mut report = CopyReport::default();
        for table in TABLES {
            let mut rows = 0;
            let mut after = None;
            loop {
                let page = self.read_page(table, after.as_deref()).await?;
                let Some(last) = page.last() else { break };
                after = Some(last[..table.key].to_vec());
                rows += page.len() as u64;
                target.write_rows(table, page).await?;
            }
            report.tables.push((table.name, rows));
        }
        target.after_copy().await?;
        Ok(report)
    }

    /// Up to [`PAGE`] rows of `table` in key order, after the row whose key is `after`.
    async fn read_page(
        &self,
        table: &'static Table,
        after: Option<&[Value]>,
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let after = after.map(<[Value]>::to_vec);
                db.run(move |db| db.read_page(table, after.as_deref()))
                    .await
            }
            Backend::Postgres(pg) => pg.read_page(table, after).await,
        }
    }

    async fn write_rows(
        &self,
        table: &'static Table,
        rows: Vec<Vec<Value>>,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.write_rows(table, &rows)).await,
            Backend::Postgres(pg) => pg.write_rows(table, &rows).await,
        }
    }

    /// What a backend does once the rows are in: PostgreSQL moves the delivery ids' sequence past
    /// the copied ids (SQLite's `AUTOINCREMENT` follows inserted ids by itself).
    async fn after_copy(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(()),
            Backend::Postgres(pg) => pg.after_copy().await,
        }
    }
}

#[cfg(test)]
mod tests;
