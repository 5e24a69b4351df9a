//! Collects problems and warnings while the file is read and validated, turning the byte spans toml
//! gives into 1-based lines.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::Problem;

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
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines() {
        let report = Report::new(Path::new("f.toml"), "a = 1\nb = 2\n\nc = 3");
        assert_eq!(report.line_of(0), 1);
        assert_eq!(report.line_of(5), 1, "the newline belongs to its line");
        assert_eq!(report.line_of(6), 2);
        assert_eq!(report.line_of(12), 3);
        assert_eq!(report.line_of(13), 4);
    }

    #[test]
    fn key_paths_quote_keys_that_are_not_bare() {
        assert_eq!(key_path("channels", "ops"), "channels.ops");
        assert_eq!(key_path("channels", "the ops"), "channels.\"the ops\"");
        assert_eq!(key_path("", "store"), "store");
    }

    #[test]
    fn problems_come_out_sorted_by_line() {
        let mut report = Report::new(Path::new("f.toml"), "a\nb\nc\n");
        report.error_unlocated("feeds", "none");
        report.error(4..5, "c", "third");
        report.error(0..1, "a", "first");
        let (problems, _) = report.into_sorted();
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(1), Some(3), None]);
    }
}
