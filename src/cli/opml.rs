//! `feedhook import-opml FILE`: turns the outlines of an OPML subscription list into `[[feeds]]`
//! entries to append to the config.

use std::fmt::Write;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{EXIT_CONFIG, EXIT_OK};

/// One feed found in the OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub title: Option<String>,
    pub url: String,
}

pub fn run(file: &Path, channel: &str) -> u8 {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("feedhook: cannot read {}: {error}", file.display());
            return EXIT_CONFIG;
        }
    };
    match outlines(&text) {
        Ok(found) => {
            print!("{}", to_toml(&found, channel));
            eprintln!("{} feed(s) from {}", found.len(), file.display());
            EXIT_OK
        }
        Err(message) => {
            eprintln!("feedhook: {}: {message}", file.display());
            EXIT_CONFIG
        }
    }
}

/// Every `<outline xmlUrl=…>` of the document, in order. Errors name the line.
pub fn outlines(text: &str) -> Result<Vec<Outline>, String> {
    let mut reader = Reader::from_str(text);
    let mut found = Vec::new();
    let mut saw_opml = false;
    loop {
        let position = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => {
                let name = tag.name();
                saw_opml |= name.as_ref() == "opml";
                if name.as_ref() == "outline" {
                    found.extend(
                        outline(&tag)
                            .map_err(|e| format!("line {}: {e}", line_of(text, position)))?,
                    );
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => {
                return Err(format!(
                    "line {}: not well-formed XML: {error}",
                    line_of(text, reader.error_position() as usize)
                ));
            }
        }
    }
    if !saw_opml {
        return Err("not an OPML file (no <opml> element)".into());
    }
    Ok(found)
}

fn outline(tag: &quick_xml::events::BytesStart<'_>) -> Result<Option<Outline>, String> {
    let mut title = None;
    let mut url = None;
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .trim()
            .to_owned();
        match attribute.key.as_ref() {
            "xmlUrl" => url = Some(value),
            "title" => title = Some(value),
            "text" if title.is_none() => title = Some(value),
            _ => {}
        }
    }
    Ok(url.filter(|u| !u.is_empty()).map(|url| Outline {
        title: title.filter(|t| !t.is_empty()),
        url,
    }))
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// `[[feeds]]` entries with names taken from the titles (made unique), posting to `channel`.
fn to_toml(outlines: &[Outline], channel: &str) -> String {
    let mut names = std::collections::HashSet::new();
    let mut out = String::new();
    for outline in outlines {
        out.push_str("[[feeds]]\n");
        if let Some(title) = &outline.title {
            let mut name = title.clone();
            let mut n = 2;
            while !names.insert(name.clone()) {
                name = format!("{title} ({n})");
                n += 1;
            }
            let _ = writeln!(out, "name = {}", toml_string(&name));
        }
        let _ = write!(
            out,
            "url = {}
channels = [{}]

",
            toml_string(&outline.url),
            toml_string(channel)
        );
    }
    out
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests;
