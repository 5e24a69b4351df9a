//! Digests for every target: the layout of each (snapshots), their order and grouping, their
//! split into numbered parts within each platform's limits, and feed text kept inert.

use serde_json::Value;

use super::*;
use crate::render::testing::{Sample, assert_inert, at};

mod validator;

/// A digest of two feeds, interleaved as a poll would queue them: the full, hostile and untitled
/// samples from `rust-blog`, the no-link and non-Latin ones from `status`.
fn mixed() -> Vec<Sample> {
    let status = |mut sample: Sample| {
        sample.feed_name = "status".into();
        sample.feed_url = "https://status.example.com/feed".into();
        sample
    };
    vec![
        Sample::full(),
        status(Sample::no_link()),
        Sample::hostile(),
        status(Sample::non_latin()),
        Sample::untitled(),
    ]
}

/// `count` entries of one feed, each with a title and a long summary.
fn many(count: usize) -> Vec<Sample> {
    (0..count)
        .map(|n| {
            let mut sample = Sample::full();
            sample.entry.key = format!("entry-{n}");
            sample.entry.title = Some(format!("Entry number {n}"));
            sample.entry.link = Some(format!("https://blog.example.com/posts/{n}"));
            sample.entry.published = Some(at(1, 0, 0) + chrono::TimeDelta::minutes(n as i64));
            sample
        })
        .collect()
}

fn digest(kind: ChannelKind, samples: &[Sample]) -> Vec<Part<Payload>> {
    let cards: Vec<Card<'_>> = samples.iter().map(Sample::source).collect();
    render_digest(kind, &ChannelOptions::default(), &cards, Tz::UTC)
}

fn json_parts(kind: ChannelKind, samples: &[Sample]) -> Vec<Value> {
    digest(kind, samples)
        .into_iter()
        .map(|part| match part.output {
            Payload::Json(value) => value,
            other => panic!("a JSON payload, not {other:?}"),
        })
        .collect()
}

/// Every card listed once, in the order the parts list them.
fn listed(parts: &[Part<Payload>]) -> Vec<usize> {
    parts.iter().flat_map(|part| part.cards.clone()).collect()
}

#[test]
fn entries_are_grouped_by_feed_in_the_order_of_each_feeds_oldest_entry() {
    let samples = mixed();
    let cards: Vec<ChannelCard<'_>> = samples.iter().map(Sample::card).collect();
    let lines = lines(&cards, Tz::UTC);
    let order: Vec<(&str, usize)> = lines.iter().map(|l| (l.feed.as_str(), l.source)).collect();
    assert_eq!(
        order,
        [
            ("rust-blog", 0),
            ("rust-blog", 2),
            ("rust-blog", 4),
            ("status", 1),
            ("status", 3)
        ]
    );
}

#[test]
fn a_line_is_the_title_its_link_its_time_and_one_line_of_summary() {
    let sample = Sample::full();
    let line = &lines(&[sample.card()], Tz::UTC)[0];
    assert_eq!(line.title, "Release 2.0 is out");
    assert_eq!(
        line.link.as_deref(),
        Some("https://blog.example.com/posts/release-2")
    );
    assert_eq!(line.time(), "27 Nov 2026 14:05 UTC");
    assert!(!line.summary.contains('\n'), "{}", line.summary);
    let huge = Sample::huge_summary();
    let long = &lines(&[huge.card()], Tz::UTC)[0];
    assert!(long.summary.chars().count() <= SUMMARY_MAX_CHARS);
    assert!(long.summary.ends_with('…'), "a cut summary says so");
}

