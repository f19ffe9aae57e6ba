//! Classified lines: what the grammar says each physical line is.

use std::ops::Range;

use super::marker::MarkerInfo;
use crate::tree::DebrisKind;

/// One line of the (prepared) text, without its line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub content: Content,
    /// Word residue in front of the content: `[bookmark: _GoBack]`.
    pub residue: Vec<Range<usize>>,
    /// Zero-width characters in the indentation.
    pub invisible: Vec<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Nothing but white space.
    Blank,
    /// A line that starts with a numbering marker.
    Heading { info: MarkerInfo, marker: Range<usize>, rest: Range<usize> },
    /// A line that is web or Word debris as a whole.
    Debris(DebrisKind, Range<usize>),
    /// Any other line; the range excludes indentation.
    Text(Range<usize>),
    /// A row of a pipe table (`| cell | cell |`): a text line by the
    /// grammar, marked by `parse::table` (trailing white space excluded).
    Row(Range<usize>),
}

impl Line {
    pub fn is_blank(&self) -> bool {
        matches!(self.content, Content::Blank)
    }

    /// The range of the line's content without indentation and residue.
    pub fn content_range(&self) -> Range<usize> {
        match &self.content {
            Content::Blank => self.end..self.end,
            Content::Heading { marker, rest, .. } => marker.start..rest.end,
            Content::Debris(_, r) | Content::Text(r) | Content::Row(r) => r.clone(),
        }
    }
}
