//! From TOML text to the [`raw`](super::raw) types. The document is first parsed into toml's spanned
//! tree; each table is then checked against the keys its raw type accepts (so every unknown key is
//! reported, not just the first) and deserialized on its own (so a type error in one feed leaves the
//! others to be validated).

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::parts;
use super::raw::{
    ChannelRaw, DeliveryRaw, FeedRaw, FetchRaw, HttpRaw, StoreRaw, defaults_fields, fields_of,
};
use super::report::{Report, key_path};

const SECTIONS: &[&str] = &[
    "store", "fetch", "http", "delivery", "defaults", "channels", "feeds",
];

/// The whole file, as far as it could be read.
#[derive(Debug, Default)]
pub(super) struct RawConfig {
    pub store: StoreRaw,
    pub fetch: FetchRaw,
    /// `None` when the file has no `[http]` table: nothing is served.
    pub http: Option<Spanned<HttpRaw>>,
    /// `[delivery]`: the delivery bounds of every channel that does not set its own.
    pub delivery: DeliveryRaw,
    /// `[defaults]`: the keys every feed takes from it (never those only a feed has).
    pub defaults: FeedRaw,
    pub channels: Vec<ChannelItem>,
    /// Feeds in file order. An entry that is not a table is missing, but the others keep their index.
    pub feeds: Vec<FeedItem>,
}

#[derive(Debug)]
pub(super) struct ChannelItem {
    pub name: String,
    /// Where the channel's table starts (its `[channels.NAME]` header).
    pub span: Range<usize>,
    /// `None` when the table could not be read; the channel still exists for the feeds naming it.
    pub raw: Option<ChannelRaw>,
}

#[derive(Debug)]
pub(super) struct FeedItem {
    /// 0-based position among the `[[feeds]]` entries, as in the key path `feeds[0]`.
    pub index: usize,
    /// Where the entry starts (its `[[feeds]]` header).
    pub span: Range<usize>,
    pub raw: FeedRaw,
}

/// Reads `text`; `None` when it is not valid TOML (the syntax errors are in `report`).
///
/// A long feed list is read a part at a time (see [`parts`]), which bounds toml's memory; the
/// problems reported are the same as for the whole file.
pub(super) fn read(text: &str, report: &mut Report) -> Option<RawConfig> {
    read_in_parts(text, parts::FEEDS_PER_PART, report)
}

fn read_in_parts(text: &str, feeds_per_part: usize, report: &mut Report) -> Option<RawConfig> {
    let starts = parts::part_starts(text, feeds_per_part);
    let before = report.problems.len();
    let mut raw = RawConfig::default();
    let mut feeds_read = 0;
    let mut valid_toml = true;
    for index in 0..starts.len() {
        let part = if starts.len() == 1 {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(parts::part_text(text, &starts, index))
        };
        let (doc, errors) = DeTable::parse_recoverable(&part);
        if !errors.is_empty() {
            if valid_toml {
                // As for a whole file: a syntax error is all that is reported.
                report.problems.truncate(before);
                valid_toml = false;
            }
            report_syntax(errors, report);
        } else if valid_toml {
            add_tables(&doc, &mut raw, &mut feeds_read, report);
        }
    }
    valid_toml.then_some(raw)
}

fn report_syntax(errors: Vec<toml::de::Error>, report: &mut Report) {
    for error in errors {
        match error.span() {
            Some(span) => report.error(span, "TOML syntax", error.message()),
            None => report.error_unlocated("TOML syntax", error.message()),
        }
    }
}

/// Adds the top-level tables of one part to `raw`; its feeds come after the `feeds_read` of earlier
/// parts.
fn add_tables(
    doc: &Spanned<DeTable<'_>>,
    raw: &mut RawConfig,
    feeds_read: &mut usize,
    report: &mut Report,
) {
    for (key, value) in doc.get_ref() {
        let name = key.get_ref().as_ref();
        match name {
            "store" => raw.store = section(value, name, report).unwrap_or_default(),
            "fetch" => raw.fetch = section(value, name, report).unwrap_or_default(),
            "http" => raw.http = spanned_section(value, name, report),
            "delivery" => raw.delivery = section(value, name, report).unwrap_or_default(),
            "defaults" => {
                let accepted = defaults_fields();
                raw.defaults = section_of(value, name, &accepted, report).unwrap_or_default();
            }
            "channels" => raw.channels = channels(value, report),
            "feeds" => raw.feeds.extend(feeds(value, feeds_read, report)),
            _ => report.error(
                key.span(),
                &key_path("", name),
                unknown_key_message(name, "the top level", SECTIONS),
            ),
        }
    }
}

