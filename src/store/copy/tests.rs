use super::*;

#[test]
fn every_table_is_paged_by_leading_columns_it_has() {
    for table in TABLES {
        assert!(
            table.key >= 1 && table.key <= table.columns.len(),
            "{}",
            table.name
        );
    }
    assert_eq!(TABLES[1].key_list(), "feed, key");
    assert!(TABLES[2].column_list().starts_with("id, feed, entry_key"));
}

#[test]
fn parents_come_before_the_tables_that_refer_to_them() {
    let order: Vec<&str> = TABLES.iter().map(|table| table.name).collect();
    let place = |name| order.iter().position(|n| *n == name).expect(name);
    assert!(place("feeds") < place("entries"));
    assert!(place("entries") < place("deliveries"));
}

#[tokio::test]
async fn a_copy_reads_past_a_page_and_keeps_the_delivery_order() {
    let (source, target) = (
        Store::open_in_memory().expect("memory store"),
        Store::open_in_memory().expect("memory store"),
    );
    let count = PAGE * 2 + 3;
    let keys: Vec<String> = (0..count).map(|n| format!("entry-{n:05}")).collect();
    let entries = keys.iter().map(|key| crate::parse::Entry {
        key: key.clone(),
        ..crate::parse::Entry::default()
    });
    let at = DateTime::from_timestamp(1_700_000_000, 0).expect("a time");
    let record = |entries: Vec<crate::parse::Entry>| super::super::PollRecord {
        feed: "blog".to_owned(),
        url: "https://example.com/feed.xml".to_owned(),
        polled_at: at,
        validators: crate::fetch::Validators::default(),
        info: crate::parse::FeedInfo::default(),
        entries,
        channels: vec!["ops".to_owned()],
        backlog: 0,
        next_due_at: at,
        limits: super::super::QueueLimits::default(),
    };
    source
        .record_poll(record(Vec::new()))
        .await
        .expect("first poll");
    source
        .record_poll(record(entries.collect()))
        .await
        .expect("second poll");
    let report = source.copy_into(&target).await.expect("copied");
    assert_eq!(report.rows("entries"), count as u64);
    assert_eq!(report.rows("deliveries"), count as u64);
    let head = target
        .next_pending("ops")
        .await
        .expect("read")
        .expect("one");
    assert_eq!(head.entry.key, keys[0]);
}
