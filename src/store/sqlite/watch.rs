//! Whether the state file the store has open is still the one its path names.
//!
//! SQLite keeps writing to a file it has open after that file is deleted or renamed away: left
//! alone, a daemon would go on posting from a state nobody can see (`status` finds none, a restart
//! starts afresh and loses whatever was pending), while a second daemon could start on a new file
//! at the same path and post the same entries. So the state is checked before every piece of work
//! ([`super::Db`]) and by the daemon at a modest interval, by comparing the device and inode of the
//! open file with those of the file the configured path names now (symlinks followed). A file
//! overwritten in place (same inode) is not seen here; SQLite reports it as corrupt.

use std::fs::{File, Metadata};
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::StoreError;
use super::lock::companions;

/// `Ok` while `configured` names the file `held` is open on; otherwise what happened to it.
pub(super) fn verify(held: &File, configured: &Path) -> Result<(), StoreError> {
    let shown = configured.display().to_string();
    let open = held.metadata().map_err(|e| StoreError::Open {
        path: shown.clone(),
        message: format!("cannot check the open state file: {e}"),
    })?;
    let changed = |what: String| StoreError::Changed {
        path: shown.clone(),
        what,
    };
    match std::fs::metadata(configured) {
        Ok(now) if same_file(&open, &now) => Ok(()),
        Ok(_) => Err(changed("was replaced by another file".to_owned())),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            Err(changed(gone(configured)))
        }
        Err(e) => Err(changed(format!("can no longer be checked ({e})"))),
    }
}

fn same_file(a: &Metadata, b: &Metadata) -> bool {
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

/// How a state file that is not there went: with its folder, or on its own.
fn gone(configured: &Path) -> String {
    match configured.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) if !folder.is_dir() => {
            format!("was removed with its folder {}", folder.display())
        }
        _ => "was deleted".to_owned(),
    }
}

/// Whether the state file at `path` is missing while a file SQLite keeps beside an open database
/// is still there: the state was deleted while a feedhook had it open (a running one stops when it
/// notices; one that stopped since left them behind).
#[must_use]
pub fn deleted_while_open(path: &Path) -> bool {
    let [wal, shm, _] = companions(path);
    !path.exists() && (wal.exists() || shm.exists())
}

#[cfg(test)]
mod tests;