fn channels(value: &Spanned<DeValue<'_>>, report: &mut Report) -> Vec<ChannelItem> {
    let DeValue::Table(table) = value.get_ref() else {
        let found = value.get_ref().type_str();
        report.error(
            value.span(),
            "channels",
            format!("expected tables such as [channels.ops], found {found}"),
        );
        return Vec::new();
    };
    table
        .iter()
        .map(|(name, body)| {
            let path = key_path("channels", name.get_ref());
            ChannelItem {
                name: name.get_ref().to_string(),
                span: body.span(),
                raw: section(body, &path, report),
            }
        })
        .collect()
}

/// The `[[feeds]]` tables of one part; `feeds_read` counts those of the parts before it.
fn feeds(
    value: &Spanned<DeValue<'_>>,
    feeds_read: &mut usize,
    report: &mut Report,
) -> Vec<FeedItem> {
    let DeValue::Array(items) = value.get_ref() else {
        let message = "expected an array of tables: write [[feeds]], with two brackets";
        report.error(value.span(), "feeds", message);
        return Vec::new();
    };
    let first_index = *feeds_read;
    *feeds_read += items.len();
    items
        .iter()
        .enumerate()
        .map(|(index, item)| (first_index + index, item))
        .filter_map(|(index, item)| {
            let raw = section(item, &format!("feeds[{index}]"), report)?;
            Some(FeedItem {
                index,
                span: item.span(),
                raw,
            })
        })
        .collect()
}

/// Deserializes one table into `T`, first reporting each key `T` does not accept. A key of the wrong
/// type is reported and left out, and the rest read again, so that every such key is reported and
/// the others are still validated.
fn section<'de, T: Deserialize<'de>>(
    value: &Spanned<DeValue<'de>>,
    path: &str,
    report: &mut Report,
) -> Option<T> {
    section_of(value, path, fields_of::<T>(), report)
}

/// [`section`], accepting only the keys of `T` listed in `accepted`.
fn section_of<'de, T: Deserialize<'de>>(
    value: &Spanned<DeValue<'de>>,
    path: &str,
    accepted: &[&str],
    report: &mut Report,
) -> Option<T> {
    let DeValue::Table(table) = value.get_ref() else {
        let found = value.get_ref().type_str();
        let message = format!("expected a table, found {found}");
        report.error(value.span(), path, message);
        return None;
    };
    let mut known = DeTable::new();
    for (key, item) in table {
        if accepted.contains(&key.get_ref().as_ref()) {
            known.insert(key.clone(), item.clone());
        } else {
            let message = unknown_key_message(key.get_ref(), path, accepted);
            report.error(key.span(), &key_path(path, key.get_ref()), message);
        }
    }
    loop {
        let attempt = Spanned::new(value.span(), DeValue::Table(known.clone()));
        let error = match T::deserialize(ValueDeserializer::from(attempt)) {
            Ok(section) => return Some(section),
            Err(error) => error,
        };
        let span = error.span().unwrap_or_else(|| value.span());
        let culprit = known
            .iter()
            .find(|(key, item)| key.span().start <= span.start && span.start < item.span().end)
            .map(|(key, _)| key.clone());
        let Some(culprit) = culprit else {
            report.error(span, path, plain_type_names(error.message()));
            return None;
        };
        let key = key_path(path, culprit.get_ref());
        report.error(span, &key, plain_type_names(error.message()));
        known.remove(&culprit);
    }
}

/// [`section`], remembering where the table is, to report a key it lacks there.
fn spanned_section<'de, T: Deserialize<'de>>(
    value: &Spanned<DeValue<'de>>,
    path: &str,
    report: &mut Report,
) -> Option<Spanned<T>> {
    section(value, path, report).map(|table| Spanned::new(value.span(), table))
}

fn unknown_key_message(key: &str, table: &str, accepted: &[&str]) -> String {
    format!(
        "unknown key {key:?} in {table}; accepted keys: {}",
        accepted.join(", ")
    )
}

/// serde speaks of Rust types ("expected i64"); the reader of a config file thinks in TOML's.
fn plain_type_names(message: &str) -> String {
    message
        .replace("expected i64", "expected an integer")
        .replace("a sequence", "an array")
        .replace("expected a map", "expected a table")
}

#[cfg(test)]
mod tests;
