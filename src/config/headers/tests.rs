use std::path::Path;

use super::*;
use crate::config::raw::ChannelRaw;

fn env(name: &str) -> Option<String> {
    match name {
        "TOKEN" => Some("s3cret".to_owned()),
        "MULTILINE" => Some("s3cret\nInjected: yes".to_owned()),
        _ => None,
    }
}

type Pairs = Vec<(String, String)>;

/// The headers of `table` (the inside of an inline table), as `(name, value)`, and the report's
/// problems as `(key, message)`. Every value found is checked to be sensitive.
fn read(table: &str) -> (Pairs, Pairs) {
    let text = format!("headers = {{ {table} }}");
    let raw: ChannelRaw = toml::from_str(&text).expect("a headers table");
    let mut report = Report::new(Path::new("f.toml"), &text);
    let raw = raw.headers.expect("headers");
    let found = headers(&raw, "channels.archive.headers", &env, &mut report);
    assert!(found.values().all(HeaderValue::is_sensitive), "{found:?}");
    assert!(!format!("{found:?}").contains("s3cret"), "{found:?}");
    let found = found.iter().map(|(name, value)| {
        let value = value.to_str().expect("visible ASCII");
        (name.as_str().to_owned(), value.to_owned())
    });
    let problems = report.problems.into_iter().map(|p| (p.key, p.message));
    (found.collect(), problems.collect())
}

#[test]
fn headers_keep_file_order_expand_variables_and_hide_their_values() {
    let (found, problems) =
        read("X-Source = \"feedhook\", Authorization = \"Bearer ${TOKEN}\", Accept = \"*/*\"");
    assert!(problems.is_empty(), "{problems:?}");
    let expected = [
        ("x-source", "feedhook"),
        ("authorization", "Bearer s3cret"),
        ("accept", "*/*"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn an_unset_variable_is_named_under_the_header_key() {
    let (found, problems) = read("Authorization = \"Bearer ${ARCHIVE_TOKEN}\"");
    assert!(found.is_empty());
    assert_eq!(
        problems,
        [(
            "channels.archive.headers.Authorization".to_owned(),
            "environment variable ARCHIVE_TOKEN is not set".to_owned()
        )]
    );
}

#[test]
fn reserved_invalid_and_repeated_names_are_refused() {
    let (found, problems) = read(
        "Host = \"a\", \"Content-Length\" = \"1\", transfer-encoding = \"chunked\", \
             \"X Bad\" = \"1\", X-Tag = \"1\", x-tag = \"2\"",
    );
    assert_eq!(found, [("x-tag".to_owned(), "1".to_owned())]);
    let messages: Vec<_> = problems.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(messages.len(), 5, "{messages:?}");
    for name in ["Host", "Content-Length", "transfer-encoding"] {
        let refused = format!("header {name} cannot be set");
        assert!(messages.iter().any(|m| m.starts_with(&refused)), "{name}");
    }
    assert!(
        messages
            .iter()
            .any(|m| m.contains("\"X Bad\" is not a valid HTTP header name"))
    );
    assert!(messages.contains(&"header x-tag is set twice (header names ignore case)"));
    assert_eq!(problems[3].0, "channels.archive.headers.\"X Bad\"");
}

#[test]
fn a_bad_value_is_refused_without_repeating_it() {
    let (found, problems) = read("Authorization = \"${MULTILINE}\", X-Key = \"s3cret\\u0007\"");
    assert!(found.is_empty());
    assert_eq!(problems.len(), 2, "{problems:?}");
    for (_, message) in &problems {
        assert!(
            message.contains("not a valid HTTP header value"),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");
    }
}
