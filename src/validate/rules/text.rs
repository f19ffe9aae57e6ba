//! The text itself: punctuation width, stray spaces, paired brackets and
//! quotes, repeated passages, clause endings, empty clauses.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::diag::registry::{
    EMPTY_CLAUSE, HALF_WIDTH_PUNCTUATION, MISSING_TERMINAL_PUNCTUATION, REPEATED_SENTENCE, Rule, STRAY_SPACE,
    UNBALANCED_BRACKETS,
};
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::scan::{all_hits, bytes_in, next_byte_where, skip_to_hit};
use crate::text::{is_cjk, is_space};
use crate::validate::{Context, Cursor, RegionKind, excerpt};

/// The spans of the frame paragraphs that are a law collection's header
/// block, not the policy's prose: everything before its `<!-- INFO END -->`,
/// and history lines (`2020年6月24日 郑州市第十五届……通过`, the bracketed
/// revision history) anywhere in the preamble. The collection lays them out
/// with spaces and splits the bracketed history over lines, so the text
/// rules would read layout as defects. Sorted by start.
fn header_block(cx: &Context) -> Vec<(usize, usize)> {
    let end = cx.source.text.find("<!-- INFO END -->").unwrap_or(0);
    let mut out: Vec<(usize, usize)> = cx
        .document
        .frame
        .preamble
        .iter()
        .filter(|p| p.span.end <= end || crate::parse::frame::is_history_line(&p.text))
        .map(|p| (p.span.start, p.span.end))
        .collect();
    out.sort_unstable();
    out
}

/// Whether `region` is one of the `header` paragraphs, or a web page's
/// footer that its text dump carries after the document (`地址: 济南市…`,
/// `扫一扫在手机打开当前页`, a help line's phone numbers): the site's, not
/// the policy's, so its layout is not the policy's defect.
fn in_header(header: &[(usize, usize)], region: &crate::validate::Region) -> bool {
    header.binary_search(&(region.span.start, region.span.end)).is_ok()
}

/// Words only a page's furniture carries; `地址` and `电话` lines count only
/// after the document's date (see [`page_footer`]).
const PAGE_ONLY: [&str; 17] = [
    "网安备",
    "监督热线",
    "扫一扫",
    "在手机打开",
    "办证咨询",
    "网站标识码",
    "ICP备",
    "版权所有",
    "公网安备",
    "留言时请注明",
    "主办单位",
    "相关导读",
    "服务热线",
    "[ 打印",
    "【打印】",
    "关闭窗口",
    "接听时间",
];
const CONTACT: [&str; 9] = ["地址：", "地址:", "邮编", "联系电话", "值班电话", "传真：", "联系人", "邮箱", "电话："];

/// The regions of a web page's footer (see [`in_header`]): a line with
/// words only a page carries, or a contact line after the 成文日期 (or
/// anywhere, with `contacts`: a contact line's spaces pad names, `张 晨`).
fn page_footer(cx: &Context, region: &crate::validate::Region, contacts: bool, footer_from: usize) -> bool {
    let text = cx.text(region.span);
    let dated_before = cx.document.frame.date.as_ref().is_some_and(|d| d.span.end <= region.span.start);
    // A contact block pads its labels to one width (`传 真：`).
    let packed: String = text.chars().filter(|&c| !is_space(c)).collect();
    region.span.start >= footer_from
        || PAGE_ONLY.iter().any(|w| text.contains(w))
        || file_name(text)
        || ((dated_before || contacts) && (CONTACT.iter().any(|w| packed.contains(w)) || ends_with_phone(text)))
}

/// Where a web page's footer begins: the first line after the 成文日期
/// that only a page carries (`扫一扫在手机打开当前页`, `网站地图`,
/// `相关政策与解读`). What follows it (related links, the site's address,
/// its hotline's hours) is the site's, whatever words it has.
fn footer_start(cx: &Context) -> usize {
    let Some(date) = &cx.document.frame.date else { return usize::MAX };
    let text = cx.source.text.as_str();
    let mut at = date.span.end.min(text.len());
    for line in text[at..].split_inclusive('\n') {
        let t = line.trim_matches(is_space);
        if PAGE_ONLY.iter().any(|w| t.contains(w)) || SERVICE.contains(&t.trim_end_matches(['：', ':'])) {
            return at;
        }
        at += line.len();
    }
    usize::MAX
}

/// A page's service labels, each a line of its own.
const SERVICE: [&str; 15] = [
    "政策解读",
    "政策性文件留言咨询",
    "相关附件",
    "相关链接",
    "相关文件",
    "相关稿件",
    "附件下载",
    "网站地图",
    "联系我们",
    "图片解读",
    "文字解读",
    "分享到",
    "相关政策与解读",
    "相关政策",
    "排行榜",
];

/// A contact line: it ends with a telephone number (`张 晨 85253859`,
/// `027-88717600`), seven digits or more.
fn ends_with_phone(text: &str) -> bool {
    let t = text.trim_end_matches(is_space);
    let tail = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-').len();
    t[t.len() - tail..].chars().filter(char::is_ascii_digit).count() >= 7
}

