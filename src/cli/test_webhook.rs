//! `feedhook test-webhook CHANNEL`: posts one clearly marked test card and shows the answer, to prove
//! a webhook works before any real entry depends on it. Writes nothing to the state.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use crate::config::{Channel, Redactor};
use crate::deliver::verdict::{self, Verdict};
use crate::deliver::{Destination, Poster, Target};
use crate::parse::{Entry, FeedInfo};
use crate::render::{self, Card, Payload};

use super::escape::printable;
use super::{EXIT_INCOMPLETE, EXIT_OK, load_config};

pub async fn run(path: &Path, channel_name: &str) -> u8 {
    let config = match load_config(path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let Some(channel) = config.channels.get(channel_name) else {
        let known: Vec<&str> = config.channels.keys().map(String::as_str).collect();
        eprintln!(
            "feedhook: no channel named {channel_name:?} (channels: {})",
            known.join(", ")
        );
        return EXIT_INCOMPLETE;
    };
    let entry = test_entry();
    let info = FeedInfo {
        title: Some("feedhook".into()),
        link: None,
    };
    let card = Card {
        feed_name: "feedhook test",
        feed_url: "https://example.invalid/feedhook-test",
        feed: &info,
        entry: &entry,
    };
    let payload = if channel.digest.is_some() {
        test_digest(channel, &card)
    } else {
        match render::render(channel.kind, &channel.options, &card) {
            Ok(payload) => payload,
            Err(error) => {
                eprintln!("channel {}: {error}; nothing was posted", channel.name);
                return EXIT_INCOMPLETE;
            }
        }
    };
    match send(channel, &payload, &config.redactor).await {
        Ok((status, body, verdict)) => report(channel, status, &body, &verdict),
        Err(error) => {
            eprintln!("channel {}: {}", channel.name, printable(&error));
            EXIT_INCOMPLETE
        }
    }
}

/// A digest channel's test: a digest of the test entry and a second one, as its digests look.
fn test_digest(channel: &Channel, card: &Card<'_>) -> Payload {
    let second = Entry {
        key: format!("{}-2", card.entry.key),
        title: Some("a second entry, to show how a digest lists them".into()),
        ..card.entry.clone()
    };
    let cards = [
        card.clone(),
        Card {
            entry: &second,
            ..card.clone()
        },
    ];
    let mut parts = render::digest::render_digest(
        channel.kind,
        &channel.options,
        &cards,
        channel.digest_zone(),
    );
    // Two short entries always fit one part.
    parts.swap_remove(0).output
}

fn test_entry() -> Entry {
    Entry {
        key: format!("feedhook-test-{}", Utc::now().timestamp()),
        title: Some("feedhook test card — you can delete this".into()),
        link: Some("https://example.com/".into()),
        published: Some(Utc::now()),
        summary_html: Some(
            "<p>If you can read this, feedhook can post to this channel.</p>".into(),
        ),
        ..Entry::default()
    }
}

/// Posts and returns the HTTP status (0 for the console and email), the answer's body and the
/// verdict; what the webhook (or the relay) says comes masked by `redactor`. The key is new on every run: Matrix drops a
/// repeated transaction id without posting.
async fn send(
    channel: &Channel,
    payload: &Payload,
    redactor: &Arc<Redactor>,
) -> Result<(u16, String, Verdict), String> {
    let poster = Poster::new(redactor).map_err(|e| e.to_string())?;
    let key = format!("feedhook-test-{}", Utc::now().timestamp_millis());
    let target = Target::for_channel(channel, &poster).map_err(|e| e.to_string())?;
    match &target {
        Target::Console | Target::Email(_) => {
            let sent = target.send(&key, payload).await;
            Ok((0, String::new(), sent.verdict))
        }
        Target::Webhook { url, .. } => {
            let answer = target
                .exchange(&key, payload)
                .await
                .map_err(|e| e.to_string())?;
            let verdict = verdict::classify_from(channel.kind, url, &answer);
            Ok((answer.status, answer.body, verdict))
        }
    }
}

fn report(channel: &Channel, status: u16, body: &str, verdict: &Verdict) -> u8 {
    let target = channel
        .url
        .as_ref()
        .map_or_else(|| "stdout".to_owned(), ToString::to_string);
    if status != 0 {
        println!(
            "channel {} ({}) at {target}: HTTP {status}",
            channel.name, channel.kind
        );
        if !body.is_empty() {
            println!("answer: {}", printable(body));
        }
    }
    match verdict {
        Verdict::Delivered => {
            println!("ok: the test card was accepted");
            EXIT_OK
        }
        Verdict::ChannelGone { reason } => {
            println!(
                "failed: the webhook is gone or refuses us ({}); check the channel's url",
                printable(reason)
            );
            EXIT_INCOMPLETE
        }
        Verdict::Rejected { reason } => {
            println!(
                "failed: the platform rejected the card ({})",
                printable(reason)
            );
            EXIT_INCOMPLETE
        }
        Verdict::RateLimited { retry_after } => {
            println!(
                "failed: rate limited; try again in {}",
                humantime::format_duration(*retry_after)
            );
            EXIT_INCOMPLETE
        }
        Verdict::Unanswered { reason } => {
            println!(
                "failed: {}; the card may still appear: raise the channel's timeout if the webhook is slow",
                printable(reason)
            );
            EXIT_INCOMPLETE
        }
        Verdict::Retry { reason, .. } => {
            println!(
                "failed: {}; the platform may be having trouble, try again later",
                printable(reason)
            );
            EXIT_INCOMPLETE
        }
    }
}
