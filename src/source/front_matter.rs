//! Front matter: a TOML block between two `+++` lines at the very top of a
//! source file, which configures the checks of that file only.
//!
//! Takes a source's text and gives where the block lies, or the text with the
//! block masked to spaces (line breaks kept) for the parser, so the block is
//! never part of the document and every offset, line and column stays that of
//! the file. Reading the TOML inside is `validate::config`'s business.

use std::ops::Range;

/// The line that opens and closes the block.
pub const FENCE: &str = "+++";

/// What the top of a source file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontMatter {
    None,
    /// `+++` on the first line and no closing `+++`.
    Unclosed,
    /// `block` is the whole block with both fences and the closing line
    /// break; `body` the TOML between the fences.
    Block {
        block: Range<usize>,
        body: Range<usize>,
    },
}

/// Find the front-matter block at the top of `text`.
pub fn front_matter(text: &str) -> FrontMatter {
    let Some(first) = text.split_inclusive('\n').next() else { return FrontMatter::None };
    if first.trim_end_matches(['\n', '\r']) != FENCE || !first.ends_with('\n') {
        return FrontMatter::None;
    }
    let mut at = first.len();
    for line in text[at..].split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']).trim_end() == FENCE {
            return FrontMatter::Block { block: 0..at + line.len(), body: first.len()..at };
        }
        at += line.len();
    }
    FrontMatter::Unclosed
}

/// The text with its front-matter block turned into spaces (line breaks
/// kept), so the parser reads blank lines there and every offset stays.
pub fn mask_front_matter(text: &str) -> String {
    masked_front_matter(text).into_owned()
}

/// [`mask_front_matter`] without a copy of a text that has no front matter
/// (most have none, and the text can be the whole of a 50 MB document).
pub fn masked_front_matter(text: &str) -> std::borrow::Cow<'_, str> {
    let FrontMatter::Block { block, .. } = front_matter(text) else { return text.into() };
    let mut out = String::with_capacity(text.len());
    out.extend(text[block.clone()].bytes().map(|b| if b == b'\n' || b == b'\r' { b as char } else { ' ' }));
    out.push_str(&text[block.end..]);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_found_and_masked() {
        let text = "+++\n[rules]\nstray-space = \"allow\" # 注释\n+++\n一、总则\n";
        let FrontMatter::Block { block, body } = front_matter(text) else { panic!("no block") };
        assert_eq!(&text[body], "[rules]\nstray-space = \"allow\" # 注释\n");
        assert_eq!(&text[block.end..], "一、总则\n");
        let masked = mask_front_matter(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.lines().count(), text.lines().count());
        assert!(masked.ends_with("\n一、总则\n"));
        assert!(masked[..block.end].trim().is_empty());
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(front_matter("一、总则\n+++\n"), FrontMatter::None);
        assert_eq!(front_matter("+++"), FrontMatter::None);
        assert_eq!(front_matter("+++\n[rules]\n"), FrontMatter::Unclosed);
    }
}
