//! Where the text of a converted source came from.
//!
//! A `.docx` (or an `.html` page) is read into canonical text that the rest
//! of the pipeline indexes with byte spans; an [`Origin`] maps a byte offset
//! of that text back to the place in the original file a person can find:
//! a paragraph and a column in a Word file (`file.docx:¶37:12`), a line and
//! a column in a web page. It takes anchors as the text is extracted and
//! gives positions; it never fails.

/// What an origin's first number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginUnit {
    /// Lines of the original file (a web page).
    Line,
    /// Paragraphs of a Word document, in document order, table cells
    /// included: the ¶ a reader counts.
    Paragraph,
}

/// Anchors from offsets of the extracted text to places in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub unit: OriginUnit,
    /// (text offset, line or paragraph, column), sorted by offset.
    anchors: Vec<(usize, u32, u32)>,
}

impl Origin {
    pub fn new(unit: OriginUnit) -> Self {
        Origin { unit, anchors: Vec::new() }
    }

    /// Say that the byte at `text_offset` of the extracted text is at
    /// `line_or_paragraph`, `column` (both 1-based) of the original. Pushed
    /// in increasing offsets; an anchor at the offset of the previous one
    /// replaces it.
    pub fn push(&mut self, text_offset: usize, line_or_paragraph: u32, column: u32) {
        if let Some(last) = self.anchors.last_mut()
            && last.0 >= text_offset
        {
            *last = (text_offset, line_or_paragraph, column);
            return;
        }
        self.anchors.push((text_offset, line_or_paragraph, column));
    }

    /// The original place of byte `offset` of `text`: the nearest anchor at
    /// or before it, plus the characters between.
    pub fn locate(&self, text: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let at = self.anchors.partition_point(|a| a.0 <= offset);
        let Some(&(start, unit, column)) = at.checked_sub(1).and_then(|k| self.anchors.get(k)) else {
            return (1, 1);
        };
        let between = super::char_count(&text.as_bytes()[start.min(offset)..offset]);
        (unit, column.saturating_add(u32::try_from(between).unwrap_or(u32::MAX)))
    }

    /// `¶37:12` or `37:12`: how a position is written after the file name.
    pub fn describe(&self, text: &str, offset: usize) -> String {
        let (unit, column) = self.locate(text, offset);
        match self.unit {
            OriginUnit::Paragraph => format!("¶{unit}:{column}"),
            OriginUnit::Line => format!("{unit}:{column}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_the_nearest_anchor() {
        let text = "标题\n一、总则\n";
        let mut origin = Origin::new(OriginUnit::Paragraph);
        origin.push(0, 1, 1);
        origin.push(text.find('一').unwrap(), 3, 1);
        assert_eq!(origin.locate(text, 3), (1, 2));
        assert_eq!(origin.locate(text, text.find('总').unwrap()), (3, 3));
        assert_eq!(origin.describe(text, text.find('则').unwrap()), "¶3:4");
        assert_eq!(Origin::new(OriginUnit::Line).locate(text, 5), (1, 1));
    }
}
