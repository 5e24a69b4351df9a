//! The bridge from async code to the synchronous store.

use std::sync::Arc;

use super::{Store, StoreError};

/// Runs `work` on tokio's blocking pool, so SQLite's disk I/O never stalls the async workers.
///
/// Callers queue (in order) for the store's one turn before a thread is taken: its single
/// connection serialises the work anyway, and a burst of polls waiting on it in blocking threads
/// would grow the pool to hundreds of threads, each keeping its stack and allocator cache.
pub async fn run_blocking<T, F>(store: &Arc<Store>, work: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
{
    let _turn = store
        .turn
        .acquire()
        .await
        .map_err(|e| StoreError::Database(format!("state closed: {e}")))?;
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || work(&store))
        .await
        .map_err(|e| StoreError::Database(format!("state task failed: {e}")))?
}
