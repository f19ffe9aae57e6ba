//! HTML escaping, byte for byte as minijinja's auto-escaping does it, for
//! the text written outside templates (the fast paths of the HTML edition
//! and of the owners page, and `serve`'s error overlay).

use crate::scan::{bytes_in, next_byte_where};

/// Append `text` escaped as minijinja's HTML auto-escaping does.
pub fn html(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut from = 0;
    // Nearly all of a policy's text needs no escaping: the search passes over
    // eight bytes at a time to the next byte in `"`..=`>`, where all six
    // escaped characters (`"&'/<>`) lie, ASCII only.
    while let Some(i) = next_byte_where(bytes, from, |word| bytes_in(word, b'"', b'>')) {
        let entity = match bytes[i] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'/' => "&#x2f;",
            _ => "",
        };
        if !entity.is_empty() {
            out.push_str(&text[start..i]);
            out.push_str(entity);
            start = i + 1;
        }
        from = i + 1;
    }
    out.push_str(&text[start..]);
}

/// The text form of a table position a merged cell covers, continuing the
/// cell above it (see `tree::table`).
pub const MERGED_ABOVE: &str = "^^";
/// The text form of a position continuing the cell to its left.
pub const MERGED_LEFT: &str = "<<";

/// Append a table cell as a pipe-table row holds it: `|` escaped as `\|`,
/// a line break (which would end the row) as a space. Parsing a row undoes
/// the escape, so a cell reads back as itself.
pub fn push_table_cell(out: &mut String, cell: &str) {
    // A cell whose text is a merge marker is written escaped, so that it
    // reads back as text.
    if cell == MERGED_ABOVE || cell == MERGED_LEFT {
        out.push('\\');
    }
    for c in cell.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_minijinja_for_every_byte() {
        let mut text = String::new();
        for c in (0u8..0x80).map(char::from).chain("中文。（）".chars()) {
            text.push(c);
            text.push_str("政策");
            text.push(c);
        }
        for len in 0..text.len() {
            let Some(part) = text.get(..len) else { continue };
            let mut ours = String::new();
            html(&mut ours, part);
            assert_eq!(ours, minijinja::HtmlEscape(part).to_string(), "{part:?}");
        }
    }
}
