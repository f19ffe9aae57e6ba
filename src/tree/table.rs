//! Tables: rows of cells in text, and the cells that span several rows or
//! columns.
//!
//! A merged cell is kept as the source draws it on a grid: its text in its
//! top-left position, the positions it covers empty, and a [`Merge`] that
//! says how far it reaches. Without the merge a page's `rowspan` would
//! shift every later cell of the rows below one column left, under the
//! wrong header: a table of tasks would give a task to the wrong unit.
//!
//! In the text form (`| a | b |` rows, what every source is read as and
//! what `fmt` writes) a covered position is a cell of its own: `^^` when it
//! continues the cell above, `<<` when it continues the cell to its left.
//! A cell whose text is those two characters is written `\^^` or `\<<`.

use serde::{Deserialize, Serialize};

use super::Span;

/// A covered position that continues the cell above it.
pub use crate::escape::MERGED_ABOVE as ABOVE;
/// A covered position that continues the cell to its left.
pub use crate::escape::MERGED_LEFT as LEFT;

/// A table as the source draws it: an optional header row and body rows of
/// cells, in text; rows may have different numbers of cells, as the source
/// has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// How many of the paragraphs it sits among come before it: 0 puts it
    /// before the first, `text.len()` after the last. Paragraphs and tables
    /// keep separate lists so that a document without tables serializes as
    /// it always has.
    pub at: usize,
    /// The header row, when the source marks one (a `|---|` delimiter row
    /// under it, `<th>` cells, Word's repeated header row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<Vec<String>>,
    pub rows: Vec<Row>,
    /// The cells that span more than one position, in reading order of
    /// their top-left corner; the positions they cover hold `""`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<Merge>,
    /// The whole table, first row to last.
    pub span: Span,
}

/// One row of a table's body. A struct rather than a bare list of cells:
/// the YAML edition has no sequence directly in a sequence.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Row {
    pub cells: Vec<String>,
}

/// A cell spanning `rows` × `columns` positions from its top-left corner.
/// Rows count as drawn: the header, when there is one, is row 0 and the
/// first body row row 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    pub row: usize,
    pub column: usize,
    pub rows: usize,
    pub columns: usize,
}

impl Merge {
    fn covers(&self, row: usize, column: usize) -> bool {
        (self.row..self.row.saturating_add(self.rows)).contains(&row)
            && (self.column..self.column.saturating_add(self.columns)).contains(&column)
    }
}

/// A position a merged cell covers: which way its marker points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cover {
    Above,
    Left,
}

impl Cover {
    pub fn marker(self) -> &'static str {
        match self {
            Cover::Above => ABOVE,
            Cover::Left => LEFT,
        }
    }
}

/// A cell as a renderer lays it out: its text and extent. Covered
/// positions are not laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LaidCell<'a> {
    pub text: &'a str,
    pub rows: usize,
    pub columns: usize,
}

/// A table's rows as HTML draws them: the header rows (the header, and the
/// body rows that a header cell reaches down into: a two-level header) and
/// the body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Layout<'a> {
    pub head: Vec<Vec<LaidCell<'a>>>,
    pub body: Vec<Vec<LaidCell<'a>>>,
}

impl Table {
    /// The rows as drawn: the header first, when there is one.
    pub fn drawn(&self) -> impl Iterator<Item = &[String]> {
        self.header.as_deref().into_iter().chain(self.rows.iter().map(|r| r.cells.as_slice()))
    }

    /// The merged cell at or over a position (row as drawn), if any.
    pub fn merge(&self, row: usize, column: usize) -> Option<&Merge> {
        self.merged.iter().find(|m| m.covers(row, column))
    }

    /// Whether the position (row as drawn) is covered by a merged cell, and
    /// which way its marker points: `^^` down the merge's first column,
    /// `<<` elsewhere (the cell to the left is then part of the same merge).
    pub fn cover(&self, row: usize, column: usize) -> Option<Cover> {
        let merge = self.merge(row, column)?;
        if row == merge.row && column == merge.column {
            None
        } else if column == merge.column {
            Some(Cover::Above)
        } else {
            Some(Cover::Left)
        }
    }

