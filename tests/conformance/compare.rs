//! How one of feedhook's fields is compared with a value another parser expects.
//!
//! The peers and feedhook model some fields differently, so each comparison reads both sides the
//! same way:
//!
//! - **text** (titles, summaries): whitespace collapsed on both sides. feedhook's titles are plain
//!   text and its summaries HTML, read here as the text a reader sees (script and style contents
//!   are not text). The peers hand back strings that are text or markup depending on the format
//!   (gofeed keeps them raw, feedparser sanitises HTML), so an expected string agrees when
//!   feedhook's text equals it read either as text or as HTML.
//! - **URLs**: an expected relative URL is resolved against the document's URL first, since
//!   feedhook's links are absolute.
//! - **dates**: to the second, in UTC.
//! - **people**: feedhook keeps a name (or an address when there is no name); an expected
//!   `Name (address)` or `address (Name)` agrees with the name.

use chrono::{DateTime, Datelike, Timelike, Utc};
use scraper::{Html, Node};
use url::Url;

use super::value::{Field, Value};

/// Compares `field` with an expected value; `None` when the value is of a kind the field does
/// not compare with.
pub fn compare(field: &Field, expected: &Value) -> Option<bool> {
    match (field, expected) {
        (Field::Text(actual), Value::Str(expected)) => Some(text_agrees(actual, expected)),
        (Field::Url { value, base }, Value::Str(expected)) => Some(
            value == expected.trim()
                || resolve(expected, base).is_some_and(|resolved| &resolved == value),
        ),
        (Field::Date(actual), Value::Seq(items)) => {
            let expected: Option<Vec<i64>> = items
                .iter()
                .take(6)
                .map(|item| match item {
                    Value::Int(n) => Some(*n),
                    _ => None,
                })
                .collect();
            expected.map(|expected| expected == actual)
        }
        (Field::Date(actual), Value::Str(expected)) => {
            Some(parse_date(expected).is_some_and(|expected| fields(&expected) == *actual))
        }
        (Field::Exact(actual), Value::Str(expected)) => Some(actual == expected.trim()),
        (Field::Person(actual), Value::Str(expected)) => Some(person_agrees(actual, expected)),
        (_, Value::None) => Some(false),
        _ => None,
    }
}

/// A date as the `(year, month, day, hour, minute, second)` that `Field::Date` holds.
pub fn fields(date: &DateTime<Utc>) -> [i64; 6] {
    [
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
        i64::from(date.hour()),
        i64::from(date.minute()),
        i64::from(date.second()),
    ]
}

fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .or_else(|_| DateTime::parse_from_rfc2822(text.trim()))
        .ok()
        .map(|date| date.with_timezone(&Utc))
}

/// `href` resolved against `base`, as feedhook resolves links.
pub fn resolve(href: &str, base: &str) -> Option<String> {
    let base = Url::parse(base).ok()?;
    base.join(href.trim()).ok().map(String::from)
}

fn text_agrees(actual: &str, expected: &str) -> bool {
    let actual = squash(actual);
    actual == squash(expected) || actual == squash(&visible_text(expected))
}

fn person_agrees(actual: &str, expected: &str) -> bool {
    let expected = expected.trim();
    if actual == expected {
        return true;
    }
    // `address (Name)` or `Name (address)`.
    let Some((outside, inside)) = expected
        .strip_suffix(')')
        .and_then(|rest| rest.split_once('('))
    else {
        return false;
    };
    let (outside, inside) = (outside.trim(), inside.trim());
    if outside.contains('@') {
        actual == inside
    } else {
        actual == outside
    }
}

/// Whitespace collapsed to single spaces, trimmed.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a reader sees of `html`: text nodes in document order, without the contents of
/// elements that are not text.
pub fn visible_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    for node in fragment.root_element().descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let hidden = node.ancestors().any(|ancestor| {
            ancestor.value().as_element().is_some_and(|element| {
                matches!(
                    element.name(),
                    "script" | "style" | "noscript" | "template" | "iframe"
                )
            })
        });
        if !hidden {
            out.push_str(text);
        }
    }
    out
}

/// How a field's value reads in a disagreement report.
pub fn show(value: &Value) -> String {
    match value {
        Value::Field(Field::Text(text) | Field::Exact(text) | Field::Person(text)) => {
            format!("{text:?}")
        }
        Value::Field(Field::Url { value, .. }) => format!("<{value}>"),
        Value::Field(Field::Date(date)) => format!("{date:?}"),
        Value::Missing => "(none)".to_owned(),
        Value::Ignored => "(not compared)".to_owned(),
        Value::Str(text) => format!("{text:?}"),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        other => format!("{other:?}"),
    }
}
