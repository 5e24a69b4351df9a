//! HTML character references, as browsers resolve them.
//!
//! XML defines only five named entities, but feeds written by hand or by HTML-minded tools use
//! the whole HTML set (`&aacute;`, `&nbsp;`) and numeric references to windows-1252 code points
//! (`&#147;`). The table is html5ever's, the one our HTML parser already uses.

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// The text of the HTML named entity `name` (without `&` and `;`), if HTML defines it.
pub(super) fn named(name: &str) -> Option<String> {
    // The table also holds legacy names without the semicolon; the key with it is the strict form.
    let (first, second) = NAMED_ENTITIES.get(format!("{name};").as_str())?;
    let text: String = [*first, *second]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(char::from_u32)
        .collect();
    (!text.is_empty()).then_some(text)
}

/// The character of a numeric reference body (`#233`, `#xE9`), resolved as HTML does: C1 codes
/// are read as windows-1252, and codes no document may contain become U+FFFD. `None` when the
/// body is not a number at all.
pub(super) fn numeric(body: &str) -> Option<char> {
    let code = number(body.strip_prefix('#')?, &['x', 'X'])?;
    Some(match code {
        0x80..=0x9F => windows_1252(code).unwrap_or(char::REPLACEMENT_CHARACTER),
        0 => char::REPLACEMENT_CHARACTER,
        _ => char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
    })
}

/// The character windows-1252 puts at the C1 control code `code` (0x80–0x9F), where it has one.
pub(super) fn windows_1252(code: u32) -> Option<char> {
    let index = code.checked_sub(0x80)?;
    C1_REPLACEMENTS.get(index as usize).copied().flatten()
}

/// The number in a numeric reference body after the `#`, hexadecimal after one of `hex_marks`;
/// `None` for no number at all. A number too large for a `u32` reads as `u32::MAX`, which is
/// no character either.
pub(super) fn number(digits: &str, hex_marks: &[char]) -> Option<u32> {
    let (digits, radix) = match digits.strip_prefix(hex_marks) {
        Some(hex) => (hex, 16),
        None => (digits, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(u32::from_str_radix(digits, radix).unwrap_or(u32::MAX))
}

/// Whether XML itself resolves `&name;` (the five predefined entities).
pub(super) fn is_xml_predefined(name: &str) -> bool {
    matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
}

#[cfg(test)]
mod tests;
