//! Clause annotations: responsibility notes become `owners`, quantitative
//! commitments become `targets`.
//!
//! Work plans end items with who is responsible — `[牵头单位:省市场监管局、
//! 省知识产权中心]`, `(责任部门:知识产权运用促进处,各市局)`, `(合作处负责)`,
//! several per clause at times. They are data, not prose: each is split into
//! single units, taken out of the clause's text (the editions show them as
//! labels) and kept with its span. An annotation whose bracket never closes
//! stays in the text and is reported.

use super::prepare::Prepared;
use crate::diag::{Diagnostic, Severity};
use crate::tree::{Document, Node, Owner, Span, Target};

/// Labels that open a responsibility annotation.
const ROLES: [&str; 12] = [
    "牵头单位",
    "责任单位",
    "责任部门",
    "牵头部门",
    "配合单位",
    "参与单位",
    "协办单位",
    "主办单位",
    "责任处室",
    "牵头处室",
    "配合部门",
    "实施单位",
];

pub fn annotate(document: &mut Document, prepared: &Prepared, diagnostics: &mut Vec<Diagnostic>) {
    let source = prepared.source;
    for node in &mut document.body {
        annotate_node(node, &source.text, source, diagnostics);
    }
}

fn annotate_node(node: &mut Node, text: &str, source: &crate::source::SourceFile, diagnostics: &mut Vec<Diagnostic>) {
    let mut owners = Vec::new();
    if let (Some(title), Some(span)) = (node.title.as_mut(), node.spans.title) {
        let (kept, found) = take_annotations(std::mem::take(title), span, text, source, diagnostics);
        *title = kept;
        owners.extend(found);
    }
    let paragraphs = std::mem::take(&mut node.text);
    let mut kept_text = Vec::with_capacity(paragraphs.len());
    let mut kept_spans = Vec::with_capacity(paragraphs.len());
    for (i, paragraph) in paragraphs.into_iter().enumerate() {
        let span = node.spans.text.get(i).copied().unwrap_or(node.span);
        let (kept, found) = take_annotations(paragraph, span, text, source, diagnostics);
        owners.extend(found);
        if !kept.is_empty() {
            kept_text.push(kept);
            kept_spans.push(span);
        }
    }
    node.text = kept_text;
    node.spans.text = kept_spans;
    node.owners = owners;
    if node.title.as_deref() == Some("") {
        node.title = None;
        node.spans.title = None;
    }
    let mut targets = Vec::new();
    for (i, paragraph) in node.title.iter().chain(node.text.iter()).enumerate() {
        let span = if node.title.is_some() && i == 0 {
            node.spans.title.unwrap_or(node.span)
        } else {
            let k = if node.title.is_some() { i - 1 } else { i };
            node.spans.text.get(k).copied().unwrap_or(node.span)
        };
        targets.extend(find_targets(paragraph, span, text, source));
    }
    node.targets = targets;
    for child in &mut node.children {
        annotate_node(child, text, source, diagnostics);
    }
}

/// Remove every annotation from `paragraph`; give the rest and the owners.
/// A paragraph without annotations (most of them) comes back as it was,
/// without a copy.
fn take_annotations(
    paragraph: String,
    span: Span,
    text: &str,
    source: &crate::source::SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, Vec<Owner>) {
    let mut kept = String::new();
    let mut owners = Vec::new();
    // paragraph[copied..] is kept as it is unless an annotation follows:
    // text before an annotation loses its trailing space.
    let mut copied = 0;
    let mut taken = false;
    let mut at = 0;
    // Where in the paragraph's source the next annotation is looked for, so
    // that two identical notes get their own spans.
    let mut cursor = 0;
    while let Some(open_at) = find_open(&paragraph[at..]).map(|i| at + i) {
        let open = paragraph[open_at..].chars().next().unwrap_or('(');
        let inner_start = open_at + open.len_utf8();
        match matching_close(&paragraph[inner_start..], open) {
            Some(close_len) => {
                let inner = &paragraph[inner_start..inner_start + close_len];
                let close = paragraph[inner_start + close_len..].chars().next().unwrap_or(')');
                let end = inner_start + close_len + close.len_utf8();
                if let Some((role, units)) = parse_annotation(inner) {
                    let whole = &paragraph[open_at..end];
                    let place = locate(whole, span, text, source, &mut cursor);
                    owners.extend(units.into_iter().map(|unit| Owner { unit, role: role.clone(), span: place }));
                    kept.push_str(paragraph[copied..open_at].trim_end());
                    copied = end;
                    taken = true;
                }
                at = end;
            }
            None => {
                let tail = &paragraph[inner_start..];
                if ROLES.iter().any(|r| tail.trim_start().starts_with(r)) {
                    let at = locate(&paragraph[open_at..], span, text, source, &mut cursor);
                    // Point at the opening bracket when it was found in the
                    // source; else at the paragraph's first character.
                    let first = text[at.start.min(text.len())..].chars().next().map_or(0, char::len_utf8);
                    let at = Span { end: at.start + first, ..at };
                    diagnostics.push(
                        Diagnostic::new(
                            "F003",
                            "unterminated-annotation",
                            Severity::Error,
                            at,
                            format!("the responsibility note opened by `{open}` is never closed"),
                        )
                        .with_help(format!("close it with `{}` after the last unit", closing_of(open))),
                    );
                }
                break;
            }
        }
    }
    if !taken {
        return (tidy(paragraph), owners);
    }
    kept.push_str(&paragraph[copied..]);
    (tidy(kept), owners)
}

