//! Collects problems and warnings while the file is read and validated, turning the byte spans toml
//! gives into 1-based lines.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

/// One problem in the configuration, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The dotted key path, e.g. `feeds[2].interval` (0-based: the third `[[feeds]]`) or
    /// `channels.ops.url`.
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}:{line}: {}: {}",
                self.file.display(),
                self.key,
                self.message
            ),
            None => write!(f, "{}: {}: {}", self.file.display(), self.key, self.message),
        }
    }
}

pub(super) struct Report {
    file: PathBuf,
    /// Byte offset at which each line starts; line `n` (1-based) starts at `line_starts[n - 1]`.
    line_starts: Vec<usize>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Report {
    pub fn new(file: &Path, text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Self {
            file: file.to_path_buf(),
            line_starts,
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn locate(&self, span: Option<Range<usize>>, key: &str, message: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line: span.map(|span| self.line_of(span.start)),
            key: key.to_owned(),
            message,
        }
    }

    pub fn error(&mut self, span: Range<usize>, key: &str, message: impl Into<String>) {
        let problem = self.locate(Some(span), key, message.into());
        self.problems.push(problem);
    }

    /// A problem with the file as a whole, not with one line of it.
    pub fn error_unlocated(&mut self, key: &str, message: impl Into<String>) {
        let problem = self.locate(None, key, message.into());
        self.problems.push(problem);
    }

    pub fn warn(&mut self, span: Option<Range<usize>>, key: &str, message: impl Into<String>) {
        let warning = self.locate(span, key, message.into());
        self.warnings.push(warning);
    }

    /// The problems in file order; those without a line come last.
    pub fn into_sorted(self) -> (Vec<Problem>, Vec<Problem>) {
        let by_line = |p: &Problem| (p.line.is_none(), p.line);
        let (mut problems, mut warnings) = (self.problems, self.warnings);
        problems.sort_by_key(by_line);
        warnings.sort_by_key(by_line);
        (problems, warnings)
    }
}

/// Parses a spanned value, reporting a failure at its span under `key`.
pub(super) fn check<T, U>(
    value: &Spanned<T>,
    key: &str,
    report: &mut Report,
    parse: impl FnOnce(&T) -> Result<U, String>,
) -> Option<U> {
    parse(value.get_ref())
        .map_err(|message| report.error(value.span(), key, message))
        .ok()
}

/// `parent.key`, quoting the key as TOML would when it is not a bare key.
pub(super) fn key_path(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match (parent.is_empty(), bare) {
        (true, true) => key.to_owned(),
        (true, false) => format!("{key:?}"),
        (false, true) => format!("{parent}.{key}"),
        (false, false) => format!("{parent}.{key:?}"),
    }
}

#[cfg(test)]
mod tests;
