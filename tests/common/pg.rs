//! A fresh PostgreSQL database per test on the local server, dropped when the test ends.
//!
//! The server is `postgres://postgres@127.0.0.1:5432/postgres` unless `FEEDHOOK_TEST_PG` names
//! another; databases are named after `FEEDHOOK_TEST_PG_PREFIX` (default `feedhook_test`), which
//! `.ci/run` sets per run so that it can drop whatever a killed run left behind. An unreachable
//! server fails the test: it is never skipped.

use std::sync::atomic::{AtomicUsize, Ordering};

use feedhook::config::{DatabaseSettings, DatabaseUrl};
use tokio_postgres::NoTls;

const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A database that exists as long as the value.
pub struct TestDatabase {
    /// Its URL, as `[store] url` takes it.
    pub url: String,
    name: String,
    server: String,
}

impl TestDatabase {
    pub async fn create() -> Self {
        let server = std::env::var("FEEDHOOK_TEST_PG").unwrap_or_else(|_| DEFAULT_SERVER.into());
        let prefix =
            std::env::var("FEEDHOOK_TEST_PG_PREFIX").unwrap_or_else(|_| "feedhook_test".into());
        let name = format!(
            "{prefix}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        admin(&server, &format!("CREATE DATABASE \"{name}\"")).await;
        let mut url = url::Url::parse(&server).expect("FEEDHOOK_TEST_PG is a URL");
        url.set_path(&name);
        Self {
            url: url.to_string(),
            name,
            server,
        }
    }

    /// `[store]` settings for this database, with `lease` and every other key at its default.
    pub fn settings(&self) -> DatabaseSettings {
        DatabaseSettings::new(DatabaseUrl::parse(&self.url).expect("a valid database URL"))
    }

    /// Runs `sql` on this database directly (to look under the store's API).
    pub async fn execute(&self, sql: &str) {
        admin(&self.url, sql).await;
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(admin(
                &server,
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            ));
        })
        .join();
        assert!(
            dropped.is_ok() || std::thread::panicking(),
            "cannot drop the test database {}",
            self.name
        );
    }
}

async fn admin(server: &str, sql: &str) {
    let (client, connection) =
        tokio_postgres::connect(server, NoTls)
            .await
            .unwrap_or_else(|error| {
                panic!("PostgreSQL is unreachable at {server} (set FEEDHOOK_TEST_PG): {error}")
            });
    let task = tokio::spawn(connection);
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    drop(client);
    let _ = task.await;
}
