use super::*;

fn render(template: &Template, context: &minijinja::Value) -> Result<String, minijinja::Error> {
    let mut out = Vec::new();
    template.render_to(context, &mut out)?;
    Ok(String::from_utf8(out).expect("UTF-8"))
}

fn entry(title: Option<&str>) -> minijinja::Value {
    minijinja::context! { entry => minijinja::context! { title => title } }
}

#[test]
fn a_template_that_compiles_is_kept_as_written_with_the_line_of_its_key() {
    let source = "{\"text\": {{ entry.title | tojson }}}\n{% if feed.name %}{% endif %}";
    let template = Template::compile(source, Some(7)).expect("compiles");
    assert_eq!(template.source(), source);
    assert_eq!(template.line(), Some(7));
}

#[test]
fn a_template_syntax_error_names_its_line_in_the_template() {
    let compile = |source| Template::compile(source, None).map(drop);
    let message = compile("{\n  \"text\": {{ entry.title }\n}").expect_err("unclosed");
    assert!(
        message
            .starts_with("the template does not compile: syntax error at line 2 of the template: "),
        "{message}"
    );
    let message = compile("{% for x in entry.tags %}").expect_err("no endfor");
    assert!(message.contains("line 1 of the template"), "{message}");
    assert!(compile(" \n").expect_err("empty").contains("empty"));
}

#[test]
fn templates_are_equal_when_their_sources_are_wherever_the_key_is() {
    let at_3 = Template::compile("{{ entry.title }}", Some(3)).expect("compiles");
    let at_9 = Template::compile("{{ entry.title }}", Some(9)).expect("compiles");
    let other = Template::compile("{{ entry.link }}", Some(3)).expect("compiles");
    assert_eq!(at_3, at_9);
    assert_ne!(at_3, other);
    assert!(format!("{at_3:?}").contains("{{ entry.title }}"));
}

#[test]
fn null_is_written_as_nothing_and_undefined_is_an_error() {
    let template = Template::compile("[{{ entry.title }}]", None).expect("compiles");
    assert_eq!(render(&template, &entry(None)).expect("renders"), "[]");
    assert_eq!(
        render(&template, &entry(Some("T"))).expect("renders"),
        "[T]"
    );
    let typo = Template::compile("[{{ entry.titel }}]", None).expect("compiles");
    let error = render(&typo, &entry(Some("T"))).expect_err("undefined");
    assert_eq!(error.kind(), minijinja::ErrorKind::UndefinedError);
}

#[test]
fn a_runaway_loop_runs_out_of_fuel() {
    let template = Template::compile(
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
        None,
    )
    .expect("compiles");
    let error = render(&template, &entry(None)).expect_err("out of fuel");
    assert_eq!(error.kind(), minijinja::ErrorKind::OutOfFuel);
}

#[test]
fn endless_recursion_reaches_the_recursion_limit() {
    let template = Template::compile(
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        None,
    )
    .expect("compiles");
    let error = render(&template, &entry(None)).expect_err("too deep");
    assert!(error.to_string().contains("recursion limit"), "{error}");
}
