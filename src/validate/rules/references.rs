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
use crate::diag::registry::{DANGLING_REFERENCE, REFERENCE_AMBIGUOUS};
use crate::parse::numeral;
use crate::tree::{Document, Family, Kind, Node, Span};
use crate::validate::Context;

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
    /// The 一 of 第十二条之一 (an article inserted after 第十二条).
    pub sub: Option<u32>,
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
        let unit = after.chars().next().filter(|c| matches!(c, '编' | '章' | '节' | '条' | '款' | '项'))?;
        (unit, unit.len_utf8())
    };
    // A bracketed number names a clause only: 第（三）条 is not a form.
    if open.is_some() && unit != '项' {
        return None;
    }
    let mut end = text.len() - after.len() + len;
    let mut sub = None;
    if unit == '条'
        && let Some(rest) = text[end..].strip_prefix('之')
    {
        let n = rest.len() - rest.trim_start_matches(is_numeral).len();
        if let Some(value) = numeral::parse(&rest[..n]) {
            sub = Some(value);
            end += '之'.len_utf8() + n;
        }
    }
    Some(Link { unit, number, range: at..end, digits, sub })
}

/// The references to the document itself in `text`, in order.
pub fn find(text: &str) -> Vec<Reference> {
    // `str::find` looks for the last byte of 本 (0xAC), which ends many
    // other characters; searchers for the whole words stop at them only.
    // Built once: building the three searchers for every paragraph cost
    // more than the searches.
    static WORDS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 3]> =
        std::sync::LazyLock::new(|| ["本", "上述", "前款"].map(memchr::memmem::Finder::new));
    let mut starts: Vec<usize> = WORDS.iter().flat_map(|word| word.find_iter(text.as_bytes())).collect();
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

/// The references to the document itself in `text` of a document of
/// `family`, in order. A regulation also refers to itself without naming
/// itself: a bare 第十条 (第二章, 第十条第二款) is this regulation's, unless
/// another law is named right before it (《专利法》第十条, 专利法第十条, and
/// the chains listed after one); a bare 第（三）项 or 第二款第（三）项 is the
/// article's the text is in. `check` reads only the references that name
/// the document (本条例第十条): a bare one in a law often goes on from
/// another article named before it, which a reader sees and a resolver
/// does not.
pub fn find_in(text: &str, family: Family) -> Vec<Reference> {
    let named = find(text);
    if family != Family::Regulation {
        return named;
    }
    let mut found = Vec::with_capacity(named.len());
    let mut named = named.into_iter().peekable();
    let mut pos = 0;
    // Whether the last reference named another text (《专利法》第十条、第十一条).
    let mut last_external = false;
    while let Some(at) = text[pos..].find('第').map(|i| pos + i) {
        if let Some(next) = named.peek().filter(|r| r.range.start <= at) {
            pos = next.range.end.max(at + '第'.len_utf8());
            last_external = false;
            found.push(named.next().unwrap_or_else(|| unreachable!()));
            continue;
        }
        let mut links = Vec::new();
        let mut end = at;
        while let Some(l) = link(text, end) {
            end = l.range.end;
            links.push(l);
        }
        let Some(first) = links.first() else {
            pos = at + '第'.len_utf8();
            continue;
        };
        let before = &text[..at];
        let external = match before.chars().last() {
            Some(c) if JOINERS.contains(&c) || c == '，' => last_external,
            _ => is_external(before),
        };
        last_external = external;
        pos = end;
        // A bare 第十项 or 第二款 most often goes on from an article named
        // earlier in the sentence (违反第四十条第一款…；违反第十项规定的):
        // only a chain that ends in a bracketed 第（三）项 is the article's
        // own, as drafting rules write it.
        let bracketed = |l: &Link| l.unit == '项' && l.digits.start > l.range.start + '第'.len_utf8();
        let scope = match first.unit {
            '编' | '章' | '节' | '条' => Scope::Document,
            '款' | '项' if links.last().is_some_and(bracketed) => Scope::ThisUnit,
            _ => continue,
        };
        if !external {
            found.push(Reference { scope, range: at..end, links });
        }
    }
    found.extend(named);
    found
}

/// A text names another law or document right before a reference:
/// 《专利法》第十条, 专利法第十条; 本条例第十条 and a bare 第十条 are this one.
pub fn is_external(before: &str) -> bool {
    const NAMES: [&str; 13] =
        ["法", "条例", "办法", "规定", "细则", "规则", "决定", "章程", "意见", "通知", "措施", "方案", "纲要"];
    if before.ends_with('》') {
        return true;
    }
    // 本办法 ends with 法 too: this text first.
    let this = NAMES.iter().any(|name| before.strip_suffix(name).is_some_and(|rest| rest.ends_with('本')));
    !this && NAMES.iter().any(|name| before.ends_with(name))
}

/// What may join two references of one list: 第一条、第三条, 第二条和第五条.
const JOINERS: [char; 6] = ['、', '和', '或', '及', '至', '与'];

/// The numbered nodes of a document in order, each with its parent, as the
/// resolver walks them.
pub struct Outline<'a> {
    family: Family,
    nodes: Vec<(&'a Node, Option<usize>)>,
    by_marker: BTreeMap<usize, usize>,
    by_text: BTreeMap<usize, usize>,
}

