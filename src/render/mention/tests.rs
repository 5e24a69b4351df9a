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
