//! gofeed's expectations: beside each input, a JSON dump of what gofeed made of it — its
//! universal model for `translator/` and `extensions/`, its Atom, RSS and JSON Feed models for
//! `parser/<format>/`. Every field of those dumps that feedhook also extracts is one check;
//! absent fields assert nothing.

use std::path::{Path, PathBuf};

use feedhook::parse::{Entry, ParsedFeed, parse_feed};
use serde_json::Value as Json;

use super::compare::compare;
use super::value::Value;
use super::view::{date, exact, person, summary_text, text, url};
use super::{Check, files_under};

/// The model a dump is written in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Model {
    Universal,
    Atom,
    Rss,
    Json,
}

/// The checks of every gofeed case under `dir` (the corpus's `gofeed/`).
pub fn checks(dir: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    for expected_path in files_under(dir) {
        let Some((input, model)) = case_of(dir, &expected_path) else {
            continue;
        };
        let relative = input.strip_prefix(dir).unwrap_or(&input).to_string_lossy();
        let case = format!("gofeed/{relative}");
        let expected: Json = serde_json::from_slice(
            &std::fs::read(&expected_path).unwrap_or_else(|e| panic!("{case}: {e}")),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let body = std::fs::read(&input).unwrap_or_else(|e| panic!("{case}: {e}"));
        let base = format!("https://gofeed.example/{relative}");
        let parsed = parse_feed(&body, None, &base).ok();
        for (what, actual, expected) in pairs(model, parsed.as_ref(), &expected, &base) {
            let agrees = agrees(&actual, &expected);
            checks.push(Check {
                case: case.clone(),
                what: format!("{what} == {}", super::compare::show(&expected)),
                agrees,
                detail: format!("feedhook: {}", super::compare::show(&actual)),
            });
        }
    }
    checks
}

/// The input and model of an expectation file, or `None` when `path` is not one.
fn case_of(dir: &Path, path: &Path) -> Option<(PathBuf, Model)> {
    let relative = path.strip_prefix(dir).ok()?.to_string_lossy().into_owned();
    let name = path.file_name()?.to_string_lossy().into_owned();
    if let Some(stem) = name.strip_suffix("_expected.json") {
        let model = if relative.contains("translator/") {
            Model::Universal
        } else {
            Model::Json
        };
        return Some((path.with_file_name(format!("{stem}.json")), model));
    }
    let input = path.with_extension("xml");
    let is_json = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
    if !is_json || !input.is_file() {
        return None;
    }
    let model = if relative.contains("parser/atom/") {
        Model::Atom
    } else if relative.contains("parser/rss/") {
        Model::Rss
    } else {
        Model::Universal
    };
    Some((input, model))
}

type Pair = (String, Value, Value);

/// Each field the dump asserts, with feedhook's value for it.
fn pairs(model: Model, parsed: Option<&ParsedFeed>, expected: &Json, base: &str) -> Vec<Pair> {
    let mut out = Vec::new();
    let info = parsed.map(|parsed| &parsed.info);
    if let Some(title) = expected.get("title").and_then(Json::as_str) {
        let actual = text(info.and_then(|info| info.title.as_deref()));
        out.push(("feed.title".to_owned(), actual, str_value(title)));
    }
    let link = match model {
        Model::Json => expected.get("home_page_url").and_then(Json::as_str),
        Model::Atom => page_link(expected.get("links")),
        Model::Universal | Model::Rss => expected.get("link").and_then(Json::as_str),
    };
    if let Some(link) = link {
        let actual = url(info.and_then(|info| info.link.as_deref()), base);
        out.push(("feed.link".to_owned(), actual, str_value(link)));
    }
    let key = if model == Model::Atom {
        "entries"
    } else {
        "items"
    };
    let entries = parsed.map_or(&[][..], |parsed| parsed.entries.as_slice());
    for (i, item) in expected
        .get(key)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let entry = entries.get(i);
        for (what, actual, expected) in item_pairs(model, entry, item, base) {
            out.push((format!("{key}[{i}].{what}"), actual, expected));
        }
    }
    out
}

