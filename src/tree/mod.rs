//! The typed document tree: what `parse` gives and every later stage takes.
//!
//! These serde types *are* the JSON/YAML contract (see the README's "Tree
//! schema"): field names and the order they are declared in are what the YAML
//! and JSON editions print, and the YAML edition reads back into an equal
//! `Document`. Nothing here knows about pest; `Pair` never leaves `parse`.

pub mod frame;
pub mod summary;
pub mod table;

use serde::ser::SerializeTuple;
use serde::{Deserialize, Serialize};

pub use frame::{Debris, DebrisKind, Evidence, Frame, Meta, Notice, Owner, Paragraph, Target};
pub use table::{Merge, Row, Table};

/// A place in the source file.
///
/// `start`/`end` are byte offsets into the decoded source text; `line` and
/// `column` (1-based, column counted in characters) are derived from `start`
/// once, at the edge, so that every consumer reports the same position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

// A span is four numbers, serialized as a tuple: JSON gives an array, and
// the YAML writer gives a tuple as a flow sequence `[start, end, line,
// column]`, which keeps the edition readable instead of adding four lines
// per node.
impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut tuple = s.serialize_tuple(4)?;
        tuple.serialize_element(&(self.start as u64))?;
        tuple.serialize_element(&(self.end as u64))?;
        tuple.serialize_element(&u64::from(self.line))?;
        tuple.serialize_element(&u64::from(self.column))?;
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let [start, end, line, column] = <[u64; 4]>::deserialize(d)?;
        let small = |v: u64| u32::try_from(v).map_err(serde::de::Error::custom);
        let big = |v: u64| usize::try_from(v).map_err(serde::de::Error::custom);
        Ok(Span { start: big(start)?, end: big(end)?, line: small(line)?, column: small(column)? })
    }
}

impl Span {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A whole parsed document: its metadata, the frame around the numbered body
/// (notice, preamble, closing, signature, debris) and the body itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    pub meta: Meta,
    pub body: Vec<Node>,
    pub frame: Frame,
    /// Further attachments (附件2, 附件3 …) after the first document, each
    /// with its own frame and body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Document>,
}

/// The numbering family a document's body is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// 一、 → （一） → 1. → （1） → ①, GB/T 9704-2012 7.3.3.
    #[default]
    Policy,
    /// 第一编 → 第一章 → 第一节 → 第一条 → 款 → 项（一） → 目 1.
    Regulation,
}

/// The level of a numbered node.
///
/// Policy and regulation families have their own kinds even where they share a
/// marker shape (（一） is a `section` in a policy and a `clause` (项) inside
/// an article), because the family decides what a reference such as 第（三）项
/// points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// 一、 (first level of a policy)
    Part,
    /// （一） (second level)
    Section,
    /// 1. (third level)
    Item,
    /// （1） (fourth level)
    Subitem,
    /// ① (fifth level, used in practice though not in the standard)
    Point,
    /// 第一编
    Book,
    /// 第一章
    Chapter,
    /// 第一节
    Division,
    /// 第一条 (and inserted 第一条之一)
    Article,
    /// 款: an unnumbered paragraph of an article; only made into nodes when an
    /// article has more than one.
    Paragraph,
    /// 项 （一） inside an article
    Clause,
    /// 目 1. inside a clause
    Subclause,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Part,
        Kind::Section,
        Kind::Item,
        Kind::Subitem,
        Kind::Point,
        Kind::Book,
        Kind::Chapter,
        Kind::Division,
        Kind::Article,
        Kind::Paragraph,
        Kind::Clause,
        Kind::Subclause,
    ];

    pub fn family(self) -> Family {
        match self {
            Kind::Part | Kind::Section | Kind::Item | Kind::Subitem | Kind::Point => Family::Policy,
            _ => Family::Regulation,
        }
    }

    /// Depth of the level on one scale for both families, so that a node may
    /// only contain nodes of a greater rank (levels can be skipped, never
    /// inverted). 编章节 sit above everything, so a plan organized in chapters
    /// with 一、 parts inside nests as it reads.
    pub fn rank(self) -> u8 {
        match self {
            Kind::Book => 0,
            Kind::Chapter => 1,
            Kind::Division => 2,
            Kind::Part | Kind::Article => 3,
            Kind::Section | Kind::Paragraph => 4,
            Kind::Item | Kind::Clause => 5,
            Kind::Subitem | Kind::Subclause => 6,
            Kind::Point => 7,
        }
    }

    /// The kebab-case name used in the contract and in the HTML ids' prefix table.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Part => "part",
            Kind::Section => "section",
            Kind::Item => "item",
            Kind::Subitem => "subitem",
            Kind::Point => "point",
            Kind::Book => "book",
            Kind::Chapter => "chapter",
            Kind::Division => "division",
            Kind::Article => "article",
            Kind::Paragraph => "paragraph",
            Kind::Clause => "clause",
            Kind::Subclause => "subclause",
        }
    }

    /// The short prefix of this level in stable HTML ids (`#p2-s7-i12`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            Kind::Part => "p",
            Kind::Section => "s",
            Kind::Item => "i",
            Kind::Subitem => "si",
            Kind::Point => "pt",
            Kind::Book => "b",
            Kind::Chapter => "c",
            Kind::Division => "d",
            Kind::Article => "a",
            Kind::Paragraph => "k",
            Kind::Clause => "x",
            Kind::Subclause => "m",
        }
    }

    /// Chinese name of the level, for messages to editors.
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::Part => "一级标题（一、）",
            Kind::Section => "二级标题（（一））",
            Kind::Item => "三级标题（1.）",
            Kind::Subitem => "四级标题（（1））",
            Kind::Point => "五级标题（①）",
            Kind::Book => "编",
            Kind::Chapter => "章",
            Kind::Division => "节",
            Kind::Article => "条",
            Kind::Paragraph => "款",
            Kind::Clause => "项",
            Kind::Subclause => "目",
        }
    }

    /// Whether nodes of this kind are headings on a line of their own (编章节)
    /// rather than clauses whose text runs on.
    pub fn is_heading_line(self) -> bool {
        matches!(self, Kind::Book | Kind::Chapter | Kind::Division)
    }
}

