//! The entry model is stored as JSON in users' state files (the outbox keeps each pending
//! entry): what an earlier feedhook wrote must still decode.

use super::*;

/// An entry as feedhook 0.1 writes it to the outbox, every field set.
const STORED_ENTRY: &str = r#"{"key":"tag:example.com,2024:1","id":"tag:example.com,2024:1","title":"First & best","link":"https://example.com/posts/1","published":"2024-01-02T10:00:00Z","updated":"2024-01-03T08:30:00Z","authors":["Ann","Bob"],"summary_html":"<p>Hello</p>","categories":["rust"],"image":"https://cdn.example.com/1.png"}"#;

/// The same with every optional field absent or null, as entries without them are stored.
const STORED_SPARSE_ENTRY: &str = r#"{"key":"sha256:00","id":null,"title":null,"link":null,"published":null,"updated":null,"authors":[],"summary_html":null,"categories":[],"image":null}"#;

#[test]
fn an_entry_stored_by_this_version_still_decodes() {
    let entry: Entry = serde_json::from_str(STORED_ENTRY).expect("a stored entry decodes");
    assert_eq!(entry.key, "tag:example.com,2024:1");
    assert_eq!(entry.title.as_deref(), Some("First & best"));
    assert_eq!(
        entry.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-01-03T08:30:00+00:00")
    );
    assert_eq!(entry.authors, ["Ann", "Bob"]);
    assert_eq!(
        serde_json::to_string(&entry).expect("encodes"),
        STORED_ENTRY
    );

    let sparse: Entry = serde_json::from_str(STORED_SPARSE_ENTRY).expect("a sparse entry decodes");
    assert_eq!(
        sparse,
        Entry {
            key: "sha256:00".to_owned(),
            ..Entry::default()
        }
    );
}

#[test]
fn stored_feed_info_still_decodes() {
    let info: FeedInfo =
        serde_json::from_str(r#"{"title":"Blog","link":"https://example.com/"}"#).expect("decodes");
    assert_eq!(info.title.as_deref(), Some("Blog"));
}
