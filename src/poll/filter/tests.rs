use std::path::Path;

use super::*;
use crate::config::Config;

/// The filter of a feed configured with `keys`, read as `feedhook check` reads it.
fn feed(keys: &str) -> Feed {
    let text = format!(
        "[channels.c]\nkind = \"console\"\n\
         [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"c\"]\n{keys}\n"
    );
    let config = Config::from_toml_str(&text, Path::new("t.toml"), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"));
    config.feeds[0].clone()
}

fn entry(title: &str) -> Entry {
    Entry {
        key: title.to_lowercase(),
        title: Some(title.to_owned()),
        ..Entry::default()
    }
}

fn passes(feed: &Feed, entry: &Entry) -> bool {
    refusal(&feed.filter, entry).is_none()
}

#[test]
fn without_patterns_every_entry_passes() {
    let feed = feed("");
    assert!(passes(&feed, &entry("Anything")));
    assert!(passes(&feed, &Entry::default()));
    assert!(!skips(&feed, &entry("Anything")));
}

#[test]
fn an_include_lets_only_matching_entries_through() {
    let feed = feed("include = ['security', 'CVE-\\d+']");
    assert!(passes(&feed, &entry("Security release 1.2")));
    assert!(passes(&feed, &entry("Fixes CVE-2026")));
    let refused = entry("New logo");
    assert_eq!(
        refusal(&feed.filter, &refused),
        Some(Refusal::NoIncludeMatched)
    );
    assert!(skips(&feed, &refused));
    assert!(
        !passes(&feed, &Entry::default()),
        "an entry with nothing to match fails an include"
    );
}

#[test]
fn an_exclude_refuses_matching_entries_and_names_the_rule() {
    let feed = feed("exclude = ['webinar', 'sponsored']");
    assert!(passes(&feed, &entry("Release 2.0")));
    let refused = entry("Sponsored: buy things");
    let why = refusal(&feed.filter, &refused).expect("refused");
    assert_eq!(
        why,
        Refusal::Excluded {
            index: 1,
            pattern: "sponsored",
            field: FilterField::Title
        }
    );
    assert_eq!(
        why.to_string(),
        "exclude[1] \"sponsored\" matched the title"
    );
}

#[test]
fn an_exclude_wins_over_an_include() {
    let feed = feed("include = ['release']\nexclude = ['-rc\\d']");
    assert!(passes(&feed, &entry("Release 6.1")));
    assert!(!passes(&feed, &entry("Release 6.2-rc1")));
    assert!(!passes(&feed, &entry("Conference news")));
}

#[test]
fn each_field_is_matched_when_listed() {
    let full = Entry {
        key: "k".into(),
        title: Some("Title words".into()),
        summary_html: Some("<p>Summary words</p>".into()),
        categories: vec!["Categories words".into()],
        authors: vec!["Author words".into()],
        ..Entry::default()
    };
    for field in FilterField::ALL {
        let only = self::feed(&format!(
            "include = ['^{field} words$']\nfilter_fields = [\"{field}\"]"
        ));
        assert!(passes(&only, &full), "{field}");
        let others: Vec<String> = FilterField::ALL
            .iter()
            .filter(|other| **other != field)
            .map(|other| format!("\"{other}\""))
            .collect();
        let elsewhere = self::feed(&format!(
            "include = ['^{field} words$']\nfilter_fields = [{}]",
            others.join(", ")
        ));
        assert!(!passes(&elsewhere, &full), "{field} was not listed");
    }
}

#[test]
fn by_default_all_four_fields_are_matched() {
    let feed = feed("exclude = ['^jane doe$']");
    let mut by_jane = entry("Hello");
    by_jane.authors = vec!["Ann Smith".into(), "Jane Doe".into()];
    assert_eq!(
        refusal(&feed.filter, &by_jane),
        Some(Refusal::Excluded {
            index: 0,
            pattern: "^jane doe$",
            field: FilterField::Author
        })
    );
}

#[test]
fn categories_are_matched_one_at_a_time() {
    let feed = feed("include = ['^rust$']\nfilter_fields = [\"categories\"]");
    let mut tagged = entry("x");
    tagged.categories = vec!["Releases".into(), "Rust".into()];
    assert!(passes(&feed, &tagged));
    tagged.categories = vec!["Rustacean".into(), "news".into()];
    assert!(!passes(&feed, &tagged));
}

#[test]
fn matching_ignores_case_unless_the_pattern_turns_it_off() {
    let loose = feed("include = ['cve']");
    assert!(passes(&loose, &entry("Fixes CVE-2026-1")));
    let strict = feed("include = ['(?-i)cve']");
    assert!(!passes(&strict, &entry("Fixes CVE-2026-1")));
    assert!(passes(&strict, &entry("a cve fix")));
}

#[test]
fn the_summary_is_matched_as_text_not_as_html() {
    let feed = feed("exclude = ['sponsored', 'evil', 'amp']\nfilter_fields = [\"summary\"]");
    let mut tagged = entry("x");
    tagged.summary_html = Some(
        "<p class=\"sponsored\">Tom &amp; Jerry</p><a href=\"https://evil.example/\">read</a>"
            .into(),
    );
    assert!(passes(&feed, &tagged), "attributes and entities are markup");
    let text = self::feed("include = ['tom & jerry read']\nfilter_fields = [\"summary\"]");
    assert!(!passes(&text, &tagged), "blocks are separate lines");
    let text = self::feed("include = ['^tom & jerry$']\nfilter_fields = [\"summary\"]");
    tagged.summary_html = Some("<p>Tom <b>&amp;</b> Jerry</p>".into());
    assert!(passes(&text, &tagged));
}