/// One numbered unit of the body: a part, section, item, article, clause…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub kind: Kind,
    /// The marker exactly as written, without the space after it: `(一)`,
    /// `一、`, `1.`, `第十二条之一`. Empty for an unnumbered 款.
    pub marker: String,
    /// The marker's value: （十九） is 19. For 第十二条之一 it is 12 (see `sub`).
    pub number: u32,
    /// For inserted articles (第十二条之一): the number after 之.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<u32>,
    /// The heading: a line of its own, or the lead sentence (with its 。 or
    /// ：), or the words before a separating space.
    pub title: Option<String>,
    /// The rest of the node's own text, one string per paragraph.
    pub text: Vec<String>,
    /// Tables in the node's own text, each placed among its paragraphs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    /// Units named responsible in annotations such as [牵头单位:…].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Owner>,
    /// Quantitative commitments found in the node's own text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    pub children: Vec<Node>,
    /// The whole node, marker to the end of its last descendant.
    pub span: Span,
    /// Where each piece sits: the marker, the title, each paragraph.
    pub spans: NodeSpans,
}

/// Spans of a node's parts, parallel to `marker`, `title` and `text`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NodeSpans {
    pub marker: Span,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Span>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<Span>,
}

impl Node {
    /// The node and all its descendants, depth first in document order.
    pub fn walk(&self) -> impl Iterator<Item = &Node> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.children.iter().rev());
            Some(node)
        })
    }

    /// Title, text and tables joined, as a reader sees the clause's own
    /// words: a table's rows are lines `| cell | cell |` in their place, so
    /// whatever compares clauses (diff, search) sees a changed cell.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        if let Some(title) = &self.title {
            out.push_str(title);
        }
        for piece in interleave(&self.text, &self.tables) {
            if !out.is_empty() {
                out.push('\n');
            }
            match piece {
                Piece::Paragraph(paragraph) => out.push_str(paragraph),
                Piece::Table(table) => out.push_str(&table.to_lines()),
            }
        }
        out
    }
}

/// A paragraph or a table, in reading order.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'a> {
    Paragraph(&'a str),
    Table(&'a Table),
}

/// Paragraphs and the tables placed among them (by [`Table::at`]), in
/// reading order. A table placed past the last paragraph comes at the end.
pub fn interleave<'a, P: AsRef<str>>(paragraphs: &'a [P], tables: &'a [Table]) -> impl Iterator<Item = Piece<'a>> {
    let mut tables = tables.iter().peekable();
    let mut paragraphs = paragraphs.iter().enumerate().peekable();
    std::iter::from_fn(move || {
        let next_at = paragraphs.peek().map_or(usize::MAX, |(i, _)| *i);
        if let Some(table) = tables.next_if(|t| t.at <= next_at) {
            return Some(Piece::Table(table));
        }
        paragraphs.next().map(|(_, p)| Piece::Paragraph(p.as_ref()))
    })
}

impl Document {
    /// Every node of the body, depth first in document order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.body.iter().flat_map(|n| n.walk())
    }

    /// The family the body is numbered in (policy when there is no body).
    pub fn family(&self) -> Family {
        self.body.first().map(|n| n.kind.family()).unwrap_or_default()
    }
}

