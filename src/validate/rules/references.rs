//! Internal references: 本条例第四十条, 本措施第（二十）项, 本条第二款 must
//! point at something the document has, and at one thing only.
//!
//! Besides the rules, this module owns how a reference is read and what it
//! names: [`find`] takes a text and gives the references in it (byte ranges
//! of the whole reference and of each number), [`Outline::resolve`] takes one
//! and gives the nodes it names, or says why it names none or several.
//! `policyc fmt` renumbers through the same two functions, so that what
//! `check` says a reference points at is what formatting keeps it pointing
//! at. Neither can fail.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diag::Diagnostic;
use crate::parse::numeral;
use crate::tree::{Document, Family, Kind, Node, Span};
use crate::validate::Context;
use crate::validate::registry::{Level, Rule};

pub const DANGLING_REFERENCE: Rule = Rule {
    code: "X001",
    name: "dangling-reference",
    level: Level::Error,
    doc: "## What it does\nChecks that a reference to the document itself points at something it has: 本条例第四十条 in a regulation with 35 条, 本措施第（二十）项 in a text that stops at （十八）, 本条第三款 in an article of two paragraphs. References are recognized after 本 + the document's own name (本条例, 本办法, 本规定, 本细则, 本措施, 本方案, 本意见, 本通知, 本要点, 本计划), 本条, 上述 and 前款, in the forms 第X章, 第X条, 第X部分, 第X款, 第X项 and 第（X）项.\n\n## Why is this bad\nA reference to a clause that does not exist is a leftover of renumbering or of a deleted clause; the reader cannot follow it, and the rule it points at is lost.\n\n## Example\n```text\n第三十六条　违反本条例第四十条规定的……\n```",
};

pub const REFERENCE_AMBIGUOUS: Rule = Rule {
    code: "X002",
    name: "reference-ambiguous",
    level: Level::Warning,
    doc: "## What it does\nReports an internal reference (本措施第（十二）项, 本条例第二条) whose number more than one clause carries, so that it cannot be known which one is meant. `policyc fmt` reports it too, and leaves such a reference as it is when it renumbers.\n\n## Why is this bad\nThe reader cannot follow the reference, and renumbering must not guess: after it the reference may point at the wrong clause.\n\n## Example\n```text\n（十二）加强保护。\n（十二）优化服务。\n（十三）符合本措施第（十二）项条件的，给予支持。\n```\nMake the duplicated numbers unique (or say which clause is meant).",
};

/// The words after 本 that name the document itself.
const SELF_NAMES: [&str; 10] = ["条例", "办法", "规定", "细则", "措施", "方案", "意见", "通知", "要点", "计划"];

/// Where a reference's first link is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// 本措施…, 本条例…, 上述…: the whole document.
    Document,
    /// 本条…: the article (in a policy, the part 一、) the reference is in.
    ThisUnit,
    /// 前款…: the paragraph (in a policy, the clause of the same level)
    /// before the one the reference is in.
    Previous,
}

/// One link of a reference chain: 第四十条, 第二款, 第（三）项, 第二部分.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// 章 条 款 项, or 部 for 部分.
    pub unit: char,
    pub number: u32,
    /// The whole link, in bytes of the scanned text.
    pub range: Range<usize>,
    /// The number as written (三, 3), in bytes of the scanned text.
    pub digits: Range<usize>,
}

/// A reference to the document itself, as written in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub scope: Scope,
    /// From 本 (上述, 前款) to the end of the last link.
    pub range: Range<usize>,
    pub links: Vec<Link>,
}

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// One node per link.
    Found(Vec<&'a Node>),
    /// Link `link` names several nodes (two （十二）).
    Ambiguous { link: usize, count: usize },
    /// Link `link` names nothing, and why.
    Dangling { link: usize, why: String },
    /// The reference has no place to start from here (本条 outside any
    /// article, 前款 in a first paragraph): nothing can be said.
    Unknown,
}

fn is_numeral(c: char) -> bool {
    matches!(c, '零' | '〇' | '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千')
}