impl<'a> Outline<'a> {
    pub fn new(document: &'a Document) -> Self {
        fn visit<'a>(list: &'a [Node], parent: Option<usize>, outline: &mut Outline<'a>) {
            for node in list {
                outline.by_marker.insert(node.spans.marker.start, outline.nodes.len());
                for text in &node.spans.text {
                    outline.by_text.insert(text.start, outline.nodes.len());
                }
                outline.nodes.push((node, parent));
                visit(&node.children, Some(outline.nodes.len() - 1), outline);
            }
        }
        let mut outline = Outline {
            family: document.family(),
            nodes: Vec::new(),
            by_marker: BTreeMap::new(),
            by_text: BTreeMap::new(),
        };
        visit(&document.body, None, &mut outline);
        outline
    }

    pub fn family(&self) -> Family {
        self.family
    }

    /// The node whose text (a paragraph of it) starts at `offset` of the
    /// source.
    pub fn at_text(&self, offset: usize) -> Option<usize> {
        self.by_text.get(&offset).copied()
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
                ('编', None) => self.all(Kind::Book).filter(|n| n.number == l.number).collect(),
                ('章', None) => self.all(Kind::Chapter).filter(|n| n.number == l.number).collect(),
                ('节', None) => self.all(Kind::Division).filter(|n| n.number == l.number).collect(),
                // A text numbered 一、 over 第X条 articles (a 规定 in parts)
                // names its articles by 第X条, as a regulation does.
                ('条', None) if regulation || self.all(Kind::Article).next().is_some() => {
                    self.all(Kind::Article).filter(|n| n.number == l.number && n.sub == l.sub).collect()
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
            ('项', Some(a)) if let Some(lead) = self.unmarked_list(a) => format!(
                "the list after `{lead}` has no 项 markers (its 项 are lines ending in `；`): the markers were lost"
            ),
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
    /// The lead-in of a list in the article of `node` whose 项 carry no
    /// markers: a paragraph ending in `：` and, after it, paragraphs ending
    /// in `；` (at least two), with no 项 in the article. A reference to its
    /// 项 is right; the text lost what it names, and that is the defect.
    fn unmarked_list(&self, node: &Node) -> Option<String> {
        let article = self.enclosing(self.index_of(node)?, Kind::Article)?;
        if article.walk().any(|n| n.kind == Kind::Clause) {
            return None;
        }
        let texts: Vec<&str> = article
            .text
            .iter()
            .chain(article.children.iter().filter(|c| c.kind == Kind::Paragraph).flat_map(|c| &c.text))
            .map(|t| t.trim_end())
            .collect();
        texts.iter().enumerate().find_map(|(i, lead)| {
            let items = texts[i + 1..].iter().take_while(|t| t.ends_with(['；', ';'])).count();
            (lead.ends_with(['：', ':']) && items >= 2).then(|| crate::validate::excerpt(lead, 12))
        })
    }

    /// Every reference in the titles and texts of the nodes, in document
    /// order: as written, the index of the node it is in, and what it names.
    pub fn references(&self) -> Vec<(String, usize, Resolution<'a>)> {
        let mut out = Vec::new();
        for i in 0..self.nodes.len() {
            let node = self.nodes[i].0;
            for text in node.title.iter().chain(&node.text) {
                for reference in find_in(text, self.family) {
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

/// Whether a paragraph of `article` (its own, a 款's or a 项's) stops where
/// no sentence stops, on a Chinese character: `……采取措施防` over `治……`.
fn broken_mid_sentence(article: &Node) -> bool {
    article.walk().any(|n| {
        n.text.iter().any(|t| {
            let t = t.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
            t.chars().next_back().is_some_and(|c| c.is_alphanumeric() && !c.is_ascii())
        })
    })
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
                // A 款 or 项 of an article the text broke mid-sentence (a
                // collection's hard wrap read as a new 款): the count of its
                // 款 and 项 is the wrap's, and the text rules report the break.
                Resolution::Dangling { link, .. }
                    if matches!(reference.links[link].unit, '款' | '项')
                        && context
                            .and_then(|c| outline.enclosing(c, Kind::Article))
                            .is_some_and(broken_mid_sentence) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_references() {
        assert!(is_external("依照《专利法》"));
        assert!(is_external("依照专利法"));
        assert!(!is_external("违反本条例"));
        assert!(!is_external("依照本法"));
        assert!(!is_external("组织实施本办法"));
        assert!(!is_external("依照"));
    }

    /// A regulation's bare references are its own, but for those after
    /// another law's name and the list they start.
    #[test]
    fn a_regulation_refers_to_itself_without_naming_itself() {
        let text =
            "依照第五条和本条例第六条之一，参照《专利法》第十条、第十一条，适用前款第（一）项；第二款第（三）项除外。";
        let found: Vec<(Scope, &str, Option<u32>)> = find_in(text, Family::Regulation)
            .into_iter()
            .map(|r| (r.scope, &text[r.range.clone()], r.links[0].sub))
            .collect();
        assert_eq!(
            found,
            [
                (Scope::Document, "第五条", None),
                (Scope::Document, "本条例第六条之一", Some(1)),
                (Scope::Previous, "前款第（一）项", None),
                (Scope::ThisUnit, "第二款第（三）项", None),
            ]
        );
        let policy: Vec<&str> = find_in(text, Family::Policy).iter().map(|r| &text[r.range.clone()]).collect();
        assert_eq!(policy, ["本条例第六条之一", "前款第（一）项"]);
    }
}
