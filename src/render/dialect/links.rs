//! Link labels that name a place the link does not go to. A feed can write
//! `<a href="https://evil.example">https://bank.example</a>`; a chat client shows only the label,
//! so the reader trusts a host they never see. Where a label looks like an address (a URL, a
//! `www.` name or a bare domain such as `bank.example/login`) of another host, a summary link
//! shows its real URL as its label instead, and a title keeps its words and names the real host
//! after them: `Log in at bank.example (evil.example)`.
//!
//! "Looks like a domain" is a heuristic: dotted names ending in letters. Product names such as
//! `Node.js` match it too. That is why titles, where such names are common, keep their text: the
//! host after it is true, just longer. A summary link labelled `Node.js` shows its URL.

use std::borrow::Cow;

use url::Url;

use crate::render::richtext::{Block, Inline, RichText, Run};

/// Characters around an address in prose: `(see bank.example)`, `"www.x.example",`.
const WRAPPING: &[char] = &[
    '(', ')', '[', ']', '{', '}', '<', '>', '"', '\'', '«', '»', '“', '”', '‘', '’', ',', ';', '!',
    '?', '.', ':',
];

/// Whether `label`, shown as the text of a link to `url`, names another host (or hides one behind
/// `user@` credentials, the classic `https://bank.example@evil.example`).
#[must_use]
pub fn misleads(label: &str, url: &str) -> bool {
    let Some(target) = Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(bare_host))
    else {
        return true;
    };
    label.split_whitespace().any(|word| match address_of(word) {
        Some(Address::Host(host)) => bare_host(&host) != target,
        Some(Address::WithCredentials) => true,
        None => false,
    })
}

/// A title linked to `url`, followed by the link's host in parentheses if the title names
/// another host.
#[must_use]
pub fn honest_title<'a>(title: &'a str, url: &str) -> Cow<'a, str> {
    if !misleads(title, url) {
        return Cow::Borrowed(title);
    }
    match Url::parse(url).ok().as_ref().and_then(Url::host_str) {
        Some(host) => Cow::Owned(format!("{title} ({host})")),
        None => Cow::Borrowed(title),
    }
}

/// `text` with every misleading link label replaced by its URL (see [`misleads`]). A label is
/// judged whole: the runs of one block that share a link, up to a line break.
#[must_use]
pub fn honest_links(text: &RichText) -> RichText {
    let blocks = text
        .blocks
        .iter()
        .map(|block| Block {
            kind: block.kind,
            inlines: honest_inlines(&block.inlines),
        })
        .collect();
    RichText { blocks }
}

fn honest_inlines(inlines: &[Inline]) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for group in inlines.chunk_by(|a, b| link_of(a).is_some() && link_of(a) == link_of(b)) {
        let Some(url) = group.first().and_then(link_of) else {
            out.extend_from_slice(group);
            continue;
        };
        let label: String = group
            .iter()
            .filter_map(|inline| match inline {
                Inline::Text(run) => Some(run.text.as_str()),
                Inline::Break => None,
            })
            .collect();
        if misleads(&label, url) {
            // The spaces around the label separate it from the words next to it; they stay.
            let lead = &label[..label.len() - label.trim_start().len()];
            let trail = &label[label.trim_end().len()..];
            out.push(Inline::Text(Run {
                text: format!("{lead}{url}{trail}"),
                link: Some(url.to_owned()),
                ..Run::plain("")
            }));
        } else {
            out.extend_from_slice(group);
        }
    }
    out
}

fn link_of(inline: &Inline) -> Option<&str> {
    match inline {
        Inline::Text(run) => run.link.as_deref(),
        Inline::Break => None,
    }
}

enum Address {
    /// The host the word names, in the form `Url` gives it (lowercase, IDNA punycode).
    Host(String),
    /// A URL with a user name or password: its start reads like a host it is not.
    WithCredentials,
}

/// What address, if any, one word of a label names.
fn address_of(word: &str) -> Option<Address> {
    let word = word.trim_matches(WRAPPING);
    if let Some((scheme, _)) = word.split_once("://") {
        let scheme_like = !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric());
        let url = Url::parse(word).ok().filter(|_| scheme_like)?;
        if !url.username().is_empty() || url.password().is_some() {
            return Some(Address::WithCredentials);
        }
        return url.host_str().map(|host| Address::Host(host.to_owned()));
    }
    let host = word.split(['/', '?', '#']).next().unwrap_or_default();
    if host.contains('@') {
        // `user@bank.example` reads as an address at bank.example.
        return address_of(host.rsplit('@').next().unwrap_or_default());
    }
    let host = host.split(':').next().unwrap_or_default();
    if !looks_like_domain(host) {
        return None;
    }
    let url = Url::parse(&format!("http://{host}/")).ok()?;
    url.host_str().map(|host| Address::Host(host.to_owned()))
}

/// Two or more dot-separated labels of letters, digits and hyphens, the last of at least two
/// letters: `bank.example`, `www.bänk.example`, but not `v2.0`, `e.g` or `1.5`.
fn looks_like_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphabetic)
}

/// A host without a leading `www.`, which names the same site in practice.
fn bare_host(host: &str) -> String {
    host.strip_prefix("www.").unwrap_or(host).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::html::to_rich_text;

    #[test]
    fn a_url_label_of_another_host_misleads() {
        assert!(misleads("https://bank.example", "https://evil.example/"));
        assert!(misleads(
            "Log in at bank.example/login now",
            "https://evil.example/"
        ));
        assert!(misleads("www.bank.example", "https://evil.example/"));
        assert!(misleads("support@bank.example", "https://evil.example/"));
    }

    #[test]
    fn a_label_naming_the_links_own_host_is_honest() {
        assert!(!misleads(
            "https://www.bank.example/a",
            "https://bank.example/b"
        ));
        assert!(!misleads("(see BANK.example)", "https://bank.example/"));
        assert!(!misleads("the upgrade guide", "https://evil.example/"));
        assert!(!misleads("version 2.0, e.g. 1.5", "https://evil.example/"));
    }

    #[test]
    fn credentials_in_a_label_mislead_even_on_the_same_host() {
        assert!(misleads(
            "https://bank.example@evil.example/",
            "https://evil.example/"
        ));
    }

    #[test]
    fn look_alike_unicode_hosts_are_compared_in_punycode() {
        // Cyrillic "а" in the label: a different host from the Latin one.
        assert!(misleads("bаnk.example", "https://bank.example/"));
        assert!(!misleads("bänk.example", "https://xn--bnk-qla.example/"));
    }

    #[test]
    fn misleading_labels_are_replaced_by_the_real_url() {
        let html = "<p>see <a href=\"https://evil.example/x\"><b>https://</b>bank.example</a> \
                    and <a href=\"https://bank.example/\">the bank</a></p>";
        let text = honest_links(&to_rich_text(html, None));
        let runs: Vec<(&str, Option<&str>)> = text.blocks[0]
            .inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Text(run) => Some((run.text.as_str(), run.link.as_deref())),
                Inline::Break => None,
            })
            .collect();
        assert_eq!(
            runs,
            [
                ("see", None),
                (" https://evil.example/x", Some("https://evil.example/x")),
                (" and", None),
                (" the bank", Some("https://bank.example/")),
            ]
        );
    }

    #[test]
    fn a_title_naming_another_host_is_followed_by_the_real_one() {
        assert_eq!(
            honest_title("Release 2.0", "https://x.example/"),
            "Release 2.0"
        );
        assert_eq!(
            honest_title("Log in at paypal.com", "https://x.example/a"),
            "Log in at paypal.com (x.example)"
        );
    }
}
