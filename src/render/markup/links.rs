//! Whether a link's visible text can be shown as it is. Feed HTML like
//! `<a href="https://evil.example">https://bank.example</a>` shows one address and opens another:
//! a phishing pattern chat clients do not warn about. The markup writers ask [`judge`] before
//! showing a label, and show the address the link really opens where the label names another;
//! Slack and Mattermost, which link the card title to the entry, pass it through
//! [`honest_title`].

use std::borrow::Cow;

use url::Url;

/// How a writer shows a link's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkLabel {
    /// The label names no address, or only the one the link opens.
    AsIs,
    /// The label is an address (`https://bank.example`, `bank.example/login`): the link's own
    /// URL is shown instead, whatever host the label named, so what is read is what opens.
    RealUrl,
    /// The label is prose naming another host ("Log in at bank.example"): it is kept, followed
    /// by this host, the one the link opens.
    WithHost(String),
}

/// Characters around an address in prose that are not part of it.
const SURROUNDING: &[char] = &[
    '(', ')', '[', ']', '<', '>', '{', '}', '"', '\'', '.', ',', ';', ':', '!', '?', '«', '»', '“',
    '”', '‘', '’',
];

/// Decides how the `label` of a link to `url` may be shown.
#[must_use]
pub fn judge(label: &str, url: &str) -> LinkLabel {
    let label = label.trim();
    if address_host(label).is_some() {
        return LinkLabel::RealUrl;
    }
    let Some(target) = Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(normalise))
    else {
        return LinkLabel::AsIs;
    };
    let misleading = label
        .split_whitespace()
        .filter_map(address_host)
        .any(|named| !same_site(&named, &target));
    if misleading {
        LinkLabel::WithHost(target)
    } else {
        LinkLabel::AsIs
    }
}

/// The host a word names if it reads as an address: a URL with a scheme, an e-mail address, or a
/// domain name with an alphabetic top-level label (`bank.example`, `www.bank.example/login`).
/// Dotted words like `Node.js` count too: a needless host note costs less than a missed one.
#[must_use]
pub fn address_host(word: &str) -> Option<String> {
    let word = word.trim_matches(SURROUNDING);
    if word.is_empty() || word.chars().any(char::is_whitespace) {
        return None;
    }
    if let Some((scheme, _)) = word.split_once("://") {
        let scheme_like = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        return scheme_like
            .then(|| Url::parse(word).ok()?.host_str().map(normalise))
            .flatten();
    }
    let domain = word.rsplit_once('@').map_or(word, |(_, domain)| domain);
    let host = domain.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.split_once(':').map_or(host, |(host, _)| host);
    let labels: Vec<&str> = host.split('.').collect();
    let top = labels.last().copied().unwrap_or_default();
    let well_formed = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && top.chars().count() >= 2
        && top.chars().all(char::is_alphabetic);
    if !well_formed {
        return None;
    }
    // Parsing gives the ASCII (punycode) form, as the link's host has, so look-alike letters
    // from other scripts do not compare equal to Latin ones.
    Url::parse(&format!("http://{host}/"))
        .ok()?
        .host_str()
        .map(normalise)
}

/// A host as compared: lower case, without a leading `www.`.
fn normalise(host: &str) -> String {
    let host = host.to_lowercase();
    host.strip_prefix("www.").map(str::to_owned).unwrap_or(host)
}

/// Whether a label naming `named` may open `target`: the same host or one of its subdomains
/// (a label `github.com` linking to `gist.github.com` says no more than the truth).
fn same_site(named: &str, target: &str) -> bool {
    target == named
        || target
            .strip_suffix(named)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// A title linked to `url`, followed by the link's host in parentheses if the title names
/// another host.
#[must_use]
pub fn honest_title<'a>(title: &'a str, url: &str) -> Cow<'a, str> {
    match judge(title, url) {
        LinkLabel::AsIs => Cow::Borrowed(title),
        LinkLabel::WithHost(host) => Cow::Owned(format!("{title} ({host})")),
        LinkLabel::RealUrl => match url::Url::parse(url)
            .ok()
            .as_ref()
            .and_then(url::Url::host_str)
        {
            Some(host) if !title.contains(host) => Cow::Owned(format!("{title} ({host})")),
            _ => Cow::Borrowed(title),
        },
    }
}

#[cfg(test)]
mod tests;
