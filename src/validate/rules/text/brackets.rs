//! Unbalanced brackets and quotes in a paragraph, a quotation over several
//! paragraphs counted as GB/T 15834 writes it.

use super::{footer_start, header_block, in_header, page_footer};
use crate::diag::Diagnostic;
use crate::diag::registry::UNBALANCED_BRACKETS;
use crate::scan::all_hits;
use crate::text::is_space;
use crate::text::{bracket_family, bracket_hit};
use crate::validate::Context;

/// A bracket left without its pair in a paragraph: its byte offset in the
/// paragraph, the bracket, and whether it opens.
pub(super) type Unpaired = (usize, char, bool);

pub(super) fn brackets(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Opening → closing, with the two widths of a bracket as one family.
    const PAIRS: [(char, char); 9] = [
        ('“', '”'),
        ('‘', '’'),
        ('《', '》'),
        ('（', '）'),
        ('(', ')'),
        ('〔', '〕'),
        ('【', '】'),
        ('［', '］'),
        ('[', ']'),
    ];
    let header = header_block(cx);
    let footer_from = footer_start(cx);
    // A quotation running over several paragraphs opens “ at each and
    // closes ” only at the last (GB/T 15834-2011 4.1.3.4): a paragraph's
    // unclosed “ is continued when the next paragraph opens with “.
    let opens_quote = |k: usize| {
        cx.regions.get(k).is_some_and(|r| cx.text(r.span).trim_start_matches(is_space).starts_with(['“', '"']))
    };
    // Each paragraph's unpaired brackets, by region index.
    let mut found: Vec<(usize, Vec<Unpaired>)> = Vec::new();
    for (k, region) in cx.regions.iter().enumerate() {
        if in_header(&header, region) || page_footer(cx, region, false, footer_from) {
            continue;
        }
        let text = cx.text(region.span);
        let continued = opens_quote(k + 1);
        // A page's link text cut short (`广东省投资和信用中心（广东省发展和改革事...`)
        // lost its closing with the rest.
        let truncated = text.trim_end_matches(is_space).ends_with("...");
        let mut stack: Vec<(usize, usize, char)> = Vec::new();
        let mut unmatched: Vec<(usize, char, bool)> = Vec::new();
        for i in all_hits(text.as_bytes(), bracket_hit) {
            let Some(c) = text[i..].chars().next() else { break };
            let Some((f, mut open)) = bracket_family(c) else { continue };
            // A half-width `"` closes a double quote that is open (“放管服"),
            // else opens one; its width is half-width-punctuation's business.
            if c == '"' {
                open = !stack.iter().any(|&(g, _, _)| g == f);
            }
            if open {
                stack.push((f, i, c));
            } else if stack.last().is_some_and(|&(g, _, _)| g == f) {
                stack.pop();
            } else if let Some(k) = stack.iter().rposition(|&(g, _, _)| g == f) {
                // Closes an outer one: everything opened since is unclosed.
                for (_, at, o) in stack.drain(k..).skip(1) {
                    unmatched.push((at, o, true));
                }
            } else if !list_marker(&text[..i], c) {
                unmatched.push((i, c, false));
            }
        }
        // An unclosed responsibility note is unterminated-annotation's (F003).
        let note = |at: usize, c: char| {
            let head: String = text[at + c.len_utf8()..].chars().take(6).collect();
            head.contains("单位") || head.contains("部门")
        };
        unmatched.extend(
            stack
                .into_iter()
                .filter(|&(_, at, o)| !(note(at, o) || truncated || continued && matches!(o, '“' | '"')))
                .map(|(_, at, o)| (at, o, true)),
        );
        unmatched.sort_by_key(|u| u.0);
        found.push((k, unmatched));
    }
    // A paragraph broken inside brackets (a page dump's or a collection's
    // hard wrap: `（华中监能市场规` / `〔2020〕153号）`) keeps its pair across
    // the break: an opening left unclosed at the end of one of the last few
    // paragraphs and a closing that closes nothing in the next are one pair,
    // and the break, not the bracket, is the defect.
    const ACROSS: usize = 3;
    // The items a quoted article's list may run to (a 项 list rarely has
    // more than twenty; a law's longest run to about thirty).
    const QUOTED_LIST: usize = 40;
    for j in 1..found.len() {
        let (before, after) = found.split_at_mut(j);
        let (rj, here) = (after[0].0, &mut after[0].1);
        while let Some(ci) = here.iter().position(|&(_, _, open)| !open) {
            let family = bracket_family(here[ci].1).map(|f| f.0);
            let mut paired = false;
            for (ri, list) in before.iter_mut().rev() {
                // A quotation that introduces a list (`“……下列案件：` /
                // `（一）……` / `（六）……。”`) closes after the list's last item.
                let quote_over_list = family == bracket_family('“').map(|f| f.0)
                    && cx.text(cx.regions[*ri].span).trim_end_matches(is_space).ends_with(['：', ':']);
                if rj - *ri > QUOTED_LIST || (rj - *ri > ACROSS && !quote_over_list) {
                    if rj - *ri > QUOTED_LIST {
                        break;
                    }
                    continue;
                }
                if let Some(oi) =
                    list.iter().rposition(|&(_, o, open)| open && bracket_family(o).map(|f| f.0) == family)
                {
                    list.remove(oi);
                    paired = true;
                    break;
                }
            }
            if !paired {
                break;
            }
            here.remove(ci);
        }
    }
    for (k, unmatched) in found {
        let region = &cx.regions[k];
        let text = cx.text(region.span);
        for (at, c, open) in unmatched {
            // A page dump that sets each inline span on a line of its own
            // (`(` / `以下简称《规则》` / `)`) leaves a bracket alone on its
            // line: which words it encloses went with the layout.
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            if text[line_start..line_end].trim_matches(is_space).chars().eq([c]) {
                continue;
            }
            let start = region.span.start + at;
            let span = cx.span(start..start + c.len_utf8());
            let quote = if c == '"' { '“' } else { c };
            let pair = PAIRS.iter().find(|p| p.0 == quote || p.1 == quote).copied().unwrap_or((c, c));
            let message = if open {
                format!("`{c}` is never closed in this paragraph")
            } else {
                format!("`{c}` closes nothing in this paragraph")
            };
            out.push(cx.diagnostic(&UNBALANCED_BRACKETS, span, message).with_help(format!(
                "{} `{}` and `{}` come in pairs: add the missing one or delete this one",
                if matches!(pair.0, '“' | '‘') { "quotes" } else { "brackets" },
                pair.0,
                pair.1
            )));
        }
    }
}

/// Whether the closing bracket `c` after `before` (the paragraph up to it)
/// is a list marker's: `a)`, `1)`, `ｂ）` at the start of a paragraph.
pub(super) fn list_marker(before: &str, c: char) -> bool {
    let label = before.trim_start_matches(is_space);
    matches!(c, ')' | '）')
        && (1..=2).contains(&label.chars().count())
        && label.chars().all(|l| l.is_ascii_alphanumeric() || ('ａ'..='ｚ').contains(&l) || ('０'..='９').contains(&l))
}
