use super::*;
use crate::render::testing::Sample;

#[test]
fn dates_read_in_utc_with_a_short_month() {
    let date = DateTime::parse_from_rfc3339("2026-11-27T15:05:00+01:00").expect("valid date");
    assert_eq!(
        format_date(date.with_timezone(&Utc)),
        "27 Nov 2026 14:05 UTC"
    );
}

#[test]
fn untitled_entry_takes_its_title_from_the_summary_start() {
    let sample = Sample::untitled();
    let card = sample.card();
    let title = card.display_title();
    assert!(title.starts_with("Just shipped a tiny fix"), "{title}");
    assert!(title.chars().count() <= TITLE_FROM_SUMMARY_CHARS);
}

#[test]
fn entry_without_title_or_summary_is_untitled() {
    let mut sample = Sample::untitled();
    sample.entry.summary_html = None;
    let card = sample.card();
    assert_eq!(card.display_title(), UNTITLED);
}

#[test]
fn many_authors_are_counted_after_the_first_three() {
    let mut sample = Sample::full();
    sample.entry.authors = ["A", "B", "", "C", "D", "E"].map(String::from).to_vec();
    assert_eq!(
        sample.card().authors().as_deref(),
        Some("A, B, C and 2 more")
    );
}

#[test]
fn non_web_links_and_plain_http_images_are_not_used() {
    let mut sample = Sample::full();
    sample.entry.link = Some("javascript:alert(1)".into());
    sample.entry.image = Some("http://example.com/a.png".into());
    let card = sample.card();
    assert_eq!(card.link(), None);
    assert_eq!(card.image(), None);
    assert_eq!(
        card.base_url().map(String::from).as_deref(),
        Some(sample.feed_url.as_str())
    );
}
