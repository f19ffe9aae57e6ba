//! Saved web pages: the bytes of an `.html` page in, the policy's canonical
//! text out.
//!
//! Takes a page as a government site serves it (UTF-8 or GBK/GB2312, the
//! charset declared or sniffed) and gives a [`Page`]: the policy's text one
//! block to a line, an [`Origin`] that maps every run of it back to its
//! line and column in the `.html`, and the metadata the page states outside
//! the text (meta tags, the 信息公开 info table, attachment links) as
//! [`Evidence`]. The page is parsed by html5ever (through `scraper`), never
//! by patterns over the markup.
//!
//! Where the policy sits on a page is decided by the rules in [`CONTENT`],
//! [`PRINT_MARKERS`], [`TITLE`] and [`DROP`]: data, one table per question,
//! so that a new site's layout is one line here. A page none of them fits
//! falls back to the element with the most paragraph text and the fewest
//! links.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use html5ever::tendril::TendrilSink;
use scraper::{ElementRef, Html, Node, Selector};

use super::origin::{Origin, OriginUnit};
use super::{LineIndex, SourceError};
use crate::tree::Evidence;

/// Content containers of the government CMSs, tried in order: the first
/// that holds text is the policy. `(what uses it, CSS selector)`.
pub const CONTENT: &[(&str, &str)] = &[
    ("TRS WCM editor (NDRC, trading centres, many provinces)", ".TRS_Editor"),
    ("TRS UEditor (NEA offices, Inner Mongolia)", ".trs_editor_view, .TRS_UEDITOR"),
    ("NEA regional office detail page", ".wrapper_detail_text"),
    ("Shanghai government sites", "#ivs_content"),
    ("Guangdong government sites", "#content1"),
    ("gov.cn (State Council)", "#UCAP-CONTENT"),
    ("zoom containers (many provincial sites)", "#zoom, #Zoom, .zoom"),
    ("gov.cn policy library", ".pages_content"),
    ("NEA national site (table layout)", "td.detail"),
    ("article containers", ".article-content, .article_content, .Article_content, .article_con, .art_con, .artcon"),
    (
        "other provincial CMSs",
        "#mainText, .main-txt, .news_content, .con_text, .content_text, .detail-content, .detail_content, \
         .xxgk_content, .zwxl-article, .article_text, .Custom_UnionStyle, #zw, .zw",
    ),
    ("HTML5 article", "article"),
];

/// Comment pairs that some CMSs put around the printable part of a page.
pub const PRINT_MARKERS: &[(&str, &str)] = &[("startprint", "endprint"), ("ivs_content_start", "ivs_content_end")];

/// Where the page states the policy's title, when the content does not
/// open with it; the `ArticleTitle` meta tag and `<title>` come after.
pub const TITLE: &[&str] = &[
    ".wrapper_deatil_title",
    ".wrapper_detail_title",
    ".article_title",
    ".article-title",
    "#ivs_title",
    ".tyxl_tit",
    "h3.title",
    "h1.title",
    ".xxgk_title",
];

/// Never policy text, wherever it sits: scripts, media, form controls,
/// hidden elements, share bars, QR codes and related-attachment widgets
/// (their links are still read as attachments).
pub const DROP: &str = "script, style, noscript, template, iframe, img, svg, canvas, video, audio, object, embed, \
     button, input, select, textarea, option, head, title, \
     [style*='display:none'], [style*='display: none'], [hidden], \
     .share, .bdsharebuttonbox, .bshare-custom, .fenxiang, .xgfj, .xlewm, #qr_container, .sweep, \
     .related, .xgwz, .xglj, .print, .dy_btn";

/// The labels of the 信息公开 info table, and the evidence field each gives.
pub const INFO_TABLE: &[(&str, &str)] = &[
    ("索引号", "index_number"),
    ("主题分类", "topic"),
    ("发文机关", "issuer"),
    ("发文字号", "doc_number"),
    ("文号", "doc_number"),
    ("成文日期", "date"),
    ("制发日期", "date"),
    ("发布日期", "page_date"),
    ("主办单位", "issuer"),
    ("公开事项名称", "title"),
];

/// `<meta name=…>` tags the sites fill, and the evidence field each gives.
pub const META: &[(&str, &str)] = &[
    ("ArticleTitle", "title"),
    ("PubDate", "page_date"),
    ("ContentSource", "source"),
    ("SiteName", "site"),
    ("SiteDomain", "site_url"),
    ("ColumnName", "column"),
    ("Keywords", "keywords"),
];

/// File types a link may attach (the policy itself or its annexes).
const ATTACHMENT_TYPES: &[&str] =
    &["pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "zip", "rar", "7z", "ppt", "pptx", "txt"];

/// Fewer characters than this besides attachment links, and the page's
/// content is only a pointer to an attachment.
const MIN_TEXT: usize = 20;

/// A page turned into canonical text.
#[derive(Debug, Clone)]
pub struct Page {
    pub text: String,
    pub origin: Origin,
    pub evidence: Vec<Evidence>,
    /// Which rule found the content: a [`CONTENT`] entry, a print marker, or
    /// the density fallback.
    pub layout: &'static str,
}

impl Page {
    /// The value of the first evidence of `field`.
    pub fn evidence(&self, field: &str) -> Option<&str> {
        self.evidence.iter().find(|e| e.field == field).map(|e| e.value.as_str())
    }
}

/// Decode a page's bytes: the charset its BOM, `<meta charset>` or
/// `http-equiv` declares; UTF-8 when it says nothing and the bytes are
/// UTF-8; GB18030 (a superset of GBK and GB2312) otherwise.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, SourceError> {
    if bytes.is_empty() {
        return Err(SourceError::Empty);
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return Ok(encoding.decode_without_bom_handling(&bytes[bom..]).0);
    }
    let encoding = declared_charset(&bytes[..bytes.len().min(4096)])
        .unwrap_or_else(|| if std::str::from_utf8(bytes).is_ok() { encoding_rs::UTF_8 } else { encoding_rs::GB18030 });
    // GBK and GB2312 pages use GB18030's extra characters often enough
    // (typed in a newer editor) that the superset is the safe reading.
    let encoding = if encoding == encoding_rs::GBK { encoding_rs::GB18030 } else { encoding };
    // A UTF-8 page is read where it lies, not copied.
    Ok(encoding.decode_without_bom_handling(bytes).0)
}

/// The charset named in the head: `charset=gbk`, `charset="UTF-8"`.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"charset") {
        let mut i = from + at + b"charset".len();
        while matches!(lower.get(i), Some(b' ' | b'=' | b'"' | b'\'')) {
            i += 1;
        }
        let end = lower[i..].iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'));
        let label = &lower[i..i + end.unwrap_or(lower.len() - i)];
        if let Some(encoding) = encoding_rs::Encoding::for_label(label) {
            return Some(encoding);
        }
        from = i;
    }
    None
}

/// Turn a page into canonical text, or say why it holds no policy text.
pub fn extract(bytes: &[u8]) -> Result<Page, SourceError> {
    let source = decode(bytes)?;
    extract_str(&source)
}