/// The id of the `index`-th of a document's attachments, and the prefix of
/// its clauses' ids: `f2` for the first, since the policy itself is 附件1
/// when a notice sends several. `f` is no kind's prefix ([`Kind::id_prefix`]),
/// so an attachment never takes the id of a clause (`a2` is 第二条's).
pub fn attachment_id(index: usize) -> String {
    format!("f{}", index + 2)
}

/// Gives stable HTML/anchor ids from a node's numbering path: `p2-s7-i12`.
///
/// Built from numbers, never from text, so an id survives edits of the
/// wording. Malformed documents can repeat a number; ids must still be unique
/// in a page, so a later twin gets a `~2` suffix, the one after it `~3`.
#[derive(Debug, Default)]
pub struct IdAllocator {
    /// How often each plain id has been given. A plain id never ends in
    /// `~N` (its last segment is a prefix and digits), so `id~N` can only
    /// ever be taken by a twin of `id`, and counting twins gives the same ids
    /// as probing `id~2`, `id~3`… did, without the probing: a long document
    /// made of many copies of one text repeats each id thousands of times.
    seen: std::collections::HashMap<String, u32>,
}

impl IdAllocator {
    /// The id of `node` under the parent whose id is `parent` ("" at the top).
    pub fn id(&mut self, parent: &str, node: &Node) -> String {
        let mut id = String::with_capacity(parent.len() + 12);
        id.push_str(parent);
        self.push(&mut id, node);
        id
    }

    /// [`IdAllocator::id`] in place: `id` holds the parent's id ("" at the
    /// top) and gets the node's appended, so that a walk over a tree can keep
    /// one buffer as a stack instead of a string per node.
    pub fn push(&mut self, id: &mut String, node: &Node) {
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(node.kind.id_prefix());
        push_decimal(id, node.number);
        if let Some(sub) = node.sub {
            id.push('_');
            push_decimal(id, sub);
        }
        match self.seen.get_mut(id.as_str()) {
            None => {
                self.seen.insert(id.clone(), 1);
            }
            Some(twins) => {
                *twins += 1;
                id.push('~');
                push_decimal(id, *twins);
            }
        }
    }
}

fn push_decimal(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Every node with its stable id, in document order.
pub fn node_ids(body: &[Node]) -> Vec<(String, &Node)> {
    fn visit<'a>(nodes: &'a [Node], parent: &str, ids: &mut IdAllocator, out: &mut Vec<(String, &'a Node)>) {
        for node in nodes {
            let id = ids.id(parent, node);
            out.push((id.clone(), node));
            visit(&node.children, &id, ids, out);
        }
    }
    let mut out = Vec::new();
    visit(body, "", &mut IdAllocator::default(), &mut out);
    out
}

/// Every node with its marker path (`二、/（四）/5.`), in document order:
/// how editors name a clause.
pub fn marker_paths(body: &[Node]) -> Vec<(String, &Node)> {
    fn visit<'a>(nodes: &'a [Node], parent: &mut String, out: &mut Vec<(String, &'a Node)>) {
        for node in nodes {
            let parent_len = parent.len();
            push_marker_path(parent, node);
            out.push((parent.clone(), node));
            visit(&node.children, parent, out);
            parent.truncate(parent_len);
        }
    }
    let mut out = Vec::new();
    visit(body, &mut String::new(), &mut out);
    out
}

/// Append `node`'s own step to its parent's marker path (`二、/（四）` →
/// `二、/（四）/5.`): its marker, or `第2款` for a 款, which has none and is
/// named by its number. The one place a marker path is spelled.
pub fn push_marker_path(path: &mut String, node: &Node) {
    if !path.is_empty() {
        path.push('/');
    }
    if node.marker.is_empty() {
        path.push('第');
        if node.number < 10 {
            // Nearly every 款 number is one digit: spare it the formatter.
            path.push(char::from(b'0' + node.number as u8));
        } else {
            use std::fmt::Write as _;
            let _ = write!(path, "{}", node.number);
        }
        path.push('款');
    } else {
        path.push_str(&node.marker);
    }
}
