//! Where the text of a converted source came from.
//!
//! A page or a Word file is turned into canonical text before it is parsed;
//! every later stage indexes that text. [`Origin`] maps a byte offset of the
//! text back to a place in the original file (a line and column of the
//! `.html`, a paragraph of the `.docx`), so that a diagnostic sends the
//! editor to the file the person has, not to text they never saw.

/// What the first number of an original position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginUnit {
    /// A line of the original file (HTML).
    Line,
    /// A paragraph of the original document (Word).
    Paragraph,
}

/// Anchors from offsets of the converted text to original positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub unit: OriginUnit,
    /// `(text offset, line or paragraph, column)`, sorted by text offset:
    /// one for the first byte of each run of text the converter copied.
    anchors: Vec<(usize, u32, u32)>,
}

impl Origin {
    pub fn new(unit: OriginUnit) -> Self {
        Origin { unit, anchors: Vec::new() }
    }

    /// Record that the text from `text_offset` on was copied from
    /// `line_or_paragraph`:`column` (both 1-based, column in characters).
    /// Offsets must not go backwards; an anchor at the same offset as the
    /// last replaces it.
    pub fn push(&mut self, text_offset: usize, line_or_paragraph: u32, column: u32) {
        match self.anchors.last_mut() {
            Some(last) if last.0 == text_offset => *last = (text_offset, line_or_paragraph, column),
            Some(last) if last.0 > text_offset => {}
            _ => self.anchors.push((text_offset, line_or_paragraph, column)),
        }
    }

    /// The original position of a byte offset of `text`: the nearest anchor
    /// at or before it, plus the characters between the two (a run of text
    /// is copied from one line, so the column goes on along it).
    pub fn locate(&self, text: &str, offset: usize) -> (u32, u32) {
        let k = self.anchors.partition_point(|a| a.0 <= offset);
        let Some(&(at, line, column)) = k.checked_sub(1).and_then(|k| self.anchors.get(k)) else {
            return (1, 1);
        };
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let between = text.get(at.min(end)..end).map_or(0, |s| s.chars().count());
        (line, column.saturating_add(u32::try_from(between).unwrap_or(u32::MAX)))
    }

    /// How an original position is written after the file name: `12:5`
    /// for a line, `¶37:12` for a paragraph.
    pub fn format(&self, (at, column): (u32, u32)) -> String {
        match self.unit {
            OriginUnit::Line => format!("{at}:{column}"),
            OriginUnit::Paragraph => format!("¶{at}:{column}"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// `¶37:12` or `37:12`: how the position of byte `offset` of `text` is
    /// written after the file name.
    pub fn describe(&self, text: &str, offset: usize) -> String {
        self.format(self.locate(text, offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_from_the_nearest_anchor_before() {
        let text = "第一条　总则\n第二条";
        let mut origin = Origin::new(OriginUnit::Line);
        origin.push(0, 40, 12);
        let second = text.find("第二条").unwrap();
        origin.push(second, 41, 7);
        assert_eq!(origin.locate(text, 0), (40, 12));
        assert_eq!(origin.locate(text, "第一条".len()), (40, 15));
        assert_eq!(origin.locate(text, second + "第二".len()), (41, 9));
        assert_eq!(Origin::new(OriginUnit::Paragraph).locate(text, 3), (1, 1));
    }

    #[test]
    fn an_anchor_never_goes_backwards() {
        let mut origin = Origin::new(OriginUnit::Paragraph);
        origin.push(10, 2, 1);
        origin.push(5, 1, 1);
        origin.push(10, 3, 1);
        assert_eq!(origin.anchors, vec![(10, 3, 1)]);
        assert_eq!(origin.format((3, 4)), "¶3:4");
    }

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