/// [`extract`] on a page already decoded.
pub fn extract_str(source: &str) -> Result<Page, SourceError> {
    let document = parse_page(source);
    let rules = Rules::get();
    let dropped = dropped_nodes(&document, rules, source);
    let positions = Positions::new(source);
    let evidence = evidence(&document, &dropped, source, &positions);

    let (layout, content) = find_content(&document, source, rules, &dropped);
    let mut walker = Walker::new(&dropped, source, &positions);
    match content {
        Content::Element(element) => walker.walk(*element, false),
        Content::Between(start, end) => walker.walk_between(&document, start, end),
        Content::None => {}
    }
    walker.flush();
    let Walker { mut blocks, chars, link_chars, .. } = walker;

    let attachments: Vec<&Evidence> = evidence.iter().filter(|e| e.field == "attachment").collect();
    if chars.saturating_sub(link_chars) < MIN_TEXT {
        return Err(match attachments.first() {
            Some(first) => SourceError::AttachmentOnly {
                name: first.value.clone(),
                href: first.href.clone().unwrap_or_default(),
                line: first.line,
            },
            None => SourceError::NoPolicyText,
        });
    }

    join_split_title(&mut blocks);
    let title = page_title(&document, rules, &dropped, &evidence, source, &positions);
    // The page's tree is the largest thing an import holds: gone before the
    // text is put together.
    drop((dropped, document));
    let title_at = match title {
        Some(title) => title_in(&blocks, &title.text).or_else(|| {
            blocks.insert(0, title);
            Some(0)
        }),
        None => None,
    };
    // The 字号 some sites print by the title, outside the content (文号：…):
    // under the title, as the document prints it, unless the text has it.
    if let Some(at) = title_at
        && let Some(number) = evidence.iter().find(|e| e.field == "doc_number")
        && !blocks.iter().take(at + 8).any(|b| skeleton(&b.text).contains(&skeleton(&number.value)))
    {
        let block = Block { text: number.value.clone(), anchors: vec![(0, number.line, 1)], centred: true };
        blocks.insert(at + 1, block);
    }

    let mut text = String::with_capacity(blocks.iter().map(|b| b.text.len() + 1).sum());
    let mut origin = Origin::new(OriginUnit::Line);
    for block in &blocks {
        for &(at, line, column) in &block.anchors {
            origin.push(text.len() + at, line, column);
        }
        text.push_str(&block.text);
        text.push('\n');
    }
    Ok(Page { text, origin, evidence, layout })
}

/// The page as html5ever reads it (the HTML standard's parsing, errors
/// recovered as a browser does), into a tree sized for it up front. A
/// growing tree doubles, and while it moves to its new place both are
/// held: that was most of an import's peak memory. Each node is an element
/// (at most one a `<` followed by a letter, and the few html5ever implies)
/// or a text or comment between two tags (at most one a `<`).
fn parse_page(source: &str) -> Html {
    let tree = ego_tree::Tree::with_capacity(Node::Document, node_bound(source));
    let html = Html { quirks_mode: html5ever::tree_builder::QuirksMode::NoQuirks, tree };
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(html), Default::default()).one(source)
}

fn node_bound(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut tags, mut starts) = (0, 0);
    for at in memchr::memchr_iter(b'<', bytes) {
        tags += 1;
        starts += usize::from(bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic));
    }
    tags + starts + 8
}

/// The rules' selectors, parsed once.
struct Rules {
    content: Vec<(&'static str, Selector, Vec<String>)>,
    title: Vec<(Selector, Vec<String>)>,
    /// [`DROP`], one alternative each.
    drop: Vec<DropRule>,
    link: Selector,
    meta: Selector,
}

impl Rules {
    fn get() -> &'static Rules {
        static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
        RULES.get_or_init(|| {
            // The selectors are constants of this file; a typo in one is
            // caught by the unit tests, which parse them all.
            let parse = |s: &str| Selector::parse(s).unwrap_or_else(|e| panic!("selector `{s}`: {e}"));
            Rules {
                content: CONTENT.iter().map(|&(name, s)| (name, parse(s), needed_words(s))).collect(),
                title: TITLE.iter().map(|s| (parse(s), needed_words(s))).collect(),
                drop: DROP.split(',').map(str::trim).map(|a| DropRule::compile(a, parse)).collect(),
                link: parse("a[href]"),
                meta: parse("meta[name][content], link[rel='canonical'][href], meta[property='og:url'][content]"),
            }
        })
    }
}

/// One alternative of [`DROP`]. The simple ones (a tag, a class, an id,
/// an attribute, an attribute holding a value) are matched on each element
/// in one pass over the page; a selector machinery walk per alternative
/// cost more than the rest of the content search.
enum DropRule {
    Tag(&'static str),
    Class(&'static str),
    Id(&'static str),
    Attribute(&'static str),
    AttributeHolds(&'static str, &'static str),
    /// Anything else, with the words the page must hold for it to match.
    Selector(Selector, Vec<String>),
}

impl DropRule {
    fn compile(alternative: &'static str, parse: impl Fn(&str) -> Selector) -> DropRule {
        let name = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if name(alternative) {
            return DropRule::Tag(alternative);
        }
        if let Some(class) = alternative.strip_prefix('.').filter(|c| name(c)) {
            return DropRule::Class(class);
        }
        if let Some(id) = alternative.strip_prefix('#').filter(|c| name(c)) {
            return DropRule::Id(id);
        }
        if let Some(inner) = alternative.strip_prefix('[').and_then(|a| a.strip_suffix(']')) {
            if name(inner) {
                return DropRule::Attribute(inner);
            }
            if let Some((attribute, value)) = inner.split_once("*=")
                && name(attribute)
                && let Some(value) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))
                && !value.contains(['\'', '\\'])
            {
                return DropRule::AttributeHolds(attribute, value);
            }
        }
        DropRule::Selector(parse(alternative), needed_words(alternative))
    }

    /// Whether the rule drops an element. Classes and ids match as CSS
    /// matches them: exactly, or ignoring ASCII case in a quirks-mode page.
    fn matches(&self, element: &scraper::node::Element, quirks: bool) -> bool {
        let same = |a: &str, b: &str| if quirks { a.eq_ignore_ascii_case(b) } else { a == b };
        match *self {
            DropRule::Tag(tag) => element.name() == tag,
            DropRule::Class(class) => element.classes().any(|k| same(k, class)),
            DropRule::Id(id) => element.id().is_some_and(|i| same(i, id)),
            DropRule::Attribute(attribute) => element.attr(attribute).is_some(),
            DropRule::AttributeHolds(attribute, value) => element.attr(attribute).is_some_and(|v| v.contains(value)),
            DropRule::Selector(..) => false,
        }
    }
}

enum Content<'a> {
    Element(ElementRef<'a>),
    Between(NodeId, NodeId),
    None,
}

/// The words a selector needs in the page's source to match anything: a
/// class or id of each alternative (`<tag` for a bare tag name); empty when
/// an alternative can match whatever the words (attribute selectors). A
/// rule whose words are all absent is skipped without walking the page:
/// most rules fit no given page, and matching each against every element
/// cost more than the rest of the extraction.
fn needed_words(selector: &str) -> Vec<String> {
    let mut words = Vec::new();
    for alternative in selector.split(',').map(str::trim) {
        if alternative.contains('[') {
            return Vec::new();
        }
        let last = alternative.rsplit(' ').next().unwrap_or(alternative);
        let word = match last.rfind(['.', '#']) {
            Some(at) => last[at + 1..].to_owned(),
            None => format!("<{last}"),
        };
        words.push(word);
    }
    words
}

fn has_any(source: &str, words: &[String]) -> bool {
    words.is_empty() || words.iter().any(|w| memchr::memmem::find(source.as_bytes(), w.as_bytes()).is_some())
}

fn dropped_nodes(document: &Html, rules: &Rules, source: &str) -> HashSet<NodeId> {
    let quirks = document.quirks_mode == html5ever::tree_builder::QuirksMode::Quirks;
    let mut dropped: HashSet<NodeId> = document
        .tree
        .nodes()
        .filter(|n| n.value().as_element().is_some_and(|e| rules.drop.iter().any(|rule| rule.matches(e, quirks))))
        .map(|n| n.id())
        .collect();
    for rule in &rules.drop {
        if let DropRule::Selector(selector, words) = rule
            && has_any(source, words)
        {
            dropped.extend(document.select(selector).map(|e| e.id()));
        }
    }
    dropped
}

/// Whether a node or one of its ancestors is dropped.
fn is_dropped(node: NodeRef<'_, Node>, dropped: &HashSet<NodeId>) -> bool {
    std::iter::successors(Some(node), |n| n.parent()).any(|n| dropped.contains(&n.id()))
}

fn find_content<'a>(
    document: &'a Html,
    source: &str,
    rules: &Rules,
    dropped: &HashSet<NodeId>,
) -> (&'static str, Content<'a>) {
    for (name, selector, words) in &rules.content {
        if !has_any(source, words) {
            continue;
        }
        for element in document.select(selector) {
            if !is_dropped(*element, dropped) && visible_chars(*element, dropped) > 0 {
                return (name, Content::Element(element));
            }
        }
    }
    if let Some((start, end)) = print_markers(document) {
        return ("print markers", Content::Between(start, end));
    }
    match densest(document, dropped) {
        Some(element) => ("text density", Content::Element(element)),
        None => ("none", Content::None),
    }
}

/// The first `<!--startprint-->` and the `<!--endprint-->` after it.
fn print_markers(document: &Html) -> Option<(NodeId, NodeId)> {
    for (open, close) in PRINT_MARKERS {
        let mut start = None;
        for node in document.tree.root().descendants() {
            let Some(comment) = node.value().as_comment() else { continue };
            let said = comment.trim().to_ascii_lowercase();
            if start.is_none() && said == *open {
                start = Some(node.id());
            } else if let Some(start) = start.filter(|_| said == *close) {
                return Some((start, node.id()));
            }
        }
    }
    None
}

/// Characters of visible text under a node.
fn visible_chars(node: NodeRef<'_, Node>, dropped: &HashSet<NodeId>) -> usize {
    let mut n = 0;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if dropped.contains(&node.id()) {
            continue;
        }
        if let Some(text) = node.value().as_text() {
            n += text.chars().filter(|c| !is_blank(*c)).count();
        }
        stack.extend(node.children());
    }
    n
}

