use super::*;
use crate::render::testing::Sample;

const JSON_TEMPLATE: &str = r#"{"text": {{ entry.title | tojson }}, "by": {{ entry.authors | tojson }},
 "feed": {{ feed.name | tojson }}, "link": {{ entry.link | tojson }},
 "summary": {{ entry.summary_text | tojson }}, "html": {{ entry.summary_html | tojson }}}"#;

fn compiled(source: &str) -> Template {
    Template::compile(source, None).unwrap_or_else(|error| panic!("{source}: {error}"))
}

/// The body `source` renders for `sample`.
fn body(sample: &Sample, source: &str) -> String {
    match render_template(&sample.card(), &compiled(source)) {
        Ok(Payload::Body(body)) => body,
        other => panic!("expected a templated body, got {other:?}"),
    }
}

/// Why `source` does not render for `sample`.
fn failure(sample: &Sample, source: &str) -> RenderError {
    match render_template(&sample.card(), &compiled(source)) {
        Err(error) => error,
        Ok(payload) => panic!("{source}: expected an error, got {payload:?}"),
    }
}

#[test]
fn json_template_with_tojson_stays_valid_json_for_every_sample() {
    for (name, sample) in Sample::all() {
        let rendered = body(&sample, JSON_TEMPLATE);
        let parsed: Value = serde_json::from_str(&rendered)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {rendered}"));
        let object = render(&sample.card());
        assert_eq!(parsed["text"], object["entry"]["title"], "{name}");
        assert_eq!(parsed["by"], object["entry"]["authors"], "{name}");
        assert_eq!(parsed["summary"], object["entry"]["summary_text"], "{name}");
        assert_eq!(parsed["html"], object["entry"]["summary_html"], "{name}");
        assert_eq!(parsed["feed"], "rust-blog", "{name}");
    }
}

#[test]
fn tojson_escapes_markup_so_a_json_body_is_also_safe_inside_html() {
    let rendered = body(&Sample::hostile(), "{{ entry.summary_html | tojson }}");
    assert!(!rendered.contains("<script>"), "{rendered}");
    assert!(rendered.contains("\\u003cscript\\u003e"), "{rendered}");
}

#[test]
fn plain_text_template_renders_feed_and_entry() {
    let template = "New on {{ feed.title }}: {{ entry.title }} <{{ entry.link }}> \
                    ({{ entry.categories | join(\", \") }})";
    assert_eq!(
        body(&Sample::full(), template),
        "New on Example Blog: Release 2.0 is out <https://blog.example.com/posts/release-2> \
         (release, rust)"
    );
}

#[test]
fn null_values_render_as_nothing_and_are_false() {
    let rendered = body(
        &Sample::untitled(),
        "[{{ entry.title }}] {{ entry.title or \"untitled\" }} \
         {% if entry.title %}titled{% else %}no title{% endif %} {{ entry.title | tojson }} \
         {{ entry.authors[0] if entry.authors else \"anonymous\" }}",
    );
    assert_eq!(rendered, "[] untitled no title null anonymous");
}

#[test]
fn a_misspelt_key_or_variable_fails_naming_the_line_and_the_expression() {
    let sample = Sample::full();
    for (source, expression) in [
        ("line one\n{{ entry.titel }}", "{{ entry.titel }}"),
        (
            "line one\n{{ entry.titel | tojson }}",
            "{{ entry.titel | tojson }}",
        ),
        ("line one\n{{ item.title }}", "{{ item.title }}"),
        (
            "line one\n{% if entry.titel %}x{% endif %}",
            "{% if entry.titel %}",
        ),
        ("line one\n{{ entry.authors[5] }}", "{{ entry.authors[5] }}"),
    ] {
        let error = failure(&sample, source);
        assert_eq!(
            error,
            RenderError::Template {
                line: Some(2),
                expression: Some(expression.into()),
                reason: "undefined value".into(),
            },
            "{source}: {error}"
        );
    }
    assert_eq!(
        failure(&sample, "{\"a\": 1}\n{{ entry.titel }}").to_string(),
        "the template failed at line 2, in `{{ entry.titel }}`: undefined value"
    );
}

#[test]
fn an_unknown_filter_or_a_wrong_type_fails() {
    let sample = Sample::full();
    let error = failure(&sample, "{{ entry.title | shout }}").to_string();
    assert!(error.contains("unknown filter"), "{error}");
    assert!(error.contains("shout"), "{error}");
    let error = failure(&sample, "{{ entry.categories + 1 }}").to_string();
    assert!(error.contains("invalid operation"), "{error}");
}

#[test]
fn a_runaway_loop_is_stopped_by_its_fuel() {
    let error = failure(
        &Sample::full(),
        "\n{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
    );
    assert_eq!(error, RenderError::OutOfFuel { line: Some(2) });
    assert_eq!(
        error.to_string(),
        "the template was stopped at line 2 after 100000 steps \
         (a loop over too many items, or one inside another?)"
    );
}

#[test]
fn a_loop_over_a_few_thousand_items_fits_in_the_fuel() {
    let rendered = body(
        &Sample::full(),
        "{% for i in range(5000) %}{% if i is even %}{{ entry.title }}{% endif %}{% endfor %}",
    );
    assert_eq!(rendered.len(), 2500 * "Release 2.0 is out".len());
}

#[test]
fn endless_recursion_is_stopped() {
    let error = failure(
        &Sample::full(),
        "{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{{ again(0) }}",
    );
    assert!(
        matches!(&error, RenderError::Template { reason, .. } if reason.contains("recursion limit")),
        "{error}"
    );
}

#[test]
fn a_body_larger_than_the_cap_is_refused() {
    let sample = Sample::full();
    let at_cap = body(&sample, &format!("{{{{ 'x' * {MAX_TEMPLATE_BYTES} }}}}"));
    assert_eq!(at_cap.len(), MAX_TEMPLATE_BYTES);
    let error = failure(&sample, &format!("{{{{ 'x' * {MAX_TEMPLATE_BYTES} }}}}!"));
    assert_eq!(
        error,
        RenderError::TooLarge {
            limit: MAX_TEMPLATE_BYTES
        }
    );
    let error = failure(
        &sample,
        "{% for i in range(20000) %}{{ entry.summary_html }}{% endfor %}",
    );
    assert!(matches!(error, RenderError::TooLarge { .. }), "{error}");
}
