//! Word documents (`.docx`) as sources: a package in, canonical text out.
//!
//! Takes the bytes of a `.docx` (a zip of XML parts) and gives the text a
//! reader sees in Word, one paragraph a line, with an [`Origin`] that maps
//! every offset back to `¶paragraph:column`. What Word shows and the XML
//! does not hold as text is made text here: automatic numbering becomes the
//! marker Word displays (see the `numbering` module); tracked changes are accepted,
//! or rejected on request; a table row becomes one line `| cell | cell |`
//! (a pipe table, with a delimiter row under a header row); a field gives its shown text; a footnote reference
//! becomes `[注N]` and the note itself a line `注N：…` at the end.
//! Drawings and text boxes are left out (their text is not part of the
//! flow a reader follows), and so is the 版头's 发文机关标志 (a paragraph
//! in the style named so, as the `.docx` edition writes it): it is the
//! issuing body's letterhead, not text of the document, whose issuers the
//! signature names. What the package says about the document outside its
//! text (the core properties: 标题, 作者, dates, keywords; the company of
//! `docProps/app.xml`) comes out as [`Evidence`], as a web page's meta tags
//! do: the text still decides the frame. Fails with a [`DocxError`] that says what to do
//! on a `.doc`, a damaged zip, a package without `word/document.xml`, a
//! part that unpacks beyond the size limit, or XML that does not parse.

mod numbering;

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use numbering::Numbering;
pub use numbering::format_number;

use super::origin::{Origin, OriginUnit};
use crate::tree::Evidence;

/// Which text of a document with tracked changes to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Changes {
    /// The text with every change accepted: what the document says now.
    #[default]
    Accept,
    /// The text before the changes: what the document said.
    Reject,
}

impl std::str::FromStr for Changes {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "accept" => Ok(Changes::Accept),
            "reject" => Ok(Changes::Reject),
            other => Err(format!("unknown changes mode `{other}` (expected accept or reject)")),
        }
    }
}

/// Why a `.docx` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// A Word 97–2003 file (an OLE compound file) named `.docx`, or a `.doc`.
    #[error("the file is a Word 97–2003 document (.doc), which policyc does not read")]
    LegacyDoc,
    /// `printf 'PK\x03\x04junk' > a.docx`
    #[error("the file is not a .docx package (a zip archive): {0}")]
    NotZip(String),
    /// A zip without the main document part.
    #[error("the package has no word/document.xml, so it is not a Word document")]
    MissingDocument,
    /// A part that unpacks beyond the limit: a zip bomb, or a wrong file.
    #[error("{part} unpacks to more than {limit} bytes, the most policyc reads from one source")]
    TooLarge { part: String, limit: u64 },
    /// A part whose XML does not parse.
    #[error("{part} is not well-formed XML (at byte {offset}): {message}")]
    Xml { part: String, offset: u64, message: String },
}

impl DocxError {
    pub fn help(&self) -> &'static str {
        match self {
            DocxError::LegacyDoc => {
                "open it in Word or LibreOffice and save it as .docx (Word 文档), then run policyc on the .docx"
            }
            DocxError::NotZip(_) | DocxError::MissingDocument | DocxError::Xml { .. } => {
                "the file is damaged or not a Word document: open it in Word or LibreOffice and save it again as .docx"
            }
            DocxError::TooLarge { .. } => {
                "check that this is the document you meant; raise the limit with POLICYC_MAX_SOURCE_SIZE (e.g. `POLICYC_MAX_SOURCE_SIZE=1G`) if it really is this large"
            }
        }
    }
}

/// The text of a Word document and where each paragraph came from.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub text: String,
    pub origin: Origin,
    /// The core and application properties, `from` naming each
    /// (`core dc:title`), `line` its line in that part.
    pub evidence: Vec<Evidence>,
}