/// The element whose own paragraphs hold the most text that is not link
/// text: the main content of a page no rule knows. Navigation and link
/// lists score low (their text is links); a wrapper around everything
/// scores only the text of its direct paragraphs.
fn densest<'a>(document: &'a Html, dropped: &HashSet<NodeId>) -> Option<ElementRef<'a>> {
    // (text, link text) of every subtree, children before parents.
    let mut totals: HashMap<NodeId, (usize, usize)> = HashMap::new();
    let nodes: Vec<NodeRef<'a, Node>> = document.tree.root().descendants().collect();
    for node in nodes.iter().rev() {
        if dropped.contains(&node.id()) {
            totals.insert(node.id(), (0, 0));
            continue;
        }
        let own = node.value().as_text().map_or(0, |t| t.chars().filter(|c| !is_blank(*c)).count());
        let (mut text, mut links) = (own, 0);
        for child in node.children() {
            let (t, l) = totals.get(&child.id()).copied().unwrap_or_default();
            text += t;
            links += l;
        }
        if node.value().as_element().is_some_and(|e| e.name() == "a") {
            links = text;
        }
        totals.insert(node.id(), (text, links));
    }
    let mut best: Option<(usize, ElementRef<'a>)> = None;
    for node in &nodes {
        let Some(element) = ElementRef::wrap(*node) else { continue };
        if !matches!(element.value().name(), "div" | "td" | "article" | "section" | "main" | "body" | "font") {
            continue;
        }
        let score: usize = node
            .children()
            .filter(|c| match c.value() {
                Node::Text(_) => true,
                Node::Element(e) => !matches!(e.name(), "div" | "table" | "ul" | "ol" | "section" | "article"),
                _ => false,
            })
            .map(|c| {
                let (t, l) = totals.get(&c.id()).copied().unwrap_or_default();
                t.saturating_sub(2 * l)
            })
            .sum();
        if score > 0 && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, element));
        }
    }
    best.map(|(_, e)| e)
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{3000}' | '\u{200b}' | '\u{feff}')
}

/// One line of the canonical text, with anchors relative to it.
#[derive(Debug, Clone, Default)]
struct Block {
    text: String,
    anchors: Vec<(usize, u32, u32)>,
    centred: bool,
}

/// Finds where text copied from the DOM sits in the page source: text
/// nodes come in source order, so a cursor moves forward through it.
struct Positions {
    lines: LineIndex,
}

impl Positions {
    fn new(source: &str) -> Self {
        Positions { lines: LineIndex::new(source) }
    }

    /// Line and column of the first occurrence of `text`'s first characters
    /// at or after `*cursor` (moving the cursor past it), if it is near.
    fn find(&self, source: &str, cursor: &mut usize, text: &str) -> Option<(u32, u32)> {
        let needle = needle(text)?;
        let from = (*cursor).min(source.len());
        let window_end = floor_boundary(source, from.saturating_add(256 * 1024).min(source.len()));
        let at = from + memchr::memmem::find(&source.as_bytes()[from..window_end], needle.as_bytes())?;
        *cursor = at + needle.len();
        Some(self.lines.position(source, at))
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Up to six characters from the start of a text node that appear in the
/// markup as they are (not characters an entity may have written).
fn needle(text: &str) -> Option<&str> {
    let text = text.trim_start_matches(is_blank);
    let end = text
        .char_indices()
        .take(6)
        .find(|&(_, c)| is_blank(c) || matches!(c, '<' | '>' | '&' | '"' | '\''))
        .map_or_else(|| text.char_indices().nth(6).map_or(text.len(), |(i, _)| i), |(i, _)| i);
    (end > 0).then(|| &text[..end])
}

/// Walks the content in document order and cuts it into lines.
struct Walker<'a> {
    dropped: &'a HashSet<NodeId>,
    source: &'a str,
    positions: &'a Positions,
    cursor: usize,
    blocks: Vec<Block>,
    line: Block,
    /// Whitespace seen since the last character: `Some(true)` when it held a
    /// line break of the markup.
    space: Option<bool>,
    chars: usize,
    link_chars: usize,
    links: usize,
    /// Inside a link to another page (not an attachment), and the
    /// characters of the current line inside such links: a line that is
    /// nothing else is a related-reading link, not the policy's text.
    page_links: usize,
    line_page_chars: usize,
}

impl<'a> Walker<'a> {
    fn new(dropped: &'a HashSet<NodeId>, source: &'a str, positions: &'a Positions) -> Self {
        Walker {
            dropped,
            source,
            positions,
            cursor: 0,
            blocks: Vec::new(),
            line: Block::default(),
            space: None,
            chars: 0,
            link_chars: 0,
            links: 0,
            page_links: 0,
            line_page_chars: 0,
        }
    }

    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.space = None;
        let page_chars = std::mem::take(&mut self.line_page_chars);
        let trimmed = line.text.trim_end_matches(is_blank);
        if trimmed.is_empty() || page_chars >= trimmed.chars().filter(|c| !is_blank(*c)).count() {
            return;
        }
        let end = trimmed.len();
        let mut block = Block { text: trimmed.to_owned(), anchors: line.anchors, centred: line.centred };
        block.anchors.retain(|a| a.0 < end);
        self.blocks.push(block);
    }

