use super::*;
use crate::render::testing::Sample;

const JSON_TEMPLATE: &str = r#"{"text": {{ entry.title | tojson }}, "by": {{ entry.authors | tojson }},
 "feed": {{ feed.name | tojson }}, "link": {{ entry.link | tojson }},
 "summary": {{ entry.summary_text | tojson }}, "html": {{ entry.summary_html | tojson }}}"#;

fn body(payload: Payload) -> String {
    match payload {
        Payload::Body(body) => body,
        other => panic!("expected a templated body, got {other:?}"),
    }
}

#[test]
fn json_template_with_tojson_stays_valid_json_for_every_sample() {
    for (name, sample) in Sample::all() {
        let card = sample.card();
        let rendered = body(render_template(&card, JSON_TEMPLATE));
        let parsed: Value = serde_json::from_str(&rendered)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {rendered}"));
        let object = render(&card);
        assert_eq!(parsed["text"], object["entry"]["title"], "{name}");
        assert_eq!(parsed["by"], object["entry"]["authors"], "{name}");
        assert_eq!(parsed["summary"], object["entry"]["summary_text"], "{name}");
        assert_eq!(parsed["html"], object["entry"]["summary_html"], "{name}");
        assert_eq!(parsed["feed"], "rust-blog", "{name}");
    }
}

#[test]
fn tojson_escapes_markup_so_a_json_body_is_also_safe_inside_html() {
    let rendered = body(render_template(
        &Sample::hostile().card(),
        "{{ entry.summary_html | tojson }}",
    ));
    assert!(!rendered.contains("<script>"), "{rendered}");
    assert!(rendered.contains("\\u003cscript\\u003e"), "{rendered}");
}

#[test]
fn plain_text_template_renders_feed_and_entry() {
    let template = "New on {{ feed.title }}: {{ entry.title }} <{{ entry.link }}> \
                    ({{ entry.categories | join(\", \") }})";
    assert_eq!(
        body(render_template(&Sample::full().card(), template)),
        "New on Example Blog: Release 2.0 is out <https://blog.example.com/posts/release-2> \
         (release, rust)"
    );
}

#[test]
fn null_values_render_as_nothing_in_text() {
    let rendered = body(render_template(
        &Sample::untitled().card(),
        "[{{ entry.title }}] {{ entry.title or \"untitled\" }}",
    ));
    assert_eq!(rendered, "[] untitled");
}

#[test]
fn undefined_attributes_are_lenient() {
    let sample = Sample::full();
    let card = sample.card();
    let rendered = body(render_template(
        &card,
        "<{{ entry.no_such_key }}><{{ feed.nothing | default(\"-\") }}>",
    ));
    assert_eq!(rendered, "<><->");
    let rendered = body(render_template(&card, "{{ entry.no_such_key | tojson }}"));
    assert!(
        serde_json::from_str::<Value>(&rendered).is_ok(),
        "{rendered}"
    );
}

#[test]
fn template_failing_at_render_time_falls_back_to_the_default_object() {
    let sample = Sample::full();
    let card = sample.card();
    for template in [
        "{{ entry.title | no_such_filter }}",
        "{{ entry.categories + 1 }}",
        // Lenient as in Jinja: a missing attribute is empty, but one of it is an error.
        "{{ entry.no_such_key.deeper }}",
    ] {
        assert_eq!(
            render_template(&card, template),
            Payload::Json(render(&card)),
            "{template}"
        );
    }
}

#[test]
fn try_render_template_names_the_failure() {
    let sample = Sample::full();
    let card = sample.card();
    let error = try_render_template(&card, "line one\n{{ entry.title | no_such_filter }}")
        .expect_err("unknown filter fails");
    assert!(error.contains("no_such_filter"), "{error}");
    assert!(error.contains(":2"), "names the line: {error}");
    let error = try_render_template(&card, "{% if %}").expect_err("syntax error");
    assert!(error.contains("syntax error"), "{error}");
}

#[test]
fn check_template_accepts_good_syntax_and_rejects_bad() {
    assert_eq!(check_template(JSON_TEMPLATE), Ok(()));
    assert!(check_template("{{ entry.title ").is_err());
    assert_eq!(
        render_template(&Sample::full().card(), "{{ entry.title "),
        Payload::Json(render(&Sample::full().card()))
    );
}
