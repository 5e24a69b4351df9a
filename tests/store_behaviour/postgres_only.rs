//! What only a shared database has: instances starting together, a schema from a newer build,
//! an unreachable server.

use feedhook::config::{DatabaseSettings, DatabaseUrl};
use feedhook::store::{Store, StoreError};

use super::common::pg::TestDatabase;
use super::{Poll, drain};

#[tokio::test(flavor = "multi_thread")]
async fn instances_starting_together_migrate_once_and_share_the_state() {
    let database = TestDatabase::create().await;
    let settings = database.settings();
    let (a, b, c) = tokio::join!(
        Store::connect(&settings),
        Store::connect(&settings),
        Store::connect(&settings)
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    Poll::new("blog", &[], &["ops"]).run(&a).await;
    Poll::new("blog", &["x"], &["ops"]).at(15).run(&b).await;
    assert_eq!(drain(&c, "ops").await, ["x"]);
    drop((a, b, c));
}

#[tokio::test]
async fn a_schema_newer_than_known_is_refused_untouched() {
    let database = TestDatabase::create().await;
    drop(Store::connect(&database.settings()).await.unwrap());
    database
        .execute("UPDATE feedhook_schema SET version = 999")
        .await;
    let error = Store::connect(&database.settings())
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(error, StoreError::TooNew { found: 999, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("newer feedhook"), "{error}");
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable_and_the_password_stays_hidden() {
    // A port nothing listens on: the listener is bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let password = "hunter2-database-password";
    let url = format!("postgres://feedhook:{password}@127.0.0.1:{port}/feedhook?sslmode=disable");
    let settings = DatabaseSettings::new(DatabaseUrl::parse(&url).unwrap());
    let error = Store::connect(&settings).await.err().expect("unreachable");
    assert!(error.is_retryable(), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(password), "{shown}");
    assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");
}