    fn text(&mut self, text: &str, centred: bool) {
        let mut anchored = false;
        for c in text.chars() {
            if matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}') {
                continue;
            }
            let leading = self.line.text.is_empty();
            if c.is_whitespace() && c != '\u{3000}' || c == '\u{a0}' || (c == '\u{3000}' && leading) {
                if !leading {
                    let newline = c == '\n' || c == '\r';
                    self.space = Some(self.space.unwrap_or(false) || newline);
                }
                continue;
            }
            if let Some(newline) = self.space.take() {
                let before = self.line.text.chars().next_back().is_some_and(|p| !p.is_ascii());
                // A line break of the markup next to a Chinese character is
                // the editor's wrapping, not a space in the text.
                let after = !c.is_ascii();
                let last_alnum = self.line.text.chars().next_back().is_some_and(|p| p.is_ascii_alphanumeric());
                if !(newline && (before && !c.is_ascii_alphanumeric() || after && !last_alnum)) {
                    self.line.text.push(' ');
                }
            }
            if !anchored {
                anchored = true;
                if leading {
                    self.line.centred = centred;
                }
                if let Some((line, column)) = self.positions.find(self.source, &mut self.cursor, text) {
                    self.line.anchors.push((self.line.text.len(), line, column));
                }
            }
            self.line.text.push(c);
            self.chars += 1;
            if self.links > 0 {
                self.link_chars += 1;
            }
            if self.page_links > 0 {
                self.line_page_chars += 1;
            }
        }
    }

    fn walk(&mut self, node: NodeRef<'_, Node>, centred: bool) {
        if self.dropped.contains(&node.id()) {
            return;
        }
        match node.value() {
            Node::Text(text) => self.text(text, centred),
            Node::Element(element) => {
                let name = element.name();
                if name == "br" || name == "hr" {
                    self.flush();
                    return;
                }
                if name == "table" && is_info_table(node) {
                    return;
                }
                if name == "table"
                    && let Some(rows) = data_table(node)
                {
                    self.table(rows);
                    return;
                }
                let block = is_block(name);
                let centred = if block { centred || is_centred(element) } else { centred };
                if block {
                    self.flush();
                }
                let link = name == "a";
                let page_link = link && element.attr("href").is_some_and(|h| !is_attachment(element, h));
                self.links += usize::from(link);
                self.page_links += usize::from(page_link);
                for child in node.children() {
                    self.walk(child, centred);
                }
                self.links -= usize::from(link);
                self.page_links -= usize::from(page_link);
                if block {
                    self.flush();
                }
            }
            _ => {}
        }
    }

    /// The nodes after the `start` comment and before the `end` one.
    fn walk_between(&mut self, document: &Html, start: NodeId, end: NodeId) {
        // Everything between the markers in document order: the top-most
        // nodes that start after `start` and end before `end`.
        let mut inside = false;
        let mut skip_until_after: Option<NodeId> = None;
        for edge in document.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    if node.id() == start {
                        inside = true;
                        continue;
                    }
                    if node.id() == end {
                        break;
                    }
                    if inside && skip_until_after.is_none() && !has_descendant(node, end) {
                        self.walk(node, false);
                        skip_until_after = Some(node.id());
                    }
                }
                ego_tree::iter::Edge::Close(node) => {
                    if skip_until_after == Some(node.id()) {
                        skip_until_after = None;
                    }
                }
            }
        }
    }

    /// A data table, one line per row: `| cell | cell |`, a `|` in a cell
    /// escaped `\\|`; a first row the page marks as the header (`<th>`
    /// cells, or inside `<thead>`) gets a delimiter row `| --- |` under it,
    /// as a Markdown table has.
    fn table(&mut self, rows: Vec<Vec<Slot<'_>>>) {
        self.flush();
        let header = is_header_row(&rows);
        for (r, row) in rows.into_iter().enumerate() {
            let width = row.len();
            self.line.text.push('|');
            for slot in row {
                self.line.text.push(' ');
                let cell = match slot {
                    Slot::Cell(cell) => cell,
                    Slot::Above | Slot::Left | Slot::Empty => {
                        self.line.text.push_str(match slot {
                            Slot::Above => crate::tree::table::ABOVE,
                            Slot::Left => crate::tree::table::LEFT,
                            _ => "",
                        });
                        self.line.text.push_str(" |");
                        continue;
                    }
                };
                let mut inner = Walker::new(self.dropped, self.source, self.positions);
                inner.cursor = self.cursor;
                inner.walk(cell, false);
                inner.flush();
                self.cursor = inner.cursor;
                self.chars += inner.chars;
                self.link_chars += inner.link_chars;
                let start = self.line.text.len();
                for (k, block) in inner.blocks.into_iter().enumerate() {
                    if k > 0 {
                        self.line.text.push(' ');
                    }
                    let base = self.line.text.len();
                    // A cell's `|` is escaped so that it does not end the
                    // cell; positions after each one move by its backslash.
                    let pipes: Vec<usize> = block.text.match_indices('|').map(|(i, _)| i).collect();
                    self.line.anchors.extend(
                        block.anchors.iter().map(|&(at, l, c)| (base + at + pipes.partition_point(|&p| p < at), l, c)),
                    );
                    self.line.text.push_str(&block.text.replace('|', "\\|"));
                }
                // A cell whose text is a merge marker is text, escaped.
                if [crate::tree::table::ABOVE, crate::tree::table::LEFT].contains(&&self.line.text[start..]) {
                    self.line.text.insert(start, '\\');
                    self.line.anchors.iter_mut().filter(|a| a.0 >= start).for_each(|a| a.0 += 1);
                }
                self.line.text.push_str(" |");
            }
            self.flush();
            if r == 0 && header {
                let mut delimiter = String::from("|");
                for _ in 0..width {
                    delimiter.push_str(" --- |");
                }
                self.blocks.push(Block { text: delimiter, anchors: Vec::new(), centred: false });
            }
        }
    }
}

