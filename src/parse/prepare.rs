//! The text the grammar reads, and the way back to the source.
//!
//! Markdown sources are masked: markup bytes become spaces (line breaks
//! stay, and a table keeps its pipes so that it stays a table), so the same
//! line grammar reads them and every offset is still an
//! offset into the source. Source repair (`parse::repair`) may rewrite the
//! text further, rejoining broken lines; it records an offset map so spans
//! still point at the original lines.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::source::{Format, SourceFile};
use crate::tree::Span;

/// Text ready for the grammar, tied to its source file.
pub struct Prepared<'a> {
    /// The source's own text when nothing had to change (no copy).
    pub text: Cow<'a, str>,
    pub source: &'a SourceFile,
    /// Segment starts `(prepared offset, source offset)`, sorted; empty
    /// means the identity. Within a segment offsets advance together.
    map: Vec<(usize, usize)>,
    /// Whether the text holds a zero-width character anywhere. Few documents
    /// do; the others skip looking for them line by line.
    pub has_invisible: bool,
}

impl<'a> Prepared<'a> {
    /// Prepare a source: masked when it is Markdown, as it is otherwise.
    pub fn new(source: &'a SourceFile) -> Self {
        // A front-matter block configures the checks; it is not document text.
        let text = crate::source::front_matter::masked_front_matter(&source.text);
        let text = match source.format {
            Format::Text | Format::Html | Format::Docx => text,
            Format::Markdown => Cow::Owned(mask_markdown(&text)),
        };
        let has_invisible = has_invisible(&text);
        Prepared { text, source, map: Vec::new(), has_invisible }
    }

    /// Replace the text by a rewritten one with its offset map.
    pub fn rewrite(&mut self, text: String, map: Vec<(usize, usize)>) {
        debug_assert!(map.windows(2).all(|w| w[0].0 <= w[1].0));
        self.has_invisible = has_invisible(&text);
        self.text = Cow::Owned(text);
        self.map = map;
    }

    /// The source offset of a prepared offset.
    pub fn to_source(&self, offset: usize) -> usize {
        if self.map.is_empty() {
            return offset;
        }
        let i = self.map.partition_point(|&(p, _)| p <= offset);
        if i == 0 {
            return offset;
        }
        let (p, s) = self.map[i - 1];
        (s + (offset - p)).min(self.source.text.len())
    }

    /// A source span for a prepared range.
    pub fn span(&self, range: Range<usize>) -> Span {
        let start = self.to_source(range.start);
        // The end maps from the last byte, so a range that ends where a
        // rejoined line break was removed does not stretch over it.
        let end = if range.end > range.start { self.to_source(range.end - 1) + 1 } else { start };
        let mut end = end.max(start).min(self.source.text.len());
        while !self.source.text.is_char_boundary(end) {
            end += 1;
        }
        self.source.span(start, end)
    }
}

/// Whether `text` holds one of [`INVISIBLE`](super::lower::INVISIBLE).
fn has_invisible(text: &str) -> bool {
    let mut buf = [0; 4];
    super::lower::INVISIBLE
        .iter()
        .any(|c| memchr::memmem::find(text.as_bytes(), c.encode_utf8(&mut buf).as_bytes()).is_some())
}

/// All pulldown-cmark options in one place.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Blank out Markdown markup, keeping text bytes and line breaks where they
/// are, so the result has the same length and the same lines.
///
/// A table keeps the pipes that separate its cells, the `\\` of an escaped
/// `\\|` in a cell and its delimiter row, so that it reaches the grammar as
/// the pipe table a `.txt` writes (`parse::table`). Masked to spaces, a row
/// `| 第三百零二条 | … |` would read as an article. A line GFM reads as a
/// row without a pipe (a paragraph right under a table) keeps none and
/// stays a line of text, so a table never swallows a clause.
pub fn mask_markdown(text: &str) -> String {
    let mut keep = vec![false; text.len()];
    let mut row: Option<std::ops::Range<usize>> = None;
    let mut cells: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        match event {
            Event::Text(_) | Event::Code(_) => keep[range].iter_mut().for_each(|k| *k = true),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row = Some(range);
                cells.clear();
            }
            Event::Start(Tag::TableCell) => cells.push(range),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                let Some(row) = row.take() else { continue };
                keep_row_pipes(text, row.clone(), &cells, &mut keep);
                if matches!(event, Event::End(TagEnd::TableHead)) {
                    keep_delimiter_row(text, row.end, &mut keep);
                }
            }
            _ => {}
        }
    }
    let bytes: Vec<u8> =
        text.bytes().zip(&keep).map(|(b, &k)| if k || b == b'\n' || b == b'\r' { b } else { b' ' }).collect();
    // Kept ranges are whole characters and everything else became ASCII, so
    // the bytes are UTF-8; the fallback only guards that reasoning.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Keep a row's cell separators (its pipes outside every cell) and, inside
/// a cell, the backslash of each `\\|`, whose `|` is text, and of a cell
/// that is `\\^^` or `\\<<`, the text of a merge marker (the marker itself
/// is a covered position: `tree::table`).
fn keep_row_pipes(text: &str, row: std::ops::Range<usize>, cells: &[std::ops::Range<usize>], keep: &mut [bool]) {
    let bytes = text.as_bytes();
    for c in cells {
        let cell = text[c.clone()].trim_matches([' ', '\t']);
        if cell == "\\^^" || cell == "\\<<" {
            let at = c.start + text[c.clone()].find('\\').unwrap_or(0);
            keep[at] = true;
        }
    }
    // Cells come in order: one walk over them and the row's pipes together
    // (a row of many thousand cells stays linear).
    let mut cell = cells.iter().peekable();
    for at in memchr::memchr_iter(b'|', &bytes[row.clone()]).map(|i| row.start + i) {
        while cell.next_if(|c| c.end <= at).is_some() {}
        if let Some(c) = cell.peek()
            && c.contains(&at)
        {
            if at > row.start && bytes[at - 1] == b'\\' {
                keep[at - 1] = true;
                keep[at] = true;
            }
        } else {
            keep[at] = true;
        }
    }
}

/// Keep the delimiter row (`|---|:--:|`) on the line that starts at `at`.
fn keep_delimiter_row(text: &str, at: usize, keep: &mut [bool]) {
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[at..line_end];
    if line.contains('-') && line.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t' | b'\r')) {
        keep[at..line_end].iter_mut().for_each(|k| *k = true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_mask_keeps_offsets() {
        let md = "# 标题\n\n<!-- 注释 -->\n\n### 第一章  总则\n\n**第一条**　为了……\n";
        let masked = mask_markdown(md);
        assert_eq!(masked.len(), md.len());
        assert_eq!(masked.lines().count(), md.lines().count());
        assert!(masked.contains("  标题"));
        assert!(!masked.contains("注释"));
        assert!(masked.contains("    第一章  总则"));
        assert!(masked.contains("  第一条  　为了……"));
    }

    #[test]
    fn markdown_mask_keeps_a_table() {
        let md = "| 条 | **内容** |\n|:---|---:|\n| 第三百零二条 | a \\| b |\n第二条　正文\n";
        let masked = mask_markdown(md);
        assert_eq!(masked.len(), md.len());
        let lines: Vec<&str> = masked.lines().collect();
        assert_eq!(lines[0], "| 条 |   内容   |");
        assert_eq!(lines[1], "|:---|---:|");
        assert_eq!(lines[2], "| 第三百零二条 | a \\| b |");
        assert_eq!(lines[3], "第二条　正文", "a line without a pipe is no row");
    }
}
