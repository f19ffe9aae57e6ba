//! Clause annotations: responsibility notes become `owners`, quantitative
//! commitments become `targets`.
//!
//! Work plans end items with who is responsible — `[牵头单位:省市场监管局、
//! 省知识产权中心]`, `(责任部门:知识产权运用促进处,各市局)`, `(合作处负责)`,
//! several per clause at times. They are data, not prose: each is split into
//! single units, taken out of the clause's text (the editions show them as
//! labels) and kept with its span. An annotation whose bracket never closes
//! stays in the text and is reported. Once the notes are out, a clause
//! whose title sentence is all it says gets that sentence back as its text.

use super::prepare::Prepared;
use crate::diag::Diagnostic;
use crate::diag::registry::UNTERMINATED_ANNOTATION;
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
    // A run-in title is the lead sentence of a clause that goes on. A
    // sentence that is all the clause says — no text after it once its
    // notes are out, no clauses under it — is the clause's text: a heading
    // is a clause's title, never its whole text.
    if node.text.is_empty() && node.children.is_empty() && node.title.as_deref().is_some_and(|t| t.ends_with('。')) {
        node.text = node.title.take().into_iter().collect();
        node.spans.text = node.spans.title.take().into_iter().collect();
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
    super::table::place(&mut node.tables, node.spans.text.iter().copied());
    for table in &node.tables {
        let (found_owners, found_targets) = table_annotations(table, text, source);
        node.owners.extend(found_owners);
        targets.extend(found_targets);
    }
    node.targets = targets;
    for child in &mut node.children {
        annotate_node(child, text, source, diagnostics);
    }
}

/// What a table in a clause says about responsibility and commitments, as a
/// work plan's task table says it: a column headed 牵头单位 (or another
/// role of [`ROLES`]) names each row's units, and a row read as one
/// sentence, its cells in order, may state a target (任务 | 到2025年达到100家).
/// Spans are the cell's where its text is found in the table, else the
/// table's.
fn table_annotations(
    table: &crate::tree::Table,
    text: &str,
    source: &crate::source::SourceFile,
) -> (Vec<Owner>, Vec<Target>) {
    let mut owners = Vec::new();
    let mut targets = Vec::new();
    let roles: Vec<(usize, &str)> = table
        .header
        .iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, h)| ROLES.iter().find(|r| h.contains(**r)).map(|r| (i, *r)))
        .collect();
    let mut cursor = 0;
    for row in &table.rows {
        for &(column, role) in &roles {
            let Some(cell) = row.cells.get(column).filter(|c| !c.is_empty()) else { continue };
            let span = locate(cell, table.span, text, source, &mut cursor);
            owners.extend(split_units(cell).into_iter().map(|unit| Owner { unit, role: Some(role.to_owned()), span }));
        }
        let sentence = row.cells.join("，");
        targets.extend(find_targets(&sentence, table.span, text, source));
    }
    (owners, targets)
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
                            &UNTERMINATED_ANNOTATION,
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
    // Punctuation of either width: `fmt` makes `(:规划处负责)` full-width,
    // and the annotation must read the same before and after.
    let plausible = !units.is_empty()
        && units
            .iter()
            .all(|u| (2..=20).contains(&u.chars().count()) && !u.contains(['，', ',', '。', '.', '：', ':']));
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
    crate::scan::next_byte_where(bytes, from, |word| crate::scan::bytes_in(word, b'0', b'9'))
}

/// Words that make the number after them something to reach: a target is a
/// commitment (达到, 增长, 新增, 累计建成, 突破, 不低于…).
const COMMITMENTS: [&str; 28] = [
    "达到",
    "达",
    "增长",
    "新增",
    "超过",
    "突破",
    "培育",
    "建设",
    "建成",
    "建立",
    "打造",
    "不少于",
    "不低于",
    "累计",
    "提高",
    "提升",
    "增加",
    "降低",
    "下降",
    "减少",
    "力争",
    "实现",
    "遴选",
    "认定",
    "控制在",
    "保持在",
    "覆盖",
    "完成",
];

/// Words that make the number after them a grant, a cap, a fee or a bound
/// of a rule: money handed out (给予100万元), a ceiling (最高不超过2000万元),
/// a margin (浮动不超过10%). The nearest cue before the number decides, so
/// `对新认定的企业给予100万元` is a grant although 认定 comes first.
const NOT_COMMITMENTS: [&str; 22] = [
    "不超过",
    "不高于",
    "不多于",
    "最高",
    "最多",
    "上限",
    "给予",
    "奖励",
    "补助",
    "资助",
    "补贴",
    "扶持",
    "贴息",
    "罚款",
    "收取",
    "分摊",
    "浮动",
    "上浮",
    "下浮",
    "偏差",
    "安排",
    "拨付",
];

/// Counting words that may stand before a unit or alone (1.2万个, 2亿).
const MULTIPLIERS: [&str; 4] = ["亿", "万", "千", "百"];

/// Units a commitment counts in, longer before their prefixes (个百分点
/// before 个, 千瓦时 before 千瓦, 人次 before 人).
const TARGET_UNITS: [&str; 40] = [
    "个百分点",
    "千瓦时",
    "千瓦",
    "平方米",
    "平方公里",
    "公里",
    "吨",
    "元",
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
    "户",
    "台",
    "套",
    "栋",
    "亩",
    "辆",
    "首",
    "款",
    "本",
];

/// The unit written right after a number: an optional multiplier and a
/// counting word, at least one of them (`万个`, `%`, `亿`).
fn unit_after(after: &str) -> Option<&str> {
    let multiplier = MULTIPLIERS.iter().find(|m| after.starts_with(**m)).map_or(0, |m| m.len());
    let base = TARGET_UNITS.iter().find(|u| after[multiplier..].starts_with(**u)).map_or(0, |u| u.len());
    (multiplier + base > 0).then(|| &after[..multiplier + base])
}

