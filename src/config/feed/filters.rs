//! A feed's `include`, `exclude` and `filter_fields`: which of its new entries are posted. The
//! patterns are compiled here, so that a pattern that cannot compile stops `check`, not a poll;
//! matching them against entries is the poll stage's business (`poll::filter`).
//!
//! Each distinct pattern is compiled once for the whole file ([`SharedPatterns`]) and its compiled
//! size is bounded ([`MAX_COMPILED`]): a Unicode class such as `\w` compiles to tens of KB, and
//! 10,000 feeds each with `include = ['\w+']` took 17–20 s and 680 MB to load (debug build) when
//! every feed compiled its own copy; 0.6 s and 62 MB shared (docs/performance.md).

use std::collections::HashMap;

use regex::{Regex, RegexBuilder};
use toml::Spanned;

use crate::config::raw::{FeedRaw, StringsRaw};
use crate::config::report::{Report, key_path};

/// A feed's `include` and `exclude` patterns and the fields they are matched against. An entry
/// passes when no include is set or one matches, and no exclude matches.
#[derive(Debug, Clone)]
pub struct FeedFilter {
    /// Compiled case-insensitive (a pattern may turn that off with `(?-i)`); `as_str` gives the
    /// pattern as written.
    pub include: Vec<Regex>,
    pub exclude: Vec<Regex>,
    /// The entry fields the patterns are matched against; never empty, each listed once.
    pub fields: Vec<FilterField>,
}

impl Default for FeedFilter {
    fn default() -> Self {
        Self {
            include: Vec::new(),
            exclude: Vec::new(),
            fields: FilterField::ALL.to_vec(),
        }
    }
}

impl FeedFilter {
    /// Whether every entry passes: no pattern is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }
}

/// An entry field the patterns are matched against (`filter_fields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterField {
    /// The title as plain text.
    Title,
    /// The summary as plain text: markup removed, entities decoded.
    Summary,
    /// Each category on its own.
    Categories,
    /// Each author on its own.
    Author,
}

impl FilterField {
    /// Every field, in the order the docs list them; also the default of `filter_fields`.
    pub const ALL: [FilterField; 4] = [Self::Title, Self::Summary, Self::Categories, Self::Author];

    /// The name used in the config file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Summary => "summary",
            Self::Categories => "categories",
            Self::Author => "author",
        }
    }
}

impl std::fmt::Display for FilterField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The largest compiled program (and lazy DFA cache) a pattern may have, in bytes. A filter needs far
/// less — a list of keywords a few KB, `\w+` about 50 KB — and the regex crate's default (10 MiB)
/// lets one pattern such as `\w{1000}` spend seconds and megabytes before it is refused.
const MAX_COMPILED: usize = 1 << 20;

/// Every pattern compiled so far while a file is read, by its text, with the outcome: feeds that
/// repeat a pattern share one compiled program (cloning a [`Regex`] only counts a reference), and a
/// pattern that fails is not compiled again either.
#[derive(Default)]
pub(in crate::config) struct SharedPatterns(HashMap<String, Result<Regex, String>>);

impl SharedPatterns {
    /// `pattern` compiled (see [`compile`]), or what is wrong with it; compiled on its first use.
    fn get(&mut self, pattern: &str) -> Result<Regex, String> {
        if let Some(known) = self.0.get(pattern) {
            return known.clone();
        }
        let compiled = compile(pattern);
        self.0.insert(pattern.to_owned(), compiled.clone());
        compiled
    }
}