#[test]
fn a_lines_time_is_shown_in_the_digests_zone() {
    let sample = Sample::full();
    let in_paris = &lines(&[sample.card()], chrono_tz::Europe::Paris)[0];
    assert_eq!(in_paris.time(), "27 Nov 2026 15:05 CET");
    let kolkata = &lines(&[sample.card()], chrono_tz::Asia::Kolkata)[0];
    assert_eq!(kolkata.time(), "27 Nov 2026 19:35 IST");
    let parts = render_digest(
        ChannelKind::Console,
        &ChannelOptions::default(),
        &[sample.source()],
        chrono_tz::Europe::Paris,
    );
    let Payload::Text(text) = &parts[0].output else {
        panic!("console digests are text");
    };
    assert!(text.contains("27 Nov 2026 15:05 CET"), "{text}");
}

#[test]
fn a_channel_that_hides_summaries_hides_them_in_its_digest_too() {
    let samples = [Sample::full()];
    let cards: Vec<Card<'_>> = samples.iter().map(Sample::source).collect();
    let mut options = ChannelOptions::default();
    options.card.hide_summary = true;
    let parts = render_digest(ChannelKind::Console, &options, &cards, Tz::UTC);
    let Payload::Text(text) = &parts[0].output else {
        panic!("console text")
    };
    assert!(!text.contains("We shipped"), "{text}");
}

#[test]
fn feed_text_stays_inert_in_every_digest() {
    let samples = [Sample::hostile()];
    // The generic webhook passes each entry on as published (its `summary_html` is documented as
    // untrusted), exactly as its single posts do.
    let shown = ChannelKind::ALL
        .into_iter()
        .filter(|kind| *kind != ChannelKind::Generic);
    for kind in shown {
        for part in digest(kind, &samples) {
            let bytes = part.output.to_bytes();
            assert_inert(&String::from_utf8_lossy(&bytes));
            if let Payload::Email(email) = &part.output {
                assert_inert(&email.html);
                assert_inert(&email.subject);
            }
        }
    }
}

#[test]
fn nothing_waiting_renders_nothing() {
    for kind in ChannelKind::ALL {
        assert!(digest(kind, &[]).is_empty(), "{kind:?}");
    }
}

#[test]
fn a_large_teams_digest_is_split_into_numbered_parts_within_the_byte_limit() {
    let samples = many(300);
    let parts = digest(ChannelKind::Teams, &samples);
    assert!(parts.len() > 1, "300 entries do not fit one card");
    assert_eq!(
        listed(&parts),
        (0..300).collect::<Vec<_>>(),
        "every entry, once, in order"
    );
    let count = parts.len();
    for (index, part) in parts.iter().enumerate() {
        let bytes = part.output.to_bytes();
        assert!(bytes.len() < crate::render::teams::MAX_PAYLOAD_BYTES);
        let heading = format!("300 new entries (part {}/{count})", index + 1);
        assert!(
            String::from_utf8_lossy(&bytes).contains(&heading),
            "{heading}"
        );
    }
}

/// The Teams users every part of a pinging digest mentions: the most a channel takes.
fn teams_users() -> Vec<String> {
    (0..crate::config::MAX_MENTIONS)
        .map(|n| format!("user{n}.with.a.long.name@subsidiary.contoso.example.com"))
        .collect()
}

#[test]
fn every_part_of_a_teams_digest_pings_its_mentions_within_the_byte_limit() {
    let options = ChannelOptions {
        mention: teams_users(),
        ..ChannelOptions::default()
    };
    let samples = many(300);
    let cards: Vec<Card<'_>> = samples.iter().map(Sample::source).collect();
    let parts = render_digest(ChannelKind::Teams, &options, &cards, Tz::UTC);
    assert!(parts.len() > 1, "300 entries do not fit one card");
    assert_eq!(listed(&parts), (0..300).collect::<Vec<_>>());
    for part in &parts {
        let Payload::Json(payload) = &part.output else {
            panic!("a Teams digest is JSON");
        };
        assert!(payload.to_string().len() < crate::render::teams::MAX_PAYLOAD_BYTES);
        let card = &payload["attachments"][0]["content"];
        let first = card["body"][0]["text"].as_str().expect("the mentions line");
        assert!(first.starts_with("<at>user0.with"), "{first}");
        let entities = card["msteams"]["entities"].as_array().expect("entities");
        assert_eq!(entities.len(), crate::config::MAX_MENTIONS);
    }
}

