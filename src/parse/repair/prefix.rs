//! Well-known namespace prefixes used without a declaration (`<media:thumbnail>` in a feed that
//! never declares `xmlns:media`). XML gives such a prefix no meaning, but the other readers go by
//! the prefix, and the publisher's intent is plain; so this pass declares it on the root element.

use std::fmt::Write as _;

/// The prefixes publishers use for the namespaces feed-rs reads, and those namespaces.
const KNOWN: [(&str, &str); 7] = [
    ("atom", "http://www.w3.org/2005/Atom"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("media", "http://search.yahoo.com/mrss/"),
    ("podcast", "https://podcastindex.org/namespace/1.0"),
    ("wfw", "http://wellformedweb.org/CommentAPI/"),
];

/// The well-known prefix `prefix` is, with its namespace, if it is one.
pub(super) fn known(prefix: &str) -> Option<(&'static str, &'static str)> {
    KNOWN.iter().find(|(known, _)| *known == prefix).copied()
}

/// The start tag `tag` with a declaration of each of `prefixes` added.
pub(super) fn declare(tag: &str, prefixes: &[&str]) -> String {
    let close = if tag.ends_with("/>") { 2 } else { 1 };
    let (open, end) = tag.split_at(tag.len().saturating_sub(close));
    let mut out = open.trim_end().to_owned();
    for (prefix, namespace) in KNOWN.iter().filter(|(p, _)| prefixes.contains(p)) {
        let _ = write!(out, " xmlns:{prefix}=\"{namespace}\"");
    }
    out.push_str(end);
    out
}
