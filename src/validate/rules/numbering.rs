//! Numbering of the body: sequence (gap, duplicate, order), the document's
//! scheme (continuous or restarting under each parent), level order, and
//! the spelling of markers.

use std::collections::BTreeMap;

use crate::diag::registry::{
    LEVEL_INVERSION, LEVEL_SKIPPED, MARKER_MISSING_SEPARATOR, MARKER_NONSTANDARD, MARKER_VARIANT_MIXED,
    NUMBERING_DUPLICATE, NUMBERING_GAP, NUMBERING_OUT_OF_ORDER, NUMBERING_SCHEME_MIXED,
};
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::parse::marker::{MarkerInfo, Shape};
use crate::parse::numeral;
use crate::text::is_space;
use crate::tree::{Family, Kind, Span};
use crate::validate::{Context, Entry, excerpt};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cx.enabled(&LEVEL_INVERSION) || cx.enabled(&LEVEL_SKIPPED) {
        level_order(cx, out);
    }
    sequences(cx, out);
    if cx.enabled(&MARKER_VARIANT_MIXED) || cx.enabled(&MARKER_NONSTANDARD) {
        spelling(cx, out);
    }
    if cx.enabled(&MARKER_MISSING_SEPARATOR) {
        missing_separator(cx, out);
    }
}

fn marker_span(entry: &Entry) -> Span {
    entry.node.spans.marker
}

/// Inversions inside each list of siblings, and skipped levels below each
/// parent (reported once per pair of levels, with the count).
fn level_order(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Siblings share a parent; walk them in document order.
    let mut deepest: BTreeMap<Option<usize>, usize> = BTreeMap::new();
    let mut inverted: std::collections::BTreeSet<Option<usize>> = Default::default();
    let mut skipped: BTreeMap<(Kind, Kind), (usize, usize)> = BTreeMap::new();
    for (i, entry) in cx.nodes.iter().enumerate() {
        let kind = entry.node.kind;
        if kind == Kind::Paragraph {
            continue;
        }
        if let Some(&before) = deepest.get(&entry.parent) {
            let prev = &cx.nodes[before];
            if prev.node.kind.rank() > kind.rank()
                && !heads_articles(prev.node, kind)
                && !carried_past_paragraph(cx, i)
                && inverted.insert(entry.parent)
                && !lost_first_heading(cx, i)
            {
                out.push(
                    cx.diagnostic(
                        &LEVEL_INVERSION,
                        marker_span(entry),
                        format!(
                            "`{}` ({}) comes after `{}` ({}) at the same depth: a higher level below a lower one",
                            entry.node.marker,
                            kind.chinese(),
                            prev.node.marker,
                            prev.node.kind.chinese()
                        ),
                    )
                    .with_related(marker_span(prev), "the lower level is used here first")
                    .with_help("levels go 一、 → （一） → 1. → （1）; renumber so that the order holds"),
                );
            }
        }
        let slot = deepest.entry(entry.parent).or_insert(i);
        if cx.nodes[*slot].node.kind.rank() < kind.rank() {
            *slot = i;
        }
        if let Some(parent) = entry.parent.map(|p| &cx.nodes[p])
            && kind.family() == Family::Policy
            && parent.node.kind.family() == Family::Policy
            && kind.rank() > parent.node.kind.rank() + 1
        {
            let slot = skipped.entry((parent.node.kind, kind)).or_insert((i, 0));
            slot.1 += 1;
        }
    }
    for ((parent_kind, kind), (first, count)) in skipped {
        let entry = &cx.nodes[first];
        let parent = entry.parent.map(|p| &cx.nodes[p]);
        let missing = Kind::ALL
            .into_iter()
            .filter(|k| k.family() == Family::Policy && k.rank() > parent_kind.rank() && k.rank() < kind.rank())
            .map(Kind::chinese)
            .collect::<Vec<_>>()
            .join("、");
        let mut d = cx.diagnostic(
            &LEVEL_SKIPPED,
            marker_span(entry),
            format!(
                "`{}` sits directly under `{}`: the level {missing} is skipped{}",
                entry.node.marker,
                parent.map_or("", |p| p.node.marker.as_str()),
                if count > 1 { format!(" ({count} times in this document)") } else { String::new() }
            ),
        )
        .with_help("number the level in between, or set `level-skipped = \"allow\"` in policyc.toml if the skip is intended");
        if let Some(p) = parent {
            d = d.with_related(marker_span(p), "the parent");
        }
        out.push(d);
    }
}