/// Read `第X条` / `第（X）项` / `第X部分` at `at`.
fn link(text: &str, at: usize) -> Option<Link> {
    let rest = text.get(at..)?.strip_prefix('第')?;
    let open = rest.strip_prefix(['（', '(']);
    let inner_start = text.len() - open.unwrap_or(rest).len();
    let body = open.unwrap_or(rest);
    let n = body.len() - body.trim_start_matches(|c: char| is_numeral(c) || c.is_ascii_digit()).len();
    let digits = inner_start..inner_start + n;
    let mut after = &body[n..];
    if open.is_some() {
        after = after.strip_prefix(['）', ')'])?;
    }
    let inner = &text[digits.clone()];
    let number = numeral::parse(inner).or_else(|| numeral::parse_digits(inner))?;
    let (unit, len) = if after.starts_with("部分") {
        ('部', "部分".len())
    } else {
        let unit = after.chars().next().filter(|c| matches!(c, '章' | '条' | '款' | '项'))?;
        (unit, unit.len_utf8())
    };
    // A bracketed number names a clause only: 第（三）条 is not a form.
    if open.is_some() && unit != '项' {
        return None;
    }
    let end = text.len() - after.len() + len;
    Some(Link { unit, number, range: at..end, digits })
}

/// The references to the document itself in `text`, in order.
pub fn find(text: &str) -> Vec<Reference> {
    // `str::find` looks for the last byte of 本 (0xAC), which ends many
    // other characters; searchers for the whole words stop at them only.
    let mut starts: Vec<usize> = ["本", "上述", "前款"]
        .iter()
        .flat_map(|word| memchr::memmem::find_iter(text.as_bytes(), word.as_bytes()))
        .collect();
    starts.sort_unstable();
    let mut found = Vec::new();
    let mut done = 0;
    for at in starts {
        if at < done {
            continue;
        }
        let after = &text[at..];
        let (scope, skip) = if let Some(rest) = after.strip_prefix('本') {
            if rest.starts_with('条') && !rest.starts_with("条例") {
                (Scope::ThisUnit, "本条".len())
            } else if let Some(name) = SELF_NAMES.iter().find(|n| rest.starts_with(**n)) {
                (Scope::Document, '本'.len_utf8() + name.len())
            } else {
                continue;
            }
        } else if after.starts_with("上述") {
            (Scope::Document, "上述".len())
        } else {
            (Scope::Previous, "前款".len())
        };
        let mut links = Vec::new();
        let mut pos = at + skip;
        while let Some(l) = link(text, pos) {
            pos = l.range.end;
            links.push(l);
        }
        if links.is_empty() {
            continue;
        }
        found.push(Reference { scope, range: at..pos, links });
        // 本措施第一部分和第（三）项: each after the first starts again
        // from the same place.
        while let Some(joiner) = text[pos..].chars().next().filter(|c| JOINERS.contains(c)) {
            let start = pos + joiner.len_utf8();
            let mut links = Vec::new();
            let mut end = start;
            while let Some(l) = link(text, end) {
                end = l.range.end;
                links.push(l);
            }
            if links.is_empty() {
                break;
            }
            found.push(Reference { scope, range: start..end, links });
            pos = end;
        }
        done = pos;
    }
    found
}

/// What may join two references of one list: 第一条、第三条, 第二条和第五条.
const JOINERS: [char; 6] = ['、', '和', '或', '及', '至', '与'];

/// The numbered nodes of a document in order, each with its parent, as the
/// resolver walks them.
pub struct Outline<'a> {
    family: Family,
    nodes: Vec<(&'a Node, Option<usize>)>,
    by_marker: BTreeMap<usize, usize>,
}

