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
use crate::tree::{Document, Kind, Node};
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

/// Rewrite the references of a document to itself in one line of
/// normalized text, read in the node at `context` of `outline`: each number
/// a reference resolves through (see [`references::find_in`] and
/// [`references::Outline::resolve`], which `check` reads references with
/// too) becomes the new number of the node it names, written as it was (三
/// or 3). `after` is the same outline with the new numbers: a reference is
/// rewritten only when, read there, it names the same nodes; otherwise
/// (renumbering under each part makes two （三）) it is left as written and
/// reported.
pub fn rewrite(
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
    for reference in references::find_in(text, outline.family()) {
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
                    out.push_str(&numeral::format_like(&text[link.digits.clone()], new.number));
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

#[cfg(test)]
mod tests {
    use super::*;

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
