use super::*;

#[test]
fn a_token_of_letters_digits_dashes_and_underscores_has_two_forms() {
    let mut forms = written("Abc-123_xyz");
    forms.sort();
    forms.dedup();
    assert_eq!(forms, ["Abc%2D123%5Fxyz", "Abc-123_xyz"]);
}

#[test]
fn forms_cover_each_way_of_writing_back() {
    let forms = written("a b/é\"<");
    for expected in [
        "a b/é\"<",
        "a%20b%2F%C3%A9%22%3C",
        "a+b%2F%C3%A9%22%3C",
        "a%20b/%C3%A9%22%3C",
        "a b/é\\\"<",
        "a b\\/é\\\"<",
        "a b/\\u00e9\\\"<",
        "a b/é&quot;&lt;",
    ] {
        assert!(
            forms.iter().any(|f| f == expected),
            "{expected} not in {forms:?}"
        );
    }
}

#[test]
fn characters_beyond_the_basic_plane_are_escaped_as_surrogate_pairs() {
    assert_eq!(ascii_json("x😀"), "x\\ud83d\\ude00");
}
