//! Turns feed bytes in any charset into UTF-8 text before feed-rs sees them.
//!
//! feed-rs decodes by the XML prolog itself, but it panics on UTF-16BE, cannot read UTF-32 at all,
//! rejects undeclared legacy bodies and ignores the HTTP charset. So every body is decoded here,
//! following the XML spec's autodetection (<https://www.w3.org/TR/xml/#sec-guessing>): a byte
//! order mark, else the byte pattern of the first characters, else the `encoding` of the XML
//! declaration, else the HTTP charset, else UTF-8 — where bytes that are not UTF-8 read as
//! windows-1252, as browsers do.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::entities;

/// A Unicode encoding recognised from a byte order mark or from the shape of the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unicode {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

/// Decodes `body` to UTF-8, removing any byte order mark; C1 control characters become the
/// windows-1252 characters they stand for (see [`c1_as_windows_1252`]).
///
/// `hint` is the charset of the HTTP `Content-Type`; it applies only when the document declares
/// no charset it could be read with.
pub(super) fn to_utf8(body: &[u8], hint: Option<&str>) -> String {
    c1_as_windows_1252(decode(body, hint))
}

/// C1 control characters (U+0080–U+009F) in decoded text are windows-1252 text that was
/// converted as if it were Latin-1 (a curly quote `0x92` became U+0092): no feed means the
/// controls themselves, and HTML reads their numeric references the same way.
fn c1_as_windows_1252(text: String) -> String {
    // In UTF-8, U+0080–U+009F are 0xC2 followed by 0x80–0x9F.
    let bytes = text.as_bytes();
    let has_c1 = memchr::memchr_iter(0xC2, bytes).any(|at| {
        bytes
            .get(at + 1)
            .is_some_and(|next| (0x80..=0x9F).contains(next))
    });
    if !has_c1 {
        return text;
    }
    text.chars()
        .map(|c| {
            if is_c1(c) {
                entities::windows_1252(u32::from(c)).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

fn decode(body: &[u8], hint: Option<&str>) -> String {
    if let Some((unicode, bom_len)) = sniff_unicode(body) {
        return decode_unicode(unicode, &body[bom_len..]);
    }
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(body);
    let declared = declared_encoding(body).and_then(byte_oriented);
    let hinted = hint
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .and_then(byte_oriented);
    match declared.or(hinted) {
        // A legacy charset from the header of a body that is valid UTF-8 with non-ASCII bytes is
        // the server's default talking, not the document: such byte runs almost never occur in
        // legacy text, while UTF-8 is XML's default for undeclared documents.
        Some(hinted)
            if declared.is_none()
                && hinted != UTF_8
                && !body.is_ascii()
                && std::str::from_utf8(body).is_ok() =>
        {
            utf8_or_windows_1252(body)
        }
        Some(encoding) if encoding != UTF_8 => {
            encoding.decode_without_bom_handling(body).0.into_owned()
        }
        _ => utf8_or_windows_1252(body),
    }
}

/// UTF-8, except that bytes which are not UTF-8 are read as windows-1252: legacy text pasted
/// into a UTF-8 feed, or a whole undeclared legacy document, as browsers read it. U+FFFD would
/// lose those characters for good.
fn utf8_or_windows_1252(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                out.push_str(&String::from_utf8_lossy(valid));
                let invalid = error.error_len().unwrap_or(after.len());
                out.push_str(
                    &WINDOWS_1252
                        .decode_without_bom_handling(&after[..invalid])
                        .0,
                );
                rest = &after[invalid..];
            }
        }
    }
}

/// Only encodings that keep ASCII bytes as ASCII can describe a body whose first bytes are
/// ASCII: a UTF-16 label on such a body is a lie, and the `replacement` encoding would erase it.
fn byte_oriented(encoding: &'static Encoding) -> Option<&'static Encoding> {
    (encoding != UTF_16LE && encoding != UTF_16BE && encoding != encoding_rs::REPLACEMENT)
        .then_some(encoding)
}

/// Recognises UTF-8/16/32 from a byte order mark (returning its length) or, without one, from the
/// zero bytes around the ASCII `<` or `{` that opens every XML or JSON document.
fn sniff_unicode(body: &[u8]) -> Option<(Unicode, usize)> {
    let boms: [(&[u8], Unicode); 5] = [
        (b"\x00\x00\xFE\xFF", Unicode::Utf32Be),
        (b"\xFF\xFE\x00\x00", Unicode::Utf32Le),
        (b"\xEF\xBB\xBF", Unicode::Utf8),
        (b"\xFE\xFF", Unicode::Utf16Be),
        (b"\xFF\xFE", Unicode::Utf16Le),
    ];
    if let Some((bom, unicode)) = boms.iter().find(|(bom, _)| body.starts_with(bom)) {
        // A UTF-8 BOM says nothing about the declaration; the caller still reads it.
        return (*unicode != Unicode::Utf8).then_some((*unicode, bom.len()));
    }
    let ascii = |b: u8| b != 0 && b.is_ascii();
    match *body.get(..4)? {
        [0, 0, 0, c] if ascii(c) => Some((Unicode::Utf32Be, 0)),
        [c, 0, 0, 0] if ascii(c) => Some((Unicode::Utf32Le, 0)),
        [0, c, 0, d] if ascii(c) && ascii(d) => Some((Unicode::Utf16Be, 0)),
        [c, 0, d, 0] if ascii(c) && ascii(d) => Some((Unicode::Utf16Le, 0)),
        _ => None,
    }
}

fn decode_unicode(unicode: Unicode, bytes: &[u8]) -> String {
    match unicode {
        Unicode::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        Unicode::Utf16Le => UTF_16LE.decode_without_bom_handling(bytes).0.into_owned(),
        Unicode::Utf16Be => UTF_16BE.decode_without_bom_handling(bytes).0.into_owned(),
        Unicode::Utf32Le => decode_utf32(bytes, u32::from_le_bytes),
        Unicode::Utf32Be => decode_utf32(bytes, u32::from_be_bytes),
    }
}

/// `encoding_rs` implements only the WHATWG encodings, which leave out UTF-32.
fn decode_utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> String {
    bytes
        .chunks(4)
        .map(|chunk| {
            <[u8; 4]>::try_from(chunk)
                .ok()
                .and_then(|quad| char::from_u32(unit(quad)))
                .unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect()
}

/// The encoding named by the XML declaration, when it names one `encoding_rs` knows.
fn declared_encoding(body: &[u8]) -> Option<&'static Encoding> {
    let mut reader = Reader::from_reader(body);
    loop {
        match reader.read_event().ok()? {
            Event::Decl(decl) => {
                return decl
                    .encoding()?
                    .ok()
                    .and_then(|label| Encoding::for_label(label.trim().as_bytes()));
            }
            Event::Text(text) if text.trim().is_empty() => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests;