/// Lines a page or the document's frame sets under a clause's last words:
/// the 附件说明 (`附件：…`, `附件1.…`) and every line after it, a contact
/// note (`联系人：…`), and a page's service labels (`政策解读`).
fn ends_clause_words(text: &str) -> bool {
    let t = text.trim_matches(is_space).trim_start_matches(['（', '(']);
    let attachment = t.strip_prefix("附件").is_some_and(|rest| {
        rest.is_empty()
            || rest.starts_with(['：', ':', ' ', '\u{3000}'])
            || rest.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
    });
    let label = t.trim_end_matches(['：', ':']);
    // The closing formula (`特此通知`, `特此公告`) is the frame's.
    let formula = t.starts_with("特此") && t.chars().count() <= 6;
    attachment
        || formula
        || SERVICE.contains(&label)
        || ["联系人", "联系电话", "联系方式"].iter().any(|w| t.starts_with(w))
}

/// A paragraph of page furniture or a file name a web page lists under the
/// document (`扫一扫在手机打开当前页`, `分享`, `…修订内容.pdf`): not the
/// words a clause ends with.
fn page_furniture(text: &str) -> bool {
    let t = text.trim_matches(is_space);
    PAGE_ONLY.iter().any(|w| t.contains(w))
        || matches!(t, "分享" | "打印" | "关闭" | "收藏")
        // A link's address or its tail (`8-ee56035f17a2`): no Chinese at all.
        || (!t.is_empty() && !t.chars().any(is_cjk))
        || file_name(t)
}