/// Whether a table's first row is its header. Said by the markup: every
/// cell a `<th>`, or the row inside `<thead>` (a column of `<th>` down the
/// side is not). Said by the look, where editors get a header from the
/// editor's toolbar: a row of short labels (no sentence in them), each set
/// off (bold, a background, text wrapped in a class the cells under it do
/// not use), over rows that are not all set off the same way; or a row that
/// opens with 序号 or 编号, the first column of a numbered list of tasks.
fn is_header_row<'a>(rows: &[Vec<Slot<'a>>]) -> bool {
    fn cells<'a>(row: &[Slot<'a>]) -> Vec<NodeRef<'a, Node>> {
        row.iter().filter_map(|s| if let Slot::Cell(c) = s { Some(*c) } else { None }).collect()
    }
    let Some(first) = rows.first().map(|r| cells(r)).filter(|r| !r.is_empty()) else { return false };
    let is = |node: Option<NodeRef<'_, Node>>, name: &str| {
        node.is_some_and(|n| n.value().as_element().is_some_and(|e| e.name() == name))
    };
    let in_thead = is(first[0].parent().and_then(|tr| tr.parent()), "thead");
    if in_thead || first.iter().all(|c| is(Some(*c), "th")) {
        return true;
    }
    let texts: Vec<String> = first.iter().map(|c| cell_text(*c)).collect();
    if texts.iter().any(|t| t.chars().count() > 20 || t.contains(['。', '；', ';']))
        || texts.iter().all(String::is_empty)
    {
        return false;
    }
    // A row that opens with a number is a numbered row, not labels.
    if texts[0].chars().all(|c| c.is_ascii_digit()) && !texts[0].is_empty() {
        return false;
    }
    if matches!(texts[0].as_str(), "序号" | "编号" | "序") {
        return true;
    }
    let body: Vec<NodeRef<'_, Node>> = rows[1..].iter().flat_map(|r| cells(r)).collect();
    // The classes of the body's cells and of what wraps their text, and
    // whether the body rows repeat a class: a style sheet that styles rows
    // alike (a page exported from a word processor names a class per
    // distinct cell style), so that a first row with classes of its own is
    // styled apart.
    let classes_of = |c: NodeRef<'a, Node>| {
        let own = c.value().as_element().into_iter().flat_map(|e| e.classes());
        own.chain(wrappers(c).flat_map(|e| e.classes())).collect::<Vec<&str>>()
    };
    let mut body_classes: HashMap<&str, usize> = HashMap::new();
    for row in &rows[1..] {
        let mut seen: Vec<&str> = cells(row).into_iter().flat_map(classes_of).collect();
        seen.sort_unstable();
        seen.dedup();
        for class in seen {
            *body_classes.entry(class).or_default() += 1;
        }
    }
    let repeated = body_classes.values().any(|&n| n >= 2);
    let sheet = emphatic_classes(first[0]);
    let set_off = |c: &NodeRef<'a, Node>, by_class: bool| {
        cell_text(*c).is_empty()
            || emphasis(*c)
            || c.parent().is_some_and(emphasis)
            || wrappers(*c).any(emphasis_of)
            || classes_of(*c).iter().any(|k| sheet.contains(*k))
            || c.parent()
                .is_some_and(|tr| tr.value().as_element().is_some_and(|e| e.classes().any(|k| sheet.contains(k))))
            || by_class && classes_of(*c).iter().any(|k| !body_classes.contains_key(k))
    };
    !body.is_empty() && first.iter().all(|c| set_off(c, repeated)) && !body.iter().all(|c| set_off(c, false))
}

/// The classes the page's own style sheets (`<style>` elements) set bold or
/// on a background: `.th { font-weight: bold }`, `td.STYLE9 {background:
/// #eee}`. Only the last compound of each selector counts, the element the
/// rule styles; a class named only as an ancestor (`.t1 td`) styles cells
/// of every row alike.
fn emphatic_classes(node: NodeRef<'_, Node>) -> HashSet<&str> {
    let mut classes = HashSet::new();
    for style in node.tree().nodes().filter(|n| n.value().as_element().is_some_and(|e| e.name() == "style")) {
        for text in style.children().filter_map(|t| t.value().as_text()) {
            let mut rest: &str = text;
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}') else { break };
                let (selectors, declarations) = (&rest[..open], &rest[open + 1..open + close]);
                rest = &rest[open + close + 1..];
                let declarations = declarations.to_ascii_lowercase().replace([' ', '\t', '\n', '\r'], "");
                if !emphatic_style(&declarations) {
                    continue;
                }
                // A comment or an at-rule before the selector ends at its
                // last `*/` or `{`.
                let selectors = selectors.rsplit("*/").next().unwrap_or_default();
                for selector in selectors.split(',') {
                    let last =
                        selector.split([' ', '>', '+', '~', '\n', '\t']).rfind(|s| !s.is_empty()).unwrap_or_default();
                    let last = last.split(':').next().unwrap_or_default();
                    classes.extend(last.split('.').skip(1).filter(|k| !k.is_empty()));
                }
            }
        }
    }
    classes
}

/// A cell's text, blanks dropped.
fn cell_text(cell: NodeRef<'_, Node>) -> String {
    cell.descendants()
        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
        .collect::<String>()
        .replace(is_blank, "")
}

/// The elements inside a cell that hold all of its text.
fn wrappers(cell: NodeRef<'_, Node>) -> impl Iterator<Item = &scraper::node::Element> {
    let whole = cell_text(cell);
    cell.descendants()
        .skip(1)
        .filter(move |d| d.value().is_element() && !whole.is_empty() && cell_text(*d) == whole)
        .filter_map(|d| d.value().as_element())
}

/// Whether an element sets its content off: bold, or a background.
fn emphasis(node: NodeRef<'_, Node>) -> bool {
    node.value().as_element().is_some_and(emphasis_of)
}

fn emphasis_of(element: &scraper::node::Element) -> bool {
    let style = element.attr("style").unwrap_or_default().to_ascii_lowercase().replace(' ', "");
    matches!(element.name(), "b" | "strong" | "th") || element.attr("bgcolor").is_some() || emphatic_style(&style)
}

/// Whether CSS declarations (lower case, blanks removed) set text bold or
/// give it a background other than the page's white.
fn emphatic_style(style: &str) -> bool {
    style.split(';').any(|declaration| {
        let Some((property, value)) = declaration.split_once(':') else { return false };
        let value = value.trim_end_matches("!important");
        match property {
            "font-weight" => value == "bold" || value == "bolder" || value.parse::<u32>().is_ok_and(|w| w >= 600),
            "background" | "background-color" => {
                !matches!(value, "" | "none" | "transparent" | "white" | "#fff" | "#ffffff" | "inherit" | "initial")
            }
            _ => false,
        }
    })
}

/// Whether a link downloads a file (the policy or an annex) rather than
/// opening a page.
fn is_attachment(link: &scraper::node::Element, href: &str) -> bool {
    let path = href.trim().split(['?', '#']).next().unwrap_or_default();
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    ATTACHMENT_TYPES.contains(&ext.as_str()) || link.attr("appendix").is_some() || link.attr("data-appendix").is_some()
}

/// A 信息公开 table (索引号 / 发文机关 / 成文日期 …): page metadata, read
/// as evidence, never text. Two labels or more and little else.
fn is_info_table(table: NodeRef<'_, Node>) -> bool {
    let mut labels = 0;
    let mut chars = 0;
    for node in table.descendants() {
        let Some(text) = node.value().as_text() else { continue };
        let t = text.trim_matches(is_blank);
        chars += t.chars().count();
        let t = t.trim_start_matches(['(', '（', '【', '[']);
        if INFO_TABLE.iter().any(|(label, _)| t.starts_with(label)) {
            labels += 1;
        }
    }
    labels >= 2 && chars < 800
}

fn has_descendant(node: NodeRef<'_, Node>, id: NodeId) -> bool {
    node.descendants().any(|d| d.id() == id)
}

