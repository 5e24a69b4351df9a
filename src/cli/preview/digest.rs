//! `preview` for digest channels: the digest of a feed's newest entries, or, without a feed, the
//! digest a channel would post now from what waits in its outbox.

use std::fmt::Write as _;

use crate::config::{Channel, Config};
use crate::deliver::digest::{self, MAX_DIGEST_ENTRIES, next_digest};
use crate::parse::Entry;
use crate::poll::Document;
use crate::render::digest::render_digest;
use crate::render::{Card, Payload};
use crate::store::Store;

use super::super::{EXIT_INCOMPLETE, EXIT_OK, EXIT_STATE};
use super::{Format, Shown, message_source, size_limit, size_note};

/// One part of the digest a channel would post.
pub(super) struct DigestPart<'a> {
    channel: &'a Channel,
    number: usize,
    parts: usize,
    entries: usize,
    payload: Payload,
}

/// The digest each of `channels` would post for `entries` (newest first) of one feed.
pub(super) fn of_entries<'a>(
    shown: &Shown,
    parsed: &Document,
    entries: &[Entry],
    channels: &[&'a Channel],
) -> Vec<DigestPart<'a>> {
    // A digest lists the oldest first.
    let cards: Vec<Card<'_>> = entries
        .iter()
        .rev()
        .map(|e| shown.card(parsed, e))
        .collect();
    channels
        .iter()
        .flat_map(|channel| parts(channel, &cards, [shown.identity()]))
        .collect()
}

/// The parts of the digest of `cards` (of `feeds`, by identity: who it pings) for `channel`.
fn parts<'a, 'f>(
    channel: &'a Channel,
    cards: &[Card<'_>],
    feeds: impl IntoIterator<Item = &'f str>,
) -> Vec<DigestPart<'a>> {
    let options = channel.options.for_feeds(feeds);
    let rendered = render_digest(channel.kind, &options, cards, channel.digest_zone());
    let count = rendered.len();
    rendered
        .into_iter()
        .enumerate()
        .map(|(index, part)| DigestPart {
            channel,
            number: index + 1,
            parts: count,
            entries: part.cards.len(),
            payload: part.output,
        })
        .collect()
}

/// `preview --channel NAME` without a feed: the digest the channel would post now.
pub(super) async fn run(config: &Config, channel: Option<&str>, format: Format) -> u8 {
    let Some(channel) = channel.and_then(|name| config.channels.get(name)) else {
        eprintln!(
            "feedhook: give a feed, or --channel naming a channel of the config to see the digest it would post now"
        );
        return EXIT_INCOMPLETE;
    };
    let Some(schedule) = &channel.digest else {
        eprintln!(
            "feedhook: channel {} posts each entry, not digests: give a feed to preview its cards",
            channel.name
        );
        return EXIT_INCOMPLETE;
    };
    if config.store.database.is_none() && !config.store.path.exists() {
        println!(
            "channel {}: nothing waits (no state yet): nothing would be posted",
            channel.name
        );
        return EXIT_OK;
    }
    let waiting = async {
        let store = Store::open_configured(&config.store, false).await?;
        let state = store.channel_state(&channel.name).await?;
        let pending = store
            .pending_deliveries(&channel.name, MAX_DIGEST_ENTRIES)
            .await?;
        Ok::<_, crate::store::StoreError>((state, pending))
    };
    let (state, pending) = match waiting.await {
        Ok(read) => read,
        Err(error) => {
            eprintln!("feedhook: {error}");
            return EXIT_STATE;
        }
    };
    let shown = digest::shown_feeds(&pending);
    let feeds = pending.iter().map(|delivery| delivery.feed.as_str());
    let digest = parts(channel, &digest::cards(&pending, &shown), feeds);
    let when = next_digest(schedule, &state).map_or_else(
        || "no digest is due: nothing waits".to_owned(),
        |due| format!("next digest {} ({schedule})", schedule.shown(due)),
    );
    let out = match format {
        Format::Text => format!(
            "channel {}: {} entries wait; {when}\n{}",
            channel.name,
            state.pending,
            text(&digest)
        ),
        Format::Json => format!("{:#}\n", serde_json::Value::Array(to_json(&digest))),
    };
    print!("{}", config.redactor.redact(&out));
    EXIT_OK
}

/// The parts as `preview` prints them for people.
pub(super) fn text(parts: &[DigestPart<'_>]) -> String {
    let mut out = String::new();
    for part in parts {
        let (name, kind) = (&part.channel.name, part.channel.kind);
        let (body, bytes) = body(part);
        let _ = writeln!(
            out,
            "\n=== digest for channel {name} ({kind}), part {}/{}: {} entries, {}\n{body}",
            part.number,
            part.parts,
            part.entries,
            size_note(kind, bytes)
        );
    }
    out
}

/// The parts as `preview --format json` lists them, beside the single cards.
pub(super) fn to_json(parts: &[DigestPart<'_>]) -> Vec<serde_json::Value> {
    parts
        .iter()
        .map(|part| {
            let (body, bytes) = body(part);
            let payload = match &part.payload {
                Payload::Json(value) => value.clone(),
                _ => serde_json::Value::String(body),
            };
            serde_json::json!({
                "channel": part.channel.name, "kind": part.channel.kind.as_str(),
                "digest_part": part.number, "digest_parts": part.parts, "entries": part.entries,
                "bytes": bytes, "limit": size_limit(part.channel.kind), "payload": payload,
            })
        })
        .collect()
}

fn body(part: &DigestPart<'_>) -> (String, usize) {
    match &part.payload {
        Payload::Json(value) => (format!("{value:#}"), part.payload.to_bytes().len()),
        Payload::Text(text) | Payload::Body(text) => (text.clone(), text.len()),
        Payload::Email(parts) => {
            let source = message_source(part.channel, parts);
            let bytes = source.len();
            (source, bytes)
        }
    }
}
