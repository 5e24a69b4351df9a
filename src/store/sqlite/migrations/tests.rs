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

/// The reason an older build dead-lettered the deliveries of a removed channel with.
fn cancelled(channel: &str) -> String {
    format!("cancelled: channel {channel} is no longer in the configuration")
}

#[test]
fn deliveries_dead_lettered_for_a_removed_channel_are_parked_unless_it_posted_since() {
    let mut conn = Connection::open_in_memory().expect("memory db");
    let parking_step = 6;
    for step in &STEPS[..parking_step - 1] {
        conn.execute_batch(step).expect("older step");
    }
    conn.pragma_update(None, "user_version", parking_step as i64 - 1)
        .expect("set version");
    conn.execute_batch(
        "INSERT INTO feeds (feed, url) VALUES ('blog', 'https://example.com/feed.xml');
         INSERT INTO entries (feed, key, first_seen_at, last_seen_at, entry)
         VALUES ('blog', 'a', 0, 0, '{}'), ('blog', 'b', 0, 0, '{}');",
    )
    .expect("entries");
    let insert = |id: i64, channel: &str, status: &str, reason: &str| {
        conn.execute(
            "INSERT INTO deliveries (id, feed, entry_key, channel, status, queued_at,
                                     next_attempt_at, last_error, failed_at)
             VALUES (?1, 'blog', 'a', ?2, ?3, 0, 0, ?4, 7)",
            rusqlite::params![id, channel, status, reason],
        )
        .expect("delivery");
    };
    insert(1, "gone", "failed", &cancelled("gone"));
    insert(2, "back", "failed", &cancelled("back"));
    insert(3, "back", "delivered", "");
    insert(4, "ops", "failed", "HTTP 400");
    apply(&mut conn).expect("migrate");

    let statuses: Vec<(i64, String, Option<i64>)> = conn
        .prepare("SELECT id, status, parked_at FROM deliveries ORDER BY id")
        .expect("prepare")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        statuses,
        [
            (1, "parked".to_owned(), Some(7)),
            (2, "failed".to_owned(), None),
            (3, "delivered".to_owned(), None),
            (4, "failed".to_owned(), None),
        ]
    );
}