/// Whether the nearest cue in `lead` (the phrase before a number) makes the
/// number a commitment. Cues are compared by where they end, and at the
/// same end the longer wins, so 不超过 is a cap although it ends in 超过.
fn commits(lead: &str) -> bool {
    // One pass of an automaton of all fifty cues over the phrase: searching
    // for each cue in turn cost a seventh of the parse.
    static CUES: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(COMMITMENTS.iter().chain(&NOT_COMMITMENTS))
            .expect("fifty short cues make an automaton")
    });
    let (mut yes, mut no) = (None, None);
    for found in CUES.find_overlapping_iter(lead) {
        let side = if found.pattern().as_usize() < COMMITMENTS.len() { &mut yes } else { &mut no };
        *side = (*side).max(Some((found.end(), found.len())));
    }
    match (yes, no) {
        (Some(yes), Some(no)) => yes > no,
        (yes, _) => yes.is_some(),
    }
}

/// Where the phrase that ends at the end of `lead` starts: after the last
/// clause-internal boundary, looking past a closed bracket (`月度（含月内）
/// 及以上…不低于90%` keeps its head).
fn phrase_start(lead: &str) -> usize {
    let mut depth = 0u32;
    for (b, c) in lead.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' if depth > 0 => depth -= 1,
            '，' | ',' | '。' | '；' | ';' | '：' | ':' | '、' | '（' | '(' if depth == 0 => {
                return b + c.len_utf8();
            }
            _ => {}
        }
    }
    0
}

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
        let Some(unit) = unit_after(&paragraph[start + value.len()..]) else { continue };
        let phrase_start = phrase_start(&paragraph[..start]);
        let lead = &paragraph[phrase_start..start];
        // 第3批 and 前10名 are ranks; ±2% is a tolerance.
        if !commits(lead) || lead.ends_with(['第', '前', '±']) {
            continue;
        }
        let mut end = start + value.len() + unit.len();
        for qualifier in ["以上", "左右", "以内", "以下"] {
            if paragraph[end..].starts_with(qualifier) {
                end += qualifier.len();
            }
        }
        // `突破1亿元的企业`, `比例超过50%且不低于平均水平的，`: a number in a
        // description or a condition (…的) says who qualifies, not what is
        // to be reached.
        let clause_rest = paragraph[end..].split(['，', ',', '。', '；', ';', '：', ':']).next().unwrap_or("");
        if clause_rest.starts_with('的') || clause_rest.trim_end().ends_with('的') {
            i = end;
            continue;
        }
        let phrase = paragraph[phrase_start..end].trim().to_owned();
        let at = locate(&phrase, span, text, source, &mut cursor);
        targets.push(Target { phrase, value: value.to_owned(), unit: Some(unit.to_owned()), span: at });
        i = end;
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`commits`] as first written, a search for each cue.
    fn commits_by_search(lead: &str) -> bool {
        let last_end =
            |cues: &[&str]| cues.iter().filter_map(|cue| lead.rfind(cue).map(|at| (at + cue.len(), cue.len()))).max();
        match (last_end(&COMMITMENTS), last_end(&NOT_COMMITMENTS)) {
            (Some(yes), Some(no)) => yes > no,
            (yes, _) => yes.is_some(),
        }
    }

    proptest::proptest! {
        /// The automaton decides as the searches did, on phrases dense with
        /// cues that overlap (不超过 / 超过, 达 / 达到, 最高 / 最多).
        #[test]
        fn the_cue_automaton_agrees_with_searching(
            parts in proptest::collection::vec(
                proptest::sample::select(
                    COMMITMENTS.iter().chain(&NOT_COMMITMENTS).copied().chain(["不", "到", "全省", "，", "的", "a"]).collect::<Vec<_>>(),
                ),
                0..8,
            ),
        ) {
            let lead = parts.concat();
            proptest::prop_assert_eq!(commits(&lead), commits_by_search(&lead), "{:?}", lead);
        }
    }

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

    fn phrases(paragraph: &str) -> Vec<(String, String)> {
        let source = crate::source::SourceFile::from_text("t.txt", crate::source::Format::Text, paragraph);
        let span = source.span(0, paragraph.len());
        find_targets(paragraph, span, paragraph, &source)
            .into_iter()
            .map(|t| (t.phrase, t.unit.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn grants_caps_and_conditions_are_not_targets() {
        for paragraph in [
            "对新认定的国家级知识产权示范企业给予100万元奖励。",
            "单个项目资助最高不超过2000万元。",
            "上下浮动原则上均不超过20%。",
            "调峰电量与出清电量之间偏差超过±2%，若调峰电量大于出清电量时，按出清电量结算。",
            "年营业收入首次突破1亿元的企业，给予一次性奖励。",
            "绿电交易结算电量占上网电量比例超过50%且不低于本市平均水平的，优先兑付。",
        ] {
            assert_eq!(phrases(paragraph), Vec::<(String, String)>::new(), "{paragraph}");
        }
    }

    #[test]
    fn commitments_keep_their_whole_unit() {
        assert_eq!(
            phrases("累计建成知识产权服务网点1.2万个。"),
            [("累计建成知识产权服务网点1.2万个".into(), "万个".into())]
        );
        assert_eq!(phrases("满足每年新增2亿千瓦以上需求。"), [("满足每年新增2亿千瓦以上".into(), "亿千瓦".into())]);
        assert_eq!(phrases("占比提高2个百分点。"), [("占比提高2个百分点".into(), "个百分点".into())]);
        assert_eq!(phrases("占比提高到30%，专利授权量年均增长10%以上。").len(), 2);
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
