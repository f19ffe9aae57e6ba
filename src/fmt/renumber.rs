//! Renumbering and the internal references that follow it.
//!
//! Takes a parsed [`Document`] and gives a [`Plan`]: the canonical marker of
//! every numbered node, by the source offset of its marker, and the maps that
//! rewrite references (本条例第十二条, 第（三）项, 本办法第五条第二款) to the
//! new numbers. Cannot fail.
//!
//! Each level is numbered by the document's own scheme: *continuous* through
//! the whole document ((十一) after (十) under a new 一、) or *restarting*
//! under each parent. The scheme of a policy level is inferred from the
//! groups after the first: one that starts at 1 votes for restarting, one
//! that starts higher for continuous. 条 are continuous and 项/目 restart,
//! as drafting rules have it. Either can be set in [`super::Options`].

use std::collections::{BTreeMap, BTreeSet};

use crate::parse::marker::{self, MarkerInfo, Shape};
use crate::parse::numeral;
use crate::tree::{Document, Family, Kind, Node};
use crate::validate::rules::references::{self, Outline, Resolution};

use super::{Options, Style};

/// How a level is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    /// One count through the whole document.
    Continuous,
    /// Starts at 1 under each parent.
    Restart,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Continuous => "continuous",
            Scheme::Restart => "restart",
        }
    }
}

impl std::str::FromStr for Scheme {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "continuous" => Ok(Scheme::Continuous),
            "restart" => Ok(Scheme::Restart),
            other => Err(format!("unknown numbering scheme `{other}` (expected continuous or restart)")),
        }
    }
}

/// A number as a marker carries it: 十二 and, for 第十二条之一, the 一.
pub type Number = (u32, Option<u32>);

/// What renumbering will do to a document.
#[derive(Debug, Default)]
pub struct Plan {
    /// The canonical marker of each numbered node, by its marker's source offset.
    pub markers: BTreeMap<usize, String>,
    /// The scheme each level present in the document is numbered by.
    pub schemes: BTreeMap<Kind, Scheme>,
    /// The new number of each numbered node, by its marker's source offset.
    pub numbers: BTreeMap<usize, Number>,
    pub references: References,
}

/// Build the plan for `document`.
pub fn plan(document: &Document, options: &Options) -> Plan {
    let mut plan = Plan::default();
    let present: BTreeSet<Kind> = document.nodes().map(|n| n.kind).filter(|&k| k != Kind::Paragraph).collect();
    for kind in present {
        let scheme = options.numbering.get(&kind).copied().unwrap_or_else(|| default_scheme(document, kind));
        plan.schemes.insert(kind, scheme);
    }
    let mut numbers = BTreeMap::new();
    assign(&document.body, &plan.schemes, &mut BTreeMap::new(), &mut numbers);
    for node in document.nodes() {
        let Some(&(number, sub)) = numbers.get(&node.spans.marker.start) else { continue };
        let Some(info) = marker::analyze(&node.marker) else { continue };
        let text = marker_text(&info, number, sub, options.style).unwrap_or_else(|| node.marker.clone());
        plan.markers.insert(node.spans.marker.start, text);
    }
    if document.family() == Family::Regulation {
        plan.references = References::new(document, &numbers);
    }
    plan.numbers = numbers;
    plan
}

/// The scheme of a level when configuration does not set it.
fn default_scheme(document: &Document, kind: Kind) -> Scheme {
    match kind {
        Kind::Article => return Scheme::Continuous,
        Kind::Clause | Kind::Subclause | Kind::Paragraph => return Scheme::Restart,
        _ => {}
    }
    // The first number of every group of siblings of this kind, in order.
    let mut firsts: Vec<(usize, u32)> = Vec::new();
    let mut visit_group = |children: &[Node]| {
        if let Some(first) = children.iter().find(|c| c.kind == kind) {
            firsts.push((first.span.start, first.number));
        }
    };
    visit_group(&document.body);
    for node in document.nodes() {
        visit_group(&node.children);
    }
    firsts.sort_unstable();
    let restart = firsts.iter().skip(1).filter(|&&(_, n)| n <= 1).count();
    let continuous = firsts.len().saturating_sub(1) - restart;
    if continuous > restart { Scheme::Continuous } else { Scheme::Restart }
}

