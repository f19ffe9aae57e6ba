//! `T002` a stray space between Chinese characters.

use super::{footer_start, header_block, in_header, neighbours, once_per_document, page_footer};
use crate::diag::registry::STRAY_SPACE;
use crate::diag::{Applicability, Diagnostic, Edit};
use crate::scan::{bytes_in, next_byte_where, skip_to_hit};
use crate::text::{is_cjk, is_space};
use crate::validate::{Context, Cursor, RegionKind};

/// A heading or a signature spaced out character by character to the
/// width of longer ones (`总 则`, `附　　则`, `国 家 能 源 局`), as laws set
/// their 章 and 节 titles and pages centre a signature: every word one
/// Chinese character.
pub(super) fn spaced_heading(text: &str) -> bool {
    let words: Vec<&str> = text.split(is_space).filter(|w| !w.is_empty()).collect();
    (2..=12).contains(&words.len())
        && words.iter().all(|w| w.chars().count() == 1 && w.chars().all(is_cjk))
        && words.iter().any(|w| w.chars().all(char::is_alphabetic))
}

/// A word of a signature line that is a whole unit (ends the way units end).
pub(super) fn ends_like_unit(word: &str) -> bool {
    ["局", "厅", "委", "会", "室", "中心", "政府", "部", "院", "办", "处", "所"].iter().any(|s| word.ends_with(s))
}

/// ASCII controls and space, and the first bytes of the characters
/// `is_space` takes above ASCII (U+0085, U+00A0, U+1680, U+2000…U+2060,
/// U+3000, U+FEFF) and of 《 and 》.
pub(super) fn space_leads(word: u64) -> u64 {
    bytes_in(word, 0, b' ') | bytes_in(word, 0xC2, 0xC2) | bytes_in(word, 0xE1, 0xE3) | bytes_in(word, 0xEF, 0xEF)
}

/// Whether the bytes `a b c` may start a character that [`stray_spaces`]
/// acts on outside a run of spaces: one `is_space` takes, or 《 or 》. ASCII
/// controls and space, and U+0085, U+00A0 and U+1680 by their first byte;
/// U+2000…U+200D, U+2028, U+2029, U+202F (E2 80 …), U+205F, U+2060
/// (E2 81 …), U+3000, 《, 》 (E3 80 …) and U+FEFF (EF BB BF) whole.
/// Branch-free for [`skip_to_hit`].
#[inline(always)]
pub(super) fn space_hit(a: u8, b: u8, c: u8) -> bool {
    let first = (a <= b' ') | (a == 0xC2) | (a == 0xE1);
    let general = (a == 0xE2)
        & (((b == 0x80) & ((c <= 0x8D) | (c == 0xA8) | (c == 0xA9) | (c == 0xAF)))
            | ((b == 0x81) & ((c == 0x9F) | (c == 0xA0))));
    let cjk = (a == 0xE3) & (b == 0x80) & ((c == 0x80) | (c == 0x8A) | (c == 0x8B));
    let bom = (a == 0xEF) & (b == 0xBB) & (c == 0xBF);
    first | general | cjk | bom
}

pub(super) fn stray_spaces(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut places = Vec::new();
    let mut cursor = Cursor::new(cx.source);
    let mut push = |start: usize, end: usize| {
        places.push(Edit { span: cursor.span(start..end), replacement: "".into() });
    };
    let header = header_block(cx);
    let footer_from = footer_start(cx);
    for region in &cx.regions {
        if region.kind == RegionKind::Title || in_header(&header, region) || page_footer(cx, region, true, footer_from)
        {
            continue;
        }
        let text = cx.text(region.span);
        // `总 则`, `附　　则`: a short heading spaced out by custom; a
        // Markdown table's row, where spaces pad the cells.
        if spaced_heading(text) || text.trim_start().starts_with('|') {
            continue;
        }
        let mut run: Option<usize> = None;
        // Inside 《》 a title is quoted, spaces and all.
        let mut quoted_title = 0usize;
        let mut next = 0;
        loop {
            // Outside a run only spaces, 《 and 》 matter: ASCII controls and
            // space, or characters that start with one of these bytes.
            let bytes = text.as_bytes();
            let found = if run.is_some() {
                Some(next)
            } else {
                next_byte_where(bytes, skip_to_hit(bytes, next, space_hit), space_leads)
            };
            let Some(i) = found else { break };
            let Some(c) = text[i..].chars().next() else { break };
            next = i + c.len_utf8();
            if is_space(c) {
                run.get_or_insert(i);
                continue;
            }
            let in_title = quoted_title > 0;
            match c {
                '《' => quoted_title += 1,
                '》' => quoted_title = quoted_title.saturating_sub(1),
                _ => {}
            }
            let Some(start) = run.take() else { continue };
            // A line break inside a paragraph is line-rejoined's (S101).
            if text[start..i].contains(['\n', '\r']) {
                continue;
            }
            let at = region.span.start + start;
            // `二 重点任务` is a marker without its 、 (marker-missing-separator).
            let numeral_only = text[..start].chars().all(|c| "一二三四五六七八九十".contains(c));
            // `附件：1.……　2.……`: a space before a list number separates items.
            let rest = &text[i..];
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let list_item = digits > 0 && rest[digits..].starts_with(['.', '．', '、']);
            // `1. 三个市场…`, `附件1 川渝…`: a label and its text.
            let head = text[..start].trim_start_matches(is_space);
            let label = head.trim_start_matches("附件").trim_end_matches(['.', '．', '、']);
            let labelled = (head.starts_with("附件") || head.len() > label.len())
                && label.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                && head.chars().count() <= 6;
            // `……综合处 2021年11月18日印发`: a unit, then the date.
            let unit_then_date = ends_like_unit(text[..start].rsplit(is_space).next().unwrap_or(""))
                && crate::parse::frame::dates_in(rest).first().is_some_and(|(at, _)| *at == 0);
            let list_item = list_item || labelled || unit_then_date;
            if in_title || numeral_only || list_item || cx.title_gaps.iter().any(|g| g.start == at) {
                continue;
            }
            let (before, after) = neighbours(text, start, i);
            if !(before.is_some_and(is_cjk) || after.is_some_and(is_cjk)) || before.is_none() {
                continue;
            }
            // `国家能源局华中监管局 国家能源局四川监管办公室`: two units
            // side by side, wherever the line was read.
            let next_word = rest.split(is_space).next().unwrap_or("");
            if ends_like_unit(text[..start].rsplit(is_space).next().unwrap_or(""))
                && ends_like_unit(next_word)
                && next_word.chars().count() >= 4
            {
                continue;
            }
            if region.kind == RegionKind::Signature {
                // Wide gaps separate the columns; a single space after a
                // whole unit separates two units; the rest is stray.
                let width = text[start..i].chars().count();
                let word = text[..start].rsplit(is_space).next().unwrap_or("");
                if width > 1 || ends_like_unit(word) {
                    continue;
                }
            }
            push(region.span.start + start, region.span.start + i);
        }
    }
    if places.is_empty() {
        return;
    }
    let what = if places.len() == 1 {
        "a space between Chinese characters".to_owned()
    } else {
        format!("{} spaces between Chinese characters", places.len())
    };
    out.push(once_per_document(
        cx,
        &STRAY_SPACE,
        places,
        what,
        "Chinese text has no spaces between words: delete them (where one stands for a missing ， write that instead)",
        Applicability::Unsafe,
    ));
}
