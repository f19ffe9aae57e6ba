//! Pipe tables: runs of lines shaped `| cell | cell |` become one [`Table`].
//!
//! The shape is GFM's: a row starts and ends with `|` and a `\|` inside a
//! cell is a `|` of its text; a delimiter row of dashes (`|---|:--:|`) right
//! under the first row makes that row the header. Every source reaches the
//! parser in this shape: a plain text or Markdown file as written (the mask
//! keeps a Markdown table's pipes and delimiter row), a web page's and a Word
//! document's tables as their readers write them. A row is recognized by its
//! own line, never by what surrounds it, so a table cannot swallow a line
//! that is not a row, and a row cannot be a clause: `| 第三百零二条 … |`
//! starts with `|`, which no marker does. A cell `^^` or `<<` is a position
//! a merged cell covers (see [`crate::tree::table`]).

use std::ops::Range;

use super::line::{Content, Line};
use super::prepare::Prepared;
use crate::text::is_space;
use crate::tree::table::{ABOVE, LEFT, read_merges};
use crate::tree::{Row, Span, Table};

/// Whether a line's content (indentation already off) is a table row.
pub fn is_row(content: &str) -> bool {
    let line = content.trim_end_matches(is_space);
    line.len() >= 2 && line.starts_with('|') && line.ends_with('|') && !line.ends_with("\\|")
}

/// The cells of a row, trimmed, `\|` read as `|`.
pub fn cells(row: &str) -> Vec<String> {
    cell_ranges(row).into_iter().map(|range| row[range].replace("\\|", "|")).collect()
}

/// Where a row's cells are written in it: byte ranges between its
/// unescaped pipes, blanks around each cell off (`\|` is part of a cell).
pub fn cell_ranges(row: &str) -> Vec<Range<usize>> {
    let bytes = row.as_bytes();
    let Some(first) = row.find('|') else { return Vec::new() };
    let mut pipes = vec![first];
    let mut i = first + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'|') => i += 2,
            b'|' => {
                pipes.push(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    pipes
        .windows(2)
        .map(|w| {
            let cell = &row[w[0] + 1..w[1]];
            let lead = cell.len() - cell.trim_start_matches(is_space).len();
            let start = w[0] + 1 + lead;
            start..start + cell.trim_matches(is_space).len()
        })
        .collect()
}

/// Whether a row is a delimiter row: every cell dashes, with an optional
/// colon at either end for alignment.
pub fn is_delimiter(cells: &[String]) -> bool {
    cells.iter().all(|c| {
        let dashes = c.trim_start_matches(':').trim_end_matches(':');
        !dashes.is_empty() && dashes.bytes().all(|b| b == b'-')
    })
}

/// A row as `fmt` writes it: its cells as written (text of a table is
/// data; `fmt` changes none of it), one space inside each pipe; a delimiter
/// row as `| --- |`, a dash run per cell (the tree keeps no alignment, so
/// neither does the canonical text).
pub fn canonical(row: &str) -> String {
    let cells = cells(row);
    let mut out = String::from("|");
    let delimiter = is_delimiter(&cells);
    for cell in &cells {
        out.push(' ');
        if delimiter {
            out.push_str("---");
        } else if cell == ABOVE || cell == LEFT {
            // A merged cell's marker, not text to escape.
            out.push_str(cell);
        } else {
            crate::escape::push_table_cell(&mut out, cell);
        }
        out.push_str(" |");
    }
    out
}

/// A table found among lines, with the lines it takes.
#[derive(Debug, Clone)]
pub struct Found {
    pub lines: Range<usize>,
    pub table: Table,
}

/// Mark every row line of `lines` as [`Content::Row`]. A line is a row
/// by its own shape, so the grammar's classification of every other line
/// stands.
pub fn mark(lines: &mut [Line], prepared: &Prepared) {
    for line in lines {
        if let Some(range) = row_range(line, prepared) {
            line.content = Content::Row(range);
        }
    }
}

/// The tables the runs of row lines make, in order; anything else (a blank
/// line too) ends a table.
pub fn find(lines: &[Line], prepared: &Prepared) -> Vec<Found> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let start = at;
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut extent: Option<Range<usize>> = None;
        while let Some(Content::Row(range)) = lines.get(at).map(|l| &l.content) {
            rows.push(cells(&prepared.text[range.clone()]));
            extent = Some(extent.map_or(range.clone(), |e| e.start..range.end));
            at += 1;
        }
        match extent {
            Some(extent) => found.push(Found { lines: start..at, table: table(rows, prepared.span(extent)) }),
            None => at += 1,
        }
    }
    found
}

