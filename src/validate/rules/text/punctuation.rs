//! `T001` half-width punctuation in Chinese text: `,` `:` `;` `(` `)` `?`
//! `!`, a `.` that ends a Chinese sentence and a `"` that stands for “ or ”.

use super::{footer_start, header_block, in_header, once_per_document, page_footer};
use crate::diag::registry::HALF_WIDTH_PUNCTUATION;
use crate::diag::{Applicability, Diagnostic, Edit};
use crate::scan::{bytes_in, next_byte_where, skip_to_hit};
use crate::text::{is_cjk, is_space};
use crate::validate::{Context, Cursor};

pub(super) fn full_width(c: char) -> Option<&'static str> {
    Some(match c {
        ',' => "，",
        ':' => "：",
        ';' => "；",
        '(' => "（",
        ')' => "）",
        '?' => "？",
        '!' => "！",
        // Only where it ends a Chinese sentence (see `half_width`).
        '.' => "。",
        // Or “, by where it stands (see `half_width`).
        '"' => "”",
        _ => return None,
    })
}

/// Whether `a` is a mark [`full_width`] replaces. Branch-free for
/// [`skip_to_hit`], which passes over the digits `next_mark` stops at.
#[inline(always)]
pub(super) fn mark_hit(a: u8, _: u8, _: u8) -> bool {
    (a == b',') | (a == b':') | (a == b';') | ((a | 1) == b')') | (a == b'?') | (a == b'!') | (a == b'.') | (a == b'"')
}

/// The first byte at or after `from` that `full_width` replaces (or
/// another byte of `!`…`?`, which the caller skips).
pub(super) fn next_mark(bytes: &[u8], from: usize) -> Option<usize> {
    next_byte_where(bytes, from, |w| bytes_in(w, b'!', b'?'))
}

pub(super) fn half_width(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut places = Vec::new();
    let mut cursor = Cursor::new(cx.source);
    // By the mark's byte: the marks are ASCII.
    let mut counts = [0usize; 128];
    let header = header_block(cx);
    let footer_from = footer_start(cx);
    for region in &cx.regions {
        if in_header(&header, region) || page_footer(cx, region, false, footer_from) {
            continue;
        }
        let text = cx.text(region.span);
        // A `)` closing a `(` that was counted is counted too: `(电话:81341353)`.
        let mut open = false;
        // Double quotes open and not yet closed before `quotes_to`, both
        // widths: a `"` closes one (“放管服"), or else opens one.
        let (mut quotes, mut quotes_to) = (0usize, 0usize);
        // The marks are ASCII, so a byte scan finds them without decoding
        // the Chinese text around them, and every hit is a char boundary.
        let mut from = 0;
        let bytes = text.as_bytes();
        while let Some(i) = next_mark(bytes, skip_to_hit(bytes, from, mark_hit)) {
            from = i + 1;
            let c = char::from(bytes[i]);
            let Some(mut wide) = full_width(c) else { continue };
            if c == '"' {
                for q in text[quotes_to..i].chars() {
                    match q {
                        '“' => quotes += 1,
                        '”' => quotes = quotes.saturating_sub(1),
                        _ => {}
                    }
                }
                quotes_to = i + 1;
                let closing = quotes > 0;
                if closing {
                    quotes -= 1;
                    wide = "”";
                } else {
                    quotes += 1;
                    wide = "“";
                }
                // Chinese text right beside it: `见 "ABC" 一文` is not.
                let chinese = |x: Option<char>| x.is_some_and(|x| is_cjk(x) && !matches!(x, '“' | '”'));
                if !chinese(text[..i].chars().next_back()) && !chinese(text[i + 1..].chars().next()) {
                    continue;
                }
            } else {
                let before = text[..i].chars().rev().find(|&c| !is_space(c));
                let after = text[i + 1..].chars().find(|&c| !is_space(c));
                let chinese = before.is_some_and(is_cjk) || after.is_some_and(is_cjk);
                // 11:07 and 2,000 are not Chinese text.
                let numeric = before.is_some_and(|b| b.is_ascii_digit()) && after.is_some_and(|a| a.is_ascii_digit());
                let closes = c == ')' && std::mem::take(&mut open);
                if !closes && (!chinese || numeric) {
                    continue;
                }
                // A `.` is a full stop after Chinese text (`300万元.`), not in
                // `1.5`, `gov.cn`, `...` or a list number before Chinese text.
                if c == '.' && !ends_chinese_sentence(text, i) {
                    continue;
                }
            }
            open |= c == '(';
            let at = region.span.start + i;
            counts[usize::from(bytes[i] & 0x7f)] += 1;
            places.push(Edit { span: cursor.span(at..at + 1), replacement: wide.into() });
        }
    }
    if places.is_empty() {
        return;
    }
    let tally: Vec<String> =
        (0u8..128).zip(counts).filter(|&(_, n)| n > 0).map(|(c, n)| format!("`{}` {n}", char::from(c))).collect();
    let what = if places.len() == 1 {
        "half-width punctuation in Chinese text".to_owned()
    } else {
        format!("half-width punctuation in Chinese text, {} times ({})", places.len(), tally.join(", "))
    };
    out.push(once_per_document(
        cx,
        &HALF_WIDTH_PUNCTUATION,
        places,
        what,
        "Chinese text takes full-width ，：；（）？！。 (GB/T 15834-2011); the fix replaces every one (`policyc check --fix` applies it)",
        Applicability::Safe,
    ));
}

/// Whether the half-width mark at byte `at` of `text` ends a Chinese
/// sentence: Chinese text before it, and after it nothing, a space, or
/// Chinese text. Such a mark is `half-width-punctuation`'s, and the
/// sentence has its terminal punctuation, only in the wrong width.
pub(super) fn ends_chinese_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 1..].chars().next();
    before.is_some_and(|b| is_cjk(b) && b != '…')
        && after.is_none_or(|a| is_space(a) || (is_cjk(a) && a != '…') || a == '\n')
}