impl<'a> Outline<'a> {
    pub fn new(document: &'a Document) -> Self {
        fn visit<'a>(list: &'a [Node], parent: Option<usize>, outline: &mut Outline<'a>) {
            for node in list {
                outline.by_marker.insert(node.spans.marker.start, outline.nodes.len());
                outline.nodes.push((node, parent));
                visit(&node.children, Some(outline.nodes.len() - 1), outline);
            }
        }
        let mut outline = Outline { family: document.family(), nodes: Vec::new(), by_marker: BTreeMap::new() };
        visit(&document.body, None, &mut outline);
        outline
    }

    /// The nodes in document order.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, index: usize) -> &'a Node {
        self.nodes[index].0
    }

    /// The node whose marker starts at `offset` of the source.
    pub fn at_marker(&self, offset: usize) -> Option<usize> {
        self.by_marker.get(&offset).copied()
    }

    /// The nearest node of `kind` among `index` and its ancestors.
    fn enclosing(&self, mut index: usize, kind: Kind) -> Option<&'a Node> {
        loop {
            let (node, parent) = self.nodes[index];
            if node.kind == kind {
                return Some(node);
            }
            index = parent?;
        }
    }

    /// The node before `index` among its siblings, of the same kind.
    fn previous_sibling(&self, index: usize) -> Option<&'a Node> {
        let (node, parent) = self.nodes[index];
        let siblings = match parent {
            Some(p) => &self.nodes[p].0.children,
            None => {
                return self.nodes[..index].iter().rev().find(|(n, p)| p.is_none() && n.kind == node.kind).map(|e| e.0);
            }
        };
        let at = siblings.iter().position(|s| std::ptr::eq(s, node))?;
        siblings[..at].iter().rev().find(|s| s.kind == node.kind)
    }

    fn all(&self, kind: Kind) -> impl Iterator<Item = &'a Node> + '_ {
        self.nodes.iter().filter(move |(n, _)| n.kind == kind).map(|(n, _)| *n)
    }

    /// What `reference` names, read in the node at `context` (the node whose
    /// title or text holds it; `None` in the frame).
    pub fn resolve(&self, reference: &Reference, context: Option<usize>) -> Resolution<'a> {
        let regulation = self.family == Family::Regulation;
        // Where the chain currently points: `None` is the whole document.
        let mut inside: Option<&'a Node> = match (reference.scope, context) {
            (Scope::Document, _) => None,
            (Scope::ThisUnit, Some(c)) => {
                match self.enclosing(c, if regulation { Kind::Article } else { Kind::Part }) {
                    Some(unit) => Some(unit),
                    None => return Resolution::Unknown,
                }
            }
            (Scope::Previous, Some(c)) => {
                let own = if regulation { self.enclosing_paragraph(c) } else { Some(c) };
                match own.and_then(|o| self.previous_sibling(o)) {
                    Some(previous) => Some(previous),
                    None => return Resolution::Unknown,
                }
            }
            (_, None) => return Resolution::Unknown,
        };
        let mut found = Vec::with_capacity(reference.links.len());
        for (k, l) in reference.links.iter().enumerate() {
            let candidates: Vec<&'a Node> = match (l.unit, inside) {
                ('章', None) => self.all(Kind::Chapter).filter(|n| n.number == l.number).collect(),
                // A text numbered 一、 over 第X条 articles (a 规定 in parts)
                // names its articles by 第X条, as a regulation does.
                ('条', None) if regulation || self.all(Kind::Article).next().is_some() => {
                    self.all(Kind::Article).filter(|n| n.number == l.number && n.sub.is_none()).collect()
                }
                // In a policy, 第三条 and 第三部分 of 本措施 are its part 三、
                // and 第（三）项 its clause （三）.
                ('条' | '部', None) if !regulation => self.all(Kind::Part).filter(|n| n.number == l.number).collect(),
                ('项', None) if !regulation => self.all(Kind::Section).filter(|n| n.number == l.number).collect(),
                ('款', Some(a)) if a.kind == Kind::Article => {
                    let paragraphs: Vec<&Node> = a.children.iter().filter(|c| c.kind == Kind::Paragraph).collect();
                    let one = if paragraphs.is_empty() && l.number == 1 {
                        Some(a)
                    } else {
                        (l.number as usize).checked_sub(1).and_then(|i| paragraphs.get(i)).copied()
                    };
                    one.into_iter().collect()
                }
                ('项', Some(n)) => {
                    // The level right below: 项 of an article or 款, the
                    // clauses of a part, the items of a clause.
                    let level = if regulation {
                        Some(Kind::Clause)
                    } else {
                        n.walk().skip(1).find(|c| c.kind != Kind::Paragraph).map(|c| c.kind)
                    };
                    n.walk().skip(1).filter(|c| Some(c.kind) == level && c.number == l.number).collect()
                }
                _ => return Resolution::Unknown,
            };
            match candidates.as_slice() {
                [one] => {
                    inside = Some(one);
                    found.push(*one);
                }
                [] => return Resolution::Dangling { link: k, why: self.why(l, inside) },
                many => return Resolution::Ambiguous { link: k, count: many.len() },
            }
        }
        Resolution::Found(found)
    }

    fn enclosing_paragraph(&self, index: usize) -> Option<usize> {
        let mut i = index;
        loop {
            let (node, parent) = self.nodes[i];
            if node.kind == Kind::Paragraph {
                return Some(i);
            }
            i = parent?;
        }
    }

    fn why(&self, l: &Link, inside: Option<&Node>) -> String {
        let last = |kind: Kind| {
            self.all(kind).max_by_key(|n| n.number).map_or_else(|| "nothing".to_owned(), |n| format!("`{}`", n.marker))
        };
        match (l.unit, inside) {
            ('款', Some(a)) => {
                let count = a.children.iter().filter(|c| c.kind == Kind::Paragraph).count().max(1);
                format!("`{}` has {count} 款", a.marker)
            }
            ('项', Some(a)) if a.marker.is_empty() => "the paragraph has no such 项".to_owned(),
            ('项', Some(a)) => format!("`{}` has no such 项", a.marker),
            ('章', _) => format!("the document's 章 stop at {}", last(Kind::Chapter)),
            ('条', _) if self.family == Family::Regulation || self.all(Kind::Article).next().is_some() => {
                format!("the document's 条 stop at {}", last(Kind::Article))
            }
            ('条' | '部', _) => format!("the document's parts stop at {}", last(Kind::Part)),
            _ => format!("the document's clauses stop at {}", last(Kind::Section)),
        }
    }
}