/// Whether `heading` is a short numbered heading with no sentence
/// (`（一）动产质押`) that a judicial interpretation or a 规定 in parts sets
/// over its articles: an article after it is under it, not a level above
/// it, even where the reading keeps them side by side.
fn heads_articles(heading: &crate::tree::Node, kind: Kind) -> bool {
    let words = heading.title.as_deref().or(heading.text.first().map(String::as_str)).unwrap_or("");
    kind == Kind::Article
        && !matches!(heading.kind, Kind::Book | Kind::Chapter | Kind::Division | Kind::Article | Kind::Paragraph)
        && heading.children.is_empty()
        && heading.text.len() <= 1
        && words.chars().count() <= 20
        && !words.contains(['，', '。', '；', '：', ',', ';', ':'])
}

/// The article `index` is in (itself, if it is one).
fn enclosing_article(cx: &Context, index: usize) -> Option<usize> {
    let mut at = Some(index);
    while let Some(i) = at {
        if cx.nodes[i].node.kind == Kind::Article {
            return Some(i);
        }
        at = cx.nodes[i].parent;
    }
    None
}

/// Whether the node at `index` goes on with a list of its level that an
/// earlier 款 of the same article began (`（六）新颖性是指…` / two 款 and
/// their `1．` `2．` / `（七）特异性是指…`): the 款 and the items between
/// belong to the 项 before, which the reading could not nest them under,
/// so what precedes it at its depth is no level inverted.
fn carried_past_paragraph(cx: &Context, index: usize) -> bool {
    // The list's first node in this 款 is the one carried over.
    let Some(index) = (0..=index)
        .find(|&i| cx.nodes[i].parent == cx.nodes[index].parent && cx.nodes[i].node.kind == cx.nodes[index].node.kind)
    else {
        return false;
    };
    let entry = &cx.nodes[index];
    let Some(article) = enclosing_article(cx, index) else { return false };
    entry.parent.is_some_and(|p| cx.nodes[p].node.kind == Kind::Paragraph)
        && cx.nodes[article..index].iter().enumerate().any(|(k, e)| {
            e.node.kind == entry.node.kind
                && e.parent != entry.parent
                && e.node.number.saturating_add(1) == entry.node.number
                && enclosing_article(cx, article + k) == Some(article)
        })
}

/// Whether the 编/章/节 heading at `index` comes after articles only because
/// the headings before it were lost (`第二章` after 第一条…, no `第一章`
/// anywhere before it): numbering-gap names that cause, and the inversion
/// is its consequence, so it is not reported a second time.
fn lost_first_heading(cx: &Context, index: usize) -> bool {
    let entry = &cx.nodes[index];
    let kind = entry.node.kind;
    if !matches!(kind, Kind::Book | Kind::Chapter | Kind::Division) || entry.node.number <= 1 {
        return false;
    }
    // 编 and 章 run through the whole text; 节 restart under their 章.
    let same_scope = |e: &Entry| kind != Kind::Division || e.parent == entry.parent;
    !cx.nodes[..index].iter().any(|e| e.node.kind == kind && same_scope(e))
}

/// How a level's numbering runs under successive parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Continuous,
    Restart,
}