/// Reads the filter keys of the feed at `path`, compiling its patterns through `shared`; a pattern
/// or field that is wrong is reported and left out.
pub(super) fn filter(
    raw: &FeedRaw,
    path: &str,
    shared: &mut SharedPatterns,
    report: &mut Report,
) -> FeedFilter {
    let include = patterns(
        raw.include.as_ref(),
        &key_path(path, "include"),
        shared,
        report,
    );
    let exclude = patterns(
        raw.exclude.as_ref(),
        &key_path(path, "exclude"),
        shared,
        report,
    );
    let Some(list) = &raw.filter_fields else {
        return FeedFilter {
            include,
            exclude,
            ..FeedFilter::default()
        };
    };
    let key = key_path(path, "filter_fields");
    let has_patterns = [&raw.include, &raw.exclude]
        .into_iter()
        .any(|list| list.as_ref().is_some_and(|l| !l.get_ref().is_empty()));
    if !has_patterns {
        let message = "filter_fields has no effect without include or exclude patterns";
        report.error(list.span(), &key, message);
    }
    let fields = fields(list, &key, report);
    FeedFilter {
        include,
        exclude,
        fields: if fields.is_empty() {
            FilterField::ALL.to_vec()
        } else {
            fields
        },
    }
}

fn patterns(
    list: Option<&Spanned<StringsRaw>>,
    key: &str,
    shared: &mut SharedPatterns,
    report: &mut Report,
) -> Vec<Regex> {
    let Some(list) = list else {
        return Vec::new();
    };
    let mut compiled = Vec::new();
    for (index, pattern) in list.get_ref().iter().enumerate() {
        match shared.get(pattern.get_ref()) {
            Ok(regex) => compiled.push(regex),
            Err(message) => report.error(pattern.span(), &format!("{key}[{index}]"), message),
        }
    }
    compiled
}

/// Compiles `pattern` to match regardless of case, unless it says otherwise with `(?-i)`.
fn compile(pattern: &str) -> Result<Regex, String> {
    if pattern.is_empty() {
        return Err("the pattern is empty, and would match every entry; remove it".to_owned());
    }
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(MAX_COMPILED)
        .dfa_size_limit(MAX_COMPILED)
        .build()
        .map_err(|error| match error {
            regex::Error::CompiledTooBig(limit) => format!(
                "the regex {pattern:?} compiles to more than {} KiB, the limit for a filter \
                 pattern; a Unicode class repeated many times (\\w{{100}}) is the usual cause: \
                 repeat it less, or match ASCII only with (?-u)",
                limit / 1024
            ),
            error => format!("invalid regex {pattern:?}: {}", regex_reason(&error)),
        })
}

/// The regex crate's syntax errors repeat the pattern with a caret line; keep the explanation.
fn regex_reason(error: &regex::Error) -> String {
    let rendered = error.to_string();
    let mut lines = rendered.lines().map(str::trim);
    let explanation: Vec<&str> = lines
        .by_ref()
        .skip_while(|line| !line.starts_with("error:"))
        .collect();
    match explanation.split_first() {
        Some((first, rest)) => {
            let first = first.trim_start_matches("error:").trim();
            std::iter::once(first)
                .chain(rest.iter().copied())
                .collect::<Vec<_>>()
                .join(" ")
        }
        None => rendered.trim().to_owned(),
    }
}

fn fields(list: &Spanned<StringsRaw>, key: &str, report: &mut Report) -> Vec<FilterField> {
    if list.get_ref().is_empty() {
        let message = format!(
            "the list is empty; name at least one of {}, or remove the key to match them all",
            allowed()
        );
        report.error(list.span(), key, message);
    }
    let mut fields = Vec::new();
    for (index, name) in list.get_ref().iter().enumerate() {
        let item = format!("{key}[{index}]");
        let found = FilterField::ALL
            .into_iter()
            .find(|field| field.as_str() == name.get_ref());
        match found {
            None => {
                let message = format!(
                    "unknown filter field {:?} (allowed: {})",
                    name.get_ref(),
                    allowed()
                );
                report.error(name.span(), &item, message);
            }
            Some(field) if fields.contains(&field) => {
                report.error(name.span(), &item, format!("{field} is listed twice"));
            }
            Some(field) => fields.push(field),
        }
    }
    fields
}

fn allowed() -> String {
    FilterField::ALL.map(FilterField::as_str).join(", ")
}

#[cfg(test)]
mod tests;