/// A file's name a page lists under the document (`…修订内容.pdf`): a
/// link's text, not the document's prose, whatever its spaces and brackets.
fn file_name(text: &str) -> bool {
    let lower = text.trim_matches(is_space).to_ascii_lowercase();
    [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".zip", ".rar", ".txt"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// How many places a once-per-document diagnostic names.
const FIRST_PLACES: usize = 3;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cx.enabled(&HALF_WIDTH_PUNCTUATION) {
        half_width(cx, out);
    }
    if cx.enabled(&STRAY_SPACE) {
        stray_spaces(cx, out);
    }
    if cx.enabled(&UNBALANCED_BRACKETS) {
        brackets(cx, out);
    }
    if cx.enabled(&REPEATED_SENTENCE) {
        repeats(cx, out);
    }
    if cx.enabled(&MISSING_TERMINAL_PUNCTUATION) || cx.enabled(&EMPTY_CLAUSE) {
        clause_ends(cx, out);
    }
}

fn full_width(c: char) -> Option<&'static str> {
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
fn mark_hit(a: u8, _: u8, _: u8) -> bool {
    (a == b',') | (a == b':') | (a == b';') | ((a | 1) == b')') | (a == b'?') | (a == b'!') | (a == b'.') | (a == b'"')
}

/// The first byte at or after `from` that `full_width` replaces (or
/// another byte of `!`…`?`, which the caller skips).
fn next_mark(bytes: &[u8], from: usize) -> Option<usize> {
    next_byte_where(bytes, from, |w| bytes_in(w, b'!', b'?'))
}

/// A hasher for the sentences of one document that reads a sentence's
/// length and ends rather than every byte, as SipHash would. Keyed per map
/// from the standard library's random state, so colliding sentences cannot
/// be prepared in advance.
#[derive(Clone)]
struct SentenceHasher(u64);

impl std::hash::Hasher for SentenceHasher {
    // Equal sentences have equal ends: the length and the first and last
    // sixteen bytes tell sentences apart without reading them whole.
    fn write(&mut self, bytes: &[u8]) {
        let head = &bytes[..bytes.len().min(16)];
        let tail = &bytes[bytes.len().saturating_sub(16)..];
        self.mix(bytes.len() as u64);
        for part in [head, tail] {
            for chunk in part.chunks(8) {
                let mut word = [0; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                self.mix(u64::from_le_bytes(word));
            }
        }
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits weak; hashbrown takes its
        // buckets from them and its tags from the top.
        self.0 ^ (self.0 >> 29)
    }
}

impl SentenceHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

#[derive(Clone)]
struct SentenceHash(u64);

impl SentenceHash {
    fn new() -> Self {
        use std::hash::BuildHasher;
        SentenceHash(std::collections::hash_map::RandomState::new().hash_one(0u8))
    }
}

impl std::hash::BuildHasher for SentenceHash {
    type Hasher = SentenceHasher;
    fn build_hasher(&self) -> SentenceHasher {
        SentenceHasher(self.0)
    }
}

/// One diagnostic for a defect found at many places: the first is the
/// primary span, the next few are named, the fix covers all.
fn once_per_document(
    cx: &Context,
    rule: &'static Rule,
    places: Vec<Edit>,
    what: String,
    help: &str,
    applicability: Applicability,
) -> Diagnostic {
    let named: Vec<String> =
        places.iter().take(FIRST_PLACES).map(|e| format!("{}:{}", e.span.line, e.span.column)).collect();
    let more = if places.len() > FIRST_PLACES { ", …" } else { "" };
    let mut d = cx
        .diagnostic(rule, places[0].span, format!("{what}; first at {}{more}", named.join(", ")))
        .with_help(help.to_owned());
    for e in places.iter().skip(1).take(FIRST_PLACES - 1) {
        d = d.with_related(e.span, "and here");
    }
    d.with_fix(Fix { applicability, edits: places })
}

/// The character before `at` and after `end`, skipping nothing.
fn neighbours(text: &str, at: usize, end: usize) -> (Option<char>, Option<char>) {
    (text[..at].chars().next_back(), text[end..].chars().next())
}

fn half_width(cx: &Context, out: &mut Vec<Diagnostic>) {
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
pub fn ends_chinese_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 1..].chars().next();
    before.is_some_and(|b| is_cjk(b) && b != '…')
        && after.is_none_or(|a| is_space(a) || (is_cjk(a) && a != '…') || a == '\n')
}

/// A heading or a signature spaced out character by character to the
/// width of longer ones (`总 则`, `附　　则`, `国 家 能 源 局`), as laws set
/// their 章 and 节 titles and pages centre a signature: every word one
/// Chinese character.
fn spaced_heading(text: &str) -> bool {
    let words: Vec<&str> = text.split(is_space).filter(|w| !w.is_empty()).collect();
    (2..=12).contains(&words.len())
        && words.iter().all(|w| w.chars().count() == 1 && w.chars().all(is_cjk))
        && words.iter().any(|w| w.chars().all(char::is_alphabetic))
}

/// A word of a signature line that is a whole unit (ends the way units end).
fn ends_like_unit(word: &str) -> bool {
    ["局", "厅", "委", "会", "室", "中心", "政府", "部", "院", "办", "处", "所"].iter().any(|s| word.ends_with(s))
}

/// ASCII controls and space, and the first bytes of the characters
/// `is_space` takes above ASCII (U+0085, U+00A0, U+1680, U+2000…U+2060,
/// U+3000, U+FEFF) and of 《 and 》.
fn space_leads(word: u64) -> u64 {
    bytes_in(word, 0, b' ') | bytes_in(word, 0xC2, 0xC2) | bytes_in(word, 0xE1, 0xE3) | bytes_in(word, 0xEF, 0xEF)
}

/// Whether the bytes `a b c` may start a character that [`stray_spaces`]
/// acts on outside a run of spaces: one `is_space` takes, or 《 or 》. ASCII
/// controls and space, and U+0085, U+00A0 and U+1680 by their first byte;
/// U+2000…U+200D, U+2028, U+2029, U+202F (E2 80 …), U+205F, U+2060
/// (E2 81 …), U+3000, 《, 》 (E3 80 …) and U+FEFF (EF BB BF) whole.
/// Branch-free for [`skip_to_hit`].
#[inline(always)]
fn space_hit(a: u8, b: u8, c: u8) -> bool {
    let first = (a <= b' ') | (a == 0xC2) | (a == 0xE1);
    let general = (a == 0xE2)
        & (((b == 0x80) & ((c <= 0x8D) | (c == 0xA8) | (c == 0xA9) | (c == 0xAF)))
            | ((b == 0x81) & ((c == 0x9F) | (c == 0xA0))));
    let cjk = (a == 0xE3) & (b == 0x80) & ((c == 0x80) | (c == 0x8A) | (c == 0x8B));
    let bom = (a == 0xEF) & (b == 0xBB) & (c == 0xBF);
    first | general | cjk | bom
}

fn stray_spaces(cx: &Context, out: &mut Vec<Diagnostic>) {
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

/// Whether every quote and bracket opened in `text` is closed in it: as
/// many “ as ”, ‘ as ’, 《 as 》, （ as ）, `(` as `)`, 〔 as 〕, 【 as 】 and `[` as `]`.
pub fn balanced(text: &str) -> bool {
    // One pass from bracket to bracket, not a pass per character counted.
    let mut open = [0i64; 8];
    let bytes = text.as_bytes();
    let mut next = 0;
    while let Some(i) = next_byte_where(bytes, skip_to_hit(bytes, next, bracket_hit), bracket_leads) {
        let Some(c) = text[i..].chars().next() else { break };
        next = i + c.len_utf8();
        let (pair, step) = match c {
            '“' => (0, 1),
            '”' => (0, -1),
            '‘' => (1, 1),
            '’' => (1, -1),
            '《' => (2, 1),
            '》' => (2, -1),
            '（' => (3, 1),
            '）' => (3, -1),
            '(' => (4, 1),
            ')' => (4, -1),
            '〔' => (5, 1),
            '〕' => (5, -1),
            '【' => (6, 1),
            '】' => (6, -1),
            '[' => (7, 1),
            ']' => (7, -1),
            _ => continue,
        };
        open[pair] += step;
    }
    open == [0; 8]
}

/// Whether `text` ends a sentence (closing quotes and brackets aside).
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['”', '’', '）', ')', '》', '】']).ends_with(['。', '！', '？', '；', '：', ':', ';', '…'])
}

