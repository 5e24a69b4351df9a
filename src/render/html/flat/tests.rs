use super::*;

#[test]
fn text_is_kept_and_scripts_are_not() {
    let text =
        text_of("<p>Hello <b>world</b></p><script>alert(1)</script><div>again &amp; again</div>");
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>(),
        ["Hello", "world", "again", "&", "again"]
    );
}

#[test]
fn only_heavy_markup_is_flattened() {
    assert!(!too_much_markup("<p>short</p>"));
    assert!(!too_much_markup(
        &"<p>a <b>long</b> article</p>".repeat(5_000)
    ));
    assert!(too_much_markup(&"<div><b>".repeat(MAX_DEPTH)));
}