/// The signature of an OLE compound file: every `.doc`, `.xls`, `.ppt`.
const OLE_MAGIC: [u8; 8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/// Read the text of a `.docx` package; `limit` caps the bytes all the
/// parts read unpack to together.
pub fn read(bytes: &[u8], changes: Changes, limit: u64) -> Result<Extracted, DocxError> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(DocxError::LegacyDoc);
    }
    let mut package = Package::open(bytes, limit)?;
    let document = package.part("word/document.xml")?.ok_or(DocxError::MissingDocument)?;
    let styles = match package.part("word/styles.xml")? {
        Some(xml) => Styles::parse(&xml).map_err(|e| xml_error("word/styles.xml", e))?,
        None => Styles::default(),
    };
    let mut numbering = match package.part("word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml).map_err(|e| xml_error("word/numbering.xml", e))?,
        None => Numbering::default(),
    };
    let notes = match package.part("word/footnotes.xml")? {
        Some(xml) => footnotes(&xml, changes)?,
        None => HashMap::new(),
    };
    let (blocks, first_change) = extract_story(&document, changes, "word/document.xml")?;
    let mut extracted = layout(&blocks, &styles, &mut numbering, &notes);
    extracted.evidence = properties(&mut package)?;
    if let Some(paragraph) = first_change {
        // Which text was read is a fact about this reading of the file:
        // `import` records it, and the frame keeps it beside the rest.
        let side = match changes {
            Changes::Accept => "accepted",
            Changes::Reject => "rejected",
        };
        extracted.evidence.push(Evidence {
            field: "changes".to_owned(),
            value: side.to_owned(),
            from: "word/document.xml tracked changes".to_owned(),
            href: None,
            line: paragraph,
        });
    }
    Ok(extracted)
}

/// The properties worth keeping, the part and element that state each, and
/// the evidence field it gives.
pub const PROPERTIES: &[(&str, &str, &str)] = &[
    ("docProps/core.xml", "title", "title"),
    ("docProps/core.xml", "subject", "subject"),
    ("docProps/core.xml", "creator", "author"),
    ("docProps/core.xml", "keywords", "keywords"),
    ("docProps/core.xml", "lastModifiedBy", "last_modified_by"),
    ("docProps/core.xml", "created", "created"),
    ("docProps/core.xml", "modified", "modified"),
    ("docProps/app.xml", "Company", "company"),
];

/// Whether a title property is what Word, a converter or a template put
/// there rather than the document's title: `Microsoft Word - 文档1` (a PDF
/// printer's), `文档1`, `新建 Microsoft Word 文档`, a file name, fewer than
/// four Chinese characters (`Document1`, `标题`), placeholders (`XX`, `××`,
/// `○○`), a template's name, or a letterhead (`四川省人民政府文件`), which is
/// what a red-letter template's 标题 often holds.
pub fn is_placeholder_title(title: &str) -> bool {
    let title = title.trim();
    let ideographs = title.chars().filter(|&c| crate::text::is_ideograph(c)).count();
    let lower = title.to_lowercase();
    ideographs < 4
        || lower.starts_with("microsoft word")
        || lower.starts_with("wps")
        || [".doc", ".docx", ".wps", ".dot", ".dotx", ".pdf"].iter().any(|ext| lower.ends_with(ext))
        || (title.starts_with("新建") && title.contains("文档"))
        || ["xx", "××", "○○", "**", "＊＊", "模板", "模版", "范本", "红头", "无标题"]
            .iter()
            .any(|mark| lower.contains(mark))
        || title.ends_with("文件")
}

/// The package's properties as evidence. A property part that does not
/// parse gives none rather than refusing the document: Word opens such a
/// file, and nothing in the text depends on it.
fn properties(package: &mut Package) -> Result<Vec<Evidence>, DocxError> {
    let mut out = Vec::new();
    for part in ["docProps/core.xml", "docProps/app.xml"] {
        let Some(xml) = package.part(part)? else { continue };
        let prefix = if part == "docProps/core.xml" { "core" } else { "app" };
        let Ok(found) = property_values(&xml) else { continue };
        for (name, value, line) in found {
            let Some(&(_, _, field)) = PROPERTIES.iter().find(|(p, n, _)| *p == part && *n == name) else {
                continue;
            };
            if out.iter().any(|e: &Evidence| e.field == field) {
                continue;
            }
            let qualified = match name.as_str() {
                "title" | "subject" | "creator" => format!("dc:{name}"),
                "created" | "modified" => format!("dcterms:{name}"),
                _ if prefix == "core" => format!("cp:{name}"),
                _ => name.clone(),
            };
            out.push(Evidence {
                field: field.to_owned(),
                value,
                from: format!("{prefix} {qualified}"),
                href: None,
                line,
            });
        }
    }
    Ok(out)
}

