use super::*;

fn version(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .expect("user_version")
}

#[test]
fn fresh_database_reaches_the_known_version() {
    let mut conn = Connection::open_in_memory().expect("memory db");
    apply(&mut conn).expect("migrate");
    assert_eq!(version(&conn), known_version());
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN
             ('feeds', 'entries', 'deliveries', 'channels')",
            [],
            |row| row.get(0),
        )
        .expect("count tables");
    assert_eq!(tables, 4);
}

#[test]
fn applying_twice_changes_nothing() {
    let mut conn = Connection::open_in_memory().expect("memory db");
    apply(&mut conn).expect("first");
    apply(&mut conn).expect("second");
    assert_eq!(version(&conn), known_version());
}

#[test]
fn newer_schema_is_refused() {
    let conn = Connection::open_in_memory().expect("memory db");
    conn.pragma_update(None, "user_version", known_version() + 1)
        .expect("set version");
    let err = check_version(&conn).expect_err("too new");
    assert!(matches!(err, Failure::TooNew { found, known } if found == known + 1));
}
