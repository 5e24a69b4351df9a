use super::*;
use crate::render::testing::{Sample, assert_inert};

fn tagged() -> ChannelOptions {
    ChannelOptions {
        priority: Some(4),
        tags: vec!["rss".into(), "tada".into()],
        ..ChannelOptions::default()
    }
}

#[test]
fn every_sample_renders_a_notification() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(format!("ntfy_{name}"), render(&sample.card(), &tagged()));
    }
}

#[test]
fn every_message_fits_the_servers_limit_and_holds_no_markup() {
    for (name, sample) in Sample::all() {
        let payload = render(&sample.card(), &ChannelOptions::default());
        let message = payload["message"].as_str().expect("message");
        assert!(
            message.len() <= MAX_MESSAGE_BYTES,
            "{name}: {} bytes",
            message.len()
        );
        assert!(!message.is_empty(), "{name}");
        assert!(
            payload.get("priority").is_none() && payload.get("tags").is_none(),
            "{name}"
        );
        assert_inert(&payload.to_string());
    }
}

#[test]
fn the_link_is_the_click_action_and_the_channels_tags_and_priority_are_sent() {
    let payload = render(&Sample::full().card(), &tagged());
    assert_eq!(payload["title"], "Release 2.0 is out");
    assert_eq!(payload["click"], "https://blog.example.com/posts/release-2");
    assert_eq!(
        payload["attach"],
        "https://blog.example.com/img/release-2.png"
    );
    assert_eq!(payload["priority"], 4);
    assert_eq!(payload["tags"], json!(["rss", "tada"]));
    assert!(payload["message"].as_str().is_some_and(|m| m.starts_with(
        "rust-blog · Jane Doe, Ann Smith · 27 Nov 2026 14:05 UTC\n\nWe shipped bold things"
    )));
}
