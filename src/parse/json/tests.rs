use super::*;

fn normalised(text: &str) -> Value {
    serde_json::from_str(&normalise(text).expect("a JSON object").0).expect("valid JSON out")
}

#[test]
fn http_version_url_becomes_https() {
    let feed =
        normalised(r#"{"version": "http://jsonfeed.org/version/1", "title": "t", "items": []}"#);
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1");
}

#[test]
fn ids_and_fields_get_the_types_feed_rs_reads() {
    let feed =
        normalised(r#"{"version": "1.1", "items": [{"id": 42}, {"id": [1], "title": null}]}"#);
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["items"][0]["id"], "42");
    assert!(feed["items"][1].get("id").is_none());
    assert!(feed["items"][1].get("title").is_none());
    assert_eq!(feed["title"], "");
}

#[test]
fn tags_become_a_list_of_strings() {
    let feed = normalised(r#"{"items": [{"tags": "a,b"}, {"tags": ["x", 1]}, {"tags": 3}]}"#);
    assert_eq!(feed["items"][0]["tags"], serde_json::json!(["a,b"]));
    assert_eq!(feed["items"][1]["tags"], serde_json::json!(["x"]));
    assert!(feed["items"][2].get("tags").is_none());
}

#[test]
fn content_text_yields_to_content_html_without_summary() {
    let feed = normalised(r#"{"items": [{"content_html": "<p>x</p>", "content_text": "x"}]}"#);
    assert!(feed["items"][0].get("content_text").is_none());
}

#[test]
fn non_objects_are_left_to_feed_rs() {
    assert_eq!(normalise("[1, 2]"), None);
    assert_eq!(normalise("{not json"), None);
}

#[test]
fn items_are_counted() {
    let (_, count) = normalise(r#"{"items": [{"id": "1"}, 2, {"id": "3"}]}"#).expect("an object");
    assert_eq!(count, 3);
}
