//! A feed's `include`, `exclude` and `filter_fields`.

use super::{only_problem, problems, valid, with_console};
use crate::config::FilterField;

/// A console channel, then one feed with `keys` from line 6.
fn feed_with(keys: &str) -> String {
    with_console(&format!(
        "[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\"]\n{keys}"
    ))
}

#[test]
fn a_feed_without_filters_passes_everything_on_every_field() {
    let config = valid(&feed_with(""));
    let filter = &config.feeds[0].filter;
    assert!(filter.is_empty());
    assert_eq!(filter.fields, FilterField::ALL);
}

#[test]
fn include_exclude_and_fields_are_read_in_order() {
    let config = valid(&feed_with(
        "include = ['security', '\\bCVE-\\d+']\nexclude = [\"-rc\\\\d\"]\n\
         filter_fields = [\"title\", \"categories\"]\n",
    ));
    let filter = &config.feeds[0].filter;
    let include: Vec<_> = filter.include.iter().map(regex::Regex::as_str).collect();
    assert_eq!(include, ["security", "\\bCVE-\\d+"]);
    assert_eq!(filter.exclude[0].as_str(), "-rc\\d");
    assert_eq!(filter.fields, [FilterField::Title, FilterField::Categories]);
    assert!(
        filter.include[0].is_match("SECURITY fix"),
        "case is ignored"
    );
}

#[test]
fn every_field_name_is_accepted() {
    let config = valid(&feed_with(
        "exclude = ['x']\nfilter_fields = [\"author\", \"summary\", \"title\", \"categories\"]\n",
    ));
    assert_eq!(config.feeds[0].filter.fields.len(), 4);
}

#[test]
fn an_empty_include_list_is_no_filter() {
    let config = valid(&feed_with("include = []\n"));
    assert!(config.feeds[0].filter.is_empty());
}

#[test]
fn a_bad_regex_names_the_key_its_index_and_the_reason() {
    let problem = only_problem(
        &feed_with("include = ['ok', '(unclosed']\n"),
        "feeds[0].include[1]",
        6,
    );
    assert_eq!(
        problem.message,
        "invalid regex \"(unclosed\": unclosed group"
    );
    let problem = only_problem(
        &feed_with("exclude = [\n  'fine',\n  '[z-a]',\n]\n"),
        "feeds[0].exclude[1]",
        8,
    );
    assert_eq!(
        problem.message,
        "invalid regex \"[z-a]\": invalid character class range, the start must be <= the end"
    );
}

#[test]
fn every_bad_pattern_is_reported_and_the_feed_still_checked() {
    let found = problems(&with_console(
        "[[feeds]]\ninclude = ['[a-']\nexclude = ['', '(?z)x']\n",
    ));
    let keys: Vec<_> = found.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "feeds[0].channels",
            "feeds[0].url",
            "feeds[0].include[0]",
            "feeds[0].exclude[0]",
            "feeds[0].exclude[1]"
        ]
    );
    assert!(found[3].message.contains("empty"), "{}", found[3]);
}

#[test]
fn an_unknown_filter_field_lists_the_allowed_ones() {
    let problem = only_problem(
        &feed_with("include = ['x']\nfilter_fields = [\"title\", \"content\"]\n"),
        "feeds[0].filter_fields[1]",
        7,
    );
    assert_eq!(
        problem.message,
        "unknown filter field \"content\" (allowed: title, summary, categories, author)"
    );
}

#[test]
fn filter_fields_must_be_a_non_empty_list_of_distinct_names() {
    let problem = only_problem(
        &feed_with("include = ['x']\nfilter_fields = []\n"),
        "feeds[0].filter_fields",
        7,
    );
    assert!(problem.message.contains("the list is empty"), "{problem}");
    only_problem(
        &feed_with("include = ['x']\nfilter_fields = [\"title\", \"title\"]\n"),
        "feeds[0].filter_fields[1]",
        7,
    );
    let problem = only_problem(
        &feed_with("filter_fields = \"title\"\n"),
        "feeds[0].filter_fields",
        6,
    );
    assert!(problem.message.contains("expected an array"), "{problem}");
}

#[test]
fn filter_fields_without_patterns_is_an_error() {
    let problem = only_problem(
        &feed_with("filter_fields = [\"title\"]\n"),
        "feeds[0].filter_fields",
        6,
    );
    assert!(
        problem
            .message
            .contains("no effect without include or exclude"),
        "{problem}"
    );
}

#[test]
fn patterns_must_be_strings() {
    let problem = only_problem(&feed_with("include = 'x'\n"), "feeds[0].include", 6);
    assert!(problem.message.contains("expected an array"), "{problem}");
    only_problem(&feed_with("exclude = [3]\n"), "feeds[0].exclude", 6);
}

#[test]
fn filters_are_not_a_default() {
    let problem = only_problem(
        &with_console("[defaults]\ninclude = ['x']\n"),
        "defaults.include",
        4,
    );
    assert!(problem.message.contains("unknown key"), "{problem}");
}
