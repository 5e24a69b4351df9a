use std::fmt::Write as _;

use super::*;

fn declared(doctype: &str) -> Entities {
    let mut entities = Entities::default();
    entities.declare(doctype);
    entities
}

#[test]
fn internal_entities_expand_with_their_references() {
    let mut entities = declared(
        r#"<!DOCTYPE rss [ <!ENTITY site 'Example &amp; Co'> <!ENTITY id "tag:&site;,2024:"> ]>"#,
    );
    assert_eq!(
        entities.expand("id").as_deref(),
        Some("tag:Example &amp; Co,2024:")
    );
    assert_eq!(entities.expand("undeclared"), None);
}

#[test]
fn the_first_declaration_binds_and_html_names_are_repaired() {
    let mut entities =
        declared(r#"<!DOCTYPE rss [<!ENTITY x "caf&eacute;"><!ENTITY x "second">]>"#);
    assert_eq!(entities.expand("x").as_deref(), Some("caf&#233;"));
}

#[test]
fn external_and_parameter_entities_are_never_read() {
    let mut entities = declared(
        r#"<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY % p "x"><!ENTITY ok "yes">]>"#,
    );
    assert_eq!(entities.expand("secret"), None);
    assert_eq!(entities.expand("p"), None);
    assert_eq!(entities.expand("ok").as_deref(), Some("yes"));
}

#[test]
fn expansion_is_bounded() {
    let mut doctype = String::from("<!DOCTYPE rss [<!ENTITY a0 \"lol\">");
    for level in 1..10 {
        let previous = format!("&a{};", level - 1);
        let _ = write!(doctype, "<!ENTITY a{level} \"{}\">", previous.repeat(10));
    }
    doctype.push_str("<!ENTITY loop \"&loop;\">]>");
    let mut entities = declared(&doctype);
    assert_eq!(
        entities.expand("a9"),
        None,
        "a billion laughs stays unexpanded"
    );
    assert_eq!(
        entities.expand("loop"),
        None,
        "a cycle ends at the nesting bound"
    );
    assert_eq!(entities.expand("a3").map(|text| text.len()), Some(3_000));
    // What is spent counts against the document: 64 KiB allows 21 more of `a3`, not 22.
    let expanded = (0..30).filter(|_| entities.expand("a3").is_some()).count();
    assert_eq!(expanded, (MAX_EXPANDED - 3_000) / 3_000);
}
