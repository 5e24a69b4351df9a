//! Digests: the entries a digest channel gathered, posted together as one card (or one email) per
//! part. Each entry shows its title as a link, its time and a one-line summary, under its feed's
//! name: feeds in the order of their oldest entry, each feed's entries oldest first.
//!
//! ```text
//! [Card] ─► overrides::apply ─► DigestLine (title, link, time, one-line summary, decided once)
//!        ─► split: as many lines per part as the target's limits allow ─► one payload per part
//! ```
//!
//! A digest is never cut silently: what does not fit one post goes in the next part, and every
//! part says which it is ("part 2/3"). Each target's layout lives in `digest/<target>.rs`, writing
//! feed text with the same markup writers (and so the same escaping and link judgement) as its
//! single cards.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::card::{ChannelCard, format_date_in};
use super::clean::clean_line;
use super::markup::Markup;
use super::markup::links::honest_title;
use super::truncate::{Measure, truncate};
use super::{Card, Payload, mention, overrides};
use crate::config::{ChannelKind, ChannelOptions};

mod chat;
mod console;
mod discord;
mod email;
mod generic;
mod messagecard;
mod slack;
mod teams;

/// The most of an entry's summary a digest shows: one line.
pub const SUMMARY_MAX_CHARS: usize = 200;
/// A digest lists an entry by its title; a title longer than this is cut, with an ellipsis.
pub const TITLE_MAX_CHARS: usize = 200;

/// One entry as a digest lists it, decided once for every target: every text is one clean line.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestLine {
    /// The feed's name, as the group heading shows it.
    pub feed: String,
    pub title: String,
    /// The entry's link, when it is an absolute http(s) URL.
    pub link: Option<String>,
    /// When the entry was published (else updated).
    pub date: Option<DateTime<Utc>>,
    /// The zone the time is shown in: the digest schedule's.
    pub zone: Tz,
    /// The start of the summary, on one line; empty when there is none or the channel hides it.
    pub summary: String,
    /// Which of the digest's cards this line shows (targets that pass whole entries on).
    pub source: usize,
}

impl DigestLine {
    fn new(card: &ChannelCard<'_>, source: usize, zone: Tz) -> Self {
        let summary = clean_line(&card.summary().to_single_line());
        Self {
            feed: card.feed_label(),
            title: truncate(&card.display_title(), TITLE_MAX_CHARS, Measure::Chars).into_owned(),
            link: card.link().map(String::from),
            date: card.date(),
            zone,
            summary: truncate(&summary, SUMMARY_MAX_CHARS, Measure::Chars).into_owned(),
            source,
        }
    }

    /// The time as the digest shows it, or an empty text.
    #[must_use]
    pub fn time(&self) -> String {
        self.date
            .map(|date| format_date_in(date, self.zone))
            .unwrap_or_default()
    }

    /// The title as a link in `M` (feed text escaped; a title naming another host than the link's
    /// is followed by the real one), or the escaped title when there is no link.
    #[must_use]
    pub fn title_link<M: Markup>(&self) -> String {
        match &self.link {
            Some(url) => M::link(&M::escape(&honest_title(&self.title, url), false), url),
            None => M::escape(&self.title, false),
        }
    }

    /// The time and the summary after it, escaped in `M`: `27 Nov 2026 14:05 UTC — We shipped…`.
    #[must_use]
    pub fn detail<M: Markup>(&self) -> String {
        let parts: Vec<String> = [self.time(), self.summary.clone()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect();
        M::escape(&parts.join(" — "), false)
    }
}

/// One part of a digest: its lines, which part it is, and how many entries the whole digest has.
#[derive(Debug, Clone, Copy)]
pub struct DigestPart<'a> {
    pub lines: &'a [DigestLine],
    /// 1-based.
    pub number: usize,
    pub parts: usize,
    /// The entries of every part together.
    pub total: usize,
}

impl DigestPart<'_> {
    /// `12 new entries`, or `40 new entries (part 2/3)`.
    #[must_use]
    pub fn heading(&self) -> String {
        let entries = match self.total {
            1 => "1 new entry".to_owned(),
            n => format!("{n} new entries"),
        };
        match self.parts {
            1 => entries,
            parts => format!("{entries} (part {}/{parts})", self.number),
        }
    }

    /// The lines by feed: each run of lines of one feed, in order.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &[DigestLine])> {
        self.lines
            .chunk_by(|a, b| a.feed == b.feed)
            .map(|group| (group[0].feed.as_str(), group))
    }
}

impl DigestPart<'_> {
    /// The part as one text in the markup `M`: the heading and each feed's name in bold, then
    /// one line per entry (`• title — time — summary`), lines joined by `line_break`.
    #[must_use]
    pub fn text<M: Markup>(&self, line_break: &str) -> String {
        let bold = |text: &str| format!("{}{}{}", M::BOLD.0, M::escape(text, false), M::BOLD.1);
        let mut out = bold(&self.heading());
        for (feed, lines) in self.groups() {
            out.push_str(line_break);
            out.push_str(line_break);
            out.push_str(&bold(feed));
            for line in lines {
                out.push_str(line_break);
                out.push_str(&line.entry::<M>());
            }
        }
        out
    }
}

