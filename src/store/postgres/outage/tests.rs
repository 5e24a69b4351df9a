use std::str::FromStr;

use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod};
use tokio_postgres::NoTls;

use super::*;

fn pool(url: &str) -> Pool {
    let config = tokio_postgres::Config::from_str(url).expect("a URL");
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager).max_size(1).build().expect("a pool")
}

/// A port on 127.0.0.1 with nothing listening.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.local_addr().expect("an address").port()
}

#[tokio::test]
async fn before_the_store_connected_a_failure_is_no_outage() {
    let outage = Outage::new("postgres://127.0.0.1/x");
    let nowhere = pool(&format!("postgres://u@127.0.0.1:{}/x", closed_port()));
    outage.report("refused", &nowhere);
    assert!(outage.current().is_none());
}

#[tokio::test]
async fn an_outage_keeps_its_first_cause_until_the_database_answers() {
    let outage = Outage::new("postgres://127.0.0.1/x");
    outage.arm();
    let nowhere = pool(&format!("postgres://u@127.0.0.1:{}/x", closed_port()));
    outage.report("connection refused", &nowhere);
    outage.report("another feed's error", &nowhere);
    let Some(StoreError::Unavailable { database, message }) = outage.current() else {
        panic!("an outage is under way");
    };
    assert_eq!(
        (database.as_str(), message.as_str()),
        ("postgres://127.0.0.1/x", "connection refused")
    );
    outage.closed.cancel();
}

#[tokio::test]
async fn the_probe_ends_the_outage_once_the_server_answers() {
    let server = std::env::var("FEEDHOOK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let outage = Outage::new("postgres://127.0.0.1/x");
    outage.arm();
    outage.report("the server restarted", &pool(&server));
    assert!(outage.current().is_some());
    outage.wait_over().await;
    assert!(outage.current().is_none());
}
