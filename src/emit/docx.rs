//! The Word edition: a `.docx` laid out as GB/T 9704-2012 lays out a
//! government document.
//!
//! Takes a [`Document`] and gives the bytes of a `.docx` package, always
//! the same bytes for the same document (entries in a fixed order, every
//! timestamp 1980-01-01). The page is A4 with margins of 37 mm (top) and
//! 28 mm (binding side), a type area of 156 × 225 mm holding 22 lines of
//! 28 characters; the title is 二号 方正小标宋简体, the body 三号
//! 仿宋_GB2312, first-level headings 黑体 and second-level 楷体_GB2312, with
//! fallbacks named in the font table. A document with a transmittal notice
//! gets the 版头 (the issuing body's mark in red, the 发文字号, the red
//! separator line); the signature and date sit right; the 版记 (抄送,
//! 印发) has its separator lines; page numbers `— 1 —` in 四号 宋体 sit at
//! the outside edge (odd pages right, even pages left). Markers are literal
//! text, as in signed documents, so reading the edition back gives the same
//! tree. Only `write` puts the bytes on disk; nothing here fails but the zip
//! writer on memory.

use std::fmt::Write as _;
use std::io::Write as _;

use super::EmitError;
use crate::tree::table::Cover;
use crate::tree::{Document, Kind, Node, Paragraph, Piece, Table, interleave};

/// Twentieths of a point in a millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

const fn twips(mm: f64) -> u32 {
    (mm * TWIPS_PER_MM + 0.5) as u32
}

/// GB/T 9704-2012 5.2.1: A4.
const PAGE_WIDTH: u32 = twips(210.0);
const PAGE_HEIGHT: u32 = twips(297.0);
/// 5.2.2: 天头 37 mm, 订口 28 mm, type area 156 × 225 mm.
const MARGIN_TOP: u32 = twips(37.0);
const MARGIN_LEFT: u32 = twips(28.0);
const MARGIN_RIGHT: u32 = twips(210.0 - 28.0 - 156.0);
const MARGIN_BOTTOM: u32 = twips(297.0 - 37.0 - 225.0);
/// 5.2.4: 22 lines in 225 mm, so one line every 225/22 mm.
const LINE_PITCH: u32 = (225.0 / 22.0 * TWIPS_PER_MM) as u32;
/// 28 characters in 156 mm: characters of the body size (16 pt) set this
/// many twips closer (rounded away from zero, so that the 28th fits). A
/// character spacing rather than a character grid, which LibreOffice lays
/// out at other pitches than Word.
const CHAR_SPACING: i32 = ((156.0 / 28.0 * 72.0 / 25.4 - 16.0) * 20.0 - 1.0) as i32;
/// 7.5: the page number's line sits 7 mm below the type area.
const FOOTER_FROM_EDGE: u32 = twips(297.0 - 37.0 - 225.0 - 7.0 - 5.0);

/// Font sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt.
const SIZE_ERHAO: u32 = 44;
const SIZE_SANHAO: u32 = 32;
const SIZE_SIHAO: u32 = 28;
/// The issuing body's mark: large, within the 版头.
const SIZE_MARK: u32 = 72;

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const LEVEL1_FONT: &str = "黑体";
const LEVEL2_FONT: &str = "楷体_GB2312";
const NUMBER_FONT: &str = "宋体";
const RED: &str = "FF0000";

/// Every font the edition names, with the one Word substitutes where it is
/// missing (the `_GB2312` cuts are on government machines, not on others).
const FONTS: [(&str, &str); 6] = [
    (TITLE_FONT, "华文中宋"),
    (BODY_FONT, "仿宋"),
    (LEVEL1_FONT, "SimHei"),
    (LEVEL2_FONT, "楷体"),
    (NUMBER_FONT, "SimSun"),
    ("Times New Roman", "Times New Roman"),
];

