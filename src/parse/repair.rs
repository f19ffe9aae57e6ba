//! Source repair: rejoin lines that were broken where no paragraph ends.
//!
//! Text extracted from PDF files or scraped from web pages arrives with hard
//! line breaks inside sentences, between a marker and its heading (三、 alone
//! on a line), even inside a marker or a 字号 (`（` / `十一` / `）`). Those
//! breaks are removed before the grammar reads the text; the offset map in
//! [`Prepared`] keeps spans pointing at the original lines, and every repair
//! is reported as a note.
//!
//! A break is removed when
//! - the line so far is only a marker (三、, （一）) or an unfinished one
//!   (`（`, `（十一`), or has an unclosed bracket (〔 of a 字号, 《 of a title);
//! - the line so far is the start of a date broken at every part
//!   (`2019` / `年` / `11` / `月` / `15` / `日`, as web pages print a
//!   signature's date);
//! - the line ends with a character no paragraph ends with (，、 or an
//!   opening bracket or quote);
//! - the document is hard-wrapped (most long lines have the same width and
//!   do not end a sentence) and the line is full width without ending one.
//!
//! It is never removed before a blank line, never before or after a table
//! row (`| … |`), and never in front of a line that starts with a marker
//! unless the line so far is an unfinished marker.

use std::borrow::Cow;

use super::marker;
use super::prepare::Prepared;
use crate::diag::Diagnostic;
use crate::diag::registry::LINE_REJOINED;

/// How many line breaks one logical line may swallow: enough for a marker
/// split over three lines or a sentence over a few, not a runaway.
const MAX_JOINS: usize = 12;

struct RawLine {
    /// Offset of the content (after indentation).
    content_start: usize,
    /// Offset after the content (before trailing white space).
    content_end: usize,
    /// Length of the content in characters, spaces aside: `fmt` removes
    /// spaces (三、 知识产权 → 三、知识产权), and whether a text is read as
    /// hard-wrapped must not change when it does, or a second `fmt` would
    /// join lines the first left apart.
    chars: usize,
}

pub fn repair(prepared: &mut Prepared, diagnostics: &mut Vec<Diagnostic>) {
    let text: &str = &prepared.text;
    let lines = raw_lines(text);
    if lines.len() < 2 {
        return;
    }
    let wrap_width = hard_wrap_width(text, &lines);
    // joins[i]: the break after line i is removed.
    let mut joins = vec![false; lines.len()];
    let mut i = 0;
    while i + 1 < lines.len() {
        // Most lines join nothing: the line is copied only when one does.
        let mut so_far = Cow::Borrowed(content(text, &lines[i]));
        let mut count = 0;
        let mut j = i;
        while j + 1 < lines.len() && count < MAX_JOINS {
            let next = content(text, &lines[j + 1]);
            if next.is_empty() || so_far.is_empty() {
                break;
            }
            let unfinished_marker = is_unfinished_marker(&so_far);
            let join = unfinished_marker
                || splits_doc_number(&so_far, next)
                || splits_date(&so_far, next)
                || is_bare_marker(&so_far)
                || has_unclosed_bracket(&so_far)
                || ends_mid_sentence(&so_far)
                || wrap_width.is_some_and(|w| is_full_width_wrap(content(text, &lines[j]), lines[j].chars, w));
            // A table row is a line of its own whatever its cells say: joined,
            // two rows would be one, and a sentence before a table would
            // swallow its first row.
            if !join
                || (!unfinished_marker && starts_with_marker(next))
                || super::table::is_row(next)
                || super::table::is_row(&so_far)
            {
                break;
            }
            joins[j] = true;
            so_far.to_mut().push_str(next);
            count += 1;
            j += 1;
        }
        i = j + 1;
    }
    if !joins.iter().any(|&j| j) {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::new();
    let mut segment_start = 0;
    map.push((0, prepared.to_source(0)));
    for (i, line) in lines.iter().enumerate() {
        if !joins[i] {
            continue;
        }
        let next = &lines[i + 1];
        out.push_str(&text[segment_start..line.content_end]);
        segment_start = next.content_start;
        map.push((out.len(), prepared.to_source(segment_start)));
        let at = prepared.span(line.content_end..line.content_end);
        diagnostics.push(
            Diagnostic::new(
                &LINE_REJOINED,
                at,
                format!("line {} is broken where no paragraph ends; read together with line {}", at.line, at.line + 1),
            )
            .with_help("join the two lines in the source (policyc fmt does)"),
        );
    }
    out.push_str(&text[segment_start..]);
    prepared.rewrite(out, map);
}

fn raw_lines(text: &str) -> Vec<RawLine> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start <= text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        let lead = line.len() - line.trim_start_matches(crate::text::is_space).len();
        let body = line.trim_end_matches(|c| crate::text::is_space(c) || c == '\r');
        let content_end = start + body.len().max(lead);
        let content_start = start + lead.min(body.len());
        let chars =
            text[content_start..content_end.max(content_start)].chars().filter(|&c| !crate::text::is_space(c)).count();
        lines.push(RawLine { content_start, content_end, chars });
        if end == text.len() {
            break;
        }
        start = end + 1;
    }
    lines
}

