use super::*;

#[test]
fn probes_double_from_a_minute_to_an_hour() {
    let minutes: Vec<u64> = (0..9).map(|n| probe_delay(n).as_secs() / 60).collect();
    assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    assert_eq!(probe_delay(u32::MAX), LONGEST_PROBE_GAP);
}

#[test]
fn the_backlog_card_lists_the_newest_held_and_counts_the_rest() {
    let entries: Vec<Entry> = (0..12)
        .map(|n| Entry {
            key: n.to_string(),
            title: Some(format!("Entry <{n}>")),
            ..Entry::default()
        })
        .collect();
    let held: Vec<&Entry> = entries.iter().collect();
    let info = FeedInfo {
        title: Some("Blog".to_owned()),
        link: None,
    };
    let card = backlog_note("ops", "blog", &info, &held, DateTime::UNIX_EPOCH);
    assert_eq!(card.title.as_deref(), Some("…and 12 more from Blog"));
    let summary = card.summary_html.unwrap_or_default();
    assert!(summary.contains("<li>Entry &lt;11&gt;</li>"), "{summary}");
    assert!(!summary.contains("Entry &lt;1&gt;"), "{summary}");
    assert!(summary.contains("…and 2 more."), "{summary}");
}
