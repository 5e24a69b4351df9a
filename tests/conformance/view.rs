//! feedhook's parse result seen through the names the peers use for the same fields.
//!
//! Only fields feedhook extracts are mapped; every other name is ignored. The mapping:
//!
//! | feedparser | gofeed | feedhook |
//! | --- | --- | --- |
//! | `feed.title` | `title` | `FeedInfo::title` |
//! | `feed.link` | `link` | `FeedInfo::link` |
//! | `title` | `title` | `Entry::title` |
//! | `link` | `link` | `Entry::link` |
//! | `id`, `guid` | `guid`, `id` | `Entry::id` |
//! | `published_parsed` | `publishedParsed`, `date_published` | `Entry::published` |
//! | `updated_parsed` | `updatedParsed`, `date_modified` | `Entry::updated`, else `published` (both peers fall back so) |
//! | `author`, `author_detail.name`, `authors[i].name` | `authors[i].name` (else `email`) | `Entry::authors` |
//! | `summary`, `description`, `content[0].value` | `description`/`summary`, else `content` | `Entry::summary_html`, as text |
//! | `tags[i].term`/`label`, `category` | `categories` | `Entry::categories` |
//! | `media_thumbnail[0].url`, `image.href` | `image.url`, `image` | `Entry::image` |

use std::collections::BTreeMap;

use feedhook::parse::{Entry, ParsedFeed};

use super::compare::{fields, visible_text};
use super::value::{Field, Value};

/// The feedparser paths (list indices as `*`) that name a field feedhook extracts; the paths
/// leading to them (`entries.*.content`) are read too.
const FEEDPARSER_PATHS: [&str; 20] = [
    "feed.title",
    "feed.title_detail.value",
    "feed.link",
    "entries.*.title",
    "entries.*.title_detail.value",
    "entries.*.link",
    "entries.*.id",
    "entries.*.guid",
    "entries.*.published_parsed",
    "entries.*.updated_parsed",
    "entries.*.author",
    "entries.*.author_detail.name",
    "entries.*.authors.*.name",
    "entries.*.summary",
    "entries.*.description",
    "entries.*.summary_detail.value",
    "entries.*.content.*.value",
    "entries.*.tags.*.term",
    "entries.*.tags.*.label",
    "entries.*.category",
];

/// Other fields feedhook extracts, under the names feedparser gives them.
const FEEDPARSER_IMAGE_PATHS: [&str; 2] =
    ["entries.*.media_thumbnail.*.url", "entries.*.image.href"];

/// Whether a feedparser path names a field feedhook extracts, or leads to one.
pub fn feedparser_mapped(path: &str) -> bool {
    FEEDPARSER_PATHS
        .iter()
        .chain(&FEEDPARSER_IMAGE_PATHS)
        .any(|mapped| {
            mapped
                .strip_prefix(path)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
}

/// The names a feedparser expectation reads: `feed` and `entries`. `None` for a document
/// feedhook rejected: every mapped field is then missing.
pub fn feedparser_names(parsed: Option<&ParsedFeed>, base: &str) -> BTreeMap<String, Value> {
    let mut names = BTreeMap::new();
    let feed = match parsed {
        Some(parsed) => open([
            ("title", text(parsed.info.title.as_deref())),
            ("title_detail", detail(text(parsed.info.title.as_deref()))),
            ("link", url(parsed.info.link.as_deref(), base)),
        ]),
        None => open([("title", Value::Missing), ("link", Value::Missing)]),
    };
    names.insert("feed".to_owned(), feed);
    let entries = parsed
        .map(|parsed| parsed.entries.iter().map(|e| entry(e, base)).collect())
        .unwrap_or_default();
    names.insert("entries".to_owned(), Value::Seq(entries));
    names
}

fn entry(entry: &Entry, base: &str) -> Value {
    let summary = text(summary_text(entry).as_deref());
    let first_author = person(entry.authors.first().map(String::as_str));
    let authors = entry
        .authors
        .iter()
        .map(|name| open([("name", person(Some(name)))]))
        .collect();
    let tags = entry
        .categories
        .iter()
        .map(|category| {
            let category = exact(Some(category));
            open([("term", category.clone()), ("label", category)])
        })
        .collect();
    open([
        ("title", text(entry.title.as_deref())),
        ("title_detail", detail(text(entry.title.as_deref()))),
        ("link", url(entry.link.as_deref(), base)),
        ("id", exact(entry.id.as_deref())),
        ("guid", exact(entry.id.as_deref())),
        ("published_parsed", date(entry.published.as_ref())),
        (
            "updated_parsed",
            date(entry.updated.as_ref().or(entry.published.as_ref())),
        ),
        ("author", first_author.clone()),
        ("author_detail", open([("name", first_author)])),
        ("authors", Value::Seq(authors)),
        ("summary", summary.clone()),
        ("description", summary.clone()),
        ("summary_detail", detail(summary.clone())),
        ("content", Value::Seq(vec![detail(summary)])),
        ("tags", Value::Seq(tags)),
        (
            "category",
            exact(entry.categories.first().map(String::as_str)),
        ),
        (
            "media_thumbnail",
            Value::Seq(vec![open([("url", url(entry.image.as_deref(), base))])]),
        ),
        ("image", open([("href", url(entry.image.as_deref(), base))])),
    ])
}

/// What a reader sees of the entry's summary.
pub fn summary_text(entry: &Entry) -> Option<String> {
    entry.summary_html.as_deref().map(visible_text)
}

/// A `*_detail` dict: only its `value` is compared.
fn detail(value: Value) -> Value {
    open([("value", value)])
}

fn open<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Dict {
        entries: pairs
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
        open: true,
    }
}

/// A text field: feedhook leaves out a text with nothing visible in it, which reads as empty.
pub fn text(value: Option<&str>) -> Value {
    Value::Field(Field::Text(value.unwrap_or_default().to_owned()))
}

pub fn exact(value: Option<&str>) -> Value {
    value.map_or(Value::Missing, |v| Value::Field(Field::Exact(v.to_owned())))
}

pub fn person(value: Option<&str>) -> Value {
    value.map_or(Value::Missing, |v| {
        Value::Field(Field::Person(v.to_owned()))
    })
}

pub fn url(value: Option<&str>, base: &str) -> Value {
    value.map_or(Value::Missing, |v| {
        Value::Field(Field::Url {
            value: v.to_owned(),
            base: base.to_owned(),
        })
    })
}

pub fn date(value: Option<&chrono::DateTime<chrono::Utc>>) -> Value {
    value.map_or(Value::Missing, |d| Value::Field(Field::Date(fields(d))))
}