/// The first opening bracket an annotation may start with: `[ ［ 【 ( （`.
/// A byte search: the wide ones are three bytes, and CJK text is full of
/// characters that share their first byte but not the rest.
fn find_open(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut narrow = None;
    let mut from = 0;
    while let Some(i) = memchr::memchr3(b'[', b'(', 0xEF, &bytes[from..]).map(|i| from + i) {
        if matches!(&bytes[i..], [b'[' | b'(', ..] | [0xEF, 0xBC, 0xBB | 0x88, ..]) {
            narrow = Some(i);
            break;
        }
        from = i + 1;
    }
    // 【 starts with the byte of 、 and 。 instead; it gets a search of its own.
    memchr::memmem::find(&bytes[..narrow.unwrap_or(bytes.len())], "【".as_bytes()).or(narrow)
}

/// Collapse the seams an annotation leaves: `服务(规划处负责);加快` → `服务;加快`.
fn tidy(s: String) -> String {
    let trimmed = s.trim();
    if trimmed.len() == s.len() { s } else { trimmed.to_owned() }
}

fn closing_of(open: char) -> char {
    match open {
        '[' => ']',
        '［' => '］',
        '【' => '】',
        '(' => ')',
        _ => '）',
    }
}

/// Length of the bracketed content up to its matching close, brackets of any
/// width nesting inside.
fn matching_close(s: &str, open: char) -> Option<usize> {
    let square = matches!(open, '[' | '［' | '【');
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '[' | '［' | '【' if square => depth += 1,
            '(' | '（' if !square => depth += 1,
            ']' | '］' | '】' if square => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            ')' | '）' if !square => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// `牵头单位:省市场监管局、省知识产权中心` → (Some(牵头单位), [units]);
/// `合作处负责` → (None, [合作处]). `None` for brackets that are prose.
fn parse_annotation(inner: &str) -> Option<(Option<String>, Vec<String>)> {
    let inner = inner.trim();
    for role in ROLES {
        if let Some(rest) = inner.strip_prefix(role) {
            let rest = rest.trim_start().strip_prefix([':', '：'])?;
            let units = split_units(rest);
            return (!units.is_empty()).then(|| (Some(role.to_owned()), units));
        }
    }
    let lead = inner.strip_suffix("负责")?;
    let lead = lead.strip_suffix("牵头").unwrap_or(lead);
    let units = split_units(lead);
    let plausible = !units.is_empty()
        && units.iter().all(|u| (2..=20).contains(&u.chars().count()) && !u.contains(['，', '。', '：']));
    plausible.then_some((None, units))
}

fn split_units(s: &str) -> Vec<String> {
    super::frame::split_units(s)
}

/// Where a piece of a paragraph sits in the source. Exact when the paragraph
/// was not rejoined from broken lines; else the paragraph's start.
fn locate(piece: &str, paragraph: Span, text: &str, source: &crate::source::SourceFile, cursor: &mut usize) -> Span {
    let region = text.get(paragraph.start..paragraph.end).unwrap_or("");
    match region.get(*cursor..).and_then(|r| find_short(r, piece)).map(|at| at + *cursor) {
        Some(at) => {
            *cursor = at + piece.len();
            source.span(paragraph.start + at, paragraph.start + at + piece.len())
        }
        None => paragraph,
    }
}

/// `haystack.find(needle)` for the short needles and paragraphs here: a
/// general substring searcher costs more to set up than the search itself.
fn find_short(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else { return Some(0) };
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, &hay[from..]).map(|i| from + i) {
        if hay[i + 1..].starts_with(rest) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// The first ASCII digit in `bytes` at or after `from`. Digits are rare in
/// Chinese text, so it looks eight bytes at a time.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_ne_bytes(chunk.try_into().unwrap_or_default());
        let low = word & !HIGH;
        // Per byte, without carries: the high bit of `low + 0x50` says
        // `low >= 0x30`, that of `low + 0x46` says `low >= 0x3a`.
        let digit = (low + ONES * 0x50) & !(low + ONES * 0x46) & !word & HIGH;
        if digit != 0 {
            break;
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..].iter().position(u8::is_ascii_digit).map(|p| i + p)
}

/// Verbs that turn a number into a commitment.
const TARGET_VERBS: [&str; 22] = [
    "达到",
    "达",
    "增长",
    "新增",
    "超过",
    "突破",
    "培育",
    "建设",
    "建立",
    "打造",
    "不少于",
    "不低于",
    "累计",
    "提高到",
    "提升至",
    "提高至",
    "力争",
    "实现",
    "增加",
    "遴选",
    "认定",
    "控制在",
];

/// Units a commitment counts in.
const TARGET_UNITS: [&str; 31] = [
    "亿元",
    "万元",
    "万件",
    "万人",
    "万家",
    "平方米",
    "%",
    "％",
    "件",
    "个",
    "家",
    "所",
    "项",
    "人次",
    "人",
    "次",
    "名",
    "部",
    "支",
    "条",
    "批",
    "倍",
    "座",
    "场",
    "期",
    "篇",
    "类",
    "种",
    "处",
    "亿",
    "万",
];

/// Quantitative commitments in one paragraph.
fn find_targets(paragraph: &str, span: Span, text: &str, source: &crate::source::SourceFile) -> Vec<Target> {
    let mut targets = Vec::new();
    let mut cursor = 0;
    let bytes = paragraph.as_bytes();
    let mut i = 0;
    while let Some(digit) = next_digit(bytes, i) {
        i = digit;
        if i > 0 && (bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'.') {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b'-') {
            i += 1;
        }
        let value = paragraph[start..i].trim_end_matches(['.', '-']);
        let after = &paragraph[start + value.len()..];
        let Some(unit) = TARGET_UNITS.iter().find(|u| after.starts_with(**u)) else { continue };
        // A clause-internal boundary before the number starts the phrase.
        let phrase_start = paragraph[..start]
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, '，' | ',' | '。' | '；' | ';' | '：' | ':' | '、' | '（' | '('))
            .map_or(0, |(b, c)| b + c.len_utf8());
        let lead = &paragraph[phrase_start..start];
        if !TARGET_VERBS.iter().any(|v| lead.contains(v)) || lead.ends_with(['第', '前']) {
            continue;
        }
        let mut end = start + value.len() + unit.len();
        for qualifier in ["以上", "左右", "以内", "以下"] {
            if paragraph[end..].starts_with(qualifier) {
                end += qualifier.len();
            }
        }
        let phrase = paragraph[phrase_start..end].trim().to_owned();
        let at = locate(&phrase, span, text, source, &mut cursor);
        targets.push(Target { phrase, value: value.to_owned(), unit: Some((*unit).to_owned()), span: at });
        i = end;
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations() {
        assert_eq!(
            parse_annotation("牵头单位:省市场监管局、省知识产权中心"),
            Some((Some("牵头单位".into()), vec!["省市场监管局".into(), "省知识产权中心".into()]))
        );
        assert_eq!(parse_annotation("合作处负责"), Some((None, vec!["合作处".into()])));
        assert_eq!(parse_annotation("2023—2025年"), None);
        assert_eq!(parse_annotation("四川"), None);
    }

    #[test]
    fn digit_and_substring_search_agree_with_the_plain_ones() {
        let texts = [
            "",
            "7",
            "年均增长10%",
            "二〇二三年，达到１０件/9",
            "abcdefghijklmnop0",
            "/:/:/:/:/:/:/:/:;",
            "\u{b0}\u{b9}",
        ];
        for text in texts {
            for from in 0..=text.len() {
                let plain = text.as_bytes()[from..].iter().position(u8::is_ascii_digit).map(|p| from + p);
                assert_eq!(next_digit(text.as_bytes(), from), plain, "{text:?} from {from}");
            }
            for needle in ["", "1", "10%", "增长", "达到１", "件/9", "x"] {
                assert_eq!(find_short(text, needle), text.find(needle), "{text:?} {needle:?}");
            }
        }
    }

    #[test]
    fn nested_brackets() {
        assert_eq!(
            matching_close("牵头单位:省市场监管局(知识产权局)]后", '['),
            Some("牵头单位:省市场监管局(知识产权局)".len())
        );
        assert_eq!(matching_close("责任部门:a(b)c)d", '('), Some("责任部门:a(b)c".len()));
    }
}