impl DigestLine {
    /// The entry on one line in `M`: `• title — time — summary`, the title a link.
    #[must_use]
    pub fn entry<M: Markup>(&self) -> String {
        let detail = self.detail::<M>();
        if detail.is_empty() {
            format!("• {}", self.title_link::<M>())
        } else {
            format!("• {} — {detail}", self.title_link::<M>())
        }
    }
}

/// One part of a digest as a target laid it out, and which of the digest's cards it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Part<T> {
    pub output: T,
    /// Indexes into the cards given, oldest first.
    pub cards: Vec<usize>,
}

/// Renders the digest of `cards` (oldest first) for a channel of `kind` with its `options`, each
/// card's overrides applied first, times shown in `zone`: one payload per part, with the cards
/// each lists.
#[must_use]
pub fn render_digest(
    kind: ChannelKind,
    options: &ChannelOptions,
    cards: &[Card<'_>],
    zone: Tz,
) -> Vec<Part<Payload>> {
    let shown: Vec<ChannelCard<'_>> = cards
        .iter()
        .map(|card| overrides::apply(&options.card, card))
        .collect();
    let lines = lines(&shown, zone);
    let json = |parts: Vec<Part<serde_json::Value>>| {
        parts
            .into_iter()
            .map(|part| Part {
                output: Payload::Json(mention::add(kind, &options.mention, part.output)),
                cards: part.cards,
            })
            .collect()
    };
    match kind {
        ChannelKind::Teams => json(teams::render(&lines, &options.mention)),
        ChannelKind::TeamsMessageCard => json(messagecard::render(&lines)),
        ChannelKind::Slack => json(slack::render(&lines, options)),
        ChannelKind::Discord => json(discord::render(&lines, options)),
        ChannelKind::Mattermost => json(chat::mattermost(&lines, options)),
        ChannelKind::GoogleChat => json(chat::google_chat(&lines)),
        ChannelKind::Matrix => json(chat::matrix(&lines)),
        ChannelKind::Telegram => json(chat::telegram(&lines)),
        ChannelKind::Ntfy => json(chat::ntfy(&lines, options)),
        ChannelKind::Rocketchat => json(chat::rocketchat(&lines, options)),
        ChannelKind::Email => map(email::render(&lines), Payload::Email),
        ChannelKind::Generic => json(generic::render(&lines, &shown)),
        ChannelKind::Console => map(console::render(&lines), Payload::Text),
    }
}

fn map<T>(parts: Vec<Part<T>>, into: impl Fn(T) -> Payload) -> Vec<Part<Payload>> {
    parts
        .into_iter()
        .map(|part| Part {
            output: into(part.output),
            cards: part.cards,
        })
        .collect()
}

/// The lines of `cards` (oldest first), grouped by feed: feeds in the order of their oldest
/// entry, each feed's entries oldest first; times shown in `zone`.
#[must_use]
pub fn lines(cards: &[ChannelCard<'_>], zone: Tz) -> Vec<DigestLine> {
    let mut lines: Vec<DigestLine> = cards
        .iter()
        .enumerate()
        .map(|(source, card)| DigestLine::new(card, source, zone))
        .collect();
    let mut feeds: Vec<String> = Vec::new();
    for line in &lines {
        if !feeds.contains(&line.feed) {
            feeds.push(line.feed.clone());
        }
    }
    // Stable: each feed's entries keep their order.
    lines.sort_by_key(|line| feeds.iter().position(|feed| *feed == line.feed));
    lines
}

/// The parts of a digest of `lines`: each as many lines, in order, as `fits` allows of
/// `layout`'s rendering, and every part numbered. A line too big for a part of its own goes
/// without its summary; if it still does not fit, it goes as it is, and the platform's answer is
/// logged by the delivery, as for a single card that cannot shed enough.
pub fn split<T>(
    lines: &[DigestLine],
    layout: impl Fn(&DigestPart<'_>) -> T,
    fits: impl Fn(&T) -> bool,
) -> Vec<Part<T>> {
    let total = lines.len();
    let mut lines = lines.to_vec();
    // Measured with the widest label a part can have, so that numbering them changes no fit.
    let widest = |lines: &[DigestLine]| {
        layout(&DigestPart {
            lines,
            number: total,
            parts: total,
            total,
        })
    };
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < total {
        if !fits(&widest(&lines[start..=start])) {
            lines[start].summary.clear();
        }
        // The longest run from `start` that fits: galloping, then a binary search, since a run
        // that does not fit never fits with more lines. `fitting` fits (or is one line, which
        // goes alone whatever it costs); `too_long` does not, or is past the end.
        let fits_to = |end: usize| fits(&widest(&lines[start..end]));
        let (mut fitting, mut too_long, mut step) = (start + 1, total + 1, 1);
        while fitting + step <= total {
            if !fits_to(fitting + step) {
                too_long = fitting + step;
                break;
            }
            fitting += step;
            step *= 2;
        }
        while too_long - fitting > 1 {
            let middle = fitting + (too_long - fitting) / 2;
            if fits_to(middle) {
                fitting = middle;
            } else {
                too_long = middle;
            }
        }
        ranges.push(start..fitting);
        start = fitting;
    }
    let parts = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(index, range)| {
            let part = DigestPart {
                lines: &lines[range],
                number: index + 1,
                parts,
                total,
            };
            Part {
                output: layout(&part),
                cards: part.lines.iter().map(|line| line.source).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
