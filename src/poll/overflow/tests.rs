use super::*;

#[test]
fn the_note_counts_and_lists_the_newest_held_back_entries() {
    let entries: Vec<Entry> = (0..15)
        .map(|i| Entry {
            key: format!("k{i}"),
            title: Some(format!("Post <{i}>")),
            link: Some(format!("https://example.com/{i}")),
            ..Entry::default()
        })
        .collect();
    let held: Vec<&Entry> = entries.iter().collect();
    let info = FeedInfo {
        title: Some("Blog".into()),
        link: Some("https://example.com/".into()),
    };
    let note = overflow_note("blog", &info, &held, DateTime::UNIX_EPOCH);
    assert_eq!(note.title.as_deref(), Some("…and 15 more from Blog"));
    let summary = note.summary_html.unwrap_or_default();
    assert!(
        summary.contains("Post &lt;14&gt;") && !summary.contains("Post &lt;4&gt;"),
        "{summary}"
    );
    assert!(summary.contains("…and 5 more."), "{summary}");
    assert_eq!(note.link.as_deref(), Some("https://example.com/"));
}
