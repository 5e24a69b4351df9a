use super::*;

#[test]
fn a_line_is_masked_then_escaped_in_either_format() {
    let redactor = Redactor::new(["hook-t0ken-1234"]);
    let text = "WARN failed error=HTTP 404: no hook /hook-t0ken-1234\u{1b}[2J\n";
    assert_eq!(
        safe_line(text, LogFormat::Human, Some(&redactor)),
        "WARN failed error=HTTP 404: no hook /[redacted]\\u{1b}[2J\n"
    );
    let json = "{\"error\":\"no hook /hook-t0ken-1234\\u001b[2J\"}\n";
    assert_eq!(
        safe_line(json, LogFormat::Json, Some(&redactor)),
        "{\"error\":\"no hook /[redacted]\\\\u{1b}[2J\"}\n"
    );
    assert_eq!(
        safe_line("INFO polled\n", LogFormat::Human, None),
        "INFO polled\n"
    );
}