/// New numbers in document order. `global` holds the running count of the
/// continuous levels; each call's `local` the counts under one parent.
fn assign(
    nodes: &[Node],
    schemes: &BTreeMap<Kind, Scheme>,
    global: &mut BTreeMap<Kind, u32>,
    out: &mut BTreeMap<usize, Number>,
) {
    let mut local: BTreeMap<Kind, u32> = BTreeMap::new();
    for node in nodes {
        if node.kind != Kind::Paragraph {
            let counter = match schemes.get(&node.kind).copied().unwrap_or(Scheme::Restart) {
                Scheme::Continuous => global.entry(node.kind).or_insert(0),
                Scheme::Restart => local.entry(node.kind).or_insert(0),
            };
            // An inserted article (第十二条之一) keeps its place after the
            // article it was inserted after; it does not take a number.
            if node.sub.is_none() || *counter == 0 {
                *counter += 1;
            }
            out.insert(node.spans.marker.start, (*counter, node.sub));
        }
        assign(&node.children, schemes, global, out);
    }
}

/// The largest number a marker can carry and still be read as one.
const MAX_NUMBER: u32 = 999;

/// The canonical spelling of a marker of `info`'s shape carrying `number`;
/// `None` when the shape cannot carry it (there is no circled 51).
pub fn marker_text(info: &MarkerInfo, number: u32, sub: Option<u32>, style: Style) -> Option<String> {
    // The grammar reads numerals and digits up to 999 (no 千, at most three
    // digits): a marker past that would not read back as a marker.
    if number > MAX_NUMBER || sub.is_some_and(|s| s > MAX_NUMBER) {
        return None;
    }
    let (open, close) = match style {
        Style::Standard => ('（', '）'),
        Style::HalfWidth => ('(', ')'),
    };
    let chinese = numeral::format(number);
    let unit = |unit: char| {
        let mut s = format!("第{chinese}{unit}");
        if let Some(sub) = sub {
            s.push('之');
            s.push_str(&numeral::format(sub));
        }
        s
    };
    Some(match info.shape {
        Shape::Book => unit('编'),
        Shape::Chapter => unit('章'),
        Shape::Division => unit('节'),
        Shape::Article => unit('条'),
        Shape::ChineseSep => format!("{chinese}、"),
        Shape::ChineseParen => format!("{open}{chinese}{close}"),
        Shape::ArabicSep => format!("{number}."),
        Shape::ArabicParen => format!("{open}{number}{close}"),
        Shape::Circled => marker::circled_char(number)?.to_string(),
    })
}

// ------------------------------------------------------------- references

/// Maps from old to new numbers for the units references name.
#[derive(Debug, Default)]
pub struct References {
    /// 编 章 节 条: old number → every new number a node of that old number gets.
    units: BTreeMap<char, BTreeMap<Number, BTreeSet<Number>>>,
    /// Units some of whose numbers change ('项' for clauses).
    changed: BTreeSet<char>,
    articles: Vec<Article>,
    /// Article index by the source offset of its marker.
    by_marker: BTreeMap<usize, usize>,
}

#[derive(Debug)]
struct Article {
    old: Number,
    /// (款 number or `None` when the article has one paragraph, old, new).
    clauses: Vec<(Option<u32>, u32, u32)>,
}

/// A reference left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The reference as written (after normalization).
    pub reference: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The number names several nodes that renumbering tells apart.
    Ambiguous,
    /// No node has that number.
    Unresolved,
    /// The reference names one node, but with the new numbers its number
    /// would name another or several (two parts each with a （三））.
    Unfollowable,
}

impl References {
    fn new(document: &Document, numbers: &BTreeMap<usize, Number>) -> Self {
        let mut refs = References::default();
        for node in document.nodes() {
            let unit = match node.kind {
                Kind::Book => '编',
                Kind::Chapter => '章',
                Kind::Division => '节',
                Kind::Article => '条',
                _ => continue,
            };
            let Some(&new) = numbers.get(&node.spans.marker.start) else { continue };
            let old = (node.number, node.sub);
            refs.units.entry(unit).or_default().entry(old).or_default().insert(new);
            if old != new {
                refs.changed.insert(unit);
            }
            if node.kind == Kind::Article {
                let mut clauses = Vec::new();
                collect_clauses(node, None, numbers, &mut clauses);
                if clauses.iter().any(|&(_, old, new)| old != new) {
                    refs.changed.insert('项');
                }
                refs.by_marker.insert(node.spans.marker.start, refs.articles.len());
                refs.articles.push(Article { old, clauses });
            }
        }
        refs
    }

    /// The article whose marker starts at `offset`, as a context for 第（三）项.
    pub fn article_at(&self, offset: usize) -> Option<usize> {
        self.by_marker.get(&offset).copied()
    }

