//! The input feed-rs gets: UTF-8 text, repaired where publishers commonly go wrong.

use super::{decode, json, repair};

/// Decodes `body` (see [`decode`]) and repairs it as XML (see [`repair`]) or JSON Feed (see
/// [`json`]). feed-rs tells the two apart by whichever of `<` and `{` comes first; so do we.
pub(super) fn prepare(body: &[u8], charset: Option<&str>) -> String {
    let text = decode::to_utf8(body, charset);
    match text.find(['<', '{']).map(|at| text.as_bytes()[at]) {
        Some(b'{') => json::normalise(&text).unwrap_or(text),
        Some(_) => repair::repair(&text),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_repaired_after_decoding() {
        let body = b"<?xml version='1.0' encoding='windows-1252'?><rss><channel><title>caf\xE9 &eacute;</title></channel></rss>";
        assert_eq!(
            prepare(body, None),
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>café &#233;</title></channel></rss>"
        );
    }

    #[test]
    fn json_is_normalised() {
        let prepared = prepare(
            br#" {"version": "http://jsonfeed.org/version/1", "title": "t", "items": []}"#,
            None,
        );
        assert!(
            prepared.contains("https://jsonfeed.org/version/1"),
            "{prepared}"
        );
    }
}
