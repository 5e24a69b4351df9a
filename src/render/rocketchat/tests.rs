use super::*;
use crate::render::testing::{Sample, assert_inert};

#[test]
fn every_sample_renders_an_attachment_message() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(
            format!("rocketchat_{name}"),
            render(&sample.card(), &ChannelOptions::default())
        );
    }
}

#[test]
fn every_message_fits_the_workspace_limit_and_pings_nobody() {
    for (name, sample) in Sample::all() {
        let payload = render(&sample.card(), &ChannelOptions::default());
        assert!(text_chars(&payload) <= MAX_TEXT_CHARS, "{name}");
        let written = format!("{} {}", payload["text"], payload["attachments"][0]["text"]);
        for mention in ["@all", "@here", "@everyone", "@channel"] {
            assert!(!written.contains(mention), "{name}: {mention} in {written}");
        }
        assert_inert(&payload.to_string());
    }
}

#[test]
fn the_attachment_links_the_title_and_the_poster_options_are_rocket_chats() {
    let options = ChannelOptions {
        username: Some("News".into()),
        icon_url: Some("https://example.com/bot.png".into()),
        channel: Some("#releases".into()),
        ..ChannelOptions::default()
    };
    let payload = render(&Sample::full().card(), &options);
    let attachment = &payload["attachments"][0];
    assert_eq!(attachment["title"], "Release 2.0 is out");
    assert_eq!(
        attachment["title_link"],
        "https://blog.example.com/posts/release-2"
    );
    assert_eq!(
        attachment["image_url"],
        "https://blog.example.com/img/release-2.png"
    );
    assert_eq!(
        payload["text"],
        "_rust-blog · Jane Doe, Ann Smith · 27 Nov 2026 14:05 UTC_"
    );
    assert_eq!(
        (&payload["alias"], &payload["avatar"], &payload["channel"]),
        (
            &json!("News"),
            &json!("https://example.com/bot.png"),
            &json!("#releases")
        )
    );
}