    /// The rows as pipe-table lines (header, delimiter, body), cells escaped
    /// and covered positions as their markers: the text form every text-like
    /// consumer reads a table in.
    pub fn to_lines(&self) -> String {
        let mut out = String::new();
        for (r, cells) in self.drawn().enumerate() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push('|');
            for (c, cell) in cells.iter().enumerate() {
                out.push(' ');
                match self.cover(r, c) {
                    Some(cover) => out.push_str(cover.marker()),
                    None => crate::escape::push_table_cell(&mut out, cell),
                }
                out.push_str(" |");
            }
            if r == 0
                && let Some(header) = &self.header
            {
                out.push_str("\n|");
                for _ in 0..header.len().max(1) {
                    out.push_str(" --- |");
                }
            }
        }
        out
    }

    /// The number of columns: the widest row's.
    pub fn columns(&self) -> usize {
        self.drawn().map(<[String]>::len).max().unwrap_or(0)
    }

    /// The cells to draw, with their extents. A merge is cut to the rows
    /// and cells there are and to its row group (HTML's `rowspan` does not
    /// cross from the header into the body); a position it covers past the
    /// cut is drawn as an empty cell, so that every row keeps its columns.
    pub fn layout(&self) -> Layout<'_> {
        let drawn: Vec<&[String]> = self.drawn().collect();
        // A header cell reaching down makes the rows it reaches header
        // rows: a two-level header.
        // An empty header row draws nothing.
        let skip = usize::from(self.header.as_ref().is_some_and(Vec::is_empty));
        // Only the header's own cells extend it: a cell of the second
        // header row reaching further down is a body merge cut at the head.
        let mut head = usize::from(self.header.is_some());
        if head == 1 {
            let reach = self.merged.iter().filter(|m| m.row == 0).map(|m| m.row.saturating_add(m.rows)).max();
            head = reach.unwrap_or(1).clamp(1, drawn.len().max(1));
        }
        // Each merge as drawn: its corner and cut extent.
        let laid: Vec<Merge> = self
            .merged
            .iter()
            .filter_map(|m| {
                let cells = drawn.get(m.row)?;
                let group_end = if m.row < head { head } else { drawn.len() };
                let rows = m.rows.min(group_end - m.row).max(1);
                let columns = m.columns.min(cells.len().saturating_sub(m.column)).max(1);
                (m.column < cells.len()).then_some(Merge { rows, columns, ..*m })
            })
            .collect();
        let mut layout = Layout::default();
        for (r, cells) in drawn.iter().enumerate().skip(skip) {
            let mut row = Vec::with_capacity(cells.len());
            for (c, text) in cells.iter().enumerate() {
                let cell = match laid.iter().find(|m| m.covers(r, c)) {
                    Some(m) if (m.row, m.column) == (r, c) => LaidCell { text, rows: m.rows, columns: m.columns },
                    Some(_) => continue,
                    None if self.cover(r, c).is_some() => LaidCell { text: "", rows: 1, columns: 1 },
                    None => LaidCell { text, rows: 1, columns: 1 },
                };
                row.push(cell);
            }
            if r < head { layout.head.push(row) } else { layout.body.push(row) }
        }
        layout
    }
}

