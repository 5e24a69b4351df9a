//! The bridge from async code to the synchronous [`Db`].

use std::sync::Arc;

use super::{Db, StoreError};

/// A [`Db`] with its one turn: the facade's SQLite backend.
pub struct Sqlite {
    db: Arc<Db>,
    /// The turn async callers wait for (one permit).
    turn: tokio::sync::Semaphore,
}

impl Sqlite {
    pub fn new(db: Db) -> Self {
        Self {
            db: Arc::new(db),
            turn: tokio::sync::Semaphore::new(1),
        }
    }

    /// The database itself, for the few calls that touch only memory.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Runs `work` on tokio's blocking pool, so SQLite's disk I/O never stalls the async workers.
    ///
    /// Callers queue (in order) for the one turn before a thread is taken: the single connection
    /// serialises the work anyway, and a burst of polls waiting on it in blocking threads would
    /// grow the pool to hundreds of threads, each keeping its stack and allocator cache.
    pub async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, StoreError> + Send + 'static,
    {
        let _turn = self
            .turn
            .acquire()
            .await
            .map_err(|e| StoreError::Database(format!("state closed: {e}")))?;
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || work(&db))
            .await
            .map_err(|e| StoreError::Database(format!("state task failed: {e}")))?
    }
}
