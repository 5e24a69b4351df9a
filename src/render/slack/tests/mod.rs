use super::*;
use crate::render::testing::Sample;

fn slack(sample: &Sample) -> Value {
    render(&sample.card(), &ChannelOptions::default())
}

fn blocks(payload: &Value) -> &Vec<Value> {
    payload["blocks"].as_array().expect("blocks is an array")
}

/// Every text object (`{"type": "mrkdwn" | "plain_text", "text": …}`) in the blocks, with its type.
fn text_objects(payload: &Value) -> Vec<(&str, &str)> {
    fn walk<'a>(node: &'a Value, out: &mut Vec<(&'a str, &'a str)>) {
        match node {
            Value::Object(map) => {
                let kind = map.get("type").and_then(Value::as_str);
                let text = map.get("text").and_then(Value::as_str);
                if let (Some(kind @ ("mrkdwn" | "plain_text")), Some(text)) = (kind, text) {
                    out.push((kind, text));
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&payload["blocks"], &mut out);
    out
}

/// The mrkdwn Slack parses: the fallback text and every mrkdwn text object.
fn mrkdwn_texts(payload: &Value) -> Vec<&str> {
    let mut texts: Vec<&str> = text_objects(payload)
        .into_iter()
        .filter(|(kind, _)| *kind == "mrkdwn")
        .map(|(_, text)| text)
        .collect();
    texts.push(payload["text"].as_str().expect("fallback text"));
    texts
}

#[test]
fn every_sample_renders_block_kit() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(format!("slack_{name}"), slack(&sample));
    }
}

#[test]
fn every_sample_stays_within_slacks_limits() {
    for (name, sample) in Sample::all() {
        let payload = slack(&sample);
        assert!(blocks(&payload).len() <= MAX_BLOCKS, "{name}");
        for block in blocks(&payload) {
            let text = block["text"]["text"].as_str().unwrap_or_default();
            match block["type"].as_str() {
                Some("header") => assert!(text.chars().count() <= HEADER_MAX_CHARS, "{name}"),
                Some("section") => assert!(text.chars().count() <= SECTION_MAX_CHARS, "{name}"),
                _ => {}
            }
        }
        for (kind, text) in text_objects(&payload) {
            assert!(!text.is_empty(), "{name}: empty {kind}");
        }
        let fallback = payload["text"].as_str().expect("fallback text");
        assert!(fallback.starts_with("rust-blog: "), "{name}: {fallback}");
        assert!(
            fallback.chars().count() < 500 && !fallback.contains('\n'),
            "{name}"
        );
    }
}

#[test]
fn feed_text_never_writes_slack_control_syntax() {
    for (name, sample) in Sample::all() {
        let payload = slack(&sample);
        for text in mrkdwn_texts(&payload) {
            for (at, _) in text.match_indices('<') {
                let rest = &text[at + 1..];
                assert!(
                    rest.starts_with("https://") || rest.starts_with("!date^"),
                    "{name}: control syntax from feed text in {text}"
                );
                let end = rest.find('>').expect("closed");
                assert!(!rest[..end].contains('<'), "{name}: nested in {text}");
            }
        }
    }
}

/// `javascript:` may appear only as feed text the reader sees (the hostile sample writes
/// `[x](javascript:alert(4))` as words); never where Slack would follow it: a `<…>` link, an
/// image or icon URL.
#[test]
fn no_sample_renders_a_script_link() {
    for (name, sample) in Sample::all() {
        let payload = slack(&sample);
        let json = payload.to_string().to_lowercase();
        assert!(
            !json.contains("<javascript:") && !json.contains("|javascript:"),
            "{name}"
        );
        assert!(
            !json.contains("\"data:") && !json.contains("\"javascript:"),
            "{name}"
        );
        for text in mrkdwn_texts(&payload) {
            for target in text.split('<').skip(1) {
                assert!(
                    target.starts_with("https://") || target.starts_with("!date^"),
                    "{name}"
                );
            }
        }
        for block in blocks(&payload) {
            for image in [&block["accessory"]["image_url"], &block["image_url"]] {
                assert!(
                    image.is_null() || image.as_str().is_some_and(|u| u.starts_with("https://"))
                );
            }
        }
    }
}

#[test]
fn mentions_and_fake_links_of_the_mentions_sample_show_as_text() {
    let payload = slack(&Sample::mentions());
    let texts = mrkdwn_texts(&payload);
    assert_eq!(
        texts[0],
        "*<https://blog.example.com/posts/ping|@everyone &lt;!channel&gt; &lt;@U024BE7LH&gt; \
         &lt;@&amp;123456&gt; @here>*"
    );
    assert!(texts[1].contains("&lt;https://evil.example|https://bank.example&gt;"));
    assert!(texts[2].starts_with("rust-blog · &lt;!here&gt; · <!date^"));
}

#[test]
fn a_link_whose_text_names_another_host_shows_its_real_url() {
    let payload = slack(&Sample::mentions());
    let summary = mrkdwn_texts(&payload)[1];
    assert!(
        summary.contains("and <https://evil.example/|https://evil.example/>."),
        "{summary}"
    );
    assert!(!summary.contains("|https://bank.example>"));
}