impl<'a> Outline<'a> {
    /// Every reference in the titles and texts of the nodes, in document
    /// order: as written, the index of the node it is in, and what it names.
    pub fn references(&self) -> Vec<(String, usize, Resolution<'a>)> {
        let mut out = Vec::new();
        for i in 0..self.nodes.len() {
            let node = self.nodes[i].0;
            for text in node.title.iter().chain(&node.text) {
                for reference in find(text) {
                    let resolution = self.resolve(&reference, Some(i));
                    out.push((text[reference.range.clone()].to_owned(), i, resolution));
                }
            }
        }
        out
    }

    /// The index of `node` in document order.
    pub fn index_of(&self, node: &Node) -> Option<usize> {
        self.nodes.iter().position(|(n, _)| std::ptr::eq(*n, node))
    }
}

/// Whether `link` names a 章, or a regulation's 条, below the highest of
/// its kind in the document: one the numbering skips, which numbering-gap
/// reports as missing. The reference is right; the text lost its target.
fn lost_in_gap(cx: &Context, link: &Link) -> bool {
    let kind = match link.unit {
        '章' => Kind::Chapter,
        '条' if cx.document.family() == Family::Regulation || cx.nodes.iter().any(|e| e.node.kind == Kind::Article) => {
            Kind::Article
        }
        _ => return false,
    };
    link.number > 0 && cx.nodes.iter().any(|e| e.node.kind == kind && e.node.number > link.number)
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let dangling = cx.enabled(&DANGLING_REFERENCE);
    let ambiguous = cx.enabled(&REFERENCE_AMBIGUOUS);
    if !dangling && !ambiguous {
        return;
    }
    let outline = Outline::new(cx.document);
    // One finding per paragraph and cause: `前款第二项、第三项、第四项` in a
    // paragraph whose 项 lost their markers is one defect, not three.
    let mut reported: Vec<(usize, String)> = Vec::new();
    let mut scan = |span: Span, context: Option<usize>| {
        let text = cx.text(span);
        for reference in find(text) {
            let at = |range: &Range<usize>| cx.span(span.start + range.start..span.start + range.end);
            let written = |link: usize| &text[reference.range.start..reference.links[link].range.end];
            match outline.resolve(&reference, context) {
                // A 章 or 条 the text numbers past was lost (第三章 under
                // `第四章` and no 第三章): numbering-gap reports the loss.
                Resolution::Dangling { link, .. } if lost_in_gap(cx, &reference.links[link]) => {}
                Resolution::Dangling { link, why } if dangling => {
                    if reported.iter().any(|(at, w)| *at == span.start && *w == why) {
                        continue;
                    }
                    reported.push((span.start, why.clone()));
                    let range = reference.links[0].range.start..reference.links[link].range.end;
                    out.push(
                        cx.diagnostic(
                            &DANGLING_REFERENCE,
                            at(&range),
                            format!("`{}` points at nothing: {why}", written(link)),
                        )
                        .with_help(
                            "correct the reference (was the document renumbered?), or restore the clause it names",
                        ),
                    );
                }
                Resolution::Ambiguous { link, count } if ambiguous => {
                    let range = reference.links[0].range.start..reference.links[link].range.end;
                    out.push(
                        cx.diagnostic(
                            &REFERENCE_AMBIGUOUS,
                            at(&range),
                            format!("`{}` could point at any of {count} clauses numbered so", written(link)),
                        )
                        .with_help("make the numbers it names unique (or say which clause is meant); policyc fmt leaves it as it is"),
                    );
                }
                _ => {}
            }
        }
    };
    for i in 0..outline.len() {
        let spans = &outline.node(i).spans;
        for &span in spans.title.iter().chain(&spans.text) {
            scan(span, Some(i));
        }
    }
    let frame = &cx.document.frame;
    for p in frame.preamble.iter().chain(&frame.closing) {
        scan(p.span, None);
    }
}