/// The text of each child of the root of a property part: (local name,
/// trimmed text, line), empty values left out.
fn property_values(xml: &str) -> Result<Vec<(String, String, u32)>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(String, String, usize)> = None;
    // Lines counted so far, up to byte `counted`: a part is read once.
    let (mut counted, mut line) = (0usize, 1usize);
    loop {
        let at = reader.buffer_position() as usize;
        match reader.read_event()? {
            Event::Start(e) => {
                depth += 1;
                if depth == 2 {
                    let name = e.local_name().into_inner().to_owned();
                    current = Some((name, String::new(), at));
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some((name, value, at)) = current.take()
                {
                    let value = value.trim();
                    if !value.is_empty() {
                        line += xml
                            .get(counted..at)
                            .map_or(0, |between| memchr::memchr_iter(b'\n', between.as_bytes()).count());
                        counted = counted.max(at);
                        out.push((name, value.to_owned(), u32::try_from(line).unwrap_or(u32::MAX)));
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some((_, value, _)) = &mut current {
                    value.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, value, _)) = &mut current {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(str::to_owned),
                    };
                    value.push_str(&resolved.unwrap_or_default());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn xml_error(part: &str, error: quick_xml::Error) -> DocxError {
    DocxError::Xml { part: part.to_owned(), offset: 0, message: error.to_string() }
}

/// The zip archive and how much more may be unpacked from it.
struct Package<'a> {
    archive: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    budget: u64,
    limit: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limit: u64) -> Result<Self, DocxError> {
        let archive =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DocxError::NotZip(e.to_string()))?;
        Ok(Package { archive, budget: limit, limit })
    }

    /// A part as text, `None` when the package lacks it. The size declared
    /// in the archive is not trusted: reading stops at the budget.
    fn part(&mut self, name: &str) -> Result<Option<String>, DocxError> {
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(DocxError::NotZip(format!("{name}: {e}"))),
        };
        let too_large = || DocxError::TooLarge { part: name.to_owned(), limit: self.limit };
        if file.size() > self.budget {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        file.take(self.budget.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| DocxError::NotZip(format!("{name}: {e}")))?;
        if bytes.len() as u64 > self.budget {
            return Err(too_large());
        }
        self.budget -= bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|e| DocxError::Xml {
            part: name.to_owned(),
            offset: e.utf8_error().valid_up_to() as u64,
            message: "not UTF-8".into(),
        })?;
        Ok(Some(text))
    }
}

/// The value of the attribute with local name `name`.
fn attr(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The name of the paragraph style of the 发文机关标志.
pub const LETTERHEAD_STYLE: &str = "发文机关标志";

/// Paragraph styles: what a paragraph inherits from its style that changes
/// its text (the list it is numbered in).
#[derive(Debug, Default)]
struct Styles {
    styles: HashMap<String, Style>,
}

#[derive(Debug, Default, Clone)]
struct Style {
    name: Option<String>,
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
}

impl Styles {
    fn parse(xml: &str) -> Result<Styles, quick_xml::Error> {
        let mut styles = Styles::default();
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut current: Option<(String, Style)> = None;
        loop {
            match reader.read_event()? {
                Event::Start(e) if e.local_name().as_ref() == "style" => {
                    current = attr(&e, "styleId").map(|id| (id, Style::default()));
                }
                Event::End(e) if e.local_name().as_ref() == "style" => {
                    if let Some((id, style)) = current.take() {
                        styles.styles.insert(id, style);
                    }
                }
                Event::Empty(e) | Event::Start(e) => {
                    let Some((_, style)) = &mut current else { continue };
                    match e.local_name().as_ref() {
                        "name" => style.name = attr(&e, "val"),
                        "basedOn" => style.based_on = attr(&e, "val"),
                        "numId" => style.num_id = attr(&e, "val"),
                        "ilvl" => style.ilvl = attr(&e, "val").and_then(|v| v.parse().ok()),
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(styles)
    }

    /// Whether paragraphs of style `id` are letterhead, not text.
    fn is_letterhead(&self, id: &str) -> bool {
        self.styles.get(id).and_then(|s| s.name.as_deref()) == Some(LETTERHEAD_STYLE)
    }

    /// The list and level style `id` numbers its paragraphs in, following
    /// `basedOn` (a few steps: a loop in a damaged file must end).
    fn numbering(&self, id: &str) -> (Option<String>, Option<usize>) {
        let (mut num_id, mut ilvl) = (None, None);
        let mut at = Some(id);
        for _ in 0..16 {
            let Some(style) = at.and_then(|id| self.styles.get(id)) else { break };
            num_id = num_id.or_else(|| style.num_id.clone());
            ilvl = ilvl.or(style.ilvl);
            at = style.based_on.as_deref();
        }
        (num_id, ilvl)
    }
}

/// A paragraph as extracted: its text and what decides its marker.
#[derive(Debug, Default, Clone)]
struct Para {
    /// 1-based, in document order, table cells included.
    ordinal: u32,
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
    /// Footnote ids referenced, in order, with the offset in `text` where
    /// the reference stands.
    notes: Vec<(usize, String)>,
    /// The paragraph mark is a tracked deletion (or, rejecting, an
    /// insertion): the paragraph runs on into the next.
    joins_next: bool,
}

/// A table cell: its paragraphs, the grid columns it spans
/// (`w:gridSpan`), and whether it continues the cell above (`w:vMerge`
/// without `restart`: Word keeps the covered cell, empty).
#[derive(Debug, Default)]
struct Cell {
    paras: Vec<Para>,
    span: usize,
    continues: bool,
}

#[derive(Debug)]
enum Block {
    Para(Para),
    /// A table row: its cells, and whether Word repeats it as the table's
    /// header row (`w:tblHeader`).
    Row(Vec<Cell>, bool),
    /// The end of a table: where rows stop being one table.
    TableEnd,
}

/// What the extractor is inside of.
#[derive(Debug, Default)]
struct State {
    /// Depth of elements currently open.
    depth: usize,
    /// When set, everything below this depth is left out.
    skip_below: Option<usize>,
    in_ppr: Option<usize>,
    in_text: bool,
    tables: usize,
    row: Option<Vec<Cell>>,
    /// The open row is a header row.
    row_header: bool,
    para: Option<Para>,
    /// A paragraph whose mark was removed, waiting for the next one.
    pending: Option<Para>,
    ordinal: u32,
    /// The paragraph of the first tracked change, accepted or rejected.
    first_change: Option<u32>,
}

/// The paragraphs and table rows of a story (the body, a footnote).
fn extract(xml: &str, changes: Changes, part: &str) -> Result<Vec<Block>, DocxError> {
    extract_story(xml, changes, part).map(|(blocks, _)| blocks)
}

/// The blocks of a story, and the paragraph of its first tracked change.
fn extract_story(xml: &str, changes: Changes, part: &str) -> Result<(Vec<Block>, Option<u32>), DocxError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut blocks = Vec::new();
    let mut s = State::default();
    loop {
        let event = reader.read_event().map_err(|e| DocxError::Xml {
            part: part.to_owned(),
            offset: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) => {
                s.depth += 1;
                if s.skip_below.is_none() {
                    open(&mut s, &e, changes, true);
                }
            }
            Event::Empty(e) if s.skip_below.is_none() => {
                s.depth += 1;
                open(&mut s, &e, changes, false);
                // An empty element closes at once; a skip it started
                // covers nothing.
                if s.skip_below == Some(s.depth) {
                    s.skip_below = None;
                }
                close(&mut s, &e, &mut blocks);
                s.depth -= 1;
            }
            Event::End(e) => {
                if s.skip_below.is_some_and(|d| s.depth > d) {
                    s.depth -= 1;
                    continue;
                }
                if s.skip_below == Some(s.depth) {
                    s.skip_below = None;
                    s.depth -= 1;
                    continue;
                }
                let name = e.local_name();
                close_named(&mut s, name.as_ref(), &mut blocks);
                s.depth -= 1;
            }
            Event::Text(t) if s.in_text && s.skip_below.is_none() => {
                if let Some(p) = &mut s.para {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if s.in_text && s.skip_below.is_none() => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(str::to_owned),
                };
                if let (Some(p), Some(text)) = (&mut s.para, resolved) {
                    p.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(p) = s.pending.take() {
        blocks.push(Block::Para(p));
    }
    Ok((blocks, s.first_change))
}

fn open(s: &mut State, e: &BytesStart, changes: Changes, is_start: bool) {
    let name = e.local_name();
    let name = name.as_ref();
    let skip = |s: &mut State| s.skip_below = Some(s.depth);
    if matches!(name, "ins" | "del" | "moveFrom" | "moveTo") && s.first_change.is_none() {
        s.first_change = Some(s.ordinal.max(1));
    }
    if s.in_ppr.is_some_and(|ppr| s.depth > ppr) {
        // The properties before a change, and tab stops, say nothing here.
        if is_start && matches!(name, "pPrChange" | "rPrChange" | "tabs") {
            skip(s);
            return;
        }
        if let Some(p) = &mut s.para {
            match name {
                "pStyle" => p.style = attr(e, "val"),
                "numId" => p.num_id = attr(e, "val"),
                "ilvl" => p.ilvl = attr(e, "val").and_then(|v| v.parse().ok()),
                // The paragraph mark's own change (pPr/rPr/del): the
                // paragraph and the next become one.
                "del" | "moveFrom" => p.joins_next |= changes == Changes::Accept,
                "ins" | "moveTo" => p.joins_next |= changes == Changes::Reject,
                _ => {}
            }
        }
        return;
    }
    match name {
        "p" => {
            s.ordinal += 1;
            s.para = Some(Para { ordinal: s.ordinal, ..Para::default() });
        }
        "pPr" if is_start => s.in_ppr = Some(s.depth),
        "t" => s.in_text = is_start,
        "delText" => {
            // Reached only when the deletion around it is kept (rejecting).
            s.in_text = is_start;
        }
        "del" | "moveFrom" if changes == Changes::Accept && is_start => skip(s),
        "ins" | "moveTo" if changes == Changes::Reject && is_start => skip(s),
        // Text boxes, pictures, embedded objects, the fallback copy of
        // alternate content, field codes and properties that hold text
        // (rPr in a run): not the flow a reader follows.
        // A row's properties (trPr) hold no text; of them only tblHeader
        // is read.
        "drawing" | "pict" | "object" | "Fallback" | "instrText" | "rPr" | "sectPr" | "tblPr" | "tblGrid"
        | "tcPrChange" | "tcBorders"
            if is_start =>
        {
            skip(s)
        }
        "tab" | "ptab" => push_text(s, "\t"),
        "br" | "cr" => {
            // A page break before the first words of a paragraph is layout.
            let page = attr(e, "type").is_some_and(|t| t != "textWrapping");
            if !(page && s.para.as_ref().is_some_and(|p| p.text.is_empty())) {
                push_text(s, "\n");
            }
        }
        "noBreakHyphen" => push_text(s, "-"),
        "sym" => {
            // Symbol-font characters sit in the private use area; only a
            // real character is text.
            if let Some(c) = attr(e, "char").and_then(|h| u32::from_str_radix(&h, 16).ok()).and_then(char::from_u32)
                && !('\u{e000}'..='\u{f8ff}').contains(&c)
            {
                push_text(s, &c.to_string());
            }
        }
        "footnoteReference" => {
            if let (Some(p), Some(id)) = (&mut s.para, attr(e, "id")) {
                let at = p.text.len();
                p.notes.push((at, id));
            }
        }
        "tbl" => s.tables += 1,
        "tr" if s.tables == 1 => {
            s.row = Some(Vec::new());
            s.row_header = false;
        }
        "tblHeader" if s.tables == 1 => {
            s.row_header = !attr(e, "val").is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"));
        }
        "tc" if s.tables == 1 => {
            if let Some(row) = &mut s.row {
                row.push(Cell { span: 1, ..Cell::default() });
            }
        }
        // A cell's properties: of them only its merges are read (a nested
        // table's are not this row's).
        "gridSpan" if s.tables == 1 => {
            if let Some(cell) = s.row.as_mut().and_then(|row| row.last_mut()) {
                cell.span = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
            }
        }
        "vMerge" if s.tables == 1 => {
            if let Some(cell) = s.row.as_mut().and_then(|row| row.last_mut()) {
                cell.continues = attr(e, "val").is_none_or(|v| v == "continue");
            }
        }
        _ => {}
    }
}

fn push_text(s: &mut State, text: &str) {
    if let Some(p) = &mut s.para {
        p.text.push_str(text);
    }
}

fn close(s: &mut State, e: &BytesStart, blocks: &mut Vec<Block>) {
    let name = e.local_name();
    close_named(s, name.as_ref(), blocks);
}

fn close_named(s: &mut State, name: &str, blocks: &mut Vec<Block>) {
    if s.in_ppr.is_some_and(|d| d == s.depth) && name == "pPr" {
        s.in_ppr = None;
        return;
    }
    if s.in_ppr.is_some() {
        return;
    }
    match name {
        "t" | "delText" => s.in_text = false,
        "p" => {
            let Some(mut p) = s.para.take() else { return };
            while p.text.ends_with('\n') {
                p.text.pop();
            }
            if let Some(mut first) = s.pending.take() {
                // Two paragraphs become one; an emptied first one leaves
                // the second's properties, as Word shows it.
                let shift = first.text.len();
                first.notes.extend(p.notes.drain(..).map(|(at, id)| (at + shift, id)));
                first.text.push_str(&p.text);
                first.joins_next = p.joins_next;
                if shift == 0 {
                    p.notes = first.notes;
                    p.text = first.text;
                } else {
                    p = first;
                }
            }
            if p.joins_next {
                s.pending = Some(p);
                return;
            }
            match s.row.as_mut().and_then(|row| row.last_mut()) {
                Some(cell) if s.tables > 0 => cell.paras.push(p),
                _ => blocks.push(Block::Para(p)),
            }
        }
        "tr" if s.tables == 1 => {
            if let Some(row) = s.row.take() {
                blocks.push(Block::Row(row, s.row_header));
            }
        }
        "tbl" => {
            if s.tables == 1 {
                blocks.push(Block::TableEnd);
            }
            s.tables = s.tables.saturating_sub(1);
        }
        _ => {}
    }
}

/// Footnote id → its text, the paragraphs joined.
fn footnotes(xml: &str, changes: Changes) -> Result<HashMap<String, String>, DocxError> {
    // Each w:footnote is a story of its own; the separators Word keeps as
    // footnotes -1, 0 (or typed) hold no text.
    let mut notes = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|e| DocxError::Xml {
            part: "word/footnotes.xml".into(),
            offset: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == "footnote" => {
                let id = attr(&e, "id").unwrap_or_default();
                let end_name = e.name().as_ref().to_owned();
                let span = reader.read_to_end(quick_xml::name::QName(&end_name)).map_err(|e| DocxError::Xml {
                    part: "word/footnotes.xml".into(),
                    offset: reader.error_position(),
                    message: e.to_string(),
                })?;
                let inner = xml.get(span.start as usize..span.end as usize).unwrap_or("");
                let blocks = extract(inner, changes, "word/footnotes.xml")?;
                let text: Vec<String> = blocks
                    .into_iter()
                    .flat_map(|b| match b {
                        Block::Para(p) => vec![p.text],
                        Block::Row(cells, _) => cells.into_iter().flat_map(|c| c.paras).map(|p| p.text).collect(),
                        Block::TableEnd => Vec::new(),
                    })
                    .filter(|t| !t.trim().is_empty())
                    .collect();
                notes.insert(id, text.join(" ").trim().to_owned());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(notes)
}

/// The widest row of the table whose first row starts `blocks`.
fn table_width(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map_while(|b| match b {
            Block::Row(cells, _) => Some(cells.iter().map(|c| c.span).sum()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// Lay the blocks out as text, numbering paragraphs as Word does.
fn layout(blocks: &[Block], styles: &Styles, numbering: &mut Numbering, notes: &HashMap<String, String>) -> Extracted {
    let mut text = String::new();
    let mut origin = Origin::new(OriginUnit::Paragraph);
    // Footnotes in the order they are referenced: Word numbers them so.
    let mut referenced: Vec<(u32, String, u32)> = Vec::new();
    let mut write = |text: &mut String, origin: &mut Origin, p: &Para, numbering: &mut Numbering| {
        origin.push(text.len(), p.ordinal, 1);
        let (style_num, style_ilvl) = p.style.as_deref().map(|s| styles.numbering(s)).unwrap_or_default();
        let num_id = p.num_id.clone().or(style_num);
        if let Some(num_id) = num_id.filter(|id| id != "0") {
            let ilvl = p
                .ilvl
                .or(style_ilvl)
                .or_else(|| p.style.as_deref().and_then(|s| numbering.level_of_style(&num_id, s)))
                .unwrap_or(0);
            if let Some(marker) = numbering.next(&num_id, ilvl) {
                text.push_str(&marker);
            }
        }
        let mut from = 0;
        for (at, id) in &p.notes {
            // A reference after a trailing break that was trimmed sits at the end.
            let at = (*at).clamp(from, p.text.len());
            text.push_str(&p.text[from..at]);
            let n = match referenced.iter().find(|r| &r.1 == id) {
                Some(r) => r.0,
                None => {
                    let n = referenced.len() as u32 + 1;
                    referenced.push((n, id.clone(), p.ordinal));
                    n
                }
            };
            text.push_str(&format!("[注{n}]"));
            from = at;
        }
        text.push_str(&p.text[from..]);
    };
    // A table of two columns or more is a pipe table (`parse::table`), a `|`
    // in a cell escaped; its first row, when Word repeats it as the header,
    // gets a delimiter row under it. A one-column table is a box around
    // text (a 版记, a note): its paragraphs are lines.
    let mut first_row = true;
    let mut wide = false;
    for (at, block) in blocks.iter().enumerate() {
        if first_row && matches!(block, Block::Row(..)) {
            wide = table_width(&blocks[at..]) >= 2;
        }
        match block {
            Block::Para(p) if p.style.as_deref().is_some_and(|s| styles.is_letterhead(s)) => continue,
            Block::Para(p) => write(&mut text, &mut origin, p, numbering),
            Block::TableEnd => {
                first_row = true;
                continue;
            }
            Block::Row(cells, _) if !wide => {
                let mut any = false;
                for p in cells.iter().flat_map(|c| &c.paras) {
                    if any {
                        text.push('\n');
                    }
                    write(&mut text, &mut origin, p, numbering);
                    any = true;
                }
                first_row = false;
            }
            Block::Row(cells, header) => {
                text.push('|');
                for cell in cells {
                    text.push(' ');
                    if cell.continues {
                        // Word keeps a covered cell empty; its marker says
                        // which cell covers it (`tree::table`).
                        text.push_str(crate::tree::table::ABOVE);
                    }
                    let start = text.len();
                    for (j, p) in cell.paras.iter().enumerate().filter(|_| !cell.continues) {
                        if j > 0 {
                            text.push(' ');
                        }
                        write(&mut text, &mut origin, p, numbering);
                    }
                    let marker = [crate::tree::table::ABOVE, crate::tree::table::LEFT].contains(&&text[start..]);
                    if marker || text[start..].contains(['|', '\n', '\t']) {
                        let mut escaped = String::new();
                        crate::escape::push_table_cell(&mut escaped, &text[start..]);
                        text.truncate(start);
                        text.push_str(&escaped.replace('\t', " "));
                    }
                    text.push_str(" |");
                    for _ in 1..cell.span {
                        text.push(' ');
                        text.push_str(crate::tree::table::LEFT);
                        text.push_str(" |");
                    }
                }
                if std::mem::take(&mut first_row) && *header {
                    text.push('\n');
                    text.push('|');
                    for _ in 0..cells.iter().map(|c| c.span).sum() {
                        text.push_str(" --- |");
                    }
                }
            }
        }
        text.push('\n');
    }
    let shown: Vec<_> = referenced.iter().filter_map(|(n, id, ordinal)| Some((n, notes.get(id)?, ordinal))).collect();
    if !shown.is_empty() {
        text.push('\n');
        for (n, note, ordinal) in shown {
            origin.push(text.len(), *ordinal, 1);
            text.push_str(&format!("注{n}：{note}\n"));
        }
    }
    Extracted { text, origin, evidence: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(xml: &str, changes: Changes) -> String {
        let document = format!(r#"<w:document xmlns:w="w"><w:body>{xml}</w:body></w:document>"#);
        let blocks = extract(&document, changes, "word/document.xml").unwrap();
        layout(&blocks, &Styles::default(), &mut Numbering::default(), &HashMap::new()).text
    }

    #[test]
    fn tracked_changes_are_accepted_or_rejected() {
        let xml = r#"<w:p><w:r><w:t>本办法自</w:t></w:r><w:del w:id="1"><w:r><w:delText>2023年</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>2024年</w:t></w:r></w:ins><w:r><w:t>起施行。</w:t></w:r></w:p>"#;
        assert_eq!(body(xml, Changes::Accept), "本办法自2024年起施行。\n");
        assert_eq!(body(xml, Changes::Reject), "本办法自2023年起施行。\n");
    }

    #[test]
    fn a_deleted_paragraph_mark_joins_two_paragraphs() {
        let xml = r#"<w:p><w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr><w:r><w:t>一、</w:t></w:r></w:p><w:p><w:r><w:t>总则</w:t></w:r></w:p>"#;
        assert_eq!(body(xml, Changes::Accept), "一、总则\n");
        assert_eq!(body(xml, Changes::Reject), "一、\n总则\n");
    }

    #[test]
    fn fields_show_their_result_and_entities_are_text() {
        let xml = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> A&amp;B&#x4e00;</w:t><w:tab/><w:t>x</w:t></w:r></w:p>"#;
        assert_eq!(body(xml, Changes::Accept), "3 A&B一\tx\n");
    }

    #[test]
    fn a_table_row_is_a_line() {
        let xml = r#"<w:tbl><w:tblPr><w:tblStyle w:val="a"/></w:tblPr><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>任务</w:t></w:r></w:p><w:p><w:r><w:t>内容</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>后</w:t></w:r></w:p>"#;
        assert_eq!(body(xml, Changes::Accept), "| 序号 | 任务 内容 |\n后\n");
    }

    #[test]
    fn footnotes_are_numbered_in_the_order_they_are_referenced() {
        let xml = r#"<w:p><w:r><w:t>见说明</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r><w:r><w:br/></w:r><w:r><w:footnoteReference w:id="3"/></w:r></w:p>"#;
        let document = format!(r#"<w:document xmlns:w="w"><w:body>{xml}</w:body></w:document>"#);
        let blocks = extract(&document, Changes::Accept, "word/document.xml").unwrap();
        let notes = footnotes(
            r#"<w:footnotes xmlns:w="w"><w:footnote w:id="3"><w:p><w:r><w:t>第二条注。</w:t></w:r></w:p></w:footnote><w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>第一条注。</w:t></w:r></w:p></w:footnote></w:footnotes>"#,
            Changes::Accept,
        )
        .unwrap();
        let text = layout(&blocks, &Styles::default(), &mut Numbering::default(), &notes).text;
        assert_eq!(text, "见说明[注1][注2]\n\n注1：第一条注。\n注2：第二条注。\n");
    }

    #[test]
    fn word_s_and_templates_titles_are_placeholders() {
        for junk in [
            "Microsoft Word - 文档1",
            "Microsoft Word - 关于印发工作要点的通知.doc",
            "文档1",
            "Document1",
            "新建 Microsoft Word 文档",
            "新建文本文档",
            "标题",
            "XX市人民政府关于XX的通知",
            "××局关于印发××的通知",
            "公文模板（通知类）",
            "四川省人民政府文件",
            "关于印发工作要点的通知.docx",
        ] {
            assert!(is_placeholder_title(junk), "{junk}");
        }
        for title in ["关于印发2024年知识产权工作要点的通知", "专利转化运用专项行动实施方案"]
        {
            assert!(!is_placeholder_title(title), "{title}");
        }
    }

    #[test]
    fn properties_are_read_with_their_lines_and_entities() {
        let core = "<?xml version=\"1.0\"?>\n<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\">\n<dc:title>A&amp;B 通知</dc:title>\n<dc:creator> </dc:creator>\n<cp:lastModifiedBy>李华</cp:lastModifiedBy>\n</cp:coreProperties>";
        let found = property_values(core).unwrap();
        assert_eq!(
            found,
            [("title".to_owned(), "A&B 通知".to_owned(), 3), ("lastModifiedBy".to_owned(), "李华".to_owned(), 5)]
        );
    }

    #[test]
    fn a_doc_and_junk_are_refused_clearly() {
        let mut doc = OLE_MAGIC.to_vec();
        doc.extend([0; 64]);
        assert_eq!(read(&doc, Changes::Accept, 1 << 20).unwrap_err(), DocxError::LegacyDoc);
        assert!(matches!(read(b"PK\x03\x04junk", Changes::Accept, 1 << 20), Err(DocxError::NotZip(_))));
    }
}
