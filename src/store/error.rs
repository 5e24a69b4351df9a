//! The store's public error, whatever the backend.

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the state file {path}: {message}")]
    Open { path: String, message: String },
    #[error(
        "the state {path} was written by a newer feedhook (schema {found}, this one knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("the state file {path} is corrupt: {message}")]
    Corrupt { path: String, message: String },
    #[error("another feedhook is already running on the state file {path}")]
    AlreadyRunning { path: String },
    /// The file the store has open is no longer the one its path names.
    #[error("the state file {path} {what} while feedhook had it open")]
    Changed { path: String, what: String },
    #[error("the disk is full: {0}")]
    DiskFull(String),
    /// The database cannot be reached (refused, dropped, restarting): the same call may succeed
    /// later, and nothing was written.
    #[error("the database {database} is unreachable: {message}")]
    Unavailable { database: String, message: String },
    /// The delivery was no longer pending when a write expected it to be: recorded already (a
    /// commit whose acknowledgement was lost, then tried again) or settled meanwhile.
    #[error("delivery {0} is not pending")]
    NotPending(i64),
    /// This instance no longer holds the lease the write needs (another instance took the feed
    /// or the channel over, or it was handed over): nothing was written.
    #[error("{work} is now held by another instance; this instance's write was not applied")]
    Fenced { work: String },
    #[error("state database error: {0}")]
    Database(String),
}

impl StoreError {
    /// Whether the same call may succeed if tried again later, unchanged.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }

    /// Whether the write was refused because another instance holds the work now.
    #[must_use]
    pub fn is_fenced(&self) -> bool {
        matches!(self, Self::Fenced { .. })
    }
}