/// Gap, duplicate and order, per level, with the scheme inferred.
fn sequences(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Groups of siblings of one kind, in document order of their first node.
    let mut groups: BTreeMap<(Kind, Option<usize>), Vec<usize>> = BTreeMap::new();
    for (i, entry) in cx.nodes.iter().enumerate() {
        let kind = entry.node.kind;
        // 款 are unnumbered; 条, 章 and 编 run through the whole text
        // (`regulation` checks them).
        if matches!(kind, Kind::Paragraph | Kind::Article | Kind::Chapter | Kind::Book) {
            continue;
        }
        // A 修正案's 节 are the ones it adds to the amended law, numbered
        // there (`增加一节，作为第七节`).
        if kind == Kind::Division && cx.amendment() {
            continue;
        }
        groups.entry((kind, entry.parent)).or_default().push(i);
    }
    let mut by_kind: BTreeMap<Kind, Vec<Vec<usize>>> = BTreeMap::new();
    for ((kind, _), group) in groups {
        by_kind.entry(kind).or_default().push(group);
    }
    for (kind, mut groups) in by_kind {
        groups.sort_by_key(|g| g[0]);
        // Regulation 项, 目 and 节 restart under each parent by definition.
        let fixed = matches!(kind, Kind::Clause | Kind::Subclause | Kind::Division).then_some(Scheme::Restart);
        let scheme = fixed.unwrap_or_else(|| infer_scheme(cx, &groups));
        let mut last: Option<u32> = None;
        let mut last_index: Option<usize> = None;
        for group in &groups {
            let first = &cx.nodes[group[0]];
            let number = first.node.number;
            let expected = match (scheme, last) {
                (Scheme::Continuous, Some(l)) => l.saturating_add(1),
                _ => 1,
            };
            let other = match (scheme, last) {
                (Scheme::Continuous, Some(_)) if number == 1 => Some("restarts at 1"),
                (Scheme::Restart, Some(l)) if number == l.saturating_add(1) && number != 1 => {
                    Some("continues from the parent before")
                }
                _ => None,
            };
            // A 项 list carried on past an unnumbered 款 (`（一）…` / a
            // wrapped line read as a 款 / `（二）…`): the break inside the
            // list is the defect, and the text rules report the clause cut
            // off there; the numbering itself runs on.
            let carried = fixed.is_some()
                && last.is_some_and(|l| number == l.saturating_add(1))
                && first.parent.is_some_and(|p| cx.nodes[p].node.kind == Kind::Paragraph);
            if carried {
            } else if let Some(how) = other {
                if cx.enabled(&NUMBERING_SCHEME_MIXED) {
                    let parent = first.parent.map_or("", |p| cx.nodes[p].node.marker.as_str());
                    out.push(
                        cx.diagnostic(
                            &NUMBERING_SCHEME_MIXED,
                            marker_span(first),
                            format!(
                                "`{}` {how} under `{parent}`, but the document numbers {} {}",
                                first.node.marker,
                                kind.chinese(),
                                match scheme {
                                    Scheme::Continuous => "continuously through the whole text",
                                    Scheme::Restart => "from 1 again under each parent",
                                }
                            ),
                        )
                        .with_help(format!(
                            "keep one scheme for the level: here `{}`",
                            spell_like(first.info.as_ref(), kind, expected)
                        )),
                    );
                }
            } else if let Some(before) = last_index.map(|i| &cx.nodes[i]).filter(|before| {
                // The list began in an earlier 款 of the same article and
                // numbers on past an unnumbered line (a 项 that lost its
                // marker): the gap is from the 项 before, not from the start.
                fixed.is_some()
                    && first.parent.is_some_and(|p| cx.nodes[p].node.kind == Kind::Paragraph)
                    && before.node.number < number
                    && last_index.and_then(|i| enclosing_article(cx, i)).is_some()
                    && last_index.and_then(|i| enclosing_article(cx, i)) == enclosing_article(cx, group[0])
            }) {
                step(cx, first, Some(before), before.node.number.saturating_add(1), out);
            } else {
                step(cx, first, None, expected, out);
            }
            for pair in group.windows(2) {
                let (prev, node) = (&cx.nodes[pair[0]], &cx.nodes[pair[1]]);
                step(cx, node, Some(prev), prev.node.number.saturating_add(1), out);
            }
            last = group.last().map(|&i| cx.nodes[i].node.number);
            last_index = group.last().copied();
        }
    }
}

/// The scheme most groups after the first follow; restart when undecided.
fn infer_scheme(cx: &Context, groups: &[Vec<usize>]) -> Scheme {
    let (mut continuous, mut restart) = (0, 0);
    for pair in groups.windows(2) {
        let last = pair[0].last().map_or(0, |&i| cx.nodes[i].node.number);
        let first = cx.nodes[pair[1][0]].node.number;
        if first == 1 {
            restart += 1;
        } else if first == last.saturating_add(1) {
            continuous += 1;
        }
    }
    if continuous > restart { Scheme::Continuous } else { Scheme::Restart }
}

