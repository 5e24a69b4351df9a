//! Masking the configured secrets in text that comes from outside: a webhook's answer, a fetch
//! error, a log line. Servers repeat what they were sent — a 404 page quoting the URL with its
//! token, a JSON error echoing a header — so such text is redacted before it is logged, stored or
//! printed. The config's own displays do not rely on this: they never show a secret at all
//! ([`super::SecretUrl`], [`super::shown_url`]).
//!
//! - `sources`: which strings of a validated config are secrets.
//! - `forms`: the ways a secret can be written back (percent-encoded, JSON-escaped, …).
//!
//! A secret shorter than [`MIN_SECRET_CHARS`] is not masked: see there.

mod forms;
mod sources;

use std::borrow::Cow;
use std::fmt;

use aho_corasick::{AhoCorasick, MatchKind};

pub(super) use sources::secrets_of;

/// The shortest secret masked in outside text. Masking is by substring, so a shorter value would be
/// masked inside ordinary words, numbers and JSON (`"ok":true` for a value `true`), making logs and
/// error bodies misleading; and a value that short is guessed in moments anyway. GitLab draws the
/// line at the same length for its masked CI variables. Shorter secrets are still never shown by
/// feedhook itself: the config's displays leave every credential out whatever its length.
pub const MIN_SECRET_CHARS: usize = 8;

/// What stands in for a secret.
pub const REDACTED: &str = "[redacted]";

/// The configured secrets, in every written form, ready to be found in any text. Built once from
/// the validated config; cheap to share behind an `Arc`.
#[derive(Default)]
pub struct Redactor {
    /// `None` when no secret is long enough to mask.
    matcher: Option<AhoCorasick>,
    /// The length in bytes of the longest form.
    longest: usize,
}

impl Redactor {
    /// A redactor for `secrets` (raw values): each one of at least [`MIN_SECRET_CHARS`]
    /// characters is masked in every form `forms::written` lists.
    #[must_use]
    pub fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut patterns: Vec<String> = secrets
            .into_iter()
            .filter(|secret| secret.as_ref().chars().count() >= MIN_SECRET_CHARS)
            .flat_map(|secret| forms::written(secret.as_ref()))
            .collect();
        patterns.sort_unstable();
        patterns.dedup();
        let longest = patterns.iter().map(String::len).max().unwrap_or(0);
        // Percent-escapes are written in either case, and a secret changed only in case is still
        // the secret; overlapping matches are all found, so that overlapping secrets are masked
        // as one.
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok()
            .filter(|_| !patterns.is_empty());
        Self { matcher, longest }
    }

    /// `text` with every occurrence of a secret replaced by [`REDACTED`]; secrets that overlap or
    /// touch are replaced together.
    #[must_use]
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let spans = self.spans(text);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        Cow::Owned(replace(text, &spans))
    }

    /// The start of `text`, about `limit` bytes of it, redacted. `text` should hold at least
    /// [`Self::longest`] bytes more than `limit` when there are more: a secret that starts within
    /// the limit is then masked whole, never cut into a visible prefix.
    #[must_use]
    pub fn redact_start(&self, text: &str, limit: usize) -> String {
        let mut cut = floor_char_boundary(text, limit);
        let spans: Vec<(usize, usize)> = self
            .spans(text)
            .into_iter()
            .filter(|(start, _)| *start < cut)
            .collect();
        if let Some((_, end)) = spans.last() {
            cut = cut.max(*end);
        }
        replace(&text[..cut], &spans)
    }

    /// The longest form of a secret, in bytes: how much more than an excerpt to read so that a
    /// secret at its end is seen whole.
    #[must_use]
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// The byte ranges of `text` that hold secrets, merged where they overlap or touch, in order.
    fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize)> = matcher
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        found.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(found.len());
        for (start, end) in found {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }
}

/// `text` with each of `spans` (in order, apart) replaced by [`REDACTED`].
fn replace(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in spans {
        out.push_str(&text[at..start]);
        out.push_str(REDACTED);
        at = end;
    }
    out.push_str(&text[at.min(text.len())..]);
    out
}

/// The largest char boundary of `text` at or below `index`.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let patterns = self.matcher.as_ref().map_or(0, AhoCorasick::patterns_len);
        write!(f, "Redactor({patterns} forms of secrets)")
    }
}

#[cfg(test)]
mod tests;
