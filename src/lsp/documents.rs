//! The open documents' text, and the one place where byte offsets (what the
//! parser's spans hold) and protocol positions (lines and UTF-16 code units,
//! as LSP requires) are converted into each other.
//!
//! A CJK Extension B character (𠀀, U+20000) is four bytes of UTF-8, one
//! `char`, and two UTF-16 code units: every conversion goes through
//! [`Text::position`] and [`Text::offset`] so that no other module counts.

use std::ops::Range;

use lsp_types::{Position, TextDocumentContentChangeEvent};

/// Bytes between two UTF-16 checkpoints: a column costs at most this many
/// bytes counted, however long the line (a 1 MB paragraph on one line).
const CHECKPOINT: usize = 1024;

/// A document's text with its line starts and UTF-16 checkpoints.
#[derive(Debug, Clone)]
pub struct Text {
    text: String,
    /// Byte offset of each line start. A line ends at `\n`, `\r\n` or a lone
    /// `\r`, as the protocol and `source::LineIndex` both say.
    lines: Vec<usize>,
    /// UTF-16 code units in `text[..k * CHECKPOINT]`, for every k.
    checkpoints: Vec<u32>,
}

/// UTF-16 code units of the UTF-8 bytes `bytes`, cut anywhere: a lead byte
/// of a four-byte sequence is a surrogate pair (2), any other lead byte one
/// unit, a continuation byte none.
fn utf16_units(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

impl Text {
    pub fn new(text: String) -> Self {
        let bytes = text.as_bytes();
        let mut lines = vec![0];
        lines.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut total = 0u32;
        checkpoints.push(0);
        for chunk in bytes.chunks_exact(CHECKPOINT) {
            total = total.saturating_add(utf16_units(chunk));
            checkpoints.push(total);
        }
        Text { text, lines, checkpoints }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// UTF-16 code units before byte `offset` (a char boundary).
    fn units_before(&self, offset: usize) -> u32 {
        let k = (offset / CHECKPOINT).min(self.checkpoints.len() - 1);
        self.checkpoints[k] + utf16_units(&self.text.as_bytes()[k * CHECKPOINT..offset])
    }

    /// The protocol position of a byte offset: past the end is the end, and
    /// an offset inside a character is that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.partition_point(|&s| s <= offset) - 1;
        let start = self.lines[line];
        let character = if offset - start <= CHECKPOINT {
            utf16_units(&self.text.as_bytes()[start..offset])
        } else {
            self.units_before(offset) - self.units_before(start)
        };
        Position { line: u32::try_from(line).unwrap_or(u32::MAX), character }
    }

    pub fn range(&self, bytes: Range<usize>) -> lsp_types::Range {
        lsp_types::Range { start: self.position(bytes.start), end: self.position(bytes.end.max(bytes.start)) }
    }

    /// The byte offset of a protocol position. A line past the last is the
    /// end of the text; a character past the end of its line is the line's
    /// end (before its line break), as the protocol asks; a position between
    /// the two halves of a surrogate pair is the character's start.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.lines.get(position.line as usize) else { return self.text.len() };
        let end = self.lines.get(position.line as usize + 1).copied().unwrap_or(self.text.len());
        let line = self.text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0u32;
        for (at, c) in line.char_indices() {
            units += c.len_utf16() as u32;
            if units > position.character {
                return start + at;
            }
        }
        start + line.len()
    }

    /// The byte offset of a 1-based line and 1-based column counted in
    /// characters (how diagnostics name a place in a file); past the end of
    /// the line is the line's end.
    pub fn offset_of_line_column(&self, line: u32, column: u32) -> usize {
        let Some(&start) = self.lines.get(line.saturating_sub(1) as usize) else { return self.text.len() };
        let end = self.lines.get(line as usize).copied().unwrap_or(self.text.len());
        let text = self.text[start..end].trim_end_matches(['\n', '\r']);
        text.char_indices().nth(column.saturating_sub(1) as usize).map_or(start + text.len(), |(at, _)| start + at)
    }

    pub fn byte_range(&self, range: lsp_types::Range) -> Range<usize> {
        let start = self.offset(range.start);
        start..self.offset(range.end).max(start)
    }

    /// The text after one change of `textDocument/didChange`: a range
    /// replaced, or (without a range) the whole text.
    pub fn apply(&self, change: TextDocumentContentChangeEvent) -> Text {
        match change.range {
            None => Text::new(change.text),
            Some(range) => {
                let bytes = self.byte_range(range);
                let mut text = String::with_capacity(self.text.len() - bytes.len() + change.text.len());
                text.push_str(&self.text[..bytes.start]);
                text.push_str(&change.text);
                text.push_str(&self.text[bytes.end..]);
                Text::new(text)
            }
        }
    }

    /// The position just past the last character.
    pub fn end(&self) -> Position {
        self.position(self.text.len())
    }
}