/// Check one node's number against the expected one.
fn step(cx: &Context, entry: &Entry, prev: Option<&Entry>, expected: u32, out: &mut Vec<Diagnostic>) {
    let node = entry.node;
    let number = node.number;
    if number == expected {
        return;
    }
    // 第十二条之一 follows 第十二条.
    if node.sub.is_some() && prev.is_some_and(|p| p.node.number == number) {
        return;
    }
    let want = spell_like(entry.info.as_ref(), node.kind, expected);
    if number > expected {
        if !cx.enabled(&NUMBERING_GAP) || (prev.is_none() && list_begun_on_line_before(cx, entry, expected)) {
            return;
        }
        let missing = if number == expected.saturating_add(1) {
            format!("`{want}` is missing")
        } else {
            format!("`{want}` to `{}` are missing", spell_like(entry.info.as_ref(), node.kind, number - 1))
        };
        let message = match prev {
            Some(p) => format!("`{}` follows `{}`: {missing}", node.marker, p.node.marker),
            None => format!("`{}` is the first of its level here: {missing}", node.marker),
        };
        let mut d = cx.diagnostic(&NUMBERING_GAP, marker_span(entry), message).with_help(format!(
            "renumber `{}` as `{want}` (and the clauses after it), or restore the missing clause",
            node.marker
        ));
        if let Some(p) = prev {
            d = d.with_related(marker_span(p), "the number before");
        }
        out.push(d);
    } else if prev.is_some_and(|p| p.node.number == number) {
        if !cx.enabled(&NUMBERING_DUPLICATE) {
            return;
        }
        let p = prev.map_or(marker_span(entry), marker_span);
        out.push(
            cx.diagnostic(&NUMBERING_DUPLICATE, marker_span(entry), format!("`{}` is numbered twice", node.marker))
                .with_related(p, "first here")
                .with_help(format!("renumber it as `{want}` and the clauses after it")),
        );
    } else if cx.enabled(&NUMBERING_OUT_OF_ORDER) {
        let message = match prev {
            Some(p) => format!("`{}` comes after `{}`: the numbers go backwards", node.marker, p.node.marker),
            None => format!("`{}` comes where `{want}` was expected", node.marker),
        };
        let mut d = cx
            .diagnostic(&NUMBERING_OUT_OF_ORDER, marker_span(entry), message)
            .with_help(format!("renumber it as `{want}`, or move the clause to its place"));
        if let Some(p) = prev {
            d = d.with_related(marker_span(p), "the number before");
        }
        out.push(d);
    }
}

/// The lines an inline list's item may be wrapped over after its colon line.
const LIST_LINE_WRAPS: usize = 2;

/// Whether the list a node's level starts with was begun on the lines
/// before it: run on after a colon: `附件：1.……` over `2.……`, as the 附件说明
/// and enumerations written inline set their first item. The numbers from
/// `expected` up to the node's are all on that line, the first right after
/// its `：`, so nothing is missing.
fn list_begun_on_line_before(cx: &Context, entry: &Entry, expected: u32) -> bool {
    let text = cx.source.text.as_str();
    let start = marker_span(entry).start.min(text.len());
    let Some(before) = text.get(..start) else { return false };
    let number = entry.node.number;
    let spelled: Vec<String> =
        (expected..number).map(|n| spell_like(entry.info.as_ref(), entry.node.kind, n)).collect();
    let Some(first) = spelled.first() else { return false };
    // The item before may be wrapped over a line or two (`附件：1.中华人民共和国…（最高人民法` / `院决定…用）`).
    let lines: Vec<&str> = before.lines().rev().filter(|l| !l.trim().is_empty()).take(LIST_LINE_WRAPS + 1).collect();
    let inline = lines.iter().any(|line| {
        let after_colon =
            line.split(['：', ':']).skip(1).any(|rest| rest.trim_start_matches(is_space).starts_with(first.as_str()));
        after_colon && spelled.iter().all(|m| line.contains(m.as_str()))
    });
    // Or the items are there, each at the start of a line right above the
    // next, but read as text: a name that begins with a digit
    // (`1．1—苯基—2—丙酮`) is no marker.
    let mut above = before.lines().rev().filter(|l| !l.trim().is_empty()).map(|l| l.trim_start_matches(is_space));
    let read_as_text =
        spelled.iter().rev().all(|m| above.by_ref().take(LIST_LINE_WRAPS + 1).any(|l| l.starts_with(m.as_str())));
    inline || read_as_text
}

/// The marker for `number` spelled the way `like` is (or the standard way).
fn spell_like(like: Option<&MarkerInfo>, kind: Kind, number: u32) -> String {
    match like {
        Some(info) => spell(info, number),
        None => match kind {
            Kind::Article => format!("第{}条", numeral::format(number)),
            Kind::Chapter => format!("第{}章", numeral::format(number)),
            _ => number.to_string(),
        },
    }
}