/// The family of a bracket (both widths of one bracket are one family)
/// and whether it opens; a `match` so the per-character test is cheap.
fn bracket_family(c: char) -> Option<(usize, bool)> {
    Some(match c {
        '“' => (0, true),
        '”' => (0, false),
        '‘' => (1, true),
        '’' => (1, false),
        '《' => (2, true),
        '》' => (2, false),
        '（' | '(' => (3, true),
        '）' | ')' => (3, false),
        '〔' => (5, true),
        '〕' => (5, false),
        '【' => (6, true),
        '】' => (6, false),
        '［' | '[' => (7, true),
        '］' | ']' => (7, false),
        // Opens or closes by what is open (see `brackets`).
        '"' => (0, true),
        _ => return None,
    })
}

/// Whether the bytes `a b c` start a character [`bracket_family`] knows:
/// ( ) [ ], “ ” ‘ ’ (E2 80 …), 《 》 〔 〕 【 】 (E3 80 …), （ ） ［ ］ (EF BC …).
/// Branch-free for [`block_hits`](crate::scan::block_hits); `x | 1` pairs an opening code with its
/// closing one.
#[inline(always)]
fn bracket_hit(a: u8, b: u8, c: u8) -> bool {
    let ascii = ((a | 1) == b')') | (a == b'[') | (a == b']') | (a == b'"');
    let quote = (a == 0xE2) & (b == 0x80) & (((c | 1) == 0x99) | ((c | 1) == 0x9D));
    let cjk = (a == 0xE3) & (b == 0x80) & (((c | 1) == 0x8B) | ((c | 1) == 0x91) | ((c | 1) == 0x95));
    let wide = (a == 0xEF) & (b == 0xBC) & (((c | 1) == 0x89) | (c == 0xBB) | (c == 0xBD));
    ascii | quote | cjk | wide
}

/// Every bracket is ASCII or starts with one of three bytes: the first
/// bytes [`bracket_hit`] takes, for [`next_byte_where`].
fn bracket_leads(word: u64) -> u64 {
    bytes_in(word, b'(', b')')
        | bytes_in(word, b'"', b'"')
        | bytes_in(word, b'[', b'[')
        | bytes_in(word, b']', b']')
        | bytes_in(word, 0xE2, 0xE3)
        | bytes_in(word, 0xEF, 0xEF)
}

/// A bracket left without its pair in a paragraph: its byte offset in the
/// paragraph, the bracket, and whether it opens.
type Unpaired = (usize, char, bool);

