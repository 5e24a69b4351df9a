use super::*;
use crate::config::ChannelOptions;
use crate::render::testing::Sample;
use crate::render::{Payload, render};

fn rendered(kind: ChannelKind, mention: &[&str]) -> Value {
    let options = ChannelOptions {
        mention: mention.iter().map(|m| (*m).to_owned()).collect(),
        ..ChannelOptions::default()
    };
    match render(kind, &options, &Sample::mentions().source()) {
        Ok(Payload::Json(value)) => value,
        other => panic!("{other:?}"),
    }
}

#[test]
fn slack_pings_from_a_first_block_and_the_notification_text() {
    let payload = rendered(ChannelKind::Slack, &["<!here>", "<!subteam^SAZ94GDB8>"]);
    insta::assert_json_snapshot!("slack_with_mentions", payload);
    assert_eq!(
        payload["blocks"][0]["text"]["text"],
        "<!here> <!subteam^SAZ94GDB8>"
    );
    let text = payload["text"].as_str().expect("text");
    assert!(text.starts_with("<!here> <!subteam^SAZ94GDB8> "), "{text}");
    let rest = &payload["blocks"].as_array().expect("blocks")[1..];
    let rest = serde_json::to_string(rest).expect("json");
    for live in ["<!here", "<!channel", "<!subteam", "<@"] {
        assert!(!rest.contains(live), "feed text stays neutral: {rest}");
    }
}

#[test]
fn discord_allows_exactly_the_configured_ids() {
    let payload = rendered(
        ChannelKind::Discord,
        &["<@&123456789012345678>", "<@876543210987654321>"],
    );
    insta::assert_json_snapshot!("discord_with_mentions", payload);
    assert_eq!(
        payload["content"],
        "<@&123456789012345678> <@876543210987654321>"
    );
    assert_eq!(
        payload["allowed_mentions"],
        json!({ "parse": [], "users": ["876543210987654321"], "roles": ["123456789012345678"] })
    );
}

#[test]
fn matrix_mentions_are_pills_listed_in_m_mentions() {
    let payload = rendered(ChannelKind::Matrix, &["@alice:example.org"]);
    insta::assert_json_snapshot!("matrix_with_mentions", payload);
    assert_eq!(
        payload["m.mentions"],
        json!({ "user_ids": ["@alice:example.org"] })
    );
    let formatted = payload["formatted_body"].as_str().expect("html");
    assert!(
        formatted.starts_with(
            "<a href=\"https://matrix.to/#/@alice:example.org\">@alice:example.org</a>: "
        ),
        "{formatted}"
    );
    let body = payload["body"].as_str().expect("body");
    assert!(body.starts_with("@alice:example.org: "), "{body}");
}

#[test]
fn without_mentions_nothing_pings() {
    let discord = rendered(ChannelKind::Discord, &[]);
    assert_eq!(discord["allowed_mentions"], json!({ "parse": [] }));
    assert_eq!(discord.get("content"), None);
    let matrix = rendered(ChannelKind::Matrix, &[]);
    assert_eq!(matrix["m.mentions"], json!({}));
}

const TEAMS_USERS: [&str; 2] = ["alice@contoso.com", "87d349ed-44d7-43e1-9a83-5f2406dee5bd"];

#[test]
fn teams_pings_from_a_first_text_block_and_the_cards_mention_entities() {
    let payload = rendered(ChannelKind::Teams, &TEAMS_USERS);
    insta::assert_json_snapshot!("teams_with_mentions", payload);
    let card = &payload["attachments"][0]["content"];
    assert_eq!(
        card["body"][0],
        json!({
            "type": "TextBlock",
            "text": "<at>alice@contoso.com</at> <at>87d349ed-44d7-43e1-9a83-5f2406dee5bd</at>",
            "wrap": true,
        })
    );
    assert_eq!(
        card["msteams"]["width"], "Full",
        "the card stays full width"
    );
    assert_eq!(
        card["msteams"]["entities"][1],
        json!({
            "type": "mention",
            "text": "<at>87d349ed-44d7-43e1-9a83-5f2406dee5bd</at>",
            "mentioned": {
                "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                "name": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
            },
        })
    );
}

/// Feed text written as Teams' own mention of a configured user: it must not match the entity.
#[test]
fn teams_mention_syntax_in_feed_text_never_pings() {
    let mut sample = Sample::mentions();
    let tag = "<at>alice@contoso.com</at>";
    sample.entry.title = Some(format!("{tag} release"));
    sample.entry.summary_html =
        Some("<p>&lt;at&gt;alice@contoso.com&lt;/at&gt; and &lt;at&gt;bob&lt;/at&gt;</p>".into());
    sample.entry.authors = vec![tag.to_owned()];
    sample.entry.image = Some("https://cdn.example.com/ping.png".to_owned());
    let options = ChannelOptions {
        mention: vec![TEAMS_USERS[0].to_owned()],
        ..ChannelOptions::default()
    };
    let Ok(Payload::Json(payload)) = render(ChannelKind::Teams, &options, &sample.source()) else {
        panic!("a Teams card");
    };
    let card = &payload["attachments"][0]["content"];
    let mut feed_texts = Vec::new();
    strings(&card["body"], &mut feed_texts);
    let ours = feed_texts.remove(0);
    assert_eq!(ours, tag, "the configured mention comes first");
    assert!(
        feed_texts
            .iter()
            .any(|text| text.contains("alice@contoso.com")),
        "the feed's text is shown: {feed_texts:?}"
    );
    for text in &feed_texts {
        assert!(!text.contains("<at>"), "feed text stays inert: {text}");
    }
    assert_eq!(
        card["msteams"]["entities"].as_array().map(Vec::len),
        Some(1)
    );
}

/// Every string inside `value`, depth first.
fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(text) => out.push(text),
        Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
        Value::Object(map) => map.values().for_each(|item| strings(item, out)),
        _ => {}
    }
}
