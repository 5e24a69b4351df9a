use super::*;

#[test]
fn bidi_overrides_and_isolates_are_removed() {
    assert_eq!(
        strip_invisible("a\u{202E}gnp.exe\u{202C}b\u{2066}c\u{2069}"),
        "agnp.exebc"
    );
}

#[test]
fn zero_width_characters_inside_ascii_words_are_removed() {
    assert_eq!(
        clean_line("@every\u{200B}one @here\u{200D}x \u{FEFF}bom a\u{200C}b"),
        "@everyone @herex bom ab"
    );
}

#[test]
fn zero_width_joiner_inside_emoji_sequence_is_kept() {
    let family = "👨\u{200D}👩\u{200D}👧";
    assert_eq!(strip_invisible(family), family);
}

#[test]
fn terminal_escape_sequences_lose_their_escape_character() {
    assert_eq!(strip_invisible("\u{1b}[31mred\u{7}\u{9b}"), "[31mred");
}

#[test]
fn line_endings_are_normalised_and_newlines_kept() {
    assert_eq!(strip_invisible("a\r\nb\rc\u{2028}d\te"), "a\nb\nc\nd e");
}

#[test]
fn whitespace_runs_collapse_to_one_space() {
    assert_eq!(clean_line("  a \n\n b\u{a0}\u{a0}c\t "), "a b c");
}

#[test]
fn combining_marks_and_non_latin_text_survive() {
    let text = "e\u{301}te\u{301} – Привет – 日本語 – مرحبا";
    assert_eq!(clean_line(text), text);
}
