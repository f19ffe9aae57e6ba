//! `T009` a table cell written as a merge marker (`^^`, `<<`) that merges
//! nothing.
//!
//! Takes the document's tables (body, frame and attachments) and their
//! rows in the source; gives one diagnostic per such cell, with a fix that
//! escapes it (`\^^`): whether a merge was meant is the editor's call, so
//! the fix is not applied by `--fix`.

use crate::diag::registry::STRAY_MERGE_MARKER;
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::parse::table::is_row;
use crate::tree::table::{ABOVE, LEFT};
use crate::tree::{Document, Table};
use crate::validate::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if !cx.enabled(&STRAY_MERGE_MARKER) {
        return;
    }
    let mut tables = Vec::new();
    collect(cx.document, &mut tables);
    for table in tables {
        stray_markers(cx, table, out);
    }
}

fn collect<'a>(document: &'a Document, out: &mut Vec<&'a Table>) {
    out.extend(&document.frame.preamble_tables);
    out.extend(document.nodes().flat_map(|n| &n.tables));
    out.extend(&document.frame.closing_tables);
    for attachment in &document.attachments {
        collect(attachment, out);
    }
}

fn stray_markers(cx: &Context, table: &Table, out: &mut Vec<Diagnostic>) {
    let text = cx.text(table.span);
    if !text.contains(ABOVE) && !text.contains(LEFT) {
        return;
    }
    let mut row = 0;
    let mut offset = table.span.start;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if !is_row(content.trim_start()) {
            continue;
        }
        let cells = cell_ranges(content);
        if crate::parse::table::is_delimiter(&crate::parse::table::cells(content)) {
            continue;
        }
        for (column, range) in cells.into_iter().enumerate() {
            let cell = &content[range.clone()];
            if (cell == ABOVE || cell == LEFT) && table.cover(row, column).is_none() {
                let span = cx.span(start + range.start..start + range.end);
                let what = if cell == ABOVE { "the cell above it" } else { "the cell to its left" };
                out.push(
                    cx.diagnostic(
                        &STRAY_MERGE_MARKER,
                        span,
                        format!("`{cell}` would continue {what}, but merges nothing: it is kept as the text `{cell}`"),
                    )
                    .with_help(
                        "a merged cell's `^^` (down) and `<<` (right) fill a rectangle under and right of it; \
                         fill it, or write `\\^^` / `\\<<` for the text itself",
                    )
                    .with_fix(Fix {
                        applicability: Applicability::Unsafe,
                        edits: vec![Edit { span: cx.span(span.start..span.start), replacement: "\\".into() }],
                    }),
                );
            }
        }
        row += 1;
    }
}

/// The byte ranges of a row's cells in the line, blanks around them off;
/// `\|` is part of a cell.
fn cell_ranges(line: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = line.as_bytes();
    let Some(first) = line.find('|') else { return Vec::new() };
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
            let cell = &line[w[0] + 1..w[1]];
            let lead = cell.len() - cell.trim_start_matches(crate::text::is_space).len();
            let kept = cell.trim_matches(crate::text::is_space).len();
            w[0] + 1 + lead..w[0] + 1 + lead + kept
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::cell_ranges;

    #[test]
    fn cells_are_found_where_they_are_written() {
        let line = "| a | \\| b |  ^^ |";
        let cells: Vec<&str> = cell_ranges(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(cells, ["a", "\\| b", "^^"]);
    }
}
