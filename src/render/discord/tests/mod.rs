use super::*;
use crate::config::Template;
use crate::render::testing::{Sample, assert_inert};

fn embed(payload: &Value) -> &Value {
    &payload["embeds"][0]
}

fn text<'a>(payload: &'a Value, pointer: &str) -> &'a str {
    payload
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn units(text: &str) -> usize {
    Measure::Utf16.len(text)
}

/// What Discord adds up against [`EMBED_TOTAL_MAX`].
fn embed_total(payload: &Value) -> usize {
    [
        "/embeds/0/title",
        "/embeds/0/description",
        "/embeds/0/footer/text",
        "/embeds/0/author/name",
    ]
    .into_iter()
    .map(|pointer| units(text(payload, pointer)))
    .sum()
}

pub(super) fn render_default(sample: &Sample) -> Value {
    render(&sample.card(), &ChannelOptions::default())
}

/// A feed name and authors at their limits and a summary whose escapes outgrow its preview cap:
/// only the total can hold the description back.
pub(super) fn crowded() -> Sample {
    let mut sample = Sample::full();
    sample.feed_name = "feed ".repeat(600);
    sample.entry.authors = vec!["A".repeat(90), "B".repeat(90), "C".repeat(90)];
    sample.entry.summary_html = Some(format!("<p>{}</p>", "a*b_c ".repeat(1_000)));
    sample
}

#[test]
fn every_sample_renders_one_embed() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(format!("discord_{name}"), render_default(&sample));
    }
}

#[test]
fn every_payload_keeps_within_discords_limits() {
    let samples = Sample::all().into_iter().chain([("crowded", crowded())]);
    for (name, sample) in samples {
        let payload = render_default(&sample);
        let embeds = payload["embeds"].as_array().expect("embeds");
        assert_eq!(embeds.len(), 1, "{name}");
        assert!(
            units(text(&payload, "/embeds/0/title")) <= TITLE_MAX,
            "{name}"
        );
        assert!(units(text(&payload, "/embeds/0/description")) <= DESCRIPTION_MAX);
        assert!(units(text(&payload, "/embeds/0/footer/text")) <= FOOTER_MAX);
        assert!(units(text(&payload, "/embeds/0/author/name")) <= AUTHOR_MAX);
        assert!(embed_total(&payload) <= EMBED_TOTAL_MAX, "{name}");
        assert_eq!(
            payload["allowed_mentions"],
            json!({ "parse": [] }),
            "{name}"
        );
        assert!(payload.get("content").is_none(), "{name}");
        for pointer in ["/embeds/0/title", "/embeds/0/description"] {
            assert_no_live_mentions(text(&payload, pointer));
        }
    }
}

#[test]
fn the_total_limit_is_met_by_cutting_the_description() {
    let sample = crowded();
    let payload = render_default(&sample);
    let description = text(&payload, "/embeds/0/description");
    assert!(description.ends_with('…'), "the description is cut");
    assert!(
        embed_total(&payload) > EMBED_TOTAL_MAX - 40,
        "the total is packed: {}",
        embed_total(&payload)
    );
    assert_eq!(text(&payload, "/embeds/0/title"), "Release 2.0 is out");
    assert_eq!(
        text(&payload, "/embeds/0/url"),
        "https://blog.example.com/posts/release-2"
    );
}

#[test]
fn full_entry_fills_every_embed_part() {
    let payload = render_default(&Sample::full());
    let embed = embed(&payload);
    assert_eq!(embed["title"], "Release 2.0 is out");
    assert_eq!(embed["url"], "https://blog.example.com/posts/release-2");
    assert_eq!(embed["timestamp"], "2026-11-27T14:05:00Z");
    assert_eq!(embed["footer"]["text"], "rust-blog");
    assert_eq!(embed["author"]["name"], "Jane Doe, Ann Smith");
    assert_eq!(
        embed["image"]["url"],
        "https://blog.example.com/img/release-2.png"
    );
    assert!(embed["color"].is_u64());
    assert_eq!(
        embed["description"],
        "We shipped **bold** things and *italic* ones. Read the \
         [upgrade guide](https://blog.example.com/docs/upgrade).\n\n- first item\n- second item"
    );
}