    /// Rewrite the references in one line of normalized text. `article` is
    /// the article the line belongs to, if any.
    pub fn rewrite(&self, text: &str, article: Option<usize>) -> (String, Vec<Finding>) {
        let mut findings = Vec::new();
        if self.units.is_empty() {
            return (text.to_owned(), findings);
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        // Whether the previous reference named another text (《专利法》第十条、第十一条).
        let mut last_external = false;
        while i < chars.len() {
            if chars[i] != '第' {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let before: String = chars[..i].iter().collect();
            if let Some(unit_ref) = unit_at(&chars, i) {
                let external = match before.chars().last() {
                    Some('、' | '和' | '或' | '至' | '及' | '，') => last_external,
                    _ => is_external(&before),
                };
                last_external = external;
                if external {
                    // The whole chain (第十条第二款第（三）项) names the other text.
                    let mut end = unit_ref.end;
                    if unit_ref.unit == '条' {
                        end = counted_at(&chars, end, '款').map_or(end, |(_, e)| e);
                        end = clause_at(&chars, end).map_or(end, |c| c.end);
                    }
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                let written: String = chars[i..unit_ref.end].iter().collect();
                let (replacement, target) = self.resolve_unit(&unit_ref, &written, &mut findings);
                out.push_str(&replacement);
                i = unit_ref.end;
                if unit_ref.unit == '条' {
                    // 第五条第二款第（三）项: the 款 number is positional and stays.
                    let mut paragraph = None;
                    if let Some((n, end)) = counted_at(&chars, i, '款') {
                        paragraph = Some(n);
                        out.extend(&chars[i..end]);
                        i = end;
                    }
                    if let Some(clause) = clause_at(&chars, i) {
                        let written: String = chars[i..clause.end].iter().collect();
                        out.push_str(&self.resolve_clause(target, paragraph, &clause, &written, &mut findings));
                        i = clause.end;
                    }
                }
                continue;
            }
            // 第二款第（三）项 and 第（三）项 of the article the line is in.
            let mut j = i;
            let mut paragraph = None;
            if let Some((n, end)) = counted_at(&chars, i, '款') {
                paragraph = Some(n);
                j = end;
            }
            if let Some(clause) = clause_at(&chars, j) {
                out.extend(&chars[i..j]);
                let written: String = chars[j..clause.end].iter().collect();
                out.push_str(&self.resolve_clause(article, paragraph, &clause, &written, &mut findings));
                i = clause.end;
                continue;
            }
            out.push('第');
            i += 1;
        }
        (out, findings)
    }

    /// The reference with its new number, and the article it names when it
    /// names exactly one.
    fn resolve_unit(&self, unit_ref: &UnitRef, written: &str, findings: &mut Vec<Finding>) -> (String, Option<usize>) {
        let old = (unit_ref.number, unit_ref.sub);
        let targets = self.units.get(&unit_ref.unit).and_then(|m| m.get(&old));
        match targets.map(|t| t.iter().collect::<Vec<_>>()).as_deref() {
            Some([new]) => {
                let article = (unit_ref.unit == '条')
                    .then(|| {
                        let mut matching = self.articles.iter().enumerate().filter(|(_, a)| a.old == old);
                        let first = matching.next().map(|(i, _)| i);
                        first.filter(|_| matching.next().is_none())
                    })
                    .flatten();
                let mut text = format!("第{}{}", numeral::format(new.0), unit_ref.unit);
                if let Some(sub) = new.1 {
                    text.push('之');
                    text.push_str(&numeral::format(sub));
                }
                (if **new == old { written.to_owned() } else { text }, article)
            }
            Some(_) => {
                findings.push(Finding { reference: written.to_owned(), problem: Problem::Ambiguous });
                (written.to_owned(), None)
            }
            None => {
                if self.changed.contains(&unit_ref.unit) {
                    findings.push(Finding { reference: written.to_owned(), problem: Problem::Unresolved });
                }
                (written.to_owned(), None)
            }
        }
    }

    fn resolve_clause(
        &self,
        article: Option<usize>,
        paragraph: Option<u32>,
        clause: &ClauseRef,
        written: &str,
        findings: &mut Vec<Finding>,
    ) -> String {
        let Some(article) = article.and_then(|a| self.articles.get(a)) else {
            if self.changed.contains(&'项') {
                findings.push(Finding { reference: written.to_owned(), problem: Problem::Ambiguous });
            }
            return written.to_owned();
        };
        let news: BTreeSet<u32> = article
            .clauses
            .iter()
            .filter(|&&(p, old, _)| old == clause.number && (paragraph.is_none() || p == paragraph))
            .map(|&(_, _, new)| new)
            .collect();
        match news.iter().collect::<Vec<_>>().as_slice() {
            [new] if **new == clause.number => written.to_owned(),
            [new] => format!("第{}{}{}项", clause.open, numeral::format(**new), clause.close),
            [] => {
                if self.changed.contains(&'项') {
                    findings.push(Finding { reference: written.to_owned(), problem: Problem::Unresolved });
                }
                written.to_owned()
            }
            _ => {
                findings.push(Finding { reference: written.to_owned(), problem: Problem::Ambiguous });
                written.to_owned()
            }
        }
    }
}

/// Rewrite the references of a policy-family document in one line of
/// normalized text, read in the node at `context` of `outline`: each number a
/// reference resolves through (see [`references::Outline::resolve`]) becomes
/// the new number of the node it names, written as it was (三 or 3).
/// `after` is the same outline with the new numbers: a reference is
/// rewritten only when, read there, it names the same nodes; otherwise
/// (renumbering under each part makes two （三）) it is left as written
/// and reported.
pub fn rewrite_policy(
    outline: &Outline,
    after: &Outline,
    numbers: &BTreeMap<usize, Number>,
    text: &str,
    context: Option<usize>,
    moves: bool,
) -> (String, Vec<Finding>) {
    let mut out = String::with_capacity(text.len());
    let mut findings = Vec::new();
    let mut copied = 0;
    for reference in references::find(text) {
        let written = |link: usize| text[reference.range.start..reference.links[link].range.end].to_owned();
        match outline.resolve(&reference, context) {
            Resolution::Found(nodes) => {
                let mut renumbered = reference.clone();
                for (link, node) in renumbered.links.iter_mut().zip(&nodes) {
                    if let Some(&(new, _)) = numbers.get(&node.spans.marker.start) {
                        link.number = new;
                    }
                }
                let wanted: Vec<Option<usize>> = nodes.iter().map(|n| outline.index_of(n)).collect();
                match after.resolve(&renumbered, context) {
                    Resolution::Found(now) if now.iter().map(|n| after.index_of(n)).eq(wanted.iter().copied()) => {}
                    _ => {
                        let last = reference.links.len() - 1;
                        findings.push(Finding { reference: written(last), problem: Problem::Unfollowable });
                        continue;
                    }
                }
                for (link, new) in reference.links.iter().zip(&renumbered.links) {
                    if new.number == link.number {
                        continue;
                    }
                    out.push_str(&text[copied..link.digits.start]);
                    out.push_str(&numeral_like(&text[link.digits.clone()], new.number));
                    copied = link.digits.end;
                }
            }
            Resolution::Ambiguous { link, .. } => {
                findings.push(Finding { reference: written(link), problem: Problem::Ambiguous });
            }
            Resolution::Dangling { link, .. } if moves => {
                findings.push(Finding { reference: written(link), problem: Problem::Unresolved });
            }
            Resolution::Dangling { .. } | Resolution::Unknown => {}
        }
    }
    out.push_str(&text[copied..]);
    (out, findings)
}

/// `document` with the new numbers: the outline references are checked
/// against after renumbering.
pub fn renumbered(document: &Document, numbers: &BTreeMap<usize, Number>) -> Document {
    fn visit(nodes: &mut [Node], numbers: &BTreeMap<usize, Number>) {
        for node in nodes {
            if let Some(&(number, sub)) = numbers.get(&node.spans.marker.start) {
                node.number = number;
                node.sub = sub;
            }
            visit(&mut node.children, numbers);
        }
    }
    let mut document = document.clone();
    visit(&mut document.body, numbers);
    document
}

/// Whether renumbering changes any number of the document.
pub fn outline_changes(outline: &Outline, numbers: &BTreeMap<usize, Number>) -> bool {
    (0..outline.len())
        .map(|i| outline.node(i))
        .any(|n| numbers.get(&n.spans.marker.start).is_some_and(|&(new, sub)| new != n.number || sub != n.sub))
}

/// `number` written the way `like` is: in Chinese numerals (三), in ASCII
/// digits (3) or in full-width digits (３).
fn numeral_like(like: &str, number: u32) -> String {
    if like.chars().all(|c| c.is_ascii_digit()) {
        number.to_string()
    } else if like.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        number.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect()
    } else {
        numeral::format(number)
    }
}

fn collect_clauses(
    node: &Node,
    paragraph: Option<u32>,
    numbers: &BTreeMap<usize, Number>,
    out: &mut Vec<(Option<u32>, u32, u32)>,
) {
    for child in &node.children {
        match child.kind {
            Kind::Paragraph => collect_clauses(child, Some(child.number), numbers, out),
            Kind::Clause => {
                if let Some(&(new, _)) = numbers.get(&child.spans.marker.start) {
                    out.push((paragraph, child.number, new));
                }
            }
            _ => {}
        }
    }
}

/// A text names another law or document right before a reference:
/// 《专利法》第十条, 专利法第十条; 本条例第十条 and a bare 第十条 are this one.
fn is_external(before: &str) -> bool {
    const NAMES: [&str; 13] =
        ["法", "条例", "办法", "规定", "细则", "规则", "决定", "章程", "意见", "通知", "措施", "方案", "纲要"];
    if before.ends_with('》') {
        return true;
    }
    // 本办法 ends with 法 too: this text first.
    let this = NAMES.iter().any(|name| before.strip_suffix(name).is_some_and(|rest| rest.ends_with('本')));
    !this && NAMES.iter().any(|name| before.ends_with(name))
}

struct UnitRef {
    unit: char,
    number: u32,
    sub: Option<u32>,
    end: usize,
}

struct ClauseRef {
    number: u32,
    open: char,
    close: char,
    end: usize,
}

fn is_numeral_char(c: char) -> bool {
    matches!(c, '零' | '〇' | '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千')
}

/// A numeral starting at `i`: its value and where it ends.
fn numeral_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let end = chars[i.min(chars.len())..].iter().take_while(|&&c| is_numeral_char(c)).count() + i;
    if end == i {
        return None;
    }
    let text: String = chars[i..end].iter().collect();
    Some((numeral::parse(&text)?, end))
}

/// 第X编 / 第X章 / 第X节 / 第X条(之Y) at `i`.
fn unit_at(chars: &[char], i: usize) -> Option<UnitRef> {
    let (number, end) = numeral_at(chars, i + 1)?;
    let unit = *chars.get(end)?;
    if !matches!(unit, '编' | '章' | '节' | '条') {
        return None;
    }
    let mut end = end + 1;
    let mut sub = None;
    if unit == '条'
        && chars.get(end) == Some(&'之')
        && let Some((n, e)) = numeral_at(chars, end + 1)
    {
        sub = Some(n);
        end = e;
    }
    Some(UnitRef { unit, number, sub, end })
}

/// 第X款 (or another counted unit) at `i`: its number and end.
fn counted_at(chars: &[char], i: usize, unit: char) -> Option<(u32, usize)> {
    if chars.get(i) != Some(&'第') {
        return None;
    }
    let (n, end) = numeral_at(chars, i + 1)?;
    (chars.get(end) == Some(&unit)).then_some((n, end + 1))
}

/// 第（X）项 at `i`.
fn clause_at(chars: &[char], i: usize) -> Option<ClauseRef> {
    if chars.get(i) != Some(&'第') {
        return None;
    }
    let open = *chars.get(i + 1)?;
    if !matches!(open, '（' | '(') {
        return None;
    }
    let (number, end) = numeral_at(chars, i + 2)?;
    let close = *chars.get(end)?;
    if !matches!(close, '）' | ')') || chars.get(end + 1) != Some(&'项') {
        return None;
    }
    Some(ClauseRef { number, open, close, end: end + 2 })
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

    #[test]
    fn canonical_markers() {
        let cases = [
            ("(三)", 4, Style::Standard, "（四）"),
            ("(三)", 4, Style::HalfWidth, "(四)"),
            ("一、", 11, Style::Standard, "十一、"),
            ("１．", 2, Style::Standard, "2."),
            ("1、", 2, Style::Standard, "2."),
            ("(1)", 3, Style::Standard, "（3）"),
            ("①", 2, Style::Standard, "②"),
            ("第三条", 4, Style::Standard, "第四条"),
        ];
        for (written, number, style, expected) in cases {
            let info = marker::analyze(written).unwrap();
            assert_eq!(marker_text(&info, number, None, style).as_deref(), Some(expected), "{written}");
        }
        let info = marker::analyze("①").unwrap();
        assert_eq!(marker_text(&info, 51, None, Style::Standard), None);
        let info = marker::analyze("39.").unwrap();
        assert_eq!(marker_text(&info, 1000, None, Style::Standard), None);
    }
}