#[test]
fn a_large_slack_digest_keeps_each_part_under_fifty_blocks() {
    let samples = many(120);
    let parts = json_parts(ChannelKind::Slack, &samples);
    assert!(parts.len() >= 3, "{} parts", parts.len());
    for part in &parts {
        let blocks = part["blocks"].as_array().expect("blocks");
        assert!(blocks.len() < crate::render::slack::MAX_BLOCKS);
    }
    let listed = listed(&digest(ChannelKind::Slack, &samples));
    assert_eq!(listed, (0..120).collect::<Vec<_>>());
}

#[test]
fn a_large_digest_is_split_within_every_targets_limit_and_loses_no_entry() {
    let samples = many(250);
    for kind in ChannelKind::ALL {
        let parts = digest(kind, &samples);
        assert_eq!(listed(&parts), (0..250).collect::<Vec<_>>(), "{kind:?}");
        if parts.len() > 1 {
            let last =
                String::from_utf8_lossy(&parts[parts.len() - 1].output.to_bytes()).into_owned();
            let shown = format!("(part {}/{})", parts.len(), parts.len());
            let heading_shown = match &parts[parts.len() - 1].output {
                Payload::Email(email) => email.subject.contains(&shown),
                _ => last.replace('\\', "").contains(&shown),
            };
            assert!(heading_shown, "{kind:?}: {shown}");
        }
    }
    let limited = [
        ChannelKind::Telegram,
        ChannelKind::Ntfy,
        ChannelKind::Rocketchat,
        ChannelKind::Discord,
        ChannelKind::Mattermost,
        ChannelKind::GoogleChat,
        ChannelKind::TeamsMessageCard,
    ];
    for kind in limited {
        assert!(
            digest(kind, &samples).len() > 1,
            "{kind:?} splits 250 entries"
        );
    }
}

#[test]
fn a_large_email_digest_is_split_at_its_entry_bound() {
    let samples = many(email::MAX_ENTRIES + 1);
    let parts = digest(ChannelKind::Email, &samples);
    assert_eq!(parts.len(), 2);
    let Payload::Email(second) = &parts[1].output else {
        panic!("an email")
    };
    assert_eq!(second.subject, "rust-blog: 201 new entries (part 2/2)");
    assert_eq!(parts[1].cards, [email::MAX_ENTRIES]);
}

#[test]
fn the_generic_digest_passes_each_entry_as_its_single_post_object() {
    let samples = mixed();
    let parts = json_parts(ChannelKind::Generic, &samples);
    assert_eq!(parts.len(), 1);
    let single = crate::render::generic::render(&samples[0].card());
    assert_eq!(parts[0]["entries"][0], single);
    assert_eq!(parts[0]["digest"]["total"], 5);
}

#[test]
fn digest_snapshots() {
    let samples = mixed();
    let json_kinds = ChannelKind::ALL
        .into_iter()
        .filter(|kind| !matches!(kind, ChannelKind::Console | ChannelKind::Email));
    for kind in json_kinds {
        let parts = json_parts(kind, &samples);
        insta::assert_json_snapshot!(format!("digest_{}", kind.as_str().replace('-', "_")), parts);
    }
    for part in digest(ChannelKind::Console, &samples) {
        let Payload::Text(text) = part.output else {
            panic!("console text")
        };
        insta::assert_snapshot!("digest_console", text);
    }
    for part in digest(ChannelKind::Email, &samples) {
        let Payload::Email(email) = part.output else {
            panic!("an email")
        };
        let shown = format!(
            "Subject: {}\nList: {}\n\n{}\n----\n{}",
            email.subject, email.feed, email.text, email.html
        );
        insta::assert_snapshot!("digest_email", shown);
    }
}
