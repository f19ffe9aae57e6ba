//! Internal references: 本条例第四十条, 本措施第（二十）项, 本条第二款 must
//! point at something the document has.

use crate::diag::Diagnostic;
use crate::parse::numeral;
use crate::tree::{Family, Kind, Node, Span};
use crate::validate::Context;
use crate::validate::registry::{Level, Rule};

pub const DANGLING_REFERENCE: Rule = Rule {
    code: "X001",
    name: "dangling-reference",
    level: Level::Error,
    doc: "## What it does\nChecks that a reference to the document itself points at something it has: 本条例第四十条 in a regulation with 35 条, 本措施第（二十）项 in a text that stops at （十八）, 本条第三款 in an article of two paragraphs. References are recognized after 本 + the document's own name (本条例, 本办法, 本规定, 本细则, 本措施, 本方案, 本意见, 本要点, 本计划) or 本条, in the forms 第X章, 第X条, 第X款, 第X项 and 第（X）项.\n\n## Why is this bad\nA reference to a clause that does not exist is a leftover of renumbering or of a deleted clause; the reader cannot follow it, and the rule it points at is lost.\n\n## Example\n```text\n第三十六条　违反本条例第四十条规定的……\n```",
};

/// The words after 本 that name the document itself.
const SELF_NAMES: [&str; 9] = ["条例", "办法", "规定", "细则", "措施", "方案", "意见", "要点", "计划"];

/// One link of a reference chain: 第四十条, 第二款, 第（三）项.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Link {
    unit: char,
    number: u32,
    /// Byte offsets of the link in the scanned text.
    start: usize,
    end: usize,
}

/// Read `第X条` / `第（X）项` at the start of `text`.
fn link(text: &str, at: usize) -> Option<Link> {
    let rest = text[at..].strip_prefix('第')?;
    let (inner, after) = if let Some(r) = rest.strip_prefix(['（', '(']) {
        let close = r.find(['）', ')'])?;
        let close_len = r[close..].chars().next()?.len_utf8();
        (&r[..close], &r[close + close_len..])
    } else {
        let n = rest.len() - rest.trim_start_matches(|c: char| "零一二三四五六七八九十百千".contains(c)).len();
        (&rest[..n], &rest[n..])
    };
    let number = numeral::parse(inner).or_else(|| numeral::parse_digits(inner))?;
    let unit = after.chars().next().filter(|c| matches!(c, '章' | '条' | '款' | '项'))?;
    let end = text.len() - after.len() + unit.len_utf8();
    Some(Link { unit, number, start: at, end })
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if !cx.enabled(&DANGLING_REFERENCE) {
        return;
    }
    let family = cx.document.family();
    // `str::find` looks for the last byte of 本 (0xAC), which ends many
    // other characters; a searcher for all three bytes stops at 本 only.
    let this = memchr::memmem::Finder::new("本");
    // Body regions know their article (for 本条); frame regions do not.
    for (i, entry) in cx.nodes.iter().enumerate() {
        let article = enclosing(cx, i, Kind::Article);
        let spans = &entry.node.spans;
        for &span in spans.title.iter().chain(&spans.text) {
            scan(cx, &this, span, family, article, out);
        }
    }
    let frame = &cx.document.frame;
    for p in frame.preamble.iter().chain(&frame.closing) {
        scan(cx, &this, p.span, family, None, out);
    }
}

fn enclosing<'a>(cx: &Context<'a>, mut i: usize, kind: Kind) -> Option<&'a Node> {
    loop {
        let entry = &cx.nodes[i];
        if entry.node.kind == kind {
            return Some(entry.node);
        }
        i = entry.parent?;
    }
}