/// The `.docx` of a document.
pub fn to_docx(document: &Document) -> Result<Vec<u8>, EmitError> {
    let mut out = Out { xml: String::with_capacity(64 * 1024) };
    write_document(&mut out, document, true);
    let title = document.meta.title.as_deref().unwrap_or_default();
    package(&out.xml, title, Orientation::Portrait)
}

/// Which way the page is turned: a document is portrait; a three-column
/// 修订对照表 reads better across a landscape page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// A package around `paragraphs` (the body's WordprocessingML, without
/// the section properties), with this edition's page, styles, fonts and
/// page numbers: the one place the package is assembled, for documents and
/// for `policyc diff --format docx`.
pub fn package(paragraphs: &str, title: &str, orientation: Orientation) -> Result<Vec<u8>, EmitError> {
    let body = body(paragraphs, orientation);
    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", PACKAGE_RELS.to_owned()),
        ("docProps/core.xml", core_properties(title)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/document.xml", body),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_owned()),
        ("word/fontTable.xml", font_table()),
        ("word/footer1.xml", footer("right", "right")),
        ("word/footer2.xml", footer("left", "left")),
    ];
    let zip_error = |e: zip::result::ZipError| EmitError::Docx(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(64 * 1024)));
    // Fixed times and modes: the same document gives the same bytes.
    // Stored, not deflated: compressing took four fifths of the edition's
    // time (the bench holds it within twice the HTML edition's), and a
    // policy's package is small either way.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, text) in parts {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(text.as_bytes()).map_err(|e| EmitError::Docx(e.to_string()))?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

/// Paragraph properties and the runs that follow them.
struct Out {
    xml: String,
}

/// How a run looks, beyond the paragraph style's own font.
#[derive(Clone, Copy, Default)]
struct Look {
    font: Option<&'static str>,
    size: Option<u32>,
    color: Option<&'static str>,
    bold: bool,
}