fn content<'t>(text: &'t str, line: &RawLine) -> &'t str {
    &text[line.content_start..line.content_end.max(line.content_start)]
}

/// `2019` / `2019年` / `2019年11` / `2019年11月` / `2019年11月15` followed by a
/// short line that goes on with the date's next part.
fn splits_date(so_far: &str, next: &str) -> bool {
    // At most the whole rest of a date: `年12月16日`.
    let next_is_part = next.chars().count() <= 7
        && next.chars().all(|c| c.is_ascii_digit() || matches!(c, '年' | '月' | '日'))
        && !next.is_empty();
    if !next_is_part || !so_far.chars().all(|c| c.is_ascii_digit() || matches!(c, '年' | '月')) {
        return false;
    }
    // The parts must come in order: four digits, 年, digits, 月, digits (日 ends it).
    let mut parts = so_far.split(['年', '月']);
    let year = parts.next().unwrap_or_default();
    // A year broken inside (`202` / `6` / `年`): its digits go on in the
    // next line, up to four.
    let broken_year = !so_far.contains('年')
        && (2..4).contains(&year.len())
        && year.starts_with(['1', '2'])
        && next.chars().all(|c| c.is_ascii_digit())
        && year.len() + next.len() <= 4;
    (year.len() == 4 || broken_year)
        && year.chars().all(|c| c.is_ascii_digit())
        && parts.all(|p| p.len() <= 2)
        && so_far.matches('年').count() <= 1
}

/// `三、` `（一）` `1.` alone: the heading is on the next line.
fn is_bare_marker(s: &str) -> bool {
    marker::analyze(s).is_some_and(|m| match m.shape {
        marker::Shape::Article => false,
        // `analyze` reads a circled number by its first character alone:
        // `①（一）标题` is a heading with its title, not a bare ①.
        marker::Shape::Circled => s.chars().skip(1).all(|c| matches!(c, '、' | '.' | '．') || crate::text::is_space(c)),
        _ => true,
    })
}

/// `（` or `（十一` or `第十`: the start of a marker with its end on the next line.
fn is_unfinished_marker(s: &str) -> bool {
    let body = s.trim_start_matches(['（', '(']);
    if body.len() == s.len() {
        return false;
    }
    body.chars().all(|c| {
        super::numeral::parse(&c.to_string()).is_some() || c == '十' || c == '百' || c == '千' || c.is_ascii_digit()
    })
}