fn scan(
    cx: &Context,
    this: &memchr::memmem::Finder,
    span: Span,
    family: Family,
    article: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) {
    let text = cx.text(span);
    let mut from = 0;
    while let Some(found) = this.find(&text.as_bytes()[from..]) {
        let at = from + found;
        from = at + '本'.len_utf8();
        let after = &text[from..];
        let (scope, skip) = if after.starts_with('条') && !after.starts_with("条例") {
            (Scope::ThisArticle, '条'.len_utf8())
        } else if let Some(name) = SELF_NAMES.iter().find(|n| after.starts_with(**n)) {
            (Scope::Document, name.len())
        } else {
            continue;
        };
        let mut links = Vec::new();
        let mut pos = from + skip;
        while let Some(l) = link(text, pos) {
            pos = l.end;
            links.push(l);
        }
        if links.is_empty() {
            continue;
        }
        from = pos;
        if let Some((bad, why)) = resolve(cx, scope, &links, family, article) {
            let start = span.start + links[0].start;
            let end = span.start + links[bad].end;
            let reference = &text[at..links[bad].end];
            out.push(
                cx.diagnostic(
                    &DANGLING_REFERENCE,
                    cx.span(start..end),
                    format!("`{reference}` points at nothing: {why}"),
                )
                .with_help("correct the reference (was the document renumbered?), or restore the clause it names"),
            );
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Document,
    ThisArticle,
}

/// The first link that names nothing, and why.
fn resolve(
    cx: &Context,
    scope: Scope,
    links: &[Link],
    family: Family,
    article: Option<&Node>,
) -> Option<(usize, String)> {
    let top_level = |kind: Kind| cx.nodes.iter().filter(move |e| e.node.kind == kind).map(|e| e.node);
    // Where the chain currently points: `None` is the whole document.
    let mut inside: Option<&Node> = if scope == Scope::ThisArticle { article } else { None };
    if scope == Scope::ThisArticle && article.is_none() {
        return None;
    }
    for (k, l) in links.iter().enumerate() {
        let found = match (l.unit, inside, family) {
            ('章', None, _) => top_level(Kind::Chapter).find(|n| n.number == l.number),
            ('条', None, Family::Regulation) => {
                top_level(Kind::Article).find(|n| n.number == l.number && n.sub.is_none())
            }
            // In a policy, 第三条 of 本措施 is its part 三、 and 第（三）项 its section.
            ('条', None, Family::Policy) => top_level(Kind::Part).find(|n| n.number == l.number),
            ('项', None, Family::Policy) => top_level(Kind::Section).find(|n| n.number == l.number),
            ('款', Some(a), _) if a.kind == Kind::Article => {
                let paragraphs: Vec<&Node> = a.children.iter().filter(|c| c.kind == Kind::Paragraph).collect();
                if paragraphs.is_empty() && l.number == 1 {
                    Some(a)
                } else {
                    (l.number as usize).checked_sub(1).and_then(|i| paragraphs.get(i)).copied()
                }
            }
            ('项', Some(n), _) => n.walk().skip(1).find(|c| c.kind == Kind::Clause && c.number == l.number),
            _ => return None,
        };
        match found {
            Some(n) => inside = Some(n),
            None => {
                let why = match (l.unit, inside) {
                    ('款', Some(a)) => {
                        let count = a.children.iter().filter(|c| c.kind == Kind::Paragraph).count().max(1);
                        format!("`{}` has {count} 款", a.marker)
                    }
                    ('项', Some(a)) => format!("`{}` has no such 项", a.marker),
                    ('章', _) => format!("the document's 章 stop at {}", last_marker(cx, Kind::Chapter)),
                    ('条', _) if family == Family::Regulation => {
                        format!("the document's 条 stop at {}", last_marker(cx, Kind::Article))
                    }
                    ('条', _) => format!("the document's parts stop at {}", last_marker(cx, Kind::Part)),
                    _ => format!("the document's clauses stop at {}", last_marker(cx, Kind::Section)),
                };
                return Some((k, why));
            }
        }
    }
    None
}

fn last_marker(cx: &Context, kind: Kind) -> String {
    cx.nodes
        .iter()
        .filter(|e| e.node.kind == kind)
        .max_by_key(|e| e.node.number)
        .map_or_else(|| "nothing".to_owned(), |e| format!("`{}`", e.node.marker))
}