#[test]
fn long_title_is_cut_to_256_units_keeping_its_start() {
    let payload = render_default(&Sample::long_title());
    let title = text(&payload, "/embeds/0/title");
    assert!(
        title.starts_with("Breaking: a very long headline"),
        "{title}"
    );
    assert!(title.ends_with('…') && units(title) <= TITLE_MAX, "{title}");
}

#[test]
fn title_escapes_never_push_it_over_the_limit() {
    let mut sample = Sample::full();
    sample.entry.title = Some("*_".repeat(200));
    let title = render_default(&sample)["embeds"][0]["title"].clone();
    let title = title.as_str().expect("title");
    assert!(units(title) <= TITLE_MAX, "{} units", units(title));
    assert!(
        title.starts_with("\\*\\_") && title.ends_with('…'),
        "{title}"
    );
}

#[test]
fn username_and_avatar_come_from_the_channel_options() {
    let options = ChannelOptions {
        username: Some(format!("Feeds {}", "x".repeat(100))),
        icon_url: Some("https://cdn.example/bot.png".into()),
        ..ChannelOptions::default()
    };
    let payload = render(&Sample::full().card(), &options);
    let username = payload["username"].as_str().expect("username");
    assert!(username.starts_with("Feeds x") && units(username) <= USERNAME_MAX);
    assert_eq!(payload["avatar_url"], "https://cdn.example/bot.png");
}

#[test]
fn names_discord_rejects_and_non_web_avatars_are_left_out() {
    let options = ChannelOptions {
        username: Some("My Discord Feeds".into()),
        icon_url: Some("javascript:alert(1)".into()),
        ..ChannelOptions::default()
    };
    let payload = render(&Sample::full().card(), &options);
    assert!(payload.get("username").is_none());
    assert!(payload.get("avatar_url").is_none());
}

#[test]
fn entry_without_link_date_or_authors_leaves_those_parts_out() {
    let mut sample = Sample::no_link();
    sample.entry.updated = None;
    let embed = embed(&render_default(&sample)).clone();
    for key in ["url", "timestamp", "author", "image"] {
        assert!(embed.get(key).is_none(), "{key}");
    }
    assert_eq!(embed["title"], "Maintenance window on Saturday");
}

#[test]
fn hostile_text_is_inert() {
    let payload = render_default(&Sample::hostile());
    let json = payload.to_string();
    assert_inert(&json);
    let title = text(&payload, "/embeds/0/title");
    assert!(
        title.starts_with("\\*\\*Urgent\\*\\* \\[verify\\]\\(javascript:alert\\(1\\)\\)"),
        "{title}"
    );
    let description = text(&payload, "/embeds/0/description");
    assert!(
        description.contains("\\*\\*not bold\\*\\* \\[x\\]"),
        "{description}"
    );
    assert!(description.contains("\\- not a list"), "{description}");
    assert_links_are_web(description);
    assert!(embed(&payload).get("image").is_none());
}

#[test]
fn mentions_of_every_dialect_are_escaped_and_misleading_links_unmasked() {
    let payload = render_default(&Sample::mentions());
    let title = text(&payload, "/embeds/0/title");
    assert!(
        title.starts_with("\\@everyone \\<!channel\\> \\<\\@U024BE7LH\\>"),
        "{title}"
    );
    let description = text(&payload, "/embeds/0/description");
    assert!(
        description.contains("\\<\\@&987\\> \\|\\|spoiler\\|\\|"),
        "{description}"
    );
    assert!(
        description.contains("and <https://evil.example/>."),
        "{description}"
    );
    assert!(
        !description.contains("](https://evil.example"),
        "{description}"
    );
}