fn item_pairs(model: Model, entry: Option<&Entry>, item: &Json, base: &str) -> Vec<Pair> {
    let field = |name: &str| item.get(name).and_then(Json::as_str).map(str_value);
    let names = |keys: &[&str]| keys.iter().find_map(|key| field(key));
    let (id, link, summary, published, updated) = match model {
        Model::Universal => (
            field("guid"),
            field("link"),
            names(&["description", "content"]),
            field("publishedParsed"),
            field("updatedParsed"),
        ),
        Model::Atom => (
            field("id"),
            page_link(item.get("links")).map(str_value),
            field("summary").or_else(|| {
                let content = item.get("content")?;
                content.get("value").and_then(Json::as_str).map(str_value)
            }),
            field("publishedParsed"),
            field("updatedParsed"),
        ),
        Model::Rss => (
            item.get("guid")
                .and_then(|guid| guid.get("value"))
                .and_then(Json::as_str)
                .map(str_value),
            field("link"),
            names(&["description", "content"]),
            field("pubDateParsed"),
            None,
        ),
        Model::Json => (
            field("id"),
            names(&["url", "external_url"]),
            names(&["summary", "content_html", "content_text"]),
            field("date_published"),
            field("date_modified"),
        ),
    };
    let updated_actual = entry.and_then(|e| e.updated.as_ref().or(e.published.as_ref()));
    let candidates = [
        (
            "title",
            field("title"),
            text(entry.and_then(|e| e.title.as_deref())),
        ),
        ("id", id, exact(entry.and_then(|e| e.id.as_deref()))),
        (
            "link",
            link,
            url(entry.and_then(|e| e.link.as_deref()), base),
        ),
        (
            "summary",
            summary,
            text(entry.and_then(summary_text).as_deref()),
        ),
        (
            "published",
            published,
            date(entry.and_then(|e| e.published.as_ref())),
        ),
        ("updated", updated, date(updated_actual)),
        ("authors", authors(model, item), people(entry)),
        ("categories", categories(model, item), labels(entry)),
        (
            "image",
            image(model, item),
            url(entry.and_then(|e| e.image.as_deref()), base),
        ),
    ];
    candidates
        .into_iter()
        .filter_map(|(what, expected, actual)| Some((what.to_owned(), actual, expected?)))
        .collect()
}

/// An Atom dump's page link: the first link without `rel` or with `rel="alternate"`.
fn page_link(links: Option<&Json>) -> Option<&str> {
    links?.as_array()?.iter().find_map(|link| {
        let rel = link
            .get("rel")
            .and_then(Json::as_str)
            .unwrap_or("alternate");
        (rel == "alternate")
            .then(|| link.get("href").and_then(Json::as_str))
            .flatten()
    })
}

fn authors(model: Model, item: &Json) -> Option<Value> {
    if model == Model::Rss {
        return item
            .get("author")
            .and_then(Json::as_str)
            .map(|author| Value::Seq(vec![str_value(author)]));
    }
    let list: Vec<&Json> = match item.get("authors").and_then(Json::as_array) {
        Some(list) => list.iter().collect(),
        None => item.get("author").into_iter().collect(),
    };
    let names: Vec<Value> = list
        .into_iter()
        .filter_map(|person| {
            ["name", "email"].iter().find_map(|key| {
                person
                    .get(key)
                    .and_then(Json::as_str)
                    .filter(|s| !s.is_empty())
            })
        })
        .map(str_value)
        .collect();
    (!names.is_empty()).then_some(Value::Seq(names))
}

fn categories(model: Model, item: &Json) -> Option<Value> {
    let key = match model {
        Model::Json => "tags",
        _ => "categories",
    };
    let list = item.get(key)?.as_array()?;
    let labels: Vec<Value> = list
        .iter()
        .filter_map(|category| match category {
            Json::String(s) => Some(s.as_str()),
            // Atom: the label, else the term (what a reader is shown); RSS: the value.
            other => ["label", "term", "value"].iter().find_map(|key| {
                other
                    .get(key)
                    .and_then(Json::as_str)
                    .filter(|s| !s.is_empty())
            }),
        })
        .map(str_value)
        .collect();
    (!labels.is_empty()).then_some(Value::Seq(labels))
}

fn image(model: Model, item: &Json) -> Option<Value> {
    let image = item.get("image")?;
    match model {
        Model::Json => image.as_str().map(str_value),
        _ => image.get("url").and_then(Json::as_str).map(str_value),
    }
}

fn people(entry: Option<&Entry>) -> Value {
    entry.map_or(Value::Missing, |entry| {
        Value::Seq(entry.authors.iter().map(|a| person(Some(a))).collect())
    })
}

fn labels(entry: Option<&Entry>) -> Value {
    entry.map_or(Value::Missing, |entry| {
        Value::Seq(entry.categories.iter().map(|c| exact(Some(c))).collect())
    })
}

fn str_value(text: &str) -> Value {
    Value::Str(text.to_owned())
}

/// Whether feedhook's value agrees with the expected one (lists element by element).
fn agrees(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Seq(actual), Value::Seq(expected)) => {
            actual.len() == expected.len() && actual.iter().zip(expected).all(|(a, e)| agrees(a, e))
        }
        (Value::Field(field), expected) => compare(field, expected) == Some(true),
        _ => false,
    }
}