fn brackets(cx: &Context, out: &mut Vec<Diagnostic>) {
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
fn list_marker(before: &str, c: char) -> bool {
    let label = before.trim_start_matches(is_space);
    matches!(c, ')' | '）')
        && (1..=2).contains(&label.chars().count())
        && label.chars().all(|l| l.is_ascii_alphanumeric() || ('ａ'..='ｚ').contains(&l) || ('０'..='９').contains(&l))
}

/// Whether the bytes `a b c` start a clause separator: `, ;` or ， ！ ？ ；
/// (EF BC …) or 。 (E3 80 82). Branch-free for [`block_hits`](crate::scan::block_hits).
#[inline(always)]
fn separator_hit(a: u8, b: u8, c: u8) -> bool {
    let wide = (a == 0xEF) & (b == 0xBC) & ((c == 0x8C) | (c == 0x81) | (c == 0x9F) | (c == 0x9B));
    (a == b',') | (a == b';') | wide | ((a == 0xE3) & (b == 0x80) & (c == 0x82))
}

/// Split a text into clauses, each ending at (and including) one of
/// `， , ； ; 。 ！ ？`; the last may end without one. Into `out`, which is
/// cleared first. The separators are found by their bytes: decoding every
/// character cost more than the rest of the rule.
fn clauses<'t>(text: &'t str, out: &mut Vec<(usize, &'t str)>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = 0;
    for at in all_hits(bytes, separator_hit) {
        let end = at + if matches!(bytes[at], b',' | b';') { 1 } else { 3 };
        out.push((start, &text[start..end]));
        start = end;
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
}

/// `text.trim_end_matches(['，', ',', '；', ';', '。', '！', '？'])`, by the
/// separators' bytes: decoding the ends of every clause cost more than
/// comparing them.
fn strip_separators(mut text: &str) -> &str {
    loop {
        let cut = match text.as_bytes() {
            [.., b',' | b';'] => 1,
            [.., 0xEF, 0xBC, 0x8C | 0x9B | 0x81 | 0x9F] | [.., 0xE3, 0x80, 0x82] => 3,
            _ => return text,
        };
        text = &text[..text.len() - cut];
    }
}

/// Whether `text` ends with 。 ！ or ？, by their bytes.
fn ends_with_sentence_separator(text: &str) -> bool {
    matches!(text.as_bytes(), [.., 0xE3, 0x80, 0x82] | [.., 0xEF, 0xBC, 0x81 | 0x9F])
}

/// `text.trim_matches(is_space)`, without decoding the ends when they
/// cannot be spaces: an ideograph (first byte E4…E9, U+4000…U+9FFF) or
/// printable ASCII, as at both ends of nearly every clause.
fn trim_spaces(text: &str) -> &str {
    let solid = |b: u8| (0x21..0x7F).contains(&b) || (0xE4..=0xE9).contains(&b);
    let starts_solid = text.as_bytes().first().is_some_and(|&b| solid(b));
    let ends_solid = match text.as_bytes() {
        [.., last] if (0x21..0x7F).contains(last) => true,
        // A lead byte three from the end starts the last character.
        [.., lead, _, _] => (0xE4..=0xE9).contains(lead),
        _ => false,
    };
    if starts_solid && ends_solid { text } else { text.trim_matches(is_space) }
}

/// A sentence's first place (start, end), the diagnostic reporting its
/// repeats (an index into the output), how often it occurs, and the clause
/// (an index into the context's nodes) it is first in.
type Seen = (usize, usize, Option<usize>, usize, Option<usize>);

fn repeats<'a>(cx: &Context<'a>, out: &mut Vec<Diagnostic>) {
    // Where each sentence is first, the diagnostic reporting its repeats
    // (an index into `out`), and how often it occurs.
    // The last element is the clause it is in: a law says `法律、法规规定的
    // 其他职责。` or `构成犯罪的，依法追究刑事责任。` in article after article
    // and item after item by design, and an amendment quotes the sentence
    // it changes, so a sentence is repeated only within one clause.
    let mut sentences: HashMap<&str, Seen, SentenceHash> =
        HashMap::with_capacity_and_hasher(cx.nodes.len() * 2, SentenceHash::new());
    let mut pieces = Vec::new();
    for (index, entry) in cx.nodes.iter().enumerate() {
        let article = Some(index);
        let spans = &entry.node.spans;
        for &span in spans.title.iter().chain(&spans.text) {
            let text = cx.text(span);
            // A clause said twice in a row: `推进……建设,推进……建设,`.
            clauses(text, &mut pieces);
            let core = |s: &'a str| trim_spaces(strip_separators(s));
            // Each clause is compared with the one before and the one after:
            // its core is trimmed once.
            let mut before: Option<(&str, &str)> = None;
            let mut last_repeat: Option<(usize, &str)> = None;
            for &(at, b) in &pieces {
                let core_b = core(b);
                let Some((a, core_a)) = before.replace((b, core_b)) else { continue };
                if core_a == core_b && core_b.chars().count() >= 6 {
                    let start = span.start + at;
                    let here = cx.span(start..start + b.len());
                    // The same clause again on the same line: one finding,
                    // counted, whose fix deletes every repeat.
                    if let Some(k) = last_repeat
                        .filter(|&(k, core)| {
                            core == core_b && out.get(k).is_some_and(|d: &Diagnostic| d.span.line == here.line)
                        })
                        .map(|(k, _)| k)
                    {
                        let d = &mut out[k];
                        if let Some(fix) = d.fix.as_mut() {
                            fix.edits.push(Edit { span: here, replacement: "".into() });
                            d.message = format!(
                                "`{}` is said {} times in a row, word for word",
                                excerpt(core_b, 16),
                                fix.edits.len() + 1
                            );
                        }
                        continue;
                    }
                    last_repeat = Some((out.len(), core_b));
                    out.push(
                        cx.diagnostic(
                            &REPEATED_SENTENCE,
                            here,
                            format!("`{}` is said twice in a row, word for word", excerpt(core_b, 16)),
                        )
                        .with_related(cx.span(start - a.len()..start), "first here")
                        .with_help("delete the repetition")
                        .with_fix(Fix {
                            applicability: Applicability::Unsafe,
                            edits: vec![Edit { span: here, replacement: "".into() }],
                        }),
                    );
                }
            }
            // A whole sentence that occurs twice in the body. Sentences end
            // where clauses do, at the clauses that end with 。！？.
            let mut sentence_start = 0;
            for &(at, clause) in &pieces {
                if !ends_with_sentence_separator(clause) {
                    continue;
                }
                let sentence = &text[sentence_start..at + clause.len()];
                let at = std::mem::replace(&mut sentence_start, at + clause.len());
                let key = trim_spaces(sentence);
                // Twelve characters at least: 36 bytes of Chinese text (and
                // 48 bytes are twelve characters whatever they are).
                if key.len() < 36 || (key.len() < 48 && key.chars().count() < 12) {
                    continue;
                }
                let start = span.start + at;
                let end = start + sentence.len();
                // One look-up (and one hash) for both the test and the insert.
                match sentences.entry(key) {
                    Entry::Occupied(mut first) => {
                        let (first_start, first_end, reported, times, first_clause) = *first.get();
                        if first_clause.is_some() && first_clause != article {
                            continue;
                        }
                        let here = cx.span(start..end);
                        // Repeats on the line already reported are counted
                        // into that diagnostic: a line of one sentence said
                        // three thousand times is one finding.
                        if let Some(k) = reported.filter(|&k| out.get(k).is_some_and(|d| d.span.line == here.line)) {
                            out[k].message = format!(
                                "the sentence `{}` occurs {} times in the document, {} of them on this line",
                                excerpt(key, 16),
                                times + 1,
                                times
                            );
                            first.insert((first_start, first_end, reported, times + 1, first_clause));
                            continue;
                        }
                        first.insert((first_start, first_end, Some(out.len()), times + 1, first_clause));
                        out.push(
                            cx.diagnostic(
                                &REPEATED_SENTENCE,
                                here,
                                format!("the sentence `{}` occurs twice in the document", excerpt(key, 16)),
                            )
                            .with_related(cx.span(first_start..first_end), "first here")
                            .with_help("delete one, or say what differs"),
                        );
                    }
                    Entry::Vacant(slot) => {
                        slot.insert((start, end, None, 1, article));
                    }
                }
            }
        }
    }
}

fn clause_ends(cx: &Context, out: &mut Vec<Diagnostic>) {
    for entry in &cx.nodes {
        let node = entry.node;
        if node.marker.is_empty() {
            continue;
        }
        let spans = &node.spans;
        if node.title.is_none() && node.text.is_empty() && node.children.is_empty() {
            if cx.enabled(&EMPTY_CLAUSE) {
                out.push(
                    cx.diagnostic(&EMPTY_CLAUSE, spans.marker, format!("`{}` has no text", node.marker))
                        .with_help("write the clause, or delete the marker and renumber"),
                );
            }
            continue;
        }
        // 编, 章 and 节 are headings, whatever their line holds (a title
        // wrapped onto the next line, `## 第三章` above `业主`): no 。.
        if !cx.enabled(&MISSING_TERMINAL_PUNCTUATION)
            || matches!(node.kind, crate::tree::Kind::Book | crate::tree::Kind::Chapter | crate::tree::Kind::Division)
        {
            continue;
        }
        // A heading that runs on into its text, closed only by a space.
        if let (Some(title), Some(title_span), Some(first)) = (&node.title, spans.title, spans.text.first())
            && cx.title_gaps.iter().any(|g| g.start == title_span.end && g.end == first.start)
        {
            let span = cx.span(title_span.end..first.start);
            out.push(
                cx.diagnostic(
                    &MISSING_TERMINAL_PUNCTUATION,
                    span,
                    format!("the heading `{}` runs into its text with only a space between", excerpt(title, 16)),
                )
                .with_help("close the heading with 。")
                .with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit { span, replacement: "。".into() }],
                }),
            );
        }
        // The clause's last words: its last paragraph, or a lone title.
        // Page furniture a web page appends under the last clause is not
        // the clause's last words: the paragraph before it is.
        let kept = node.text.iter().rposition(|t| !page_furniture(t)).map_or(0, |i| i + 1);
        let kept = node.text[..kept].iter().position(|t| ends_clause_words(t) || file_name(t)).unwrap_or(kept);
        let texts = (&node.text[..kept], &spans.text[..kept.min(spans.text.len())]);
        let (last, span) = match (texts.0.last(), texts.1.last(), &node.title, spans.title) {
            (Some(text), Some(&span), _, _) => (text.as_str(), span),
            // A lone title is a sentence when it has a sentence's commas;
            // else it is a heading (`一、总则`), which takes no 。.
            (None, _, Some(title), Some(span))
                if node.children.is_empty() && title.contains(['，', ',', '；', ';']) =>
            {
                (title.as_str(), span)
            }
            _ => continue,
        };
        // A ： says that more follows (sub-clauses, or lines the outline
        // does not number: `甲、` items, a quoted text); it is punctuation,
        // if the wrong one where ； was meant, and this rule is about none.
        let allowed_colon = true;
        // A note in brackets after the sentence is not its end:
        // `……提高资金使用效益。（2010年12月23日删除）`.
        let sentence = match last.trim_end().strip_suffix(['）', ')']) {
            Some(body) if body.ends_with(|c: char| c.is_ascii_digit() || is_cjk(c)) => {
                body.rfind(['（', '(']).map_or(last, |at| &body[..at])
            }
            _ => last,
        };
        // A private-use character (a font's glyph the collection kept,
        // U+E004) after the ending is not the words' end.
        let trimmed = sentence
            .trim_end_matches(|c: char| ('\u{E000}'..='\u{F8FF}').contains(&c))
            .trim_end_matches(['”', '’', '）', ')', '》', '】']);
        // A half-width `.` `!` `?` `;` ending Chinese text is the right
        // ending in the wrong width: half-width-punctuation reports it, and
        // its fix replaces it, where an added 。 would double the ending.
        let half_width_end =
            trimmed.ends_with(['.', '!', '?', ';']) && ends_chinese_sentence(trimmed, trimmed.len() - 1);
        // `．` (U+FF0E) ends a sentence in texts set from older typescripts.
        let ends = trimmed.ends_with(['。', '！', '？', '；', '…', '．'])
            || half_width_end
            || (allowed_colon && trimmed.ends_with(['：', ':']));
        // An unclosed bracket (unbalanced-brackets, unterminated-annotation)
        // or a heading that lost its 、 (marker-missing-separator) is the
        // defect there, not the ending.
        // A clause that is only a short text without any punctuation is a
        // name or a heading, not a sentence cut off: `3．甲基乙基酮`,
        // `第十八条 承运人的责任`, `（一）动产质押` over the articles of its
        // part (after a heading, `（四）优化服务。完善服务体系`, it is cut off).
        // A chemical's or a product's name keeps its dashes and letters
        // (`7．N—乙酰邻氨基苯酸`), a list of names its 、 (`麻黄素、伪麻黄素`):
        // only a sentence's punctuation makes a sentence.
        let name_or_heading = node.title.is_none()
            && kept == 1
            && last.chars().count() <= 16
            && !last.contains(['，', '。', '；', '：', '！', '？', ',', ';', ':', '!', '?']);
        if ends
            || name_or_heading
            || last.is_empty()
            || !balanced(last)
            || crate::validate::rules::numbering::looks_like_heading(last)
        {
            continue;
        }
        // Point at the last character of the words (a responsibility note
        // after them is not part of the sentence).
        let Some(c) = last.chars().next_back() else { continue };
        let source = cx.text(span);
        let Some(at) = source.rfind(c) else { continue };
        let start = span.start + at;
        let end = start + c.len_utf8();
        out.push(
            cx.diagnostic(
                &MISSING_TERMINAL_PUNCTUATION,
                cx.span(start..end),
                format!("`{}` ends without terminal punctuation", node.marker),
            )
            .with_help("end the clause with 。")
            .with_fix(Fix {
                applicability: Applicability::Unsafe,
                edits: vec![Edit { span: cx.span(end..end), replacement: "。".into() }],
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_split_where_the_characters_say() {
        let sep = |c: char| matches!(c, '，' | ',' | '；' | ';' | '。' | '！' | '？');
        for text in
            ["", "。", "推进培训基地建设,推进培训基地建设，分别新增。", "一；二;三！四？五", "无标点", "末尾。 "]
        {
            let mut expected = Vec::new();
            let mut start = 0;
            for (i, c) in text.char_indices().filter(|&(_, c)| sep(c)) {
                expected.push((start, &text[start..i + c.len_utf8()]));
                start = i + c.len_utf8();
            }
            if start < text.len() {
                expected.push((start, &text[start..]));
            }
            let mut got = Vec::new();
            clauses(text, &mut got);
            assert_eq!(got, expected, "{text:?}");
        }
    }

    #[test]
    fn byte_search_agrees_with_the_plain_one() {
        let texts = [
            "",
            " ",
            "为 贯彻落实\u{3000}习近平总书记……",
            "abcdefgh\tijklmnop",
            "《标题》内容\u{a0}x",
            "\u{7f}\u{80}\u{ff}\0",
        ];
        let lead = |b: u8| b <= b' ' || matches!(b, 0xC2 | 0xE1..=0xE3 | 0xEF);
        for text in texts {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let plain = bytes[from..].iter().position(|&b| lead(b)).map(|p| from + p);
                assert_eq!(next_byte_where(bytes, from, space_leads), plain, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn mark_search_agrees_with_the_plain_one() {
        for text in
            ["", ",", "聚焦需求,释放(高质量)发展动能!", "abcdefgh:", "12345678;9", "无标点的一段中文文字内容", "?"]
        {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let plain = bytes[from..].iter().position(|b| (b'!'..=b'?').contains(b)).map(|p| from + p);
                assert_eq!(next_mark(bytes, from), plain, "{text:?} from {from}");
            }
        }
    }

    /// Characters the text rules act on, their near misses (same first
    /// bytes), the spaces `is_space` takes, and plain text around them.
    const MIXED: &[char] = &[
        '推',
        '进',
        '建',
        '设',
        '一',
        '、',
        '，',
        '。',
        '；',
        '：',
        '！',
        '？',
        ',',
        ';',
        ':',
        '!',
        '?',
        '.',
        '(',
        ')',
        '[',
        ']',
        '（',
        '）',
        '［',
        '］',
        '《',
        '》',
        '〈',
        '〉',
        '“',
        '”',
        '‘',
        '’',
        '"',
        '【',
        '】',
        '〔',
        '〕',
        '〇',
        '—',
        '…',
        '·',
        '1',
        '0',
        'a',
        ' ',
        '\u{3000}',
        '\u{a0}',
        '\u{85}',
        '\t',
        '\n',
        '\r',
        '\u{1680}',
        '\u{2002}',
        '\u{200b}',
        '\u{2028}',
        '\u{202f}',
        '\u{205f}',
        '\u{2060}',
        '\u{feff}',
        '\u{ff0c}',
        '\u{3001}',
        '\u{3002}',
        '\u{300c}',
        '\0',
        '\u{7f}',
        'é',
        '\u{1f600}',
    ];

    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::sample::select(MIXED), 0..80).prop_map(String::from_iter)
    }

    /// A character's first three bytes, padded as `skip_to_hit` never pads
    /// (it reads whole characters), so a test cannot pass on padding.
    fn first_bytes(c: char) -> (u8, u8, u8) {
        let mut buf = [0xFF; 4];
        c.encode_utf8(&mut buf);
        (buf[0], buf[1], buf[2])
    }

    #[test]
    fn hit_tests_take_exactly_what_their_rules_act_on() {
        let sep = |c: char| matches!(c, '，' | ',' | '；' | ';' | '。' | '！' | '？');
        let lead = |c: char, mask: &dyn Fn(u64) -> u64| mask(u64::from(first_bytes(c).0)) & 0x80 != 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let (a, b, d) = first_bytes(c);
            assert_eq!(bracket_hit(a, b, d), bracket_family(c).is_some(), "{c:?}");
            assert_eq!(separator_hit(a, b, d), sep(c), "{c:?}");
            assert_eq!(mark_hit(a, b, d), full_width(c).is_some(), "{c:?}");
            // stray_spaces acts on spaces and on 《 》; the rest it passes.
            if is_space(c) || c == '《' || c == '》' {
                assert!(space_hit(a, b, d), "{c:?}");
            }
            // What a skip stops at, the byte search after it stops at too.
            if space_hit(a, b, d) {
                assert!(lead(c, &space_leads), "{c:?}");
            }
            if bracket_hit(a, b, d) {
                assert!(lead(c, &bracket_leads), "{c:?}");
            }
            if mark_hit(a, b, d) {
                assert!(lead(c, &|w| bytes_in(w, b'!', b'?')), "{c:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(512))]

        /// `skip_to_hit` never passes a place its test takes, and stops at
        /// the first one (or where too little is left for a whole block).
        #[test]
        fn skips_stop_at_the_first_hit(text in mixed_text()) {
            let bytes = text.as_bytes();
            let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
            let tests: [fn(u8, u8, u8) -> bool; 4] = [bracket_hit, space_hit, separator_hit, mark_hit];
            for hit in tests {
                let takes = |k: usize| text.is_char_boundary(k) && hit(at(k), at(k + 1), at(k + 2));
                for from in (0..=bytes.len()).filter(|&k| text.is_char_boundary(k)) {
                    let to = skip_to_hit(bytes, from, hit);
                    let first = (from..bytes.len()).find(|&k| takes(k));
                    proptest::prop_assert!(to <= first.unwrap_or(bytes.len()), "{text:?} from {from}: {to}");
                    proptest::prop_assert!(first == Some(to) || to + 18 > bytes.len(), "{text:?} from {from}: {to}");
                }
            }
        }

        /// `all_hits` finds every place its test takes, in order.
        #[test]
        fn all_hits_finds_every_hit(text in mixed_text()) {
            let bytes = text.as_bytes();
            let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
            let tests: [fn(u8, u8, u8) -> bool; 4] = [bracket_hit, space_hit, separator_hit, mark_hit];
            for hit in tests {
                let plain: Vec<usize> =
                    (0..bytes.len()).filter(|&k| text.is_char_boundary(k) && hit(at(k), at(k + 1), at(k + 2))).collect();
                proptest::prop_assert_eq!(all_hits(bytes, hit).collect::<Vec<_>>(), plain, "{:?}", text);
            }
        }

        /// `balanced` agrees with counting each character on its own.
        #[test]
        fn balanced_agrees_with_counting(text in mixed_text()) {
            let count = |c: char| text.chars().filter(|&x| x == c).count();
            let plain = [('“', '”'), ('‘', '’'), ('《', '》'), ('（', '）'), ('(', ')'), ('〔', '〕'), ('【', '】'), ('[', ']')]
                .iter()
                .all(|&(o, c)| count(o) == count(c));
            proptest::prop_assert_eq!(balanced(&text), plain, "{:?}", text);
        }

        /// The clause trims by bytes agree with the `str` methods they stand for.
        #[test]
        fn byte_trims_agree_with_the_plain_ones(text in mixed_text()) {
            let seps = ['，', ',', '；', ';', '。', '！', '？'];
            proptest::prop_assert_eq!(strip_separators(&text), text.trim_end_matches(seps));
            proptest::prop_assert_eq!(trim_spaces(&text), text.trim_matches(is_space));
            proptest::prop_assert_eq!(ends_with_sentence_separator(&text), text.ends_with(['。', '！', '？']));
        }
    }
}
