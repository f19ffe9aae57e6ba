//! The machine format: one JSON object per line per diagnostic, for editors
//! and CI. Lines and columns are 1-based; columns count characters.
//! `related` holds the secondary places a message refers to ("first
//! here"), each with its own position and message.

use serde::Serialize;

use super::{Applicability, Diagnostic};
use crate::source::SourceFile;

#[derive(Serialize)]
struct Replacement<'a> {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    start_byte: usize,
    end_byte: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct Secondary<'a> {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    start_byte: usize,
    end_byte: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Record<'a> {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    /// For a Word document: `¶37:12`, the paragraph and its column.
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    applicability: Option<Applicability>,
    replacements: Vec<Replacement<'a>>,
    related: Vec<Secondary<'a>>,
}

/// One JSON object per line.
pub fn render(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (end_line, end_column) = end(source, d.span);
        let (line, column) = start(source, d.span);
        let replacements = d
            .fix
            .iter()
            .flat_map(|fix| &fix.edits)
            .map(|edit| {
                let (end_line, end_column) = end(source, edit.span);
                let (line, column) = start(source, edit.span);
                Replacement {
                    line,
                    column,
                    end_line,
                    end_column,
                    start_byte: edit.span.start,
                    end_byte: edit.span.end,
                    text: &edit.replacement,
                }
            })
            .collect();
        let related = d
            .related
            .iter()
            .map(|r| {
                let (end_line, end_column) = end(source, r.span);
                let (line, column) = start(source, r.span);
                Secondary {
                    line,
                    column,
                    end_line,
                    end_column,
                    start_byte: r.span.start,
                    end_byte: r.span.end,
                    message: &r.message,
                }
            })
            .collect();
        let record = Record {
            file: source.display_path(),
            line,
            column,
            end_line,
            end_column,
            origin: source.origin.as_ref().map(|o| o.describe(&source.text, d.span.start)),
            code: d.code,
            name: d.name,
            severity: d.severity.name(),
            message: &d.message,
            help: d.help.as_deref(),
            applicability: d.fix.as_ref().map(|f| f.applicability),
            replacements,
            related,
        };
        // Serializing plain strings and numbers cannot fail.
        if let Ok(line) = serde_json::to_string(&record) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Where a span starts in the person's file: for a converted source (a web
/// page), the original's line and column; the byte offsets stay the text's.
fn start(source: &SourceFile, span: crate::tree::Span) -> (u32, u32) {
    if source.origin.is_some() { source.original_position(span.start) } else { (span.line, span.column) }
}

fn end(source: &SourceFile, span: crate::tree::Span) -> (u32, u32) {
    if source.origin.is_some() { source.original_position(span.end) } else { source.end_position(span) }
}
