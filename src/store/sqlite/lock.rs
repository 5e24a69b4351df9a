//! One writer per state: two daemons on the same state would both post every pending delivery.
//!
//! The lock is an exclusive `flock(2)` on the database file itself, not on a `<state>.lock` beside
//! it: a lock file can be deleted while the state stays, and a symlink (a second name for the same
//! state) would get a lock file of its own; a lock on the database's inode follows the state under
//! every name and leaves nothing behind.
//!
//! Why `flock` and nothing else: SQLite's unix VFS takes POSIX (`fcntl`) byte-range locks on the
//! same file. On Linux, `flock` locks and `fcntl` locks are kept apart and never conflict (flock(2),
//! "since kernel 2.0"), so `feedhook status`, which only opens the state with SQLite, still reads
//! beside the daemon (`tests/state_file.rs` runs it so). An OFD lock (`F_OFD_SETLK`) shares the
//! POSIX table: a whole-file one fails with EAGAIN beside SQLite's own SHARED lock, even from this
//! very process (tried). Over NFS, Linux emulates `flock` with `fcntl` locks and the two would meet;
//! SQLite's WAL mode needs a local file system anyway. `std::fs::File::try_lock` is `flock` today
//! but documented as liable to change, so the call is rustix's `flock`, by name.
//!
//! Invariant: the locked descriptor is closed only after SQLite's connection. Closing any
//! descriptor of a file drops every POSIX lock the process holds on it — SQLite's included — so
//! [`super::Db`] declares its lock after its connection (fields drop in declaration order).

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};

use super::StoreError;

/// An exclusive lock on a state file, held for as long as this value lives. The operating system
/// releases it when the process dies, however it dies, so a crash never leaves a stale lock behind.
#[derive(Debug)]
pub struct InstanceLock {
    /// The state file itself, open for as long as the lock is held.
    file: File,
    /// The file's resolved path: symlinks followed, so a symlink and its target are one state.
    resolved: PathBuf,
    /// The path as configured, for errors and for [`super::watch`].
    configured: PathBuf,
}

impl InstanceLock {
    /// Opens (creating it if there is none) and locks the state file at `state`, or says another
    /// feedhook holds it. A state file created here starts clean: SQLite files left beside the
    /// path by a state that was deleted are removed first (see [`remove_leftovers`]).
    pub fn acquire(state: &Path) -> Result<Self, StoreError> {
        let shown = state.display().to_string();
        let open_error = |message: String| StoreError::Open {
            path: shown.clone(),
            message,
        };
        check_folder(state)?;
        let (file, created) = open_or_create(state).map_err(|e| open_error(e.to_string()))?;
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                return Err(StoreError::AlreadyRunning { path: shown });
            }
            Err(e) => return Err(open_error(format!("cannot lock it: {e}"))),
        }
        let resolved = std::fs::canonicalize(state).map_err(|e| open_error(e.to_string()))?;
        retire_legacy_lock(&resolved)?;
        if created {
            remove_leftovers(&resolved).map_err(|e| open_error(e.to_string()))?;
        }
        Ok(Self {
            file,
            resolved,
            configured: state.to_owned(),
        })
    }

    /// The state file's path with every symlink followed: what SQLite opens.
    #[must_use]
    pub fn resolved(&self) -> &Path {
        &self.resolved
    }

    pub(super) fn configured(&self) -> &Path {
        &self.configured
    }

    pub(super) fn file(&self) -> &File {
        &self.file
    }
}

/// Refuses a state file whose folder does not exist, naming the folder: creating it is the service
/// manager's job (systemd `StateDirectory=`), and a missing folder usually means a wrong path.
pub(super) fn check_folder(path: &Path) -> Result<(), StoreError> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) if !folder.is_dir() => Err(StoreError::Open {
            path: path.display().to_string(),
            message: format!("the folder {} does not exist", folder.display()),
        }),
        _ => Ok(()),
    }
}

/// The state file at `path`, and whether this call created it.
fn open_or_create(path: &Path) -> std::io::Result<(File, bool)> {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    match options.open(path) {
        Ok(file) => Ok((file, false)),
        // `create`, not `create_new`: a dangling symlink is followed, and its target created.
        Err(e) if e.kind() == ErrorKind::NotFound => {
            Ok((options.create(true).truncate(false).open(path)?, true))
        }
        Err(e) => Err(e),
    }
}

/// The files SQLite keeps beside a database while it is open (the WAL and its shared-memory index)
/// or between a crash and the next open (a rollback journal), in that order.
pub(super) fn companions(state: &Path) -> [PathBuf; 3] {
    ["-wal", "-shm", "-journal"].map(|suffix| {
        let mut name = state.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// Removes the SQLite files beside a state file that was just created, and so cannot be theirs:
/// they belong to a state deleted while a feedhook had it open (which leaves them behind, and may
/// even still be running on them until it notices). Left in place, the new state would share the
/// old one's shared-memory index — SQLite then reads pages of one database out of the other's WAL
/// (tried: "disk I/O error" for the new one). Unlinked, the old daemon keeps its open files and
/// the new one gets its own.
fn remove_leftovers(state: &Path) -> std::io::Result<()> {
    for leftover in companions(state) {
        match std::fs::remove_file(&leftover) {
            Ok(()) => tracing::warn!(
                file = %leftover.display(),
                "removed a file left by a state file that was deleted; starting a new state"
            ),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Removes the `<state>.lock` file that feedhook took its lock on before it locked the state file
/// itself, unless an older feedhook still holds it (then that one runs on this state).
fn retire_legacy_lock(state: &Path) -> Result<(), StoreError> {
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    let legacy = PathBuf::from(name);
    let Ok(file) = OpenOptions::new().write(true).open(&legacy) else {
        return Ok(());
    };
    if flock(&file, FlockOperation::NonBlockingLockExclusive).is_err() {
        return Err(StoreError::AlreadyRunning {
            path: state.display().to_string(),
        });
    }
    // Best effort: a file that stays only costs a name in the folder.
    let _ = std::fs::remove_file(&legacy);
    Ok(())
}

#[cfg(test)]
mod tests;