fn starts_with_marker(s: &str) -> bool {
    // Markers are short; the grammar only needs the line's first characters.
    let end = s.char_indices().nth(16).map_or(s.len(), |(i, _)| i);
    let Ok(lines) = super::grammar::lines(&s[..end]) else { return false };
    lines.first().is_some_and(|l| matches!(l.content, super::line::Content::Heading { .. }))
}

fn has_unclosed_bracket(s: &str) -> bool {
    const PAIRS: [(char, char); 7] =
        [('〔', '〕'), ('﹝', '﹞'), ('《', '》'), ('“', '”'), ('【', '】'), ('（', '）'), ('(', ')')];
    // Only a bracket opened near the end counts: an annotation left
    // unterminated mid-paragraph is a typo for `validate`, not a break. So
    // only the last 24 bytes are searched (from a character boundary at or
    // before them), not the whole line for every pair.
    const NEAR: usize = 24;
    let mut from = s.len().saturating_sub(NEAR);
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    let tail = &s[from..];
    PAIRS.iter().any(|&(open, close)| {
        tail.rfind(open).is_some_and(|o| s.len() - (from + o) <= NEAR && !tail[o..].contains(close))
    })
}

/// A 发文字号 broken around its year: `川府发` / `〔2025〕` / `3号`.
fn splits_doc_number(so_far: &str, next: &str) -> bool {
    let year_follows = next
        .strip_prefix(['〔', '[', '［', '﹝'])
        .is_some_and(|rest| rest.chars().take_while(char::is_ascii_digit).count() == 4 || rest.is_empty());
    let short_code = || so_far.chars().count() <= 16 && !so_far.contains(['，', '。', '：', '；', '、']);
    let digits = |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
    let serial_follows =
        so_far.ends_with(['〕', ']', '］', '﹞']) && (digits(next) || next.strip_suffix('号').is_some_and(digits));
    // 华中监能市场﹝2024﹞149 / 号
    let hao_follows = next == "号"
        && short_code()
        && so_far.trim_end_matches(|c: char| c.is_ascii_digit()).ends_with(['〕', ']', '］', '﹞']);
    (year_follows && short_code()) || serial_follows || hao_follows
}

fn ends_mid_sentence(s: &str) -> bool {
    // No paragraph ends with 第 either: 上述第 / (三)项 is one reference.
    s.ends_with(['，', '、', '“', '《', '〔', '（', '(', '—', '第'])
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['。', '！', '？', '；', '：', ':', ';', '”', '）', ')', '】', ']', '》'])
}

/// The width most long lines share, when the text is hard-wrapped.
fn hard_wrap_width(text: &str, lines: &[RawLine]) -> Option<usize> {
    // A table row (`| cell | cell |`, as web pages' tables arrive) is not
    // wrapped text, whatever its width.
    let widths: Vec<(usize, bool)> = lines
        .iter()
        .filter(|l| l.chars >= 12 && !content(text, l).starts_with('|'))
        .map(|l| (l.chars, ends_sentence(content(text, l))))
        .collect();
    if widths.len() < 6 {
        return None;
    }
    let max = widths.iter().map(|w| w.0).max()?;
    // The wrap width is the most common length among lines near the top.
    let mut counts = std::collections::BTreeMap::new();
    for &(w, _) in &widths {
        if w + 4 >= max / 2 {
            *counts.entry(w).or_insert(0usize) += 1;
        }
    }
    let (&width, _) = counts.iter().max_by_key(|&(w, n)| (*n, *w))?;
    let wrapped = widths.iter().filter(|&&(w, ends)| w + 2 >= width && w <= width + 1 && !ends).count();
    // Two lines of one width in a short notice are a coincidence, not a
    // wrap: a wrapped text shows it again and again.
    (wrapped * 3 >= widths.len() && wrapped >= 3 && width < 120).then_some(width)
}

/// `s` is `chars` characters long.
fn is_full_width_wrap(s: &str, chars: usize, width: usize) -> bool {
    chars + 2 >= width && !ends_sentence(s)
}
