//! One writer per state file: two daemons on the same state would both post every pending delivery.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::StoreError;

/// An exclusive advisory lock on `<state file>.lock`, held for as long as this value lives. The
/// operating system releases it when the process dies, however it dies, so a crash never leaves a
/// stale lock behind.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

impl InstanceLock {
    /// Takes the lock of the state file at `state`, or says another feedhook holds it.
    pub fn acquire(state: &Path) -> Result<Self, StoreError> {
        let path = lock_path(state);
        let shown = state.display().to_string();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(StoreError::AlreadyRunning { path: shown }),
            Err(TryLockError::Error(e)) => Err(StoreError::Open {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
}

fn lock_path(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests;
