//! A failure inside the SQLite backend, and how `SQLite`'s result codes map onto a [`StoreError`].

use rusqlite::ErrorCode;

use crate::store::{DeliveryId, StoreError};

/// A failure inside the store, before it is given the file's path and becomes a [`StoreError`].
///
/// Internal code uses `?` on rusqlite calls freely; the one place that holds the connection
/// ([`super::Db`]) classifies what comes out.
#[derive(Debug)]
pub(super) enum Failure {
    Sql(rusqlite::Error),
    TooNew {
        found: i64,
        known: i64,
    },
    /// A value that cannot be encoded for storage.
    Encode(String),
    /// An outbox operation named a delivery that is not waiting to be sent.
    NotPending(DeliveryId),
}

impl From<rusqlite::Error> for Failure {
    fn from(err: rusqlite::Error) -> Self {
        Self::Sql(err)
    }
}

impl Failure {
    /// `opening` turns otherwise unclassified `SQLite` errors into [`StoreError::Open`], so that a
    /// permission or path problem at start-up names the file.
    pub(super) fn into_store_error(self, path: &str, opening: bool) -> StoreError {
        match self {
            Self::Sql(err) => classify(path, &err, opening),
            Self::TooNew { found, known } => StoreError::TooNew {
                path: path.to_owned(),
                found,
                known,
            },
            Self::Encode(message) => StoreError::Database(message),
            Self::NotPending(id) => StoreError::NotPending(id.0),
        }
    }
}

fn classify(path: &str, err: &rusqlite::Error, opening: bool) -> StoreError {
    match err.sqlite_error_code() {
        // SQLITE_FULL is also what a `max_page_count` limit reports.
        Some(ErrorCode::DiskFull) => StoreError::DiskFull(err.to_string()),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
            path: path.to_owned(),
            message: err.to_string(),
        },
        _ if opening => StoreError::Open {
            path: path.to_owned(),
            message: err.to_string(),
        },
        _ => StoreError::Database(err.to_string()),
    }
}
