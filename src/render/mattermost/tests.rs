use super::*;
use crate::render::html::to_rich_text;
use crate::render::testing::{Sample, assert_inert, long_link_frame};

fn text_of(sample: &Sample) -> String {
    let payload = render(&sample.card(), &ChannelOptions::default());
    payload["text"].as_str().expect("text").to_owned()
}

/// The words Mattermost's server would check for mentions, split as
/// `app/mention_parser_standard.go` splits them, that begin with `@`: whole words, words
/// without trailing punctuation, and their pieces at `.`, `-` and `:`. Stricter than the
/// server, which also skips `:emoji:` words.
fn mentions(text: &str) -> Vec<String> {
    let separator = |c: char| !(matches!(c, ':' | '.' | '-' | '_' | '@') || c.is_alphanumeric());
    let mut found = Vec::new();
    for word in text.split(separator).filter(|w| !w.is_empty()) {
        let word = word.trim_start_matches([':', '.', '-', '_']);
        let mut candidates = vec![word, word.trim_end_matches(['.', '-', ':', '_'])];
        candidates.extend(word.split(['.', '-', ':']));
        found.extend(
            candidates
                .into_iter()
                .filter(|c| c.len() > 1 && c.starts_with('@'))
                .map(str::to_owned),
        );
    }
    found
}

/// The destinations of the Markdown links and images in `text` (`](` not escaped as `\](`).
fn destinations(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter(|(at, _)| !text[..*at].ends_with('\\'))
        .map(|(at, _)| {
            let rest = &text[at + 2..];
            &rest[..rest.find(')').unwrap_or(rest.len())]
        })
        .collect()
}

#[test]
fn every_sample_renders_a_markdown_post() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(
            format!("mattermost_{name}"),
            render(&sample.card(), &ChannelOptions::default())
        );
    }
}

#[test]
fn every_sample_fits_mattermosts_message_limit() {
    for (name, sample) in Sample::all() {
        let text = text_of(&sample);
        assert!(text.chars().count() <= MAX_TEXT_CHARS, "{name}");
        assert!(text.starts_with("**"), "{name}: the title comes first");
    }
}

#[test]
fn no_sample_mentions_anyone() {
    for (name, sample) in Sample::all() {
        let text = text_of(&sample);
        assert_eq!(mentions(&text), Vec::<String>::new(), "{name}: {text}");
    }
    let found = mentions("x.@here, @all: @Channel jane@example.com");
    for mention in ["@here", "@all", "@Channel"] {
        assert!(found.iter().any(|m| m == mention), "{mention} in {found:?}");
    }
    assert!(found.iter().all(|m| !m.contains("example")), "{found:?}");
}

/// `javascript:` may appear only as escaped feed text the reader sees (the hostile sample writes
/// `[x](javascript:alert(4))` as words); every link and image goes to an http(s) URL.
#[test]
fn no_sample_renders_a_script_link() {
    for (name, sample) in Sample::all() {
        let text = text_of(&sample);
        for destination in destinations(&text) {
            assert!(destination.starts_with("https://"), "{name}: {destination}");
        }
        assert!(!text.to_lowercase().contains("<javascript:"), "{name}");
    }
}

#[test]
fn title_is_a_bold_link_above_an_italic_byline_and_the_image_comes_last() {
    let text = text_of(&Sample::full());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "**[Release 2.0 is out](https://blog.example.com/posts/release-2)**"
    );
    assert_eq!(
        lines[1],
        "_rust-blog · Jane Doe, Ann Smith · 27 Nov 2026 14:05 UTC_"
    );
    assert_eq!(
        lines.last().copied(),
        Some("![Release 2.0 is out](https://blog.example.com/img/release-2.png)")
    );
    let text = text_of(&Sample::no_link());
    assert!(text.starts_with("**Maintenance window on Saturday**\n_rust-blog · "));
}

#[test]
fn hostile_text_is_escaped_and_its_image_dropped() {
    let text = text_of(&Sample::hostile());
    assert_inert(&text);
    assert!(text.starts_with("**[\\*\\*Urgent\\*\\* \\[verify\\](javascript:alert(1))"));
    assert!(text.contains("_rust-blog · \\*Mallory\\* \\[x\\](https://evil.example) · "));
    assert!(text.contains("\\*\\*not bold\\*\\* \\[x\\](javascript:alert(4)) \\<at\\>all"));
    assert!(text.contains("\\- not a list 1. not a list either # not a heading"));
    assert!(!text.contains("!["), "no image");
}

#[test]
fn mentions_and_fake_links_of_the_mentions_sample_show_as_text() {
    let text = text_of(&Sample::mentions());
    assert!(
        text.starts_with("**[＠everyone \\<!channel\\> \\<＠U024BE7LH\\> \\<＠&123456\\> ＠here]")
    );
    assert!(text.contains("Hey ＠everyone and ＠here, see \\<https://evil.example\\|"));
    assert!(text.contains(" and [https://evil.example/](https://evil.example/)."));
}

#[test]
fn mentions_inside_urls_are_percent_encoded() {
    let mut sample = Sample::full();
    sample.entry.link = Some("https://social.example/@here".into());
    sample.entry.image = Some("https://social.example/@all/a.png".into());
    let text = text_of(&sample);
    assert!(text.contains("](https://social.example/%40here)"), "{text}");
    assert!(
        text.contains("](https://social.example/%40all/a.png)"),
        "{text}"
    );
    assert!(mentions(&text).is_empty());
}

#[test]
fn the_summary_is_cut_to_the_limit_before_anything_else() {
    let sample = Sample::huge_summary();
    let card = sample.card();
    let parts = sample.frame(Post {
        byline: "feed".into(),
    });
    let text = fit(parts, card.summary(), |t| t.chars().count() <= 2_000);
    let len = text.chars().count();
    assert!(len <= 2_000 && len > 1_800, "{len}");
    assert!(text.starts_with("**[A very long post](https://blog.example.com/posts/release-2)**"));
    assert!(text.ends_with("release-2.png)"), "the image is kept");
    assert!(text.contains("…"));
}

#[test]
fn a_link_too_long_for_the_limit_costs_the_image_and_the_title_end() {
    let parts = long_link_frame(Post {
        byline: "feed".into(),
    });
    let summary = to_rich_text("<p>text</p>", None);
    let text = fit(parts, &summary, |t| t.chars().count() <= 1_650);
    assert!(text.starts_with("**[word word"), "{text}");
    assert!(text.contains(" word…](https://x.example/aaa"), "{text}");
    assert!(text.chars().count() <= 1_650);
    assert!(!text.contains("i.png"));
}

#[test]
fn poster_options_are_sent_when_configured() {
    let options = ChannelOptions {
        username: Some("feeds".into()),
        icon_url: Some("https://x.example/i.png".into()),
        channel: Some("town-square".into()),
        ..ChannelOptions::default()
    };
    let payload = render(&Sample::full().card(), &options);
    assert_eq!(payload["username"], "feeds");
    assert_eq!(payload["icon_url"], "https://x.example/i.png");
    assert_eq!(payload["channel"], "town-square");
    let payload = render(&Sample::full().card(), &ChannelOptions::default());
    assert_eq!(payload.as_object().map(serde_json::Map::len), Some(1));
}