/// The range of a line's content when the line is a table row.
fn row_range(line: &Line, prepared: &Prepared) -> Option<Range<usize>> {
    match &line.content {
        Content::Text(range) if is_row(&prepared.text[range.clone()]) => {
            let raw = &prepared.text[range.clone()];
            Some(range.start..range.start + raw.trim_end_matches(is_space).len())
        }
        _ => None,
    }
}

fn table(mut rows: Vec<Vec<String>>, span: Span) -> Table {
    let header = (rows.len() >= 2 && is_delimiter(&rows[1]) && !is_delimiter(&rows[0])).then(|| {
        let header = rows.remove(0);
        rows.remove(0);
        header
    });
    // A delimiter row anywhere else carries no text (a table pasted twice,
    // a header row left empty); the source keeps it, the table does not.
    rows.retain(|r| !is_delimiter(r));
    let has_header = header.is_some();
    let mut drawn: Vec<Vec<String>> = header.into_iter().chain(rows).collect();
    let merged = read_merges(&mut drawn);
    let header = has_header.then(|| drawn.remove(0));
    Table { at: 0, header, rows: drawn.into_iter().map(|cells| Row { cells }).collect(), merged, span }
}

/// Place each table among paragraphs by position: `at` counts the
/// paragraphs that start before it.
pub fn place(tables: &mut [Table], paragraphs: impl Iterator<Item = Span> + Clone) {
    for table in tables {
        table.at = paragraphs.clone().filter(|p| p.start < table.span.start).count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_cells() {
        assert!(is_row("| a | b |"));
        assert!(is_row("|a|"));
        assert!(!is_row("| a | b"));
        assert!(!is_row("| a \\|"));
        assert!(!is_row("a | b |"));
        assert_eq!(cells("| 指标 | 2025年 \\| 目标 |  |"), ["指标", "2025年 | 目标", ""]);
        let line = "  | a | \\| b |  ^^ |";
        let written: Vec<&str> = cell_ranges(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(written, ["a", "\\| b", "^^"]);
        assert!(is_delimiter(&cells("|---|:--:|--:|")));
        assert!(!is_delimiter(&cells("| - | a |")));
        assert_eq!(canonical("|a|  b \\|c|"), "| a | b \\|c |");
        assert_eq!(canonical("|:--|--:|"), "| --- | --- |");
    }

    #[test]
    fn a_numbered_row_is_a_row() {
        let parsed = crate::parse::parse_str(
            "第一条　总则。\n\n| 第三百零二条 | 罚款 |\n|---|---|\n| 第三百零三条 | 警告 |\n第二条　附则。\n",
        );
        let body = &parsed.document.body;
        assert_eq!(body.len(), 2, "{body:#?}");
        let table = &body[0].tables[0];
        assert_eq!(table.header.as_deref(), Some(&["第三百零二条".to_owned(), "罚款".to_owned()][..]));
        assert_eq!(table.rows, [Row { cells: vec!["第三百零三条".to_owned(), "警告".to_owned()] }]);
        assert_eq!(table.at, 1);
        assert_eq!(body[1].marker, "第二条", "the line after the table is a clause of its own");
    }
}
