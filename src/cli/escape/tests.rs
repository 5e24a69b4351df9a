use super::*;

#[test]
fn every_unsafe_character_is_written_as_its_escape() {
    assert_eq!(
        printable("a\nb\r\tc\u{1b}[31m\u{7}\u{7f}\u{85}\u{2028}\u{202e}d"),
        "a\\nb\\r\\tc\\u{1b}[31m\\u{7}\\u{7f}\\u{85}\\u{2028}\\u{202e}d"
    );
    assert!(matches!(printable("plain \\ text é"), Cow::Borrowed(_)));
}

#[test]
fn a_text_line_keeps_only_its_final_line_break() {
    assert_eq!(
        text_line("INFO delivered entry=a\nERROR forged\u{7}\n"),
        "INFO delivered entry=a\\nERROR forged\\u{7}\n"
    );
    assert!(matches!(text_line("INFO polled\n"), Cow::Borrowed(_)));
}

#[test]
fn a_json_line_holds_no_control_character_even_once_decoded() {
    let event = serde_json::json!({
        "message": "delivered",
        "entry": "a\nb\u{1b}[31m\u{7}\r\t\u{8}\u{c}\u{85}\u{202e}\u{0}",
        "title": "quote \" backslash \\ é 😀 \\n",
    });
    let line = format!("{event}\n");
    let safe = json_line(&line);
    assert!(safe.ends_with("}\n") && !safe[..safe.len() - 1].contains(is_unsafe));
    let decoded: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
    assert_eq!(
        decoded["entry"],
        "a\\nb\\u{1b}[31m\\u{7}\\r\\t\\u{8}\\u{c}\\u{85}\\u{202e}\\u{0}"
    );
    assert_eq!(decoded["title"], event["title"], "other escapes are kept");
    assert_eq!(decoded["message"], "delivered");
}

#[test]
fn a_clean_json_line_is_returned_as_it_is() {
    let line = "{\"message\":\"polled\",\"feed\":\"blog\"}\n";
    assert!(matches!(json_line(line), Cow::Borrowed(_)));
}
