use std::path::Path;

use super::*;

fn read_str(text: &str) -> (Option<RawConfig>, Report) {
    let mut report = Report::new(Path::new("f.toml"), text);
    let raw = read(text, &mut report);
    (raw, report)
}

#[test]
fn every_unknown_key_is_reported_at_its_line() {
    let text = "[fetch]\nconcurency = 3\nper_hots = 2\n\n[[feeds]]\nurl = \"https://a.example/\"\nchanels = []\n";
    let (raw, report) = read_str(text);
    assert!(raw.is_some());
    let (problems, _) = report.into_sorted();
    let found: Vec<_> = problems.iter().map(|p| (p.key.as_str(), p.line)).collect();
    assert_eq!(
        found,
        [
            ("fetch.concurency", Some(2)),
            ("fetch.per_hots", Some(3)),
            ("feeds[0].chanels", Some(7))
        ]
    );
    assert!(
        problems[0]
            .message
            .contains("accepted keys: concurrency, per_host")
    );
}

#[test]
fn a_wrong_type_names_the_key_and_keeps_the_rest_of_the_feed() {
    let text = "[[feeds]]\nurl = \"https://a.example/\"\nbacklog = \"many\"\n\n[[feeds]]\nurl = \"https://b.example/\"\n";
    let (raw, report) = read_str(text);
    let problem = &report.problems[0];
    assert_eq!(
        (problem.key.as_str(), problem.line),
        ("feeds[0].backlog", Some(3))
    );
    assert!(
        problem.message.contains("expected an integer"),
        "{}",
        problem.message
    );
    let feeds = raw.expect("valid syntax").feeds;
    assert_eq!(feeds.iter().map(|f| f.index).collect::<Vec<_>>(), [0, 1]);
    assert!(feeds[0].raw.url.is_some() && feeds[0].raw.backlog.is_none());
}

#[test]
fn every_wrong_type_is_reported_and_the_other_keys_kept() {
    let text = "[fetch]\nconcurrency = \"many\"\nper_host = true\n\n[store]\npath = 3\n\n[defaults]\nbacklog = 5\ntimeout = 30\n";
    let (raw, report) = read_str(text);
    let (problems, _) = report.into_sorted();
    let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "fetch.concurrency",
            "fetch.per_host",
            "store.path",
            "defaults.timeout"
        ]
    );
    let backlog = raw
        .expect("valid syntax")
        .defaults
        .backlog
        .map(Spanned::into_inner);
    assert_eq!(backlog, Some(5));
}

#[test]
fn syntax_errors_are_located_and_stop_the_reading() {
    let (raw, report) = read_str("[store]\npath = \n");
    assert!(raw.is_none());
    assert_eq!(report.problems[0].key, "TOML syntax");
    assert_eq!(report.problems[0].line, Some(2));
}

#[test]
fn a_single_bracket_feeds_table_is_explained() {
    let (_, report) = read_str("[feeds]\nurl = \"https://a.example/\"\n");
    assert!(report.problems[0].message.contains("[[feeds]]"));
}

#[test]
fn a_key_only_a_feed_takes_is_unknown_in_defaults() {
    let (raw, report) = read_str("[defaults]\nbacklog = 2\nurl = \"https://a.example/\"\n");
    let problem = &report.problems[0];
    assert_eq!(
        (problem.key.as_str(), problem.line),
        ("defaults.url", Some(3))
    );
    assert!(
        problem.message.ends_with(
            "accepted keys: interval, schedule, timezone, backlog, timeout, max_body, \
                        max_new_per_poll, max_age, headers, user_agent, basic_auth, bearer_token, \
                        bearer_token_file, proxy, tls_insecure, ca_file, push, push_interval"
        ),
        "{}",
        problem.message
    );
    let defaults = raw.expect("valid syntax").defaults;
    assert!(defaults.url.is_none());
    assert_eq!(defaults.backlog.map(Spanned::into_inner), Some(2));
}

#[test]
fn an_unknown_section_is_reported() {
    let (_, report) = read_str("[channel.ops]\nkind = \"console\"\n");
    assert_eq!(report.problems[0].key, "channel");
    assert_eq!(report.problems[0].line, Some(1));
}

fn problems_in_parts(text: &str, feeds_per_part: usize) -> (Option<Vec<usize>>, Vec<String>) {
    let mut report = Report::new(Path::new("f.toml"), text);
    let raw = read_in_parts(text, feeds_per_part, &mut report);
    let indexes = raw.map(|raw| raw.feeds.iter().map(|item| item.index).collect());
    let (problems, _) = report.into_sorted();
    (indexes, problems.iter().map(ToString::to_string).collect())
}

// A fixture: clarity over allocations.
#[allow(clippy::format_push_string)]
fn long_list(odd_feed: &str) -> String {
    let mut text = String::from("[channels.c]\nkind = \"console\"\n\n");
    for i in 0..9 {
        text.push_str(&format!(
            "[[feeds]]\nurl = \"https://a.example/{i}\"\nchannels = [\"c\"]\n"
        ));
        match i {
            2 => text.push_str("colour = \"red\"\n"),
            4 => text.push_str("backlog = \"many\"\n[feeds.headers]\nX-Team = \"ops\"\n"),
            6 => text.push_str(odd_feed),
            _ => {}
        }
    }
    text
}

#[test]
fn a_list_read_in_parts_reads_as_the_whole_file() {
    let text = long_list("");
    let whole = problems_in_parts(&text, usize::MAX);
    assert_eq!(whole.0.as_ref().map(Vec::len), Some(9), "{whole:?}");
    assert!(
        whole.1.iter().any(|p| p.contains("feeds[2].colour")),
        "{whole:?}"
    );
    assert!(
        whole.1.iter().any(|p| p.contains("feeds[4].backlog")),
        "{whole:?}"
    );
    for per_part in [1, 2, 4] {
        assert_eq!(
            problems_in_parts(&text, per_part),
            whole,
            "{per_part} per part"
        );
    }
}

#[test]
fn a_syntax_error_in_a_later_part_is_all_that_is_reported() {
    let text = long_list("url = \"unterminated\n");
    let whole = problems_in_parts(&text, usize::MAX);
    assert_eq!(whole.0, None);
    assert!(
        whole.1.iter().all(|p| p.contains("TOML syntax")),
        "{whole:?}"
    );
    assert_eq!(problems_in_parts(&text, 2), whole);
}