/// The rows of a table that holds data (two columns or more in some row,
/// two rows or more), each row its cells; `None` for a layout table, whose
/// content is walked as blocks.
fn data_table(table: NodeRef<'_, Node>) -> Option<Vec<Vec<Slot<'_>>>> {
    fn rows<'a>(node: NodeRef<'a, Node>, out: &mut Vec<NodeRef<'a, Node>>) {
        for child in node.children() {
            match child.value().as_element().map(|e| e.name()) {
                Some("tr") => out.push(child),
                Some("thead" | "tbody" | "tfoot") => rows(child, out),
                _ => {}
            }
        }
    }
    let mut trs = Vec::new();
    rows(table, &mut trs);
    let cells: Vec<Vec<NodeRef<'_, Node>>> = trs
        .iter()
        .map(|tr| {
            tr.children().filter(|c| c.value().as_element().is_some_and(|e| matches!(e.name(), "td" | "th"))).collect()
        })
        .collect();
    let widest = cells.iter().map(Vec::len).max().unwrap_or(0);
    // A table whose cells hold paragraphs of a page (a layout table) is not
    // data, however many columns it has.
    let nested = table.descendants().skip(1).any(|d| d.value().as_element().is_some_and(|e| e.name() == "table"));
    let long = cells.iter().flatten().any(|c| {
        c.descendants()
            .filter(|d| d.value().is_text())
            .map(|d| d.value().as_text().map_or(0, |t| t.len()))
            .sum::<usize>()
            > 3000
    });
    (widest >= 2 && cells.len() >= 2 && !(nested && long)).then(|| grid(cells))
}

/// A position of a table's grid: a cell, or a position a cell above or to
/// the left covers (`rowspan`, `colspan`).
#[derive(Clone, Copy)]
enum Slot<'a> {
    Cell(NodeRef<'a, Node>),
    Above,
    Left,
    /// A position no cell fills, before one that a merge fills.
    Empty,
}

/// Widest extent a `colspan` or `rowspan` is read as: a page's
/// `colspan="1000"` is layout, not a thousand columns.
const MAX_SPAN: usize = 64;

/// The rows of cells laid on the table's grid as HTML's table model lays
/// them: each cell takes the first position no `rowspan` from above holds,
/// and covers `colspan` × `rowspan` positions. A row with no position is
/// left out.
fn grid(rows: Vec<Vec<NodeRef<'_, Node>>>) -> Vec<Vec<Slot<'_>>> {
    let span = |cell: &NodeRef<'_, Node>, name: &str| {
        cell.value().as_element().and_then(|e| e.attr(name)).and_then(|v| v.trim().parse::<usize>().ok())
    };
    let count = rows.len();
    // Per column: rows still covered by a cell above, and whether the
    // column is that cell's first.
    let mut below: Vec<(usize, bool)> = Vec::new();
    let mut out = Vec::with_capacity(count);
    for (r, cells) in rows.into_iter().enumerate() {
        let mut row = Vec::with_capacity(cells.len());
        let mut c = 0;
        let covered = |c: usize, below: &mut Vec<(usize, bool)>, row: &mut Vec<Slot<'_>>| {
            let (left, first) = below[c];
            below[c].0 = left - 1;
            row.push(if first { Slot::Above } else { Slot::Left });
        };
        for cell in cells {
            while below.get(c).is_some_and(|b| b.0 > 0) {
                covered(c, &mut below, &mut row);
                c += 1;
            }
            let columns = span(&cell, "colspan").unwrap_or(1).clamp(1, MAX_SPAN);
            // rowspan="0" reaches the last row.
            let rows_down = match span(&cell, "rowspan") {
                Some(0) => count - r,
                Some(n) => n.min(count - r),
                None => 1,
            }
            .clamp(1, MAX_SPAN);
            row.push(Slot::Cell(cell));
            row.extend(std::iter::repeat_n(Slot::Left, columns - 1));
            if below.len() < c + columns {
                below.resize(c + columns, (0, false));
            }
            for (j, b) in below[c..c + columns].iter_mut().enumerate() {
                *b = (rows_down - 1, j == 0);
            }
            c += columns;
        }
        // Positions after the row's last cell that a cell above still holds.
        if let Some(last) = below.iter().rposition(|b| b.0 > 0).filter(|&l| l >= c) {
            for at in c..=last {
                if below[at].0 > 0 {
                    covered(at, &mut below, &mut row);
                } else {
                    row.push(Slot::Empty);
                }
            }
        }
        if !row.is_empty() {
            out.push(row);
        }
    }
    out
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "center"
            | "blockquote"
            | "pre"
            | "address"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "body"
            | "html"
    )
}

fn is_centred(element: &scraper::node::Element) -> bool {
    element.name() == "center"
        || element.attr("align").is_some_and(|a| a.eq_ignore_ascii_case("center"))
        || element.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            s.contains("text-align:center")
        })
}

/// A title broken over two centred blocks at the top of the content (国家
/// 发展改革委等部门关于促进可再生能源 / 绿色电力证书市场高质量发展的意见)
/// becomes one line. Only the opening blocks, only while neither is a
/// 字号, a date or a status, and the first does not yet end like a title.
fn join_split_title(blocks: &mut Vec<Block>) {
    let mut i = 0;
    while i + 1 < blocks.len().min(4) {
        let (first, second) = (&blocks[i], &blocks[i + 1]);
        if !first.centred {
            return;
        }
        let joinable = |b: &Block| {
            let t = b.text.as_str();
            b.centred
                && crate::recognize::doc_number(t).is_none()
                && !crate::recognize::is_date(t)
                && !t.starts_with(['（', '('])
                && !t.ends_with(['。', '：', ':', '；'])
                && t.chars().count() <= 40
                && !t.starts_with('第')
        };
        if joinable(first) && joinable(second) && !ends_like_title(&first.text) {
            let second = blocks.remove(i + 1);
            let first = &mut blocks[i];
            let base = first.text.len();
            first.text.push_str(&second.text);
            first.anchors.extend(second.anchors.into_iter().map(|(at, l, c)| (base + at, l, c)));
            continue;
        }
        i += 1;
    }
}

fn ends_like_title(text: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "通知", "意见", "办法", "规则", "细则", "方案", "决定", "公告", "通告", "规定", "批复", "函", "报告", "规划",
        "计划", "纲要", "指引", "指南", "条例", "要点", "清单", "》", "）", ")",
    ];
    ENDINGS.iter().any(|e| text.ends_with(e))
}

/// The page's title for the policy: a [`TITLE`] element, else the
/// `ArticleTitle` meta tag, else `<title>` up to the site's name.
fn page_title(
    document: &Html,
    rules: &Rules,
    dropped: &HashSet<NodeId>,
    evidence: &[Evidence],
    source: &str,
    positions: &Positions,
) -> Option<Block> {
    let mut block = None;
    for (selector, words) in &rules.title {
        if !has_any(source, words) {
            continue;
        }
        if let Some(element) = document.select(selector).find(|e| !is_dropped(**e, dropped)) {
            let mut walker = Walker::new(dropped, source, positions);
            // Only the title's own text: not the dates and numbers some
            // sites set under it in <small> or <span>.
            for child in element.children() {
                let small =
                    child.value().as_element().is_some_and(|e| matches!(e.name(), "small" | "span" | "div" | "p"));
                if !small {
                    walker.walk(child, false);
                }
            }
            walker.flush();
            let mut blocks = walker.blocks.into_iter();
            if let Some(mut first) = blocks.next() {
                for more in blocks {
                    let base = first.text.len();
                    first.text.push_str(&more.text);
                    first.anchors.extend(more.anchors.into_iter().map(|(at, l, c)| (base + at, l, c)));
                }
                block = Some(first);
                break;
            }
        }
    }
    let block = block.or_else(|| {
        let title = evidence.iter().find(|e| e.field == "title")?;
        Some(Block { text: title.value.clone(), anchors: vec![(0, title.line, 1)], centred: true })
    })?;
    (block.text.chars().count() >= 4).then_some(block)
}