impl Out {
    /// One paragraph of style `style`, extra properties `ppr`, and runs.
    fn para(&mut self, style: &str, ppr: &str, runs: &[(&str, Look)]) {
        self.xml.push_str("<w:p><w:pPr>");
        let _ = write!(self.xml, r#"<w:pStyle w:val="{style}"/>"#);
        self.xml.push_str(ppr);
        self.xml.push_str("</w:pPr>");
        for (text, look) in runs {
            run(&mut self.xml, text, *look);
        }
        self.xml.push_str("</w:p>");
    }

    fn text(&mut self, style: &str, text: &str) {
        self.para(style, "", &[(text, Look::default())]);
    }

    fn blank(&mut self) {
        self.xml.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Plain"/></w:pPr></w:p>"#);
    }

    fn page_break(&mut self) {
        self.xml.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Plain"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>"#);
    }
}

/// A run: `\t` becomes a tab, a line break a break, and characters XML
/// cannot carry are left out.
fn run(xml: &mut String, text: &str, look: Look) {
    if text.is_empty() {
        return;
    }
    xml.push_str("<w:r>");
    if look.font.is_some() || look.size.is_some() || look.color.is_some() || look.bold {
        xml.push_str("<w:rPr>");
        if let Some(font) = look.font {
            let _ = write!(xml, r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>"#);
        }
        if look.bold {
            xml.push_str("<w:b/>");
        }
        if let Some(color) = look.color {
            let _ = write!(xml, r#"<w:color w:val="{color}"/>"#);
        }
        if let Some(size) = look.size {
            let _ = write!(xml, r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#);
        }
        xml.push_str("</w:rPr>");
    }
    let mut pieces = text.split(['\t', '\n']);
    let mut at = 0;
    if let Some(first) = pieces.next() {
        push_t(xml, first);
        at += first.len();
    }
    for piece in pieces {
        xml.push_str(if text.as_bytes()[at] == b'\t' { "<w:tab/>" } else { "<w:br/>" });
        at += 1 + piece.len();
        push_t(xml, piece);
    }
    xml.push_str("</w:r>");
}

fn push_t(xml: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    xml.push_str(r#"<w:t xml:space="preserve">"#);
    escape_into(xml, text);
    xml.push_str("</w:t>");
}

/// Escape `text` into `xml`, copying the stretches between the bytes that
/// need it whole (a character at a time was a third of the edition's time).
fn escape_into(xml: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (at, &b) in bytes.iter().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            // XML 1.0 has no place for other control characters, nor for
            // U+FFFE and U+FFFF (EF BF BE, EF BF BF).
            b'\t' | b'\n' | b'\r' => continue,
            0x00..=0x1f => "",
            0xef if bytes.get(at + 1) == Some(&0xbf) && matches!(bytes.get(at + 2), Some(0xbe | 0xbf)) => {
                xml.push_str(&text[from..at]);
                from = at + 3;
                continue;
            }
            _ => continue,
        };
        if at < from {
            continue;
        }
        xml.push_str(&text[from..at]);
        xml.push_str(replacement);
        from = at + 1;
    }
    xml.push_str(&text[from.min(text.len())..]);
}

/// `text` as the content of an XML element.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// One paragraph of `style` (an id of this edition's styles.xml) holding `text`.
pub fn paragraph(style: &str, text: &str) -> String {
    let mut out = Out { xml: String::new() };
    out.text(style, text);
    out.xml
}

fn body(paragraphs: &str, orientation: Orientation) -> String {
    let mut out = Out { xml: String::with_capacity(paragraphs.len() + 1024) };
    out.xml.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#
    ));
    out.xml.push_str(paragraphs);
    // Landscape: the long edge across, the same margins on the sides.
    let (width, height, orient) = match orientation {
        Orientation::Portrait => (PAGE_WIDTH, PAGE_HEIGHT, ""),
        Orientation::Landscape => (PAGE_HEIGHT, PAGE_WIDTH, r#" w:orient="landscape""#),
    };
    let _ = write!(
        out.xml,
        concat!(
            r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>"#,
            r#"<w:footerReference w:type="even" r:id="rIdFooterEven"/>"#,
            r#"<w:pgSz w:w="{}" w:h="{}"{}/>"#,
            r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="{}" w:gutter="0"/>"#,
            r#"<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/>"#,
            r#"<w:docGrid w:type="lines" w:linePitch="{}"/></w:sectPr>"#,
            "</w:body></w:document>"
        ),
        width, height, orient, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT, FOOTER_FROM_EDGE, LINE_PITCH
    );
    out.xml
}

fn texts(paragraphs: &[Paragraph]) -> impl Iterator<Item = &str> {
    paragraphs.iter().map(|p| p.text.as_str())
}

fn write_document(out: &mut Out, document: &Document, first: bool) {
    let frame = &document.frame;
    if let Some(notice) = &frame.notice {
        // 版头: the issuing body's mark, the 发文字号 over the red line.
        let issuer = document.meta.issuers.first().cloned().or_else(|| notice.issuers.first().map(|p| p.text.clone()));
        if let Some(issuer) = issuer {
            let mark = format!("{issuer}文件");
            let look = Look { font: Some(TITLE_FONT), size: Some(SIZE_MARK), color: Some(RED), bold: false };
            out.para("Mark", "", &[(&mark, look)]);
            out.blank();
        }
        let number = notice.doc_number.as_ref().map(|p| p.text.as_str()).unwrap_or_default();
        out.para("DocNumber", &red_line(), &[(number, Look::default())]);
        out.blank();
        if let Some(title) = &notice.title {
            out.text("Title", &title.text);
            out.blank();
        }
        if let Some(addressees) = &notice.addressees {
            out.text("Addressees", &addressees.text);
        }
        for text in texts(&notice.text) {
            out.text("Body", text);
        }
        signature(out, &notice.issuers, notice.date.as_ref());
        for text in texts(&notice.notes) {
            out.text("Body", text);
        }
        out.page_break();
    } else if !first {
        out.page_break();
    }
    if let Some(attachment) = &frame.attachment {
        out.text("AttachmentLabel", &attachment.text);
    }
    if let Some(title) = &frame.title {
        out.text("Title", &title.text);
    } else if let Some(title) = &document.meta.title {
        out.text("Title", title);
    }
    if let Some(status) = &frame.status {
        out.text("Status", &status.text);
    }
    if let Some(number) = &frame.doc_number {
        out.text("DocNumber", &number.text);
    }
    out.blank();
    if let Some(addressees) = &frame.addressees {
        out.text("Addressees", &addressees.text);
    }
    pieces(out, &frame.preamble, &frame.preamble_tables);
    for node in &document.body {
        write_node(out, node);
    }
    pieces(out, &frame.closing, &frame.closing_tables);
    signature(out, &frame.issuers, frame.date.as_ref());
    imprint(out, &frame.imprint);
    for attachment in &document.attachments {
        write_document(out, attachment, false);
    }
}

/// The red separator line under the 发文字号 (GB/T 9704 7.2.4): a border
/// the width of the type area, 4 mm below.
fn red_line() -> String {
    format!(r#"<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="{RED}"/></w:pBdr>"#)
}

/// 发文机关署名 and 成文日期: right, four characters in from the edge.
fn signature(out: &mut Out, issuers: &[Paragraph], date: Option<&Paragraph>) {
    if issuers.is_empty() && date.is_none() {
        return;
    }
    out.blank();
    for text in texts(issuers) {
        out.text("Signature", text);
    }
    if let Some(date) = date {
        out.text("Signature", &date.text);
    }
}

/// 版记: 抄送 and 印发 lines between a thick first and last line and thin
/// lines between them (GB/T 9704 7.4.1).
fn imprint(out: &mut Out, lines: &[Paragraph]) {
    if lines.is_empty() {
        return;
    }
    out.blank();
    let last = lines.len() - 1;
    for (k, line) in lines.iter().enumerate() {
        let top = if k == 0 { r#"<w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/>"# } else { "" };
        let bottom = if k == last { "8" } else { "6" };
        let ppr =
            format!(r#"<w:pBdr>{top}<w:bottom w:val="single" w:sz="{bottom}" w:space="1" w:color="000000"/></w:pBdr>"#);
        out.para("Imprint", &ppr, &[(&line.text, Look::default())]);
    }
}

/// The paragraph style a level's heading takes.
fn heading_style(kind: Kind) -> &'static str {
    match kind {
        Kind::Book | Kind::Chapter | Kind::Division => "ChapterHeading",
        Kind::Part => "Heading1",
        Kind::Section => "Heading2",
        Kind::Article => "Article",
        _ => "Heading3",
    }
}

/// The annotation a clause's owners were named in, as the reader reads it
/// back: `[牵头单位：省局、省厅]`, or `（省局负责）` without a label.
fn owners_annotation(node: &Node) -> String {
    let mut out = String::new();
    let mut roles: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
    // Units a table's column names are in the table already: written again
    // as a note, they would be read back twice.
    let in_table =
        |o: &&crate::tree::Owner| node.tables.iter().any(|t| t.span.start <= o.span.start && o.span.end <= t.span.end);
    for owner in node.owners.iter().filter(|o| !in_table(o)) {
        let role = owner.role.as_deref();
        match roles.iter_mut().find(|(r, _)| *r == role) {
            Some((_, units)) => units.push(&owner.unit),
            None => roles.push((role, vec![&owner.unit])),
        }
    }
    for (role, units) in roles {
        match role {
            Some(role) => {
                let _ = write!(out, "[{role}：{}]", units.join("、"));
            }
            None => {
                let _ = write!(out, "（{}负责）", units.join("、"));
            }
        }
    }
    out
}

fn write_node(out: &mut Out, node: &Node) {
    let style = heading_style(node.kind);
    let heading = match (node.kind, &node.title) {
        // 第一章　总则: the standard's full-width space between.
        (kind, Some(title)) if kind.is_heading_line() => format!("{}　{title}", node.marker),
        (_, Some(title)) => format!("{}{title}", node.marker),
        (_, None) => node.marker.clone(),
    };
    let heading_look = match node.kind {
        Kind::Part | Kind::Article => Look { font: Some(LEVEL1_FONT), ..Look::default() },
        Kind::Section => Look { font: Some(LEVEL2_FONT), ..Look::default() },
        _ => Look::default(),
    };
    let body_look = Look { font: Some(BODY_FONT), ..Look::default() };
    let mut rest = node.text.iter().map(String::as_str);
    // The text runs on after the heading when it did in the source (a lead
    // sentence, an article's first paragraph), else starts its own paragraph.
    let runs_on = match (&node.title, node.spans.title, node.spans.text.first()) {
        (None, _, _) => true,
        (Some(_), Some(title), Some(text)) => title.line == text.line && !node.kind.is_heading_line(),
        _ => false,
    };
    // A title that does not end a sentence was set off from its text by a
    // space; so is an article's number.
    let set_off = match &node.title {
        Some(title) => !title.ends_with(['。', '：', '；', '！', '？', ':', ';', '!', '?', '.']),
        None => node.kind == Kind::Article,
    };
    let separator = if set_off { "　" } else { "" };
    let annotation = owners_annotation(node);
    // A table right under the heading comes before any text.
    let runs_on = runs_on && !node.tables.iter().any(|t| t.at == 0);
    let first_text = if runs_on { rest.next() } else { None };
    let mut runs: Vec<(&str, Look)> = vec![(&heading, heading_look)];
    if let Some(text) = first_text {
        runs.push((separator, body_look));
        runs.push((text, body_look));
    }
    let rest: Vec<&str> = rest.collect();
    let annotation_here = rest.is_empty();
    if annotation_here && !annotation.is_empty() {
        runs.push((&annotation, body_look));
    }
    if !node.marker.is_empty() || first_text.is_some() {
        out.para(if node.marker.is_empty() { "Body" } else { style }, "", &runs);
    }
    // The paragraphs after the heading's, each table before the paragraph
    // it was placed before; the annotation closes the last paragraph.
    let skipped = usize::from(first_text.is_some());
    let mut tables = node.tables.iter().peekable();
    for (k, text) in rest.iter().enumerate() {
        while let Some(t) = tables.next_if(|t| t.at <= k + skipped) {
            table(out, t);
        }
        if k + 1 == rest.len() && !annotation.is_empty() {
            out.para("Body", "", &[(text, Look::default()), (&annotation, Look::default())]);
        } else {
            out.text("Body", text);
        }
    }
    for t in tables {
        table(out, t);
    }
    for child in &node.children {
        write_node(out, child);
    }
}

/// Paragraphs with the tables placed among them.
fn pieces(out: &mut Out, paragraphs: &[Paragraph], tables: &[Table]) {
    for piece in interleave(paragraphs, tables) {
        match piece {
            Piece::Paragraph(text) => out.text("Body", text),
            Piece::Table(t) => table(out, t),
        }
    }
}

/// A table as Word draws one: single borders all round and between cells,
/// the width of the type area in equal columns, the header row (when there
/// is one) shaded and repeated on each page (`w:tblHeader`, which the Word
/// reader reads back as the header). Rows are padded to the widest, as
/// Word's grid wants every row to fill it.
fn table(out: &mut Out, table: &Table) {
    let columns = table.columns();
    if columns == 0 {
        return;
    }
    let width = twips(156.0) / columns as u32;
    let xml = &mut out.xml;
    xml.push_str(r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>"#);
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(xml, r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#);
    }
    xml.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#);
    for _ in 0..columns {
        let _ = write!(xml, r#"<w:gridCol w:w="{width}"/>"#);
    }
    xml.push_str("</w:tblGrid>");
    // A merged cell is one `w:tc` spanning its columns (`w:gridSpan`), the
    // first of a vertical run (`w:vMerge` restart) over the empty cells
    // that continue it below, as Word itself writes a merge.
    let row = |xml: &mut String, r: usize, cells: &[String], header: bool| {
        xml.push_str("<w:tr>");
        if header {
            xml.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for at in 0..columns {
            let merge = table.merge(r, at);
            let cover = table.cover(r, at);
            if cover == Some(Cover::Left) {
                continue;
            }
            let span = merge.map_or(1, |m| m.columns.min(columns - at).max(1));
            let _ = write!(xml, r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>"#, width * span as u32);
            if span > 1 {
                let _ = write!(xml, r#"<w:gridSpan w:val="{span}"/>"#);
            }
            match (merge, cover) {
                (Some(_), Some(Cover::Above)) => xml.push_str("<w:vMerge/>"),
                (Some(m), None) if m.rows > 1 => xml.push_str(r#"<w:vMerge w:val="restart"/>"#),
                _ => {}
            }
            if header {
                xml.push_str(r#"<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>"#);
            }
            xml.push_str("</w:tcPr>");
            // A cell is one line of text: a break in it would end its row
            // when read back.
            let text = match cover {
                Some(_) => String::new(),
                None => cells.get(at).map_or(String::new(), |c| c.replace(['\n', '\r', '\t'], " ")),
            };
            xml.push_str(&paragraph(if header { "CellHeading" } else { "Cell" }, &text));
            xml.push_str("</w:tc>");
        }
        xml.push_str("</w:tr>");
    };
    for (r, cells) in table.drawn().enumerate() {
        row(xml, r, cells, r == 0 && table.header.is_some());
    }
    xml.push_str("</w:tbl>");
}

fn core_properties(title: &str) -> String {
    let mut escaped = String::new();
    escape_into(&mut escaped, title);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>policyc</dc:creator></cp:coreProperties>"#
        ),
        escaped
    )
}

fn font_table() -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#
    ));
    for (name, alternative) in FONTS {
        let charset = if name.is_ascii() { "00" } else { "86" };
        let _ = write!(
            xml,
            r#"<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:charset w:val="{charset}"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#
        );
    }
    xml.push_str("</w:fonts>");
    xml
}

/// A paragraph style: name, based on Normal, paragraph and run properties.
fn style(xml: &mut String, id: &str, name: &str, ppr: &str, rpr: &str) {
    let _ = write!(
        xml,
        r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
    );
}

fn fonts(font: &str) -> String {
    format!(r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>"#)
}

fn styles() -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#
    ));
    let _ = write!(
        xml,
        concat!(
            r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{body}" w:cs="Times New Roman"/>"#,
            r#"<w:kern w:val="2"/><w:spacing w:val="{spacing}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>"#,
            r#"<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#
        ),
        body = BODY_FONT,
        size = SIZE_SANHAO,
        spacing = CHAR_SPACING
    );
    let indent = r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#;
    let center = r#"<w:jc w:val="center"/>"#;
    style(&mut xml, "Plain", "无缩进", "", "");
    style(&mut xml, "Body", "正文缩进", indent, "");
    style(
        &mut xml,
        "Title",
        "Title",
        &format!(r#"{center}<w:outlineLvl w:val="0"/>"#),
        &format!(r#"{}<w:sz w:val="{SIZE_ERHAO}"/><w:szCs w:val="{SIZE_ERHAO}"/>"#, fonts(TITLE_FONT)),
    );
    style(&mut xml, "Status", "征求意见稿", center, &fonts(LEVEL2_FONT));
    style(
        &mut xml,
        "Mark",
        crate::source::docx::LETTERHEAD_STYLE,
        center,
        &format!(r#"{}<w:color w:val="{RED}"/>"#, fonts(TITLE_FONT)),
    );
    style(&mut xml, "DocNumber", "发文字号", center, "");
    style(&mut xml, "Addressees", "主送机关", "", "");
    style(&mut xml, "AttachmentLabel", "附件标识", "", &fonts(LEVEL1_FONT));
    style(&mut xml, "Heading1", "heading 1", &format!(r#"{indent}<w:outlineLvl w:val="1"/>"#), &fonts(LEVEL1_FONT));
    style(&mut xml, "Heading2", "heading 2", &format!(r#"{indent}<w:outlineLvl w:val="2"/>"#), &fonts(LEVEL2_FONT));
    style(&mut xml, "Heading3", "heading 3", indent, "");
    style(
        &mut xml,
        "ChapterHeading",
        "章节标题",
        &format!(r#"{center}<w:outlineLvl w:val="1"/>"#),
        &fonts(LEVEL1_FONT),
    );
    style(&mut xml, "Article", "条", indent, "");
    style(
        &mut xml,
        "Signature",
        "署名和成文日期",
        r#"<w:jc w:val="right"/><w:ind w:rightChars="400" w:right="1280"/>"#,
        "",
    );
    style(
        &mut xml,
        "Imprint",
        "版记",
        r#"<w:ind w:leftChars="100" w:left="280" w:rightChars="100" w:right="280"/>"#,
        &format!(r#"<w:sz w:val="{SIZE_SIHAO}"/><w:szCs w:val="{SIZE_SIHAO}"/>"#),
    );
    // The 修订对照表's table: 四号 text, single-spaced off the grid.
    let cell = format!(r#"<w:sz w:val="{SIZE_SIHAO}"/><w:szCs w:val="{SIZE_SIHAO}"/>"#);
    style(&mut xml, "Cell", "表格文字", r#"<w:snapToGrid w:val="0"/><w:jc w:val="left"/>"#, &cell);
    style(
        &mut xml,
        "CellHeading",
        "表头",
        &format!(r#"<w:snapToGrid w:val="0"/>{center}"#),
        &format!("{}{cell}", fonts(LEVEL1_FONT)),
    );
    style(
        &mut xml,
        "Footer",
        "footer",
        "",
        &format!(r#"{}<w:sz w:val="{SIZE_SIHAO}"/><w:szCs w:val="{SIZE_SIHAO}"/>"#, fonts(NUMBER_FONT)),
    );
    xml.push_str("</w:styles>");
    xml
}

/// `— 1 —` in 四号 宋体, one character in from the outside edge.
fn footer(align: &str, side: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="{align}"/><w:ind w:{side}="280"/></w:pPr>"#,
            r#"<w:r><w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>"#,
            r#"<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#
        ),
        align = align,
        side = side
    )
}

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#,
    r#"<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>"#,
    r#"<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#,
    r#"<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    "</Types>"
);

const PACKAGE_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    "</Relationships>"
);

const DOCUMENT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#,
    r#"<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>"#,
    r#"<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>"#,
    r#"<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>"#,
    "</Relationships>"
);

/// Odd and even pages have their own footers (the page number at the
/// outside edge).
const SETTINGS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>"#,
    r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
    "</w:settings>"
);

#[cfg(test)]
mod tests {
    #[test]
    fn the_type_area_is_gb_t_9704s() {
        // 156 mm wide and 225 mm high on A4, within a twip of rounding.
        assert!((super::PAGE_WIDTH - super::MARGIN_LEFT - super::MARGIN_RIGHT).abs_diff(super::twips(156.0)) <= 1);
        assert!((super::PAGE_HEIGHT - super::MARGIN_TOP - super::MARGIN_BOTTOM).abs_diff(super::twips(225.0)) <= 1);
        assert_eq!(super::LINE_PITCH, 579);
        assert_eq!(super::CHAR_SPACING, -5);
    }

    #[test]
    fn text_is_escaped_and_what_xml_cannot_hold_left_out() {
        assert_eq!(super::escape("一<二>&\"三\u{1}\t\u{fffe}四\u{ffff}"), "一&lt;二&gt;&amp;&quot;三\t四");
        assert_eq!(super::escape("\u{fffd}\u{efbf}"), "\u{fffd}\u{efbf}");
    }
}