/// Write `number` in the spelling of `info`.
pub fn spell(info: &MarkerInfo, number: u32) -> String {
    let digits = |n: u32| {
        if info.wide_digits {
            n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect()
        } else {
            n.to_string()
        }
    };
    let core = match info.shape {
        Shape::ChineseSep | Shape::ChineseParen => numeral::format(number),
        Shape::ArabicSep | Shape::ArabicParen => digits(number),
        Shape::Circled => return crate::parse::marker::circled_char(number).map_or(digits(number), String::from),
        Shape::Book => return format!("第{}编", numeral::format(number)),
        Shape::Chapter => return format!("第{}章", numeral::format(number)),
        Shape::Division => return format!("第{}节", numeral::format(number)),
        Shape::Article => return format!("第{}条", numeral::format(number)),
    };
    let mut s = String::with_capacity(core.len() + 12);
    s.extend(info.open);
    s.push_str(&core);
    s.extend(info.close);
    s.extend(info.sep);
    s
}

/// The standard spelling of a shape (GB/T 9704-2012 7.3.3).
fn standard(shape: Shape) -> MarkerInfo {
    let (open, close, sep) = match shape {
        Shape::ChineseSep => (None, None, Some('、')),
        Shape::ArabicSep => (None, None, Some('.')),
        Shape::ChineseParen | Shape::ArabicParen => (Some('（'), Some('）'), None),
        _ => (None, None, None),
    };
    MarkerInfo { shape, number: 1, sub: None, open, close, sep, wide_digits: false }
}

/// Mixed spellings of one level, and spellings other than the expected one.
fn spelling(cx: &Context, out: &mut Vec<Diagnostic>) {
    // kind → variant → the nodes written so, in document order.
    let mut variants: BTreeMap<Kind, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    let mut spaced: BTreeMap<Kind, Vec<(usize, Span)>> = BTreeMap::new();
    let mut variant = String::new();
    for (i, entry) in cx.nodes.iter().enumerate() {
        let Some(info) = &entry.info else { continue };
        if matches!(info.shape, Shape::Book | Shape::Chapter | Shape::Division | Shape::Article) {
            continue;
        }
        // A variant's string is made once per document, not once per marker.
        variant.clear();
        info.write_variant(&mut variant);
        let by_variant = variants.entry(entry.node.kind).or_default();
        match by_variant.get_mut(variant.as_str()) {
            Some(nodes) => nodes.push(i),
            None => {
                by_variant.insert(variant.clone(), vec![i]);
            }
        }
        // `一、 聚焦需求`: a space between the marker and the heading.
        let end = entry.node.spans.marker.end;
        // Only the spaces and the character after them are read, not the
        // rest of the line: words follow when that character is not a break.
        let after = cx.source.text.get(end..).unwrap_or("");
        let rest = after.trim_start_matches(|c| c != '\n' && is_space(c));
        let spaces = after.len() - rest.len();
        if spaces > 0 && !rest.is_empty() && !rest.starts_with('\n') {
            spaced.entry(entry.node.kind).or_default().push((i, cx.span(end..end + spaces)));
        }
    }
    for (kind, by_variant) in &variants {
        let total: usize = by_variant.values().map(Vec::len).sum();
        let Some((main, main_nodes)) = by_variant.iter().max_by_key(|(v, n)| (n.len(), std::cmp::Reverse(n[0]), *v))
        else {
            continue;
        };
        let mixed = by_variant.len() > 1 && cx.enabled(&MARKER_VARIANT_MIXED);
        if mixed {
            for (variant, nodes) in by_variant.iter().filter(|(v, _)| *v != main) {
                let first = &cx.nodes[nodes[0]];
                out.push(
                    cx.diagnostic(
                        &MARKER_VARIANT_MIXED,
                        marker_span(first),
                        format!(
                            "{} is written `{variant}` here ({} of {total}) and `{main}` elsewhere ({})",
                            kind.chinese(),
                            nodes.len(),
                            main_nodes.len()
                        ),
                    )
                    .with_related(marker_span(&cx.nodes[main_nodes[0]]), format!("`{main}` first used here"))
                    .with_help("write every marker of a level the same way"),
                );
            }
        }
        if !cx.enabled(&MARKER_NONSTANDARD) {
            continue;
        }
        for (variant, nodes) in by_variant {
            // A variant beside the level's usual spelling is one defect,
            // which marker-variant-mixed names by its cause (the level is
            // written two ways); only the usual spelling is held to the
            // standard here.
            if mixed && variant != main {
                continue;
            }
            let first = &cx.nodes[nodes[0]];
            let Some(info) = &first.info else { continue };
            let configured = cx.config.marker(*kind);
            let expected = configured.cloned().unwrap_or_else(|| standard(info.shape));
            if info.variant() == expected.variant() {
                continue;
            }
            let edits: Vec<Edit> = nodes
                .iter()
                .map(|&i| &cx.nodes[i])
                .map(|e| Edit { span: marker_span(e), replacement: spell(&expected, e.node.number).into() })
                .collect();
            let whom = if configured.is_some() { "policyc.toml asks for" } else { "GB/T 9704-2012 writes" };
            let count = nodes.len();
            let places = if count > 1 {
                format!("{count} markers of {} are", kind.chinese())
            } else {
                format!("the marker of {} is", kind.chinese())
            };
            out.push(
                cx.diagnostic(
                    &MARKER_NONSTANDARD,
                    marker_span(first),
                    format!("{places} written `{}`; {whom} `{}`", info.variant(), expected.variant()),
                )
                .with_help(format!(
                    "write `{}` for `{}`{}",
                    spell(&expected, first.node.number),
                    first.node.marker,
                    if count > 1 { ", and likewise for the others (policyc fmt does)" } else { "" }
                ))
                .with_fix(Fix { applicability: Applicability::Safe, edits }),
            );
        }
    }
    for (kind, places) in spaced {
        let (first, span) = places[0];
        let entry = &cx.nodes[first];
        let count = places.len();
        out.push(
            cx.diagnostic(
                &MARKER_NONSTANDARD,
                span,
                format!(
                    "{} followed by a space before {}",
                    if count > 1 {
                        format!("{count} markers of {} are", kind.chinese())
                    } else {
                        format!("the marker `{}` is", entry.node.marker)
                    },
                    if count > 1 { "their headings" } else { "its heading" }
                ),
            )
            .with_help("the heading follows the marker directly: delete the space")
            .with_fix(Fix {
                applicability: Applicability::Safe,
                edits: places.iter().map(|&(_, span)| Edit { span, replacement: "".into() }).collect(),
            }),
        );
    }
}