/// Where the content's opening lines hold the policy's title already: a
/// line that holds the page's title (maybe with the issuer before it or the
/// 字号 after, whatever the punctuation), or a centred first line that ends
/// the way titles end (the content's own title, worded differently from the
/// page's).
fn title_in(blocks: &[Block], title: &str) -> Option<usize> {
    let title = skeleton(title);
    // 关于…的意见（发改能源〔2025〕262号）: the title without its 字号.
    let bare = match title.rfind(|c: char| c.is_ascii_digit()) {
        Some(at) if title.ends_with('号') && title[..at].contains(|c: char| c.is_ascii_digit()) => title
            .trim_end_matches(|c: char| !matches!(c, '通' | '知' | '见' | '法' | '则' | '案' | '告' | '定' | '函'))
            .to_owned(),
        _ => title.clone(),
    };
    // Only the head: the lines before the body's first sentence or the
    // addressees' colon (an attachment link further down often repeats
    // the title as its file name).
    let head = blocks.iter().take(8).position(|b| b.text.ends_with(['。', '：', ':'])).unwrap_or(8.min(blocks.len()));
    let found = blocks[..head].iter().position(|b| {
        let line = skeleton(&b.text);
        line.chars().count() >= 4 && (line.contains(&bare) || line.contains(&title))
    });
    found.or_else(|| {
        let first = blocks.first()?;
        (first.centred && ends_like_title(&first.text) && crate::recognize::doc_number(&first.text).is_none())
            .then_some(0)
    })
}

/// Letters and digits only: titles compared whatever their spaces,
/// brackets and enumeration commas.
fn skeleton(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Metadata the page states outside the text.
fn evidence(document: &Html, dropped: &HashSet<NodeId>, source: &str, positions: &Positions) -> Vec<Evidence> {
    let rules = Rules::get();
    let mut out: Vec<Evidence> = Vec::new();
    let whole_line_of = |needle: &str| -> u32 {
        memchr::memmem::find(source.as_bytes(), needle.as_bytes())
            .map_or(1, |at| positions.lines.position(source, at).0)
    };
    for element in document.select(&rules.meta) {
        let e = element.value();
        let (field, value, from) = match e.name() {
            "link" => ("url", e.attr("href").unwrap_or_default(), "link rel=canonical".to_owned()),
            _ if e.attr("property").is_some() => {
                ("url", e.attr("content").unwrap_or_default(), "meta og:url".to_owned())
            }
            _ => {
                let name = e.attr("name").unwrap_or_default();
                let Some(&(_, field)) = META.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) else { continue };
                (field, e.attr("content").unwrap_or_default(), format!("meta {name}"))
            }
        };
        let value = value.trim();
        if value.is_empty() || out.iter().any(|o| o.field == field) {
            continue;
        }
        let line = whole_line_of(&format!("\"{value}\""));
        out.push(Evidence { field: field.to_owned(), value: value.to_owned(), from, href: None, line });
    }
    // `<!-- saved from url=(0061)https://… -->`, written by browsers.
    if !out.iter().any(|o| o.field == "url")
        && let Some(at) = source.find("saved from url=(")
    {
        let rest = &source[at..];
        if let Some(start) = rest.find(')') {
            let url: String = rest[start + 1..].chars().take_while(|c| !c.is_whitespace() && *c != '-').collect();
            if !url.is_empty() {
                out.push(Evidence {
                    field: "url".to_owned(),
                    value: url,
                    from: "saved-from comment".to_owned(),
                    href: None,
                    line: positions.lines.position(source, at).0,
                });
            }
        }
    }
    info_table(document, dropped, source, positions, &mut out);
    if !out.iter().any(|o| o.field == "page_date")
        && let Some((label, value)) = printed_publication_time(document, source)
    {
        out.push(Evidence {
            field: "page_date".to_owned(),
            line: whole_line_of(&label),
            value,
            from: format!("page text {label}"),
            href: None,
        });
    }
    let mut seen = std::collections::HashSet::new();
    for link in document.select(&rules.link) {
        let href = link.value().attr("href").unwrap_or_default().trim();
        let path = href.split(['?', '#']).next().unwrap_or_default();
        if !is_attachment(link.value(), href) || !seen.insert(href.to_owned()) {
            continue;
        }
        let text: String =
            link.text().collect::<String>().split(is_blank).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
        let text = if text.is_empty() {
            link.value()
                .attr("title")
                .map(str::to_owned)
                .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path).to_owned())
        } else {
            text
        };
        out.push(Evidence {
            field: "attachment".to_owned(),
            value: text,
            from: "link".to_owned(),
            href: Some(href.to_owned()),
            line: whole_line_of(href),
        });
    }
    out
}

/// The 信息公开 table (索引号 / 发文机关 / 成文日期 …): a label in one cell
/// or span and its value in the next, or `label：value` in one.
fn info_table(
    document: &Html,
    dropped: &HashSet<NodeId>,
    source: &str,
    positions: &Positions,
    out: &mut Vec<Evidence>,
) {
    if !INFO_TABLE.iter().any(|(label, _)| source.contains(label)) {
        return;
    }
    // The page's texts in document order, dropped subtrees skipped whole.
    let mut texts: Vec<&str> = Vec::new();
    let mut stack = vec![document.tree.root()];
    while let Some(node) = stack.pop() {
        if dropped.contains(&node.id()) {
            continue;
        }
        if let Some(text) = node.value().as_text() {
            let t = text.trim_matches(is_blank);
            if !t.is_empty() {
                texts.push(t);
            }
        }
        stack.extend(node.children().rev());
    }
    let label_of = |t: &str| -> Option<(&'static str, &'static str, String)> {
        let t = t.trim_start_matches(['(', '（', '【', '[']);
        INFO_TABLE.iter().find_map(|&(label, field)| {
            let rest = t.strip_prefix(label)?;
            let rest = rest.trim_start_matches(is_blank);
            let value = rest.strip_prefix(['：', ':']).map(|r| r.trim_matches(is_blank).to_owned());
            match value {
                Some(v) => Some((label, field, v)),
                None if rest.is_empty() => Some((label, field, String::new())),
                None => None,
            }
        })
    };
    let mut k = 0;
    while k < texts.len() {
        if let Some((label, field, mut value)) = label_of(texts[k]) {
            if value.is_empty() && texts.get(k + 1).is_some_and(|t| label_of(t).is_none()) {
                value = texts[k + 1].to_owned();
                k += 1;
            }
            let value = value.trim_end_matches([')', '）', '】', ']']).trim_matches(is_blank).to_owned();
            if !value.is_empty()
                && value.chars().count() <= 80
                && !out.iter().any(|o| o.field == field && o.from.starts_with("info"))
            {
                let line = memchr::memmem::find(source.as_bytes(), label.as_bytes())
                    .map_or(1, |at| positions.lines.position(source, at).0);
                out.push(Evidence {
                    field: field.to_owned(),
                    value,
                    from: format!("info table {label}"),
                    href: None,
                    line,
                });
            }
        }
        k += 1;
    }
}

