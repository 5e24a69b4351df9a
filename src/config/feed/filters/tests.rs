use super::*;

#[test]
fn patterns_ignore_case_unless_they_turn_it_off() {
    let regex = compile("security").expect("valid");
    assert!(regex.is_match("SECURITY advisory"));
    assert_eq!(regex.as_str(), "security");
    let exact = compile("(?-i)CVE").expect("valid");
    assert!(exact.is_match("CVE-2026-1") && !exact.is_match("cve-2026-1"));
}

#[test]
fn a_regex_error_keeps_only_the_explanation() {
    let message = compile("(unclosed").expect_err("unclosed group");
    assert_eq!(message, "invalid regex \"(unclosed\": unclosed group");
    let message = compile("a{2,1}").expect_err("bad repetition");
    assert!(
        message.starts_with("invalid regex \"a{2,1}\": "),
        "{message}"
    );
    assert!(
        !message.contains('^') && !message.contains('\n'),
        "{message}"
    );
}

#[test]
fn an_empty_pattern_is_refused() {
    assert!(compile("").expect_err("empty").contains("every entry"));
}
