//! The Markdown edition: readable CommonMark.
//!
//! The policy title is the `#` heading; every node with a title is a heading
//! one level below its parent's (`##` for the first level, at most `######`);
//! text is paragraphs. Markers are kept as written — a policy's numbers are
//! part of its text — so nothing becomes an auto-numbered list, which is also
//! why text is escaped wherever CommonMark would read it as markup.

use std::fmt::Write as _;

use crate::tree::{Document, Node, Paragraph, Piece, Table, interleave};

pub fn to_markdown(document: &Document) -> String {
    let mut out = String::with_capacity(4096);
    let frame = &document.frame;
    if let Some(notice) = &frame.notice {
        // Each entry is already Markdown: the title's emphasis is markup,
        // everything else is escaped text.
        let mut quoted: Vec<String> = Vec::new();
        if let Some(title) = &notice.title {
            quoted.push(format!("**{}**", escape_inline(title.text.trim())));
        }
        let texts = notice.doc_number.iter().chain(&notice.addressees).map(|p| p.text.as_str());
        quoted.extend(texts.chain(notice.text.iter().map(|p| p.text.as_str())).map(escape_line));
        if !notice.issuers.is_empty() {
            quoted.push(escape_line(&join_units(&notice.issuers)));
        }
        let texts = notice.date.iter().chain(&notice.notes).map(|p| p.text.as_str());
        quoted.extend(texts.map(escape_line));
        for (i, markdown) in quoted.iter().enumerate() {
            if i > 0 {
                out.push_str(">\n");
            }
            let _ = writeln!(out, "> {markdown}");
        }
        out.push('\n');
    }
    if let Some(attachment) = &frame.attachment {
        paragraph(&mut out, &attachment.text);
    }
    match &document.meta.title {
        Some(title) => {
            let _ = writeln!(out, "# {}\n", escape_heading(title));
        }
        None => out.push_str("# （无标题）\n\n"),
    }
    if let Some(status) = &frame.status {
        paragraph(&mut out, &status.text);
    }
    if let Some(number) = frame.notice.is_none().then_some(document.meta.doc_number.as_ref()).flatten() {
        paragraph(&mut out, number);
    }
    if let Some(addressees) = &frame.addressees {
        paragraph(&mut out, &addressees.text);
    }
    pieces(&mut out, &frame.preamble, &frame.preamble_tables);
    for node in &document.body {
        write_node(&mut out, node, 2);
    }
    pieces(&mut out, &frame.closing, &frame.closing_tables);
    if !frame.issuers.is_empty() {
        let lines: Vec<String> = frame.issuers.iter().map(|p| escape_line(&p.text)).collect();
        let _ = writeln!(out, "{}\n", lines.join("\\\n"));
    }
    if let Some(date) = &frame.date {
        paragraph(&mut out, &date.text);
    }
    for p in &frame.imprint {
        paragraph(&mut out, &p.text);
    }
    for attachment in &document.attachments {
        out.push_str("---\n\n");
        out.push_str(&to_markdown(attachment));
        out.push_str("\n\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn join_units(units: &[Paragraph]) -> String {
    units.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("　")
}

/// The heading level a node at `level` gets; CommonMark stops at six.
pub fn heading_level(depth: usize) -> usize {
    (depth + 2).min(6)
}

fn write_node(out: &mut String, node: &Node, level: usize) {
    match &node.title {
        Some(title) => {
            let _ = writeln!(
                out,
                "{} {}{}\n",
                "#".repeat(level.min(6)),
                escape_inline(&node.marker),
                escape_heading(title)
            );
            pieces(out, &node.text, &node.tables);
        }
        None => {
            // A clause without a heading (an article, a 项): its marker leads
            // its first paragraph, in bold, or stands over a table that
            // comes first.
            let mut first = true;
            for piece in interleave(&node.text, &node.tables) {
                match piece {
                    Piece::Paragraph(p) if first && !node.marker.is_empty() => {
                        let _ = writeln!(out, "**{}**　{}\n", escape_inline(&node.marker), escape_inline(p));
                    }
                    Piece::Paragraph(p) => paragraph(out, p),
                    Piece::Table(t) => {
                        if first && !node.marker.is_empty() {
                            let _ = writeln!(out, "**{}**\n", escape_inline(&node.marker));
                        }
                        table(out, t);
                    }
                }
                first = false;
            }
            if first && !node.marker.is_empty() {
                let _ = writeln!(out, "**{}**\n", escape_inline(&node.marker));
            }
        }
    }
    if !node.owners.is_empty() {
        let mut roles: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        for owner in &node.owners {
            let role = owner.role.as_deref();
            match roles.iter_mut().find(|(r, _)| *r == role) {
                Some((_, units)) => units.push(&owner.unit),
                None => roles.push((role, vec![&owner.unit])),
            }
        }
        let labels: Vec<String> =
            roles.iter().map(|(role, units)| format!("{}：{}", role.unwrap_or("负责"), units.join("、"))).collect();
        let _ = writeln!(out, "*{}*\n", escape_inline(&labels.join("；")));
    }
    let child_level = if node.title.is_some() { level + 1 } else { level };
    for child in &node.children {
        write_node(out, child, child_level);
    }
}

/// Paragraphs with the tables placed among them.
fn pieces<P: AsRef<str>>(out: &mut String, paragraphs: &[P], tables: &[Table]) {
    for piece in interleave(paragraphs, tables) {
        match piece {
            Piece::Paragraph(p) => paragraph(out, p),
            Piece::Table(t) => table(out, t),
        }
    }
}

/// A GFM pipe table. GFM needs a header row and drops cells past the
/// header's count, so the header is padded to the widest row, and a table
/// without one gets an empty header row (the form GFM has for that). A table
/// without a cell has nothing to print.
fn table(out: &mut String, table: &Table) {
    let columns = table.columns();
    if columns == 0 {
        return;
    }
    // `r` counts rows as drawn (the header first), as merges do; a
    // covered position is written as its marker, as the text form has it.
    let row = |out: &mut String, r: Option<usize>, cells: &[String]| {
        out.push('|');
        for at in 0..columns {
            out.push(' ');
            match r.and_then(|r| table.cover(r, at)) {
                Some(cover) => out.push_str(cover.marker()),
                None => match cells.get(at).map(String::as_str) {
                    // A cell whose text is a marker: escaped as the text
                    // form escapes it (`\<<` shows `<<`, not `<` twice).
                    Some(cell @ (crate::tree::table::ABOVE | crate::tree::table::LEFT)) => {
                        out.push('\\');
                        out.push_str(cell);
                    }
                    Some(cell) => out.push_str(&escape_inline(&cell.replace(['\n', '\r'], " "))),
                    None => {}
                },
            }
            out.push_str(" |");
        }
        out.push('\n');
    };
    row(out, table.header.is_some().then_some(0), table.header.as_deref().unwrap_or_default());
    out.push('|');
    for _ in 0..columns {
        out.push_str(" --- |");
    }
    out.push('\n');
    let first = usize::from(table.header.is_some());
    for (r, cells) in table.rows.iter().enumerate() {
        row(out, Some(first + r), &cells.cells);
    }
    out.push('\n');
}

fn paragraph(out: &mut String, text: &str) {
    let _ = writeln!(out, "{}\n", escape_line(text));
}

/// Escape a paragraph: inline markup everywhere, block markup at its start.
fn escape_line(text: &str) -> String {
    let inline = escape_inline(text);
    escape_block_start(&inline)
}

fn escape_heading(text: &str) -> String {
    let mut s = escape_inline(text);
    // A trailing run of # would close the heading.
    if s.ends_with('#') {
        s.insert(s.len() - 1, '\\');
    }
    s
}

/// Backslash-escape the ASCII characters CommonMark gives meaning inside a
/// line. Chinese punctuation never needs it.
pub fn escape_inline(text: &str) -> String {
    // Every character escaped is ASCII, so bytes can be scanned and the runs
    // between them copied whole (a UTF-8 continuation byte is never ASCII).
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        if matches!(b, b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'|' | b'~' | b'&' | b'!') {
            out.push_str(&text[copied..i]);
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Escape what would start a block: `#`, `-`, `+`, `=`, `1.` / `1)`, indentation.
fn escape_block_start(text: &str) -> String {
    let trimmed = text.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 9 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) {
        let mut s = trimmed.to_owned();
        s.insert(digits, '\\');
        return s;
    }
    if trimmed.starts_with(['#', '-', '+', '=']) {
        return format!("\\{trimmed}");
    }
    trimmed.to_owned()
}

#[cfg(test)]
mod tests {
    use super::escape_inline;

    #[test]
    fn inline_escapes_ascii_markup_only() {
        assert_eq!(escape_inline("知识*产权_[牵头]<b>|~&!`\\"), "知识\\*产权\\_\\[牵头\\]\\<b\\>\\|\\~\\&\\!\\`\\\\");
        assert_eq!(escape_inline("（一）《条例》，。"), "（一）《条例》，。");
        assert_eq!(escape_inline(""), "");
    }
}