/// A publication time the page prints outside the policy's text
/// (`信息来源：广州电力交易中心 发布时间：2025-06-22`), for a page with no
/// `PubDate` tag or info table: the label and the date as printed. The label
/// and its date may sit in elements of their own, so the text of the
/// label's parent is read.
fn printed_publication_time(document: &Html, source: &str) -> Option<(String, String)> {
    const LABELS: [&str; 2] = ["发布时间", "发布日期"];
    if !LABELS.iter().any(|l| memchr::memmem::find(source.as_bytes(), l.as_bytes()).is_some()) {
        return None;
    }
    document.root_element().descendants().find_map(|node| {
        let text = node.value().as_text()?;
        LABELS.iter().find(|l| text.contains(*l))?;
        let parent = node.parent().and_then(ElementRef::wrap)?;
        let whole: String = parent.text().collect();
        let (label, date) = crate::recognize::publication_time(&whole)?;
        Some((label.to_owned(), date.iso()))
    })
}

/// A page's date (`2025-07-29 21:09`, `2024年09月13日`, `2024/9/3`) as
/// YYYY-MM-DD.
pub fn iso_date(text: &str) -> Option<String> {
    let t = text.trim();
    crate::recognize::parse_date(t).ok().or_else(|| crate::recognize::dashed_date(t)).map(|date| date.iso())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_sized_for_every_fixture_page_before_it_is_read() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let pages =
            std::fs::read_dir(dir.join("html")).unwrap().chain(std::fs::read_dir(dir.join("corpus/web")).unwrap());
        let mut checked = 0;
        for path in pages.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "html")) {
            let bytes = std::fs::read(&path).unwrap();
            let source = decode(&bytes).unwrap();
            let nodes = parse_page(&source).tree.nodes().count();
            let bound = node_bound(&source);
            assert!(nodes <= bound, "{}: {nodes} nodes, room for {bound}: the tree grew", path.display());
            // And not much larger than the page needs.
            assert!(bound < nodes * 2, "{}: {nodes} nodes, room for {bound}", path.display());
            checked += 1;
        }
        assert!(checked > 50);
    }

    #[test]
    fn the_rules_parse() {
        let rules = Rules::get();
        assert_eq!(rules.content.len(), CONTENT.len());
        assert_eq!(rules.title.len(), TITLE.len());
        assert_eq!(needed_words(".TRS_Editor"), ["TRS_Editor"]);
        assert_eq!(needed_words("#zoom, td.detail, article"), ["zoom", "detail", "<article"]);
        assert!(needed_words("[hidden]").is_empty());
        assert!(rules.drop.iter().any(|d| matches!(d, DropRule::Tag("script"))));
        assert!(rules.drop.iter().any(|d| matches!(d, DropRule::AttributeHolds("style", "display:none"))));
    }

    /// The one-pass drop rules drop exactly what [`DROP`] as a selector
    /// selects, on every fixture page, a quirks-mode page and a made-up one.
    #[test]
    fn the_drop_rules_match_as_their_selector_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let pages =
            std::fs::read_dir(dir.join("html")).unwrap().chain(std::fs::read_dir(dir.join("corpus/web")).unwrap());
        let mut sources: Vec<String> = pages
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| decode(&std::fs::read(p).unwrap()).unwrap().into_owned())
            .collect();
        sources.push(
            "<html><body><div class=\"Share print\" id=\"QR_container\"><span hidden>x</span><p style=\"color:red;display: none\">y\
             <button>z</button></div><div class=\"share-box xgfj\"><img src=a.png></div><div id=qr_container>q</div></body></html>"
                .to_owned(),
        );
        sources.push(format!("<html><body>{}</body></html>", sources.last().unwrap()));
        let selector = Selector::parse(DROP).unwrap();
        for source in &sources {
            let document = parse_page(source);
            let mut want: Vec<NodeId> = document.select(&selector).map(|e| e.id()).collect();
            let mut got: Vec<NodeId> = dropped_nodes(&document, Rules::get(), source).into_iter().collect();
            want.sort_by_key(|id| format!("{id:?}"));
            got.sort_by_key(|id| format!("{id:?}"));
            assert_eq!(got, want, "{}", &source[..source.len().min(200)]);
        }
    }

    #[test]
    fn blocks_become_lines_without_indentation() {
        let page = "<html><body><div class=\"TRS_Editor\"><p>　　第一条&nbsp;为了<strong>规范</strong>管理。</p><p>&nbsp;</p>\
                    <div>第二条 本办法自<br>发布之日起施行。</div></div><div class=footer>版权所有</div></body></html>";
        let page = extract_str(page).unwrap();
        assert_eq!(page.text, "第一条 为了规范管理。\n第二条 本办法自\n发布之日起施行。\n");
        assert_eq!(page.layout, CONTENT[0].0);
        // 第一条 sits at column 48 of line 1 (after the markup and the two
        // ideographic spaces).
        let (line, column) = page.origin.locate(&page.text, 0);
        assert_eq!(line, 1);
        assert_eq!(column as usize, "<html><body><div class=\"TRS_Editor\"><p>　　".chars().count() + 1);
    }

    #[test]
    fn a_centred_title_over_two_blocks_is_one_line() {
        let page = "<div class=TRS_Editor><p align=center>国家能源局关于印发</p><p style=\"text-align: center\">《电力市场注册基本规则》的通知</p>\
                    <p align=center>国能发监管规〔2024〕76号</p><p>各派出机构：</p><p>现印发给你们，请遵照执行。这是一段足够长的正文。</p></div>";
        let page = extract_str(page).unwrap();
        assert_eq!(page.text.lines().next(), Some("国家能源局关于印发《电力市场注册基本规则》的通知"));
        assert_eq!(page.text.lines().nth(1), Some("国能发监管规〔2024〕76号"));
    }

    #[test]
    fn sniffs_gbk() {
        let (bytes, _, _) = encoding_rs::GBK
            .encode("<meta charset=gb2312><div id=zoom><p>关于开展电力市场模拟运行工作的通知正文内容</p></div>");
        let page = extract(&bytes).unwrap();
        assert_eq!(page.text, "关于开展电力市场模拟运行工作的通知正文内容\n");
    }

    #[test]
    fn a_link_only_page_names_its_attachment() {
        let page = "<div class=TRS_Editor><p><a href=\"./P0201.pdf\">附件：实施细则.pdf</a></p></div>";
        match extract_str(page) {
            Err(SourceError::AttachmentOnly { name, href, .. }) => {
                assert_eq!(name, "附件：实施细则.pdf");
                assert_eq!(href, "./P0201.pdf");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2025-07-29 21:09").as_deref(), Some("2025-07-29"));
        assert_eq!(iso_date("2024年09月13日").as_deref(), Some("2024-09-13"));
        assert_eq!(iso_date("2024/9/3").as_deref(), Some("2024-09-03"));
        assert_eq!(iso_date("来源：本站"), None);
    }
}
