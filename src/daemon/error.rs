//! Why the daemon could not start or had to stop.

use crate::deliver::PostError;
use crate::fetch::FetchError;
use crate::store::StoreError;

/// Why the daemon could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    #[error("cannot serve /metrics and /healthz: {0}")]
    Serve(#[from] std::io::Error),
}

impl From<FetchError> for DaemonError {
    fn from(error: FetchError) -> Self {
        Self::Http(error.to_string())
    }
}

impl From<PostError> for DaemonError {
    fn from(error: PostError) -> Self {
        Self::Http(error.to_string())
    }
}
