//! Opening the state file: the folder check, connection settings, and refusing files that are not
//! ours to write (a newer schema, or not a database at all).

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::Connection;

use super::failure::Failure;
use super::{Db, StoreError, migrations};

impl Db {
    /// Opens (creating if needed) and migrates the state file.
    ///
    /// The folder must exist: creating it is the service manager's job (systemd `StateDirectory=`),
    /// and a missing folder usually means a wrong path.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let shown = path.display().to_string();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !folder.is_dir()
        {
            return Err(StoreError::Open {
                path: shown,
                message: format!("the folder {} does not exist", folder.display()),
            });
        }
        let conn =
            Connection::open(path).map_err(|e| Failure::from(e).into_store_error(&shown, true))?;
        Self::prepare(conn, shown, true)
    }

    /// A store that lives only as long as the value: for tests and `preview`-like dry runs.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let shown = ":memory:".to_owned();
        let conn = Connection::open_in_memory()
            .map_err(|e| Failure::from(e).into_store_error(&shown, true))?;
        Self::prepare(conn, shown, false)
    }

    fn prepare(mut conn: Connection, path: String, on_disk: bool) -> Result<Self, StoreError> {
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
        setup(&mut conn).map_err(|e| e.into_store_error(&path, true))?;
        Ok(Self {
            conn: Mutex::new(conn),
            notes: Mutex::default(),
            path,
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
