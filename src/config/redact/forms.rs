//! The forms in which a server may write a secret back: as it is, percent-encoded the ways URL
//! libraries do it, escaped for a JSON string (also with `\/`, as PHP writes it, and with every
//! non-ASCII character as `\uXXXX`, as Python writes it), and escaped for HTML. Hex digits may be
//! in either case: the matcher ignores ASCII case.

use std::fmt::Write;

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

/// RFC 3986 leaves its unreserved characters as they are: what most libraries do to a URL
/// component (`encodeURIComponent` keeps a few more, still fewer than `PATH`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What the `url` crate (and most browsers) encode in a path: the form a request line carries.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// Every form of `secret` to look for, itself first; some may be equal.
pub(super) fn written(secret: &str) -> Vec<String> {
    let mut encoded = vec![
        secret.to_owned(),
        utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
        utf8_percent_encode(secret, COMPONENT).to_string(),
        utf8_percent_encode(secret, PATH).to_string(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
    ];
    encoded.dedup();
    let mut forms = Vec::with_capacity(encoded.len() * 4 + 1);
    for form in encoded {
        let json = json_escaped(&form);
        forms.push(json.replace('/', "\\/"));
        forms.push(ascii_json(&json));
        forms.push(json);
        forms.push(form);
    }
    forms.push(html_escaped(secret));
    forms
}

/// `text` as it stands between the quotes of a JSON string.
fn json_escaped(text: &str) -> String {
    let quoted = serde_json::Value::from(text).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// A JSON-escaped `text` with every non-ASCII character as `\uXXXX` (UTF-16 units).
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests;