#[test]
fn title_links_to_the_entry_and_falls_back_to_a_header() {
    let payload = slack(&Sample::full());
    assert_eq!(
        blocks(&payload)[0]["text"]["text"],
        "*<https://blog.example.com/posts/release-2|Release 2.0 is out>*"
    );
    let payload = slack(&Sample::no_link());
    assert_eq!(
        blocks(&payload)[0],
        json!({ "type": "header", "text": { "type": "plain_text", "text": "Maintenance window on Saturday" } })
    );
}

/// Slack shows `plain_text` as typed and escapes it itself, so feed text goes in unescaped:
/// `&lt;` there would show as those four characters, and no `<…>` in it is ever parsed.
#[test]
fn a_header_shows_feed_text_as_typed() {
    let mut sample = Sample::mentions();
    sample.entry.link = None;
    let payload = slack(&sample);
    assert_eq!(
        blocks(&payload)[0]["text"],
        json!({ "type": "plain_text", "text": "@everyone <!channel> <@U024BE7LH> <@&123456> @here" })
    );
    assert!(
        payload["text"]
            .as_str()
            .is_some_and(|t| t.contains("&lt;!channel&gt;"))
    );
}

#[test]
fn a_link_too_long_for_a_section_leaves_an_unlinked_header() {
    let mut sample = Sample::full();
    sample.entry.link = Some(format!("https://x.example/{}", "a".repeat(3_000)));
    let payload = slack(&sample);
    assert_eq!(blocks(&payload)[0]["type"], "header");
    let mut sample = Sample::full();
    sample.entry.title = Some("word ".repeat(60));
    sample.entry.link = Some(format!("https://x.example/{}", "a".repeat(2_800)));
    let text = slack(&sample)["blocks"][0]["text"]["text"].clone();
    let text = text.as_str().expect("section text");
    assert!(
        text.ends_with(&format!("|{}…>*", ["word"; 16].join(" "))),
        "{text}"
    );
}

#[test]
fn long_titles_are_cut_for_the_header_and_the_section() {
    let mut sample = Sample::long_title();
    let section = slack(&sample)["blocks"][0]["text"]["text"].clone();
    let label = section
        .as_str()
        .and_then(|t| t.split('|').nth(1))
        .expect("link label");
    assert!(
        label.chars().count() <= 302 && label.ends_with("…>*"),
        "{label}"
    );
    sample.entry.link = None;
    let header = slack(&sample)["blocks"][0]["text"]["text"].clone();
    let header = header.as_str().expect("header text");
    assert!(header.starts_with("Breaking: a very long headline"));
    assert!(header.chars().count() <= HEADER_MAX_CHARS && header.ends_with('…'));
}

#[test]
fn huge_summary_is_cut_to_one_full_section_with_an_ellipsis() {
    let payload = slack(&Sample::huge_summary());
    let summary = blocks(&payload)[1]["text"]["text"]
        .as_str()
        .expect("summary");
    let len = summary.chars().count();
    assert!(
        len <= SECTION_MAX_CHARS && len > SECTION_MAX_CHARS - 200,
        "{len}"
    );
    assert!(summary.ends_with('…'));
}

#[test]
fn the_entry_image_is_the_summarys_accessory_with_alt_text() {
    let payload = slack(&Sample::full());
    assert_eq!(
        blocks(&payload)[1]["accessory"],
        json!({
            "type": "image",
            "image_url": "https://blog.example.com/img/release-2.png",
            "alt_text": "Release 2.0 is out",
        })
    );
    let mut sample = Sample::full();
    sample.entry.summary_html = None;
    let payload = slack(&sample);
    assert_eq!(blocks(&payload)[1]["type"], "image");
    assert_eq!(blocks(&payload)[1]["alt_text"], "Release 2.0 is out");
    assert!(
        blocks(&slack(&Sample::hostile()))
            .iter()
            .all(|b| b.get("accessory").is_none())
    );
}

#[test]
fn the_context_line_names_feed_authors_and_date() {
    let payload = slack(&Sample::full());
    assert_eq!(
        blocks(&payload)[2],
        json!({ "type": "context", "elements": [{ "type": "mrkdwn", "text":
            "rust-blog · Jane Doe, Ann Smith · \
             <!date^1795788300^{date_short_pretty} {time}|27 Nov 2026 14:05 UTC>" }] })
    );
}

#[test]
fn poster_options_are_sent_when_configured() {
    let options = ChannelOptions {
        username: Some("feeds".into()),
        icon_url: Some("https://x.example/i.png".into()),
        channel: Some("#news".into()),
        ..ChannelOptions::default()
    };
    let payload = render(&Sample::full().card(), &options);
    assert_eq!(payload["username"], "feeds");
    assert_eq!(payload["icon_url"], "https://x.example/i.png");
    assert_eq!(payload["channel"], "#news");
    let payload = slack(&Sample::full());
    assert!(payload.get("username").is_none() && payload.get("channel").is_none());
    assert_eq!(payload["unfurl_links"], false);
}

mod validator;
