use super::*;
use crate::store::sqlite::testing::{Poll, at};

#[test]
fn missing_folder_is_named_in_the_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nope").join("feedhook.db");
    let err = Db::open(&path).err().expect("missing folder");
    let StoreError::Open {
        path: shown,
        message,
    } = &err
    else {
        panic!("expected Open, got {err:?}");
    };
    assert_eq!(shown, &path.display().to_string());
    assert!(message.contains("nope"), "{message}");
    assert!(
        !path.parent().expect("parent").exists(),
        "the folder was created"
    );
}

#[test]
fn new_file_is_created_in_wal_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feedhook.db");
    let store = Db::open(&path).expect("open");
    let mode: String = store
        .with_conn(|c| Ok(c.pragma_query_value(None, "journal_mode", |r| r.get(0))?))
        .expect("journal_mode");
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .with_conn(|c| Ok(c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?))
        .expect("foreign_keys");
    assert_eq!(fk, 1);
    assert!(path.is_file());
}

#[test]
fn reopening_a_file_keeps_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feedhook.db");
    {
        let store = Db::open(&path).expect("first open");
        Poll::new("blog", &["a", "b"], &["ops"])
            .etag("v1")
            .run(&store);
        Poll::new("blog", &["a", "b", "c"], &["ops"])
            .etag("v2")
            .at(at(10))
            .run(&store);
    }
    let store = Db::open(&path).expect("reopen");
    let state = store.feed_state("blog").expect("read").expect("feed row");
    assert_eq!(state.entries_seen, 3);
    assert_eq!(state.validators.etag.as_deref(), Some("v2"));
    let pending = store.next_pending("ops").expect("read").expect("pending");
    assert_eq!(pending.entry.key, "c");
    // Nothing is re-queued on reopen: the feed stays initialised.
    let summary = Poll::new("blog", &["a", "b", "c"], &["ops"])
        .at(at(20))
        .run(&store);
    assert_eq!(summary.new_entries, 0);
    assert!(!summary.first_poll);
}

#[test]
fn newer_schema_is_refused_and_the_file_left_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feedhook.db");
    {
        let conn = Connection::open(&path).expect("plain sqlite");
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .expect("future schema");
    }
    let before = std::fs::read(&path).expect("read");
    let err = Db::open(&path).err().expect("too new");
    assert!(
        matches!(err, StoreError::TooNew { found: 99, known, .. } if known == migrations::known_version()),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(!dir.path().join("feedhook.db-wal").exists());
}

#[test]
fn garbage_file_is_corrupt_and_left_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feedhook.db");
    let garbage = "this is not a database, it is someone's notes\n".repeat(200);
    std::fs::write(&path, &garbage).expect("write");
    let err = Db::open(&path).err().expect("not a database");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("feedhook.db"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), garbage.as_bytes());
}

#[test]
fn a_folder_at_the_path_cannot_be_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = Db::open(dir.path()).err().expect("a folder");
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
}

#[test]
fn the_writer_refuses_every_call_once_its_file_is_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feedhook.db");
    let store = Db::open_exclusive(&path).expect("open");
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    store.check_file().expect("still there");
    std::fs::remove_file(&path).expect("delete");
    let err = store.feed_state("blog").expect_err("deleted");
    assert!(
        matches!(&err, StoreError::Changed { what, .. } if what == "was deleted"),
        "{err:?}"
    );
    assert!(matches!(
        store.check_file(),
        Err(StoreError::Changed { .. })
    ));
}

#[test]
fn readers_open_beside_the_writer_and_are_not_watched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feedhook.db");
    let writer = Db::open_exclusive(&path).expect("writer");
    Poll::new("blog", &["a", "b"], &["ops"]).run(&writer);
    let reader = Db::open(&path).expect("reader beside the writer");
    let state = reader.feed_state("blog").expect("read").expect("feed row");
    assert_eq!(state.entries_seen, 2);
    assert!(matches!(
        Db::open_exclusive(&path),
        Err(StoreError::AlreadyRunning { .. })
    ));
    reader.check_file().expect("a reader checks nothing");
}
