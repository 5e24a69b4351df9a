use super::*;

#[test]
fn html_names_resolve_to_their_text() {
    assert_eq!(named("aacute").as_deref(), Some("á"));
    assert_eq!(named("nbsp").as_deref(), Some("\u{a0}"));
    assert_eq!(
        named("NotNestedGreaterGreater").as_deref(),
        Some("\u{2aa2}\u{338}")
    );
    assert_eq!(named("bogus"), None);
}

#[test]
fn numeric_references_follow_html() {
    assert_eq!(numeric("#233"), Some('é'));
    assert_eq!(numeric("#xE9"), Some('é'));
    assert_eq!(numeric("#XE9"), Some('é'));
    assert_eq!(numeric("#147"), Some('\u{201C}'));
    assert_eq!(numeric("#0"), Some(char::REPLACEMENT_CHARACTER));
    assert_eq!(numeric("#xD800"), Some(char::REPLACEMENT_CHARACTER));
    assert_eq!(numeric("#99999999999"), Some(char::REPLACEMENT_CHARACTER));
    assert_eq!(numeric("#x"), None);
    assert_eq!(numeric("#12a"), None);
}
