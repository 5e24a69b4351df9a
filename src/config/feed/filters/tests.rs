use std::fmt::Write as _;

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

#[test]
fn a_pattern_too_big_to_compile_is_refused_with_the_reason() {
    let message = compile(r"\w{1000}").expect_err("too big");
    assert!(
        message.contains(r#""\\w{1000}""#) && message.contains("1024 KiB"),
        "{message}"
    );
    assert!(
        message.contains("(?-u)"),
        "says how to shrink it: {message}"
    );
    // The same count of an ASCII class is small enough.
    compile(r"(?-u)\w{1000}").expect("ASCII only");
}

#[test]
fn a_repeated_pattern_is_compiled_once_and_so_is_a_failure() {
    let mut shared = SharedPatterns::default();
    let first = shared.get(r"\w+").expect("valid");
    let again = shared.get(r"\w+").expect("valid");
    assert!(
        std::ptr::eq(first.as_str(), again.as_str()),
        "one compiled program"
    );
    assert!(shared.get("(unclosed").is_err());
    assert!(shared.get("(unclosed").is_err());
    assert_eq!(
        shared.0.len(),
        2,
        "two distinct patterns, each compiled once"
    );
}

/// A config of `count` feeds, each with one Unicode `\w+` include, in a temp folder.
fn many_feeds(count: usize, include: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("feedhook.toml");
    let mut text = String::from("[channels.ops]\nkind = \"console\"\n");
    for index in 0..count {
        let _ = write!(
            text,
            "\n[[feeds]]\nurl = \"https://example.com/{index}.xml\"\nchannels = [\"ops\"]\ninclude = ['{include}']\n"
        );
    }
    std::fs::write(&path, text).expect("config");
    (dir, path)
}

#[test]
fn ten_thousand_feeds_with_one_pattern_share_its_compiled_program() {
    let (_dir, path) = many_feeds(10_000, r"\w+");
    let config = crate::config::Config::load(&path).expect("valid");
    assert_eq!(config.feeds.len(), 10_000);
    let first = config.feeds[0].filter.include[0].as_str();
    assert_eq!(first, r"\w+");
    assert!(
        config
            .feeds
            .iter()
            .all(|feed| std::ptr::eq(feed.filter.include[0].as_str(), first)),
        "every feed holds the one compiled pattern"
    );
}

#[test]
fn a_pattern_too_big_is_named_with_its_file_line_and_key() {
    let (_dir, path) = many_feeds(3, r"\w{1000}");
    let Err(crate::config::ConfigError::Invalid(problems)) = crate::config::Config::load(&path)
    else {
        panic!("a pattern over the limit must be refused");
    };
    let located: Vec<(Option<usize>, &str)> =
        problems.iter().map(|p| (p.line, p.key.as_str())).collect();
    assert_eq!(
        located,
        [
            (Some(7), "feeds[0].include[0]"),
            (Some(12), "feeds[1].include[0]"),
            (Some(17), "feeds[2].include[0]"),
        ]
    );
    assert!(
        problems
            .iter()
            .all(|p| p.file == path && p.message.contains("KiB"))
    );
}
