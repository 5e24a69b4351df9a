//! The bridge from async code to the synchronous store.

use std::sync::Arc;

use super::{Store, StoreError};

/// Runs `work` on tokio's blocking pool, so SQLite's disk I/O never stalls the async workers.
pub async fn run_blocking<T, F>(store: &Arc<Store>, work: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
{
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || work(&store))
        .await
        .map_err(|e| StoreError::Database(format!("state task failed: {e}")))?
}
