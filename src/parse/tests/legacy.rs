//! Older formats and publishing mistakes that feeds still carry: what they say must reach the
//! entry all the same.

use super::*;

#[test]
fn a_windows_1252_character_in_a_mislabelled_feed_is_kept() {
    // The publisher converted windows-1252 text as if it were Latin-1: 0x92 became U+0092.
    let body = rss_item("<item><guid>1</guid><title>don\u{92}t panic</title></item>");
    assert_eq!(
        only_entry(body.as_bytes()).title.as_deref(),
        Some("don\u{2019}t panic")
    );
}