/// Where the pipeline's byte offsets land in the editor's buffer. For a text
/// source they are the buffer's own; a web page's text is extracted from its
/// markup, so its offsets go through the page's line and column of each run
/// of text ([`SourceFile::original_position`](crate::source::SourceFile::original_position)), which are the buffer's.
pub struct Buffer<'a> {
    pub text: &'a Text,
    pub source: Option<&'a crate::source::SourceFile>,
}

impl Buffer<'_> {
    pub fn offset(&self, at: usize) -> usize {
        match self.source.filter(|s| s.origin.is_some()) {
            None => at,
            Some(source) => {
                let (line, column) = source.original_position(at);
                self.text.offset_of_line_column(line, column)
            }
        }
    }

    pub fn position(&self, at: usize) -> Position {
        self.text.position(self.offset(at))
    }

    pub fn range(&self, bytes: Range<usize>) -> lsp_types::Range {
        let start = self.offset(bytes.start);
        self.text.range(start..self.offset(bytes.end).max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn extension_b_characters_are_two_utf16_units() {
        // 𠀀 (U+20000) and 𪚥 (U+2A6A5) are outside the BMP.
        let text = Text::new("一、总则\n𠀀𪚥本办法第三条\r\n（一）".to_owned());
        let at = text.as_str().find("本").unwrap();
        assert_eq!(text.position(at), pos(1, 4));
        assert_eq!(text.offset(pos(1, 4)), at);
        // Inside the pair: the character's start.
        assert_eq!(text.offset(pos(1, 1)), text.as_str().find('𠀀').unwrap());
        assert_eq!(text.position(text.as_str().find('（').unwrap()), pos(2, 0));
        // Past the end of a line: its end, before the \r\n.
        assert_eq!(text.offset(pos(1, 99)), text.as_str().find('\r').unwrap());
        assert_eq!(text.offset(pos(9, 0)), text.len());
        assert_eq!(text.position(text.len() + 5), pos(2, 3));
    }

    #[test]
    fn long_lines_count_through_checkpoints() {
        let line: String = "𠀀a中".repeat(2000);
        let text = Text::new(format!("x\n{line}"));
        for n in [0, 1, 700, 1999] {
            let at = 2 + n * "𠀀a中".len() + "𠀀".len();
            assert_eq!(text.position(at), pos(1, (n * 4 + 2) as u32));
            assert_eq!(text.offset(pos(1, (n * 4 + 2) as u32)), at);
        }
    }

    #[test]
    fn changes_replace_ranges_by_utf16_positions() {
        let text = Text::new("𠀀本条例\n第二条".to_owned());
        let changed = text.apply(TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range { start: pos(0, 2), end: pos(0, 3) }),
            range_length: None,
            text: "该".to_owned(),
        });
        assert_eq!(changed.as_str(), "𠀀该条例\n第二条");
        let whole = changed.apply(TextDocumentContentChangeEvent { range: None, range_length: None, text: "x".into() });
        assert_eq!(whole.as_str(), "x");
    }
}