/// `二 强化供给`: a Chinese numeral, white space, then words.
pub fn looks_like_heading(text: &str) -> bool {
    heading_numeral(text).is_some()
}

/// The numeral's and the spaces' byte lengths of `二 强化供给`.
fn heading_numeral(text: &str) -> Option<(usize, usize)> {
    let digits = text.len() - text.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c)).len();
    if digits == 0 || digits > 3 * '十'.len_utf8() {
        return None;
    }
    let rest = &text[digits..];
    let spaces = rest.len() - rest.trim_start_matches(is_space).len();
    let follows = rest[spaces..].chars().next();
    (spaces > 0 && follows.is_some_and(crate::text::is_ideograph) && numeral::parse(&text[..digits]).is_some())
        .then_some((digits, spaces))
}

/// `二 强化供给`: a numeral and a space at the start of a paragraph.
fn missing_separator(cx: &Context, out: &mut Vec<Diagnostic>) {
    for region in &cx.regions {
        let text = cx.text(region.span);
        // Only the start of a line can hold a marker (after indentation or
        // Markdown `#`s): not the title of a `第一节 一 般 规 定` heading.
        let before = &cx.source.text[..region.span.start];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        if !before[line_start..].chars().all(|c| c == '#' || is_space(c)) {
            continue;
        }
        let Some((digits, spaces)) = heading_numeral(text) else { continue };
        let Some(number) = numeral::parse(&text[..digits]) else { continue };
        let at = region.span.start;
        out.push(
            cx.diagnostic(
                &MARKER_MISSING_SEPARATOR,
                cx.span(at..at + digits + spaces),
                format!("`{}` starts like a heading but has no 、 after the numeral", excerpt(text, 8)),
            )
            .with_help(format!("write `{}、`; without it the heading is read as text", numeral::format(number)))
            .with_fix(Fix {
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span: cx.span(at..at + digits + spaces),
                    replacement: format!("{}、", &text[..digits]).into(),
                }],
            }),
        );
    }
}
