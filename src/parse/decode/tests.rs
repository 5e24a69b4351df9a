use super::*;

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian { b"\xFE\xFF" } else { b"\xFF\xFE" });
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
    text.chars()
        .flat_map(|c| {
            if big_endian {
                u32::from(c).to_be_bytes()
            } else {
                u32::from(c).to_le_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_is_read_with_or_without_a_bom() {
    let doc = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss>é</rss>";
    for big_endian in [true, false] {
        for bom in [true, false] {
            assert_eq!(
                to_utf8(&utf16(doc, big_endian, bom), None),
                doc,
                "be={big_endian} bom={bom}"
            );
        }
    }
}

#[test]
fn utf32_is_read_from_the_byte_pattern() {
    let doc = "<?xml version=\"1.0\"?><feed>ü</feed>";
    assert_eq!(to_utf8(&utf32(doc, true), None), doc);
    assert_eq!(to_utf8(&utf32(doc, false), None), doc);
}

#[test]
fn declared_legacy_charset_wins_over_the_header() {
    let body = b"<?xml version='1.0' encoding='iso-8859-1'?><rss>caf\xE9</rss>";
    assert_eq!(
        to_utf8(body, Some("utf-8")),
        "<?xml version='1.0' encoding='iso-8859-1'?><rss>café</rss>"
    );
}

#[test]
fn header_charset_applies_to_an_undeclared_body() {
    assert_eq!(
        to_utf8(b"<rss>caf\xE9</rss>", Some("ISO-8859-1")),
        "<rss>café</rss>"
    );
}

#[test]
fn valid_utf8_is_not_mangled_by_a_legacy_header() {
    assert_eq!(
        to_utf8("<rss>café</rss>".as_bytes(), Some("iso-8859-1")),
        "<rss>café</rss>"
    );
}

#[test]
fn undeclared_non_utf8_bytes_are_read_as_windows_1252() {
    assert_eq!(
        to_utf8(b"<rss>\x93quoted\x94</rss>", None),
        "<rss>\u{201C}quoted\u{201D}</rss>"
    );
}

#[test]
fn stray_legacy_bytes_in_utf8_are_read_as_windows_1252() {
    let body = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>caf\xC3\xA9 \x93ok\x94</rss>";
    assert!(to_utf8(body, None).ends_with("<rss>café \u{201C}ok\u{201D}</rss>"));
}

#[test]
fn unknown_declared_charset_falls_back_to_the_header() {
    let body = b"<?xml version=\"1.0\" encoding=\"bogus\"?><rss>caf\xE9</rss>";
    assert!(to_utf8(body, Some("windows-1252")).ends_with("café</rss>"));
}

#[test]
fn utf8_bom_is_removed() {
    assert_eq!(to_utf8(b"\xEF\xBB\xBF<rss/>", None), "<rss/>");
}

#[test]
fn windows_1252_text_converted_as_latin_1_gets_its_characters_back() {
    let body =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>don\u{92}t \u{93}quote\u{94} \u{81}</rss>";
    assert!(
        to_utf8(body.as_bytes(), None)
            .ends_with("<rss>don\u{2019}t \u{201C}quote\u{201D} \u{81}</rss>")
    );
}
