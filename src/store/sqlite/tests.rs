use super::*;
use crate::store::sqlite::testing::{Poll, at};

#[test]
fn store_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Db>();
}

#[test]
fn after_a_full_disk_the_first_call_that_works_merges_and_truncates_the_write_ahead_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.db");
    let store = Db::open(&path).expect("open");
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    let wal_size = || {
        std::fs::metadata(dir.path().join("state.db-wal"))
            .map(|meta| meta.len())
            .expect("the write-ahead log")
    };
    assert!(wal_size() > 0, "a committed poll waits in the log");
    store.set_max_page_count_for_tests(1).expect("cap the file");
    let mut poll = Poll::new("blog", &["a", "b"], &["ops"]).at(at(15));
    poll.entries[1].summary_html = Some("x".repeat(256 * 1024));
    let err = store.record_poll(&poll.record()).expect_err("disk full");
    assert!(matches!(err, StoreError::DiskFull(_)), "{err:?}");
    assert!(wal_size() > 0);

    store.set_max_page_count_for_tests(1 << 30).expect("uncap");
    assert_eq!(wal_size(), 0, "merged into the file and truncated");
    let summary = poll.run(&store);
    assert_eq!(summary.new_entries, 1, "and writes go on");
}
