use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::config::Config;

fn settings() -> EmailSettings {
    let text = "[channels.mail]\nkind = \"email\"\nurl = \"smtp://relay.example\"\n\
                from = \"Feeds <feeds@example.com>\"\nto = [\"a@example.com\", \"B <b@example.org>\"]\n\
                [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"mail\"]\n";
    let config = Config::from_toml_str(text, std::path::Path::new("f.toml"), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"));
    config.channels["mail"]
        .email()
        .cloned()
        .expect("email settings")
}

fn parts() -> EmailParts {
    EmailParts {
        subject: "rust-blog: Release 2.0 is out".into(),
        text: "Release 2.0 is out\n".into(),
        html: "<p>Release</p>".into(),
        feed: "rust-blog".into(),
        identity: "rust-blog\ntag:1".into(),
    }
}

fn source(channel: &str, parts: &EmailParts) -> String {
    let date = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let message = compose(channel, &settings(), parts, date).expect("a message");
    String::from_utf8(message.formatted()).expect("ASCII")
}

fn header<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    source
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
}

#[test]
fn the_message_carries_every_header_a_mail_system_reads() {
    let text = source("mail", &parts());
    assert_eq!(header(&text, "From"), Some("Feeds <feeds@example.com>"));
    assert_eq!(
        header(&text, "To"),
        Some("a@example.com, B <b@example.org>")
    );
    assert_eq!(
        header(&text, "Subject"),
        Some("rust-blog: Release 2.0 is out")
    );
    assert_eq!(
        header(&text, "Date"),
        Some("Fri, 15 Jan 2027 08:00:00 +0000")
    );
    assert_eq!(header(&text, "Auto-Submitted"), Some("auto-generated"));
    assert_eq!(
        header(&text, "List-Id"),
        Some("\"rust-blog\" <rust-blog.feedhook.example.com>")
    );
    assert!(text.contains("multipart/alternative"));
}

#[test]
fn the_message_id_is_the_same_for_an_entry_and_channel_and_differs_otherwise() {
    let id = |channel: &str, identity: &str| {
        let parts = EmailParts {
            identity: identity.into(),
            ..parts()
        };
        header(&source(channel, &parts), "Message-ID").map(str::to_owned)
    };
    let first = id("mail", "rust-blog\ntag:1");
    assert_eq!(first, id("mail", "rust-blog\ntag:1"));
    assert_ne!(first, id("other", "rust-blog\ntag:1"));
    assert_ne!(first, id("mail", "rust-blog\ntag:2"));
    assert!(first.is_some_and(|id| id.ends_with(".feedhook@example.com>")));
}

#[test]
fn a_list_id_is_made_of_the_characters_rfc_2919_allows() {
    assert_eq!(
        list_id("https://blog.example.com/feed?x=1", "example.com"),
        "\"https://blog.example.com/feed?x=1\" <https-blog-example-com-feed-x-1.feedhook.example.com>"
    );
    assert_eq!(
        list_id("日本語", "example.com"),
        "<feed.feedhook.example.com>"
    );
    assert_eq!(
        list_id("a \"quoted\" name", "x.org"),
        "\"a quoted name\" <a-quoted-name.feedhook.x.org>"
    );
}

#[test]
fn a_hostile_subject_cannot_add_a_header() {
    let parts = EmailParts {
        subject: "hi\r\nBcc: victim@example.com".into(),
        ..parts()
    };
    let text = source("mail", &parts);
    assert!(!text.lines().any(|line| line.starts_with("Bcc:")), "{text}");
}
