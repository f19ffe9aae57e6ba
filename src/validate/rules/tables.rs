//! `T009` a table cell written as a merge marker (`^^`, `<<`) that merges
//! nothing.
//!
//! Takes the document's tables (body, frame and attachments) and their
//! rows in the source; gives one diagnostic per such cell, with a fix that
//! escapes it (`\^^`): whether a merge was meant is the editor's call, so
//! the fix is not applied by `--fix`.

use crate::diag::registry::STRAY_MERGE_MARKER;
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::parse::table::{cell_ranges, is_delimiter, is_row};
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
        let ranges = cell_ranges(content);
        let written: Vec<String> = ranges.iter().map(|r| content[r.clone()].to_owned()).collect();
        if is_delimiter(&written) {
            continue;
        }
        for (column, range) in ranges.into_iter().enumerate() {
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
