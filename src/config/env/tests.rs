use super::*;

fn env(name: &str) -> Option<String> {
    match name {
        "HOOK" => Some("https://hooks.example/abc".to_owned()),
        "TOKEN" => Some("s3cret".to_owned()),
        "BLANK" => Some(String::new()),
        _ => None,
    }
}

#[test]
fn references_are_replaced_anywhere_in_the_text() {
    assert_eq!(
        expand("${HOOK}", &env).as_deref(),
        Ok("https://hooks.example/abc")
    );
    assert_eq!(
        expand("https://x.example/${TOKEN}?a=${TOKEN}", &env).as_deref(),
        Ok("https://x.example/s3cret?a=s3cret")
    );
}

#[test]
fn text_without_references_is_kept_including_a_lone_dollar() {
    assert_eq!(
        expand("https://x.example/$path", &env).as_deref(),
        Ok("https://x.example/$path")
    );
}

#[test]
fn an_unset_variable_is_named() {
    assert_eq!(
        expand("${OPS_TEAMS_WEBHOOK}", &env),
        Err("environment variable OPS_TEAMS_WEBHOOK is not set".to_owned())
    );
    assert!(
        expand("${BLANK}", &env)
            .expect_err("empty")
            .contains("BLANK is empty")
    );
}

#[test]
fn malformed_references_are_errors() {
    assert!(
        expand("${HOOK", &env)
            .expect_err("unclosed")
            .contains("not closed")
    );
    assert!(
        expand("${1X}", &env)
            .expect_err("bad name")
            .contains("\"1X\"")
    );
}
