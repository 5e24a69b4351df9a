//! A plain text table with aligned columns, for terminals and for pipes alike.

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

fn shorten(cell: &str) -> String {
    let cell = cell.replace(['\n', '\r', '\t'], " ");
    if cell.chars().count() <= MAX_CELL {
        return cell;
    }
    let kept: String = cell.chars().take(MAX_CELL - 1).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_to_the_widest_cell() {
        let mut table = Table::new(&["A", "B"]);
        table.row(vec!["long value".into(), "x".into()]);
        assert_eq!(table.render(), "A           B\nlong value  x\n");
    }

    #[test]
    fn styled_cells_keep_their_columns_aligned() {
        let mut table = Table::new(&["A", "B"]);
        table.row(vec!["ok".into(), "x".into()]);
        let out = table.render_styled(|column, _| (column == 0).then_some("32"));
        assert_eq!(out, "A   B\n\x1b[32mok\x1b[0m  x\n");
    }

    #[test]
    fn long_cells_are_cut_with_an_ellipsis() {
        let mut table = Table::new(&["A"]);
        table.row(vec!["y".repeat(100)]);
        let last = table
            .render()
            .lines()
            .last()
            .map(str::to_owned)
            .unwrap_or_default();
        assert_eq!(last.chars().count(), MAX_CELL);
        assert!(last.ends_with('…'));
    }
}