/// Read the markers of a table's rows as drawn (header first): each run of
/// `^^`/`<<` positions that fills the rectangle under and right of one
/// cell becomes a [`Merge`] and its positions `""`; `\^^` and `\<<` become
/// the text `^^` and `<<`. A marker that continues nothing (`^^` in the
/// first row, `<<` in the first column) or whose run is not a rectangle
/// stays text, as written.
pub fn read_merges(rows: &mut [Vec<String>]) -> Vec<Merge> {
    if !rows.iter().flatten().any(|c| c == ABOVE || c == LEFT || c == "\\^^" || c == "\\<<") {
        return Vec::new();
    }
    // The top-left cell each position belongs to.
    let mut owner: Vec<Vec<(usize, usize)>> = Vec::with_capacity(rows.len());
    for (r, cells) in rows.iter().enumerate() {
        let mut row = Vec::with_capacity(cells.len());
        for (c, cell) in cells.iter().enumerate() {
            let above = (cell == ABOVE && r > 0).then(|| owner[r - 1].get(c).copied()).flatten();
            let left = (cell == LEFT && c > 0).then(|| row[c - 1]);
            row.push(above.or(left).unwrap_or((r, c)));
        }
        owner.push(row);
    }
    let mut merged = Vec::new();
    let mut groups: std::collections::BTreeMap<(usize, usize), Vec<(usize, usize)>> = Default::default();
    for (r, row) in owner.iter().enumerate() {
        for (c, &o) in row.iter().enumerate() {
            if o != (r, c) {
                groups.entry(o).or_default().push((r, c));
            }
        }
    }
    for ((r0, c0), covered) in groups {
        let rows_n = covered.iter().map(|p| p.0).max().unwrap_or(r0) - r0 + 1;
        let cols_n = covered.iter().map(|p| p.1).max().unwrap_or(c0) - c0 + 1;
        let rectangle = covered.len() + 1 == rows_n * cols_n
            && covered.iter().all(|&(r, c)| r >= r0 && c >= c0)
            && (r0..r0 + rows_n).all(|r| (c0..c0 + cols_n).all(|c| owner[r].get(c) == Some(&(r0, c0))));
        if rectangle {
            for (r, c) in covered {
                rows[r][c].clear();
            }
            merged.push(Merge { row: r0, column: c0, rows: rows_n, columns: cols_n });
        }
    }
    for cell in rows.iter_mut().flatten() {
        if cell == "\\^^" || cell == "\\<<" {
            cell.remove(0);
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| (*c).to_owned()).collect()).collect()
    }

    #[test]
    fn markers_become_merges() {
        let mut rows = grid(&[
            &["类型", "档位", "报价"],
            &["燃煤", "第一档", "200"],
            &["^^", "第二档", "300"],
            &["合计", "<<", "500"],
        ]);
        let merged = read_merges(&mut rows);
        assert_eq!(
            merged,
            [Merge { row: 1, column: 0, rows: 2, columns: 1 }, Merge { row: 3, column: 0, rows: 1, columns: 2 }]
        );
        assert_eq!(rows[2], ["", "第二档", "300"]);
        assert_eq!(rows[3], ["合计", "", "500"]);
    }

    #[test]
    fn a_block_merge_and_markers_that_continue_nothing() {
        let mut rows = grid(&[&["^^", "a", "<<"], &["<<", "^^", "<<"], &["b", "\\^^", "c"]]);
        let merged = read_merges(&mut rows);
        assert_eq!(merged, [Merge { row: 0, column: 1, rows: 2, columns: 2 }]);
        assert_eq!(rows, grid(&[&["^^", "a", ""], &["<<", "", ""], &["b", "^^", "c"]]));
    }

    #[test]
    fn an_l_shaped_run_stays_text() {
        let mut rows = grid(&[&["a", "b"], &["^^", "<<"], &["^^", "x"]]);
        // (1,1) `<<` joins (1,0), which continues (0,0): the run is
        // (0,0),(1,0),(1,1),(2,0), not a rectangle.
        assert!(read_merges(&mut rows).is_empty());
        assert_eq!(rows[1], ["^^", "<<"]);
    }

    fn table(header: Option<&[&str]>, rows: &[&[&str]]) -> Table {
        let mut drawn: Vec<Vec<String>> = header.into_iter().map(|h| grid(&[h]).remove(0)).collect();
        drawn.extend(grid(rows));
        let merged = read_merges(&mut drawn);
        let header = header.map(|_| drawn.remove(0));
        Table {
            at: 0,
            header,
            rows: drawn.into_iter().map(|cells| Row { cells }).collect(),
            merged,
            span: Span::default(),
        }
    }

    #[test]
    fn lines_write_the_markers_back() {
        let t = table(Some(&["序号", "责任单位", "<<"]), &[&["^^", "牵头", "配合"], &["1", "省发展改革委", "^^"]]);
        assert_eq!(
            t.to_lines(),
            "| 序号 | 责任单位 | << |\n| --- | --- | --- |\n| ^^ | 牵头 | 配合 |\n| 1 | 省发展改革委 | ^^ |"
        );
        let cell = |text, rows, columns| LaidCell { text, rows, columns };
        let layout = t.layout();
        assert_eq!(
            layout.head,
            [vec![cell("序号", 2, 1), cell("责任单位", 1, 2)], vec![cell("牵头", 1, 1), cell("配合", 1, 1)]],
            "序号 reaches into the first body row: a two-level header"
        );
        assert_eq!(
            layout.body,
            [vec![cell("1", 1, 1), cell("省发展改革委", 1, 1), cell("", 1, 1)]],
            "配合 cannot reach from the header into the body: its position there is an empty cell"
        );
    }

    #[test]
    fn a_literal_marker_is_escaped() {
        let t = table(None, &[&["\\^^", "x"]]);
        assert!(t.merged.is_empty());
        assert_eq!(t.rows[0].cells[0], "^^");
        assert_eq!(t.to_lines(), "| \\^^ | x |");
    }
}
