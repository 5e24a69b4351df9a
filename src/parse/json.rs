//! Lenient JSON Feed input for feed-rs's strict reader.
//!
//! feed-rs accepts only `https://jsonfeed.org/version/1…` and string ids, and fails on a feed
//! without a title. The spec's own examples used `http://`, and it says a reader must coerce an
//! id published as a number to a string (<https://www.jsonfeed.org/version/1.1/#items-a-name-items-a>).

use serde_json::{Map, Value};

/// The JSON Feed rewritten into what feed-rs reads, with the number of its items; `None` when
/// `text` is not a JSON object (feed-rs then reports why).
pub(super) fn normalise(text: &str) -> Option<(String, usize)> {
    let mut document: Value = serde_json::from_str(text).ok()?;
    let feed = document.as_object_mut()?;
    if let Some(Value::String(version)) = feed.get_mut("version") {
        if let Some(rest) = version.strip_prefix("http://jsonfeed.org/") {
            *version = format!("https://jsonfeed.org/{rest}");
        } else if matches!(version.as_str(), "1" | "1.0" | "1.1") {
            *version = format!("https://jsonfeed.org/version/{version}");
        }
    }
    if !feed.get("title").is_some_and(Value::is_string) {
        feed.insert("title".to_owned(), Value::String(String::new()));
    }
    // feed-rs lists `feed_url` beside `home_page_url` as an unlabelled link, where it could be
    // taken for the home page; our model does not use it.
    feed.remove("feed_url");
    let mut count = 0;
    if let Some(Value::Array(items)) = feed.get_mut("items") {
        count = items.len();
        items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(normalise_item);
    }
    Some((serde_json::to_string(&document).ok()?, count))
}

/// The item fields feed-rs reads as strings; one of another type fails the whole feed there.
const STRING_FIELDS: [&str; 9] = [
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "date_published",
    "date_modified",
];

fn normalise_item(item: &mut Map<String, Value>) {
    if let Some(Value::Number(number)) = item.get("id") {
        let id = number.to_string();
        item.insert("id".to_owned(), Value::String(id));
    }
    for field in STRING_FIELDS {
        if item.get(field).is_some_and(|value| !value.is_string()) {
            item.remove(field);
        }
    }
    match item.get_mut("tags") {
        Some(Value::Array(tags)) => tags.retain(Value::is_string),
        Some(tag @ Value::String(_)) => *tag = Value::Array(vec![tag.take()]),
        Some(_) => {
            item.remove("tags");
        }
        None => {}
    }
    // feed-rs does not read an item's `image` (or `banner_image`); as an attachment before the
    // others it is the entry's image.
    if let Some(image) = ["image", "banner_image"]
        .iter()
        .find_map(|key| item.get(*key).and_then(Value::as_str))
    {
        let attachment = serde_json::json!({"url": image, "mime_type": "image/*"});
        match item.get_mut("attachments") {
            Some(Value::Array(attachments)) => attachments.insert(0, attachment),
            _ => {
                item.insert("attachments".to_owned(), Value::Array(vec![attachment]));
            }
        }
    }
    // Without a summary, feed-rs files `content_text` as the summary when `content_html` exists;
    // our summary is `content_html` then.
    if item.get("content_html").is_some_and(Value::is_string) && !item.contains_key("summary") {
        item.remove("content_text");
    }
}

#[cfg(test)]
mod tests;
