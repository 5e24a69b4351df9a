//! Entity and character references that XML cannot resolve as written.
//!
//! HTML names (`&eacute;`) become numeric references; numeric references to C1 codes, to 0 or
//! past Unicode, or with an uppercase `X`, become the character HTML would show; an `&` that
//! starts no reference becomes `&amp;`.

use std::fmt::Write as _;

use super::super::entities;

/// The replacement for the reference `&name;`, or `None` when XML resolves it as meant.
pub(super) fn fix(name: &str) -> Option<String> {
    if name.starts_with('#') {
        if resolves_as_in_html(name) {
            return None;
        }
        return Some(match entities::numeric(name) {
            Some(c) => format!("&#{};", u32::from(c)),
            None => format!("&amp;{name};"),
        });
    }
    if entities::is_xml_predefined(name) {
        return None;
    }
    if let Some(text) = entities::named(name) {
        return Some(text.chars().fold(String::new(), |mut out, c| {
            let _ = write!(out, "&#{};", u32::from(c));
            out
        }));
    }
    // An unknown name stays a reference (a DTD may declare it); anything else was never one.
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    (!is_name).then(|| format!("&amp;{name};"))
}

/// Whether quick-xml reads the numeric reference `name` (`#233`, `#xE9`) as the character HTML
/// would: it takes only a lowercase `x`, rejects 0 and non-characters, and keeps C1 codes as
/// controls where HTML reads them as windows-1252.
fn resolves_as_in_html(name: &str) -> bool {
    let code = entities::number(&name[1..], &['x']);
    code.is_some_and(|code| {
        code != 0 && !(0x80..=0x9F).contains(&code) && char::from_u32(code).is_some()
    })
}

/// Repairs the references in a start tag's attribute values, for which quick-xml reports no
/// reference events. `None` when there was nothing to repair.
pub(super) fn escape_in_tag(tag: &str) -> Option<String> {
    if !tag.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(tag.len() + 16);
    let mut rest = tag;
    let mut changed = false;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let stop = after
            .find(|c: char| matches!(c, ';' | '&' | '<' | '>' | '"' | '\'') || c.is_whitespace());
        match stop {
            Some(semi) if after[semi..].starts_with(';') => {
                let name = &after[..semi];
                match fix(name) {
                    Some(fixed) => {
                        out.push_str(&fixed);
                        changed = true;
                    }
                    None => out.push_str(&rest[at..=at + 1 + semi]),
                }
                rest = &after[semi + 1..];
            }
            _ => {
                out.push_str("&amp;");
                changed = true;
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}
