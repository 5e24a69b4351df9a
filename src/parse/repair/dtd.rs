//! Entities declared in a document's internal DTD subset, expanded here because feed-rs leaves
//! their references as written.
//!
//! Only internal general entities (`<!ENTITY name "text">`) are read: external ones (`SYSTEM`,
//! `PUBLIC`) are never fetched nor read from disk, and parameter entities are ignored. Expansion
//! is bounded: a reference whose expansion would nest deeper than [`MAX_NESTING`] or take the
//! document's expanded text past [`MAX_EXPANDED`] bytes stays unexpanded, so a billion laughs
//! costs nothing.

use std::collections::HashMap;

use super::reference;

/// The most text all expansions in one document may add.
pub(super) const MAX_EXPANDED: usize = 64 * 1024;
/// The deepest entity references may nest.
const MAX_NESTING: usize = 8;

/// The internal general entities of one document and what their expansion has cost so far.
#[derive(Default)]
pub(super) struct Entities {
    declared: HashMap<String, String>,
    spent: usize,
}

impl Entities {
    /// Reads the declarations of a `<!DOCTYPE …>`'s contents (what follows `<!DOCTYPE`).
    pub(super) fn declare(&mut self, doctype: &str) {
        let Some(subset) = doctype.split_once('[').map(|(_, subset)| subset) else {
            return;
        };
        let mut rest = subset;
        while let Some(at) = rest.find("<!ENTITY") {
            rest = &rest[at + "<!ENTITY".len()..];
            if let Some((name, value, after)) = declaration(rest) {
                // The first declaration of a name binds (XML 1.0 §4.2).
                self.declared
                    .entry(name.to_owned())
                    .or_insert(value.to_owned());
                rest = after;
            }
        }
    }

    /// The replacement for `&name;`: its expansion when the DTD declares `name` and the
    /// expansion stays within bounds. `None` leaves the reference as it is.
    pub(super) fn expand(&mut self, name: &str) -> Option<String> {
        if self.declared.is_empty() {
            return None;
        }
        let budget = MAX_EXPANDED.checked_sub(self.spent)?;
        let mut out = String::new();
        self.expand_into(name, 0, budget, &mut out)?;
        self.spent += out.len();
        Some(out)
    }

    fn expand_into(&self, name: &str, depth: usize, budget: usize, out: &mut String) -> Option<()> {
        if depth > MAX_NESTING {
            return None;
        }
        let mut rest = self.declared.get(name)?.as_str();
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let inner = after.find(';').map(|semi| &after[..semi]);
            match inner {
                Some(inner) if self.declared.contains_key(inner) => {
                    self.expand_into(inner, depth + 1, budget, out)?;
                }
                // Character references and the predefined entities stay for the XML parser;
                // HTML names get the repair every other reference gets.
                Some(inner) => match reference::fix(inner) {
                    Some(fixed) => out.push_str(&fixed),
                    None => out.push_str(&rest[at..at + inner.len() + 2]),
                },
                None => out.push_str("&amp;"),
            }
            rest = inner.map_or(after, |inner| &after[inner.len() + 1..]);
            if out.len() > budget {
                return None;
            }
        }
        out.push_str(rest);
        (out.len() <= budget).then_some(())
    }
}

/// One declaration after `<!ENTITY`: its name, its literal value and the text after it.
/// `None` for parameter entities, external entities and anything unreadable.
fn declaration(text: &str) -> Option<(&str, &str, &str)> {
    let text = text.trim_start();
    if text.starts_with('%') {
        return None;
    }
    let name_end = text.find(char::is_whitespace)?;
    let (name, rest) = text.split_at(name_end);
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value_end = rest[1..].find(quote)? + 1;
    let value = &rest[1..value_end];
    let after = rest[value_end + 1..].trim_start();
    let after = after.strip_prefix('>')?;
    Some((name, value, after))
}

#[cfg(test)]
mod tests;
