use super::*;
use crate::render::html::to_rich_text;
use crate::render::markup::plain::to_plain;

#[test]
fn text_that_fits_is_unchanged() {
    assert!(matches!(
        truncate("short", 5, Measure::Chars),
        Cow::Borrowed("short")
    ));
}

#[test]
fn cut_prefers_a_word_boundary_near_the_limit() {
    assert_eq!(
        truncate("the quick brown fox jumps", 18, Measure::Chars),
        "the quick brown…"
    );
}

#[test]
fn a_single_long_word_is_cut_mid_word() {
    assert_eq!(truncate("abcdefghijklmnop", 6, Measure::Chars), "abcde…");
}

#[test]
fn a_far_away_space_does_not_pull_the_cut_back() {
    let text = format!("a {}", "b".repeat(200));
    assert_eq!(truncate(&text, 101, Measure::Chars).chars().count(), 101);
}

#[test]
fn zwj_emoji_sequences_are_never_split() {
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    let text = family.repeat(3);
    for max in 1..=text.len() {
        let out = truncate(&text, max, Measure::Bytes);
        let kept = out.strip_suffix(ELLIPSIS).unwrap_or(&out);
        assert!(
            kept.len().is_multiple_of(family.len()),
            "max {max}: {kept:?}"
        );
        assert!(out.len() <= max);
    }
}

#[test]
fn combining_marks_stay_with_their_letter() {
    let text = "e\u{301}e\u{301}e\u{301}e\u{301}";
    assert_eq!(truncate(text, 5, Measure::Chars), "e\u{301}e\u{301}…");
    assert_eq!(truncate(text, 4, Measure::Chars), "e\u{301}…");
}

#[test]
fn skin_tone_and_flags_are_whole_graphemes() {
    let text = "👍🏽🇫🇷👍🏽🇫🇷";
    assert_eq!(truncate(text, 3, Measure::Chars), "👍🏽…");
    assert_eq!(truncate(text, 5, Measure::Utf16), "👍🏽…");
}

#[test]
fn limits_are_counted_in_the_requested_unit() {
    let text = "ééééé";
    assert_eq!(truncate(text, 4, Measure::Chars), "ééé…");
    assert_eq!(truncate(text, 7, Measure::Bytes), "éé…");
    assert_eq!(Measure::Utf16.len("a😀"), 3);
}

#[test]
fn a_limit_smaller_than_the_ellipsis_gives_nothing() {
    assert_eq!(truncate("abc", 2, Measure::Bytes), "");
    assert_eq!(truncate("abc", 0, Measure::Chars), "");
}

#[test]
fn rich_text_within_the_limit_is_unchanged() {
    let text = to_rich_text("<p>one</p><p>two</p>", None);
    assert_eq!(rich_len(&text), 7);
    assert_eq!(truncate_rich(&text, 7), text);
}

#[test]
fn rich_text_keeps_whole_blocks_then_cuts_one() {
    let text = to_rich_text(
        "<p>first block</p><p>second block here</p><p>third</p>",
        None,
    );
    let cut = truncate_rich(&text, 25);
    assert!(rich_len(&cut) <= 25);
    assert_eq!(to_plain(&cut), "first block\n\nsecond block…");
}

#[test]
fn rich_text_cut_keeps_links_and_styles_on_kept_text() {
    let text = to_rich_text(
        "<p><b>bold words here</b> <a href=\"https://x.example/\">a link</a></p>",
        None,
    );
    let cut = truncate_rich(&text, 12);
    let Inline::Text(first) = &cut.blocks[0].inlines[0] else {
        panic!("text run expected")
    };
    assert!(first.style.bold);
    assert_eq!(first.text, "bold words");
    assert_eq!(cut.blocks[0].inlines.len(), 2);
}

#[test]
fn rich_text_cut_before_a_block_ends_the_previous_one_with_an_ellipsis() {
    let text = to_rich_text("<p>exactly ten</p><p>more</p>", None);
    let cut = truncate_rich(&text, 13);
    assert_eq!(to_plain(&cut), "exactly ten…");
}

#[test]
fn rich_text_never_exceeds_the_limit() {
    let text = to_rich_text(
        "<ul><li>alpha beta</li><li>gamma<br>delta</li></ul><p>epsilon zeta eta</p>",
        None,
    );
    for max in 0..=rich_len(&text) {
        assert!(rich_len(&truncate_rich(&text, max)) <= max, "max {max}");
    }
}