#[test]
fn non_latin_scripts_and_emoji_are_kept() {
    let payload = render_default(&Sample::non_latin());
    let title = text(&payload, "/embeds/0/title");
    assert!(title.contains("東京で新しいリリース") && title.contains("إصدار جديد"));
    assert!(title.ends_with("🚀👨\u{200D}👩\u{200D}👧"), "{title}");
    let description = text(&payload, "/embeds/0/description");
    assert!(description.contains("**太字**と*斜体*"), "{description}");
    assert!(description.contains("🏳️\u{200D}🌈"), "{description}");
}

/// Every `@everyone`, `@here` and `<@` outside code blocks and `<url>` links is escaped.
fn assert_no_live_mentions(markdown: &str) {
    let outside_code = markdown.split("```").step_by(2);
    for part in outside_code {
        let mut rest = part;
        while let Some(at) = rest.find("<http") {
            let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
            assert_escaped(&rest[..at]);
            rest = &rest[end..];
        }
        assert_escaped(rest);
    }
}

fn assert_escaped(text: &str) {
    for needle in ["@everyone", "@here", "<@", "<#"] {
        for (at, _) in text.match_indices(needle) {
            assert!(text[..at].ends_with('\\'), "live {needle} in {text}");
        }
    }
}

/// Every masked link (`](` not escaped) goes to an http(s) URL.
fn assert_links_are_web(markdown: &str) {
    for (at, _) in markdown.match_indices("](") {
        if markdown[..at].ends_with('\\') {
            continue;
        }
        assert!(
            markdown[at + 2..].starts_with("https://") || markdown[at + 2..].starts_with("http://"),
            "link to a non-web target in {markdown}"
        );
    }
}

/// Options of a forum channel whose posts are named by `source`.
pub(super) fn forum(source: &str) -> ChannelOptions {
    ChannelOptions {
        thread_name: Some(Template::compile(source, Some(4)).expect("compiles")),
        ..ChannelOptions::default()
    }
}

#[test]
fn a_forum_post_is_named_by_the_template() {
    let payload = render_post(
        &Sample::full().card(),
        &forum("{{ feed.name }}: {{ entry.title }}"),
    )
    .expect("renders");
    insta::assert_json_snapshot!("discord_forum_post", payload);
    assert_eq!(payload["thread_name"], "rust-blog: Release 2.0 is out");
}

#[test]
fn without_a_forum_no_thread_name_is_sent() {
    let payload = render_post(&Sample::full().card(), &ChannelOptions::default()).expect("renders");
    assert_eq!(payload.get("thread_name"), None);
}

#[test]
fn a_thread_name_is_one_clean_line_within_discords_limit() {
    let mut sample = Sample::full();
    sample.entry.title = Some(format!("line\none\u{202E} {}", "😀".repeat(80)));
    let payload = render_post(&sample.card(), &forum("{{ entry.title }}")).expect("renders");
    let name = payload["thread_name"].as_str().expect("a name");
    assert!(units(name) <= THREAD_NAME_MAX, "{} units", units(name));
    assert!(name.starts_with("line one "), "{name}");
    assert!(
        !name.chars().any(|c| c.is_control() || c == '\u{202E}'),
        "{name:?}"
    );
}

#[test]
fn a_blank_thread_name_falls_back_to_the_cards_title() {
    let payload =
        render_post(&Sample::untitled().card(), &forum("{{ entry.title }}")).expect("renders");
    let name = payload["thread_name"].as_str().expect("a name");
    assert!(name.starts_with("Just shipped a tiny fix"), "{name}");
}

#[test]
fn a_failing_thread_name_fails_the_render_and_says_so() {
    let error =
        render_post(&Sample::full().card(), &forum("{{ entry.titel }}")).expect_err("fails");
    assert!(matches!(error, RenderError::ThreadName(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("thread_name: the template failed"),
        "{message}"
    );
}

mod validator;
