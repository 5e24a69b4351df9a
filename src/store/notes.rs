//! The write-behind of `304 Not Modified` for healthy feeds, whatever the backend.
//!
//! A 304 from a feed whose last poll was already a 304 changes nothing but two times (when it was
//! polled, when it is next due). Those notes are kept in memory and written together by the
//! backend's `flush_notes`, which the poll loop calls about once a second: one transaction instead
//! of one per poll. A note only ever moves a feed's times forward, so a note written after a later
//! outcome of the same feed cannot undo it; and a note lost to a crash costs one early conditional
//! GET after the restart, never an entry.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

/// A 304 waiting to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NotModifiedNote {
    pub feed: String,
    pub at: DateTime<Utc>,
    pub next_due_at: DateTime<Utc>,
}

/// The notes taken since the last flush.
#[derive(Debug, Default)]
pub(super) struct Notes(Mutex<Vec<NotModifiedNote>>);

impl Notes {
    pub fn push(&self, feed: &str, at: DateTime<Utc>, next_due_at: DateTime<Utc>) {
        let note = NotModifiedNote {
            feed: feed.to_owned(),
            at,
            next_due_at,
        };
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(note);
    }

    pub fn is_empty(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }

    /// Every note, leaving none.
    pub fn take(&self) -> Vec<NotModifiedNote> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
