//! How API values are laid out in `SQLite` columns.
//!
//! Times are unix milliseconds (`INTEGER`): they sort and compare in SQL, and they round-trip
//! `DateTime<Utc>` at the precision feeds and webhooks use.

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// A time as stored: unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Millis(pub DateTime<Utc>);

impl ToSql for Millis {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.timestamp_millis()))
    }
}

impl FromSql for Millis {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let millis = value.as_i64()?;
        DateTime::from_timestamp_millis(millis)
            .map(Self)
            .ok_or(FromSqlError::OutOfRange(millis))
    }
}

/// Reads an optional time column.
pub(super) fn time(value: Option<Millis>) -> Option<DateTime<Utc>> {
    value.map(|m| m.0)
}

/// Counts and attempts are `INTEGER`s that SQL arithmetic keeps non-negative; a value outside the
/// API's range saturates rather than failing a read.
pub(super) fn count_u32(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

pub(super) fn count_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests;
