//! A plain text table with aligned columns, for terminals and for pipes alike.

use super::escape::printable;

/// Rows of cells under a header; each column as wide as its widest cell.
pub struct Table {
    rows: Vec<Vec<String>>,
}

/// Cells longer than this are cut, so one long error does not push the table off the screen.
const MAX_CELL: usize = 80;

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Self {
            rows: vec![header.iter().map(|h| (*h).to_owned()).collect()],
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| shorten(&c)).collect());
    }

    #[cfg(test)]
    fn render(&self) -> String {
        self.render_styled(|_, _| None)
    }

    /// The table as lines of text, with each body cell wrapped in the ANSI colour `style` gives it
    /// (column index, cell) — applied after padding, so the columns stay aligned.
    pub fn render_styled(&self, style: impl Fn(usize, &str) -> Option<&'static str>) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (index, row) in self.rows.iter().enumerate() {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(column, (cell, width))| {
                    let padded = format!("{cell:<width$}");
                    match style(column, cell).filter(|_| index > 0) {
                        Some(colour) => format!("\x1b[{colour}m{padded}\x1b[0m"),
                        None => padded,
                    }
                })
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        out
    }
}

/// One line of at most [`MAX_CELL`] characters: line breaks and tabs become spaces, other control
/// characters (ESC from a feed's error) their escapes.
fn shorten(cell: &str) -> String {
    let cell = cell.replace(['\n', '\r', '\t'], " ");
    let cell = printable(&cell).into_owned();
    if cell.chars().count() <= MAX_CELL {
        return cell;
    }
    let kept: String = cell.chars().take(MAX_CELL - 1).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests;
