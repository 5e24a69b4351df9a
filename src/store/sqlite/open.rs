//! Opening the state file: the folder check, connection settings, and refusing files that are not
//! ours to write (a newer schema, or not a database at all).

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use rusqlite::Connection;

use super::failure::Failure;
use super::lock::{InstanceLock, check_folder};
use super::{Db, Notes, StoreError, migrations, watch};

impl Db {
    /// Opens (creating if needed) and migrates the state file, beside any other process that has
    /// it open: for readers such as `status`.
    ///
    /// The folder must exist: creating it is the service manager's job (systemd `StateDirectory=`),
    /// and a missing folder usually means a wrong path.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        check_folder(path)?;
        Self::open_at(path, path.display().to_string(), None)
    }

    /// Opens (creating if needed) and migrates the state file as its one writer: it takes the
    /// state's [`InstanceLock`] first, holds it as long as the value lives, and checks before every
    /// piece of work that the path still names the file it opened.
    pub fn open_exclusive(path: &Path) -> Result<Self, StoreError> {
        let lock = InstanceLock::acquire(path)?;
        let file = lock.resolved().to_owned();
        Self::open_at(&file, path.display().to_string(), Some(lock))
    }

    fn open_at(file: &Path, shown: String, lock: Option<InstanceLock>) -> Result<Self, StoreError> {
        let conn =
            Connection::open(file).map_err(|e| Failure::from(e).into_store_error(&shown, true))?;
        Self::prepare(conn, shown, true, lock)
    }

    /// A store that lives only as long as the value: for tests and `preview`-like dry runs.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let shown = ":memory:".to_owned();
        let conn = Connection::open_in_memory()
            .map_err(|e| Failure::from(e).into_store_error(&shown, true))?;
        Self::prepare(conn, shown, false, None)
    }

    /// `Ok` while the state file this store holds locked is still the one its path names (see
    /// [`watch`]); always `Ok` for a store opened without the lock.
    pub fn check_file(&self) -> Result<(), StoreError> {
        match &self.lock {
            Some(lock) => watch::verify(lock.file(), lock.configured()),
            None => Ok(()),
        }
    }

    fn prepare(
        mut conn: Connection,
        path: String,
        on_disk: bool,
        lock: Option<InstanceLock>,
    ) -> Result<Self, StoreError> {
        let setup = |conn: &mut Connection| -> Result<(), Failure> {
            conn.busy_timeout(Duration::from_secs(5))?;
            // Before anything that writes (setting WAL rewrites the header): a file from a newer
            // build or a file that is not a database must be left untouched.
            migrations::check_version(conn)?;
            if on_disk {
                let mode: String =
                    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
                if !mode.eq_ignore_ascii_case("wal") {
                    tracing::warn!(path = %path, mode, "the state file cannot use WAL journaling");
                }
            }
            // NORMAL is durable across application crashes in WAL mode; only a power loss can
            // drop the last commits, which at-least-once delivery tolerates.
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            migrations::apply(conn)
        };
        if let Err(error) = setup(&mut conn) {
            // Closed before the lock's descriptor, which parameters would drop first (see `lock`).
            drop(conn);
            return Err(error.into_store_error(&path, true));
        }
        Ok(Self {
            conn: Mutex::new(conn),
            notes: Notes::default(),
            disk_was_full: AtomicBool::new(false),
            path,
            lock,
        })
    }

    /// Caps the database at `pages` pages, so that tests can make `SQLite` report a full disk.
    /// `SQLite` never caps below the current size, so `1` freezes the file as it is. Returns the cap
    /// in effect.
    #[doc(hidden)]
    pub fn set_max_page_count_for_tests(&self, pages: u64) -> Result<u64, StoreError> {
        self.with_conn(|conn| {
            let cap: i64 =
                conn.pragma_update_and_check(None, "max_page_count", pages as i64, |row| {
                    row.get(0)
                })?;
            Ok(cap as u64)
        })
    }
}

#[cfg(test)]
mod tests;
