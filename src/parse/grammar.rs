//! The pest parser generated from `grammar/policy.pest`, and the one place
//! that walks its `Pairs`: lines come out as plain [`Line`] values, so `Pair`
//! never leaves this module.

use pest::Parser;
use pest_derive::Parser;

use super::line::{Content, Line};
use super::marker;
use crate::tree::DebrisKind;

#[derive(Parser)]
#[grammar = "grammar/policy.pest"]
pub struct PolicyParser;

/// Every grammar rule's human name, for messages. Exhaustive on purpose: a
/// rule added to the grammar without a name here does not compile.
pub fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of input",
        Rule::document => "document",
        Rule::line => "line",
        Rule::invisible => "invisible character",
        Rule::residue => "Word residue",
        Rule::heading => "numbered line",
        Rule::gap => "space after a marker",
        Rule::rest => "text after a marker",
        Rule::book => "第X编",
        Rule::chapter => "第X章",
        Rule::division => "第X节",
        Rule::article => "第X条",
        Rule::sub_numeral => "之X",
        Rule::part => "一、",
        Rule::part_sep => "、 after a Chinese numeral",
        Rule::section => "（一）",
        Rule::item => "1.",
        Rule::item_sep => ". after a number",
        Rule::subitem => "（1）",
        Rule::point => "①",
        Rule::marker_punct => "punctuation after a marker",
        Rule::numeral => "Chinese numeral",
        Rule::digits => "digits",
        Rule::breadcrumb => "breadcrumb",
        Rule::page_meta => "page metadata",
        Rule::page_controls => "page controls",
        Rule::page_furniture => "page furniture",
        Rule::footer => "page footer",
        Rule::quote_residue => "quote residue",
        Rule::text => "text",
        Rule::indent => "indentation",
        Rule::space => "white space",
        Rule::tail => "end of line",
        Rule::marker => "numbering marker",
        Rule::reference_tail => "reference after 第X条",
        Rule::bracket_reference => "reference after （X）",
        Rule::boundary => "end of a 编章节 marker",
        Rule::open => "opening bracket",
        Rule::close => "closing bracket",
        Rule::cn_digit => "Chinese digit",
        Rule::ascii_digit => "digit",
        Rule::wide_digit => "full-width digit",
        Rule::debris => "debris line",
        Rule::rest_of_line => "rest of the line",
    }
}

/// Why the grammar gave up: only the call limit can make it (every input
/// matches otherwise), and the offset where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrammarError {
    pub offset: usize,
    pub message: String,
}

/// Split `text` into classified lines. Offsets are into `text`.
///
/// Lines are cut at `\n`, `\r\n` and `\r` as the grammar's `document` rule
/// cuts them, and each is classified by the grammar's `line` rule — except
/// two kinds of line whose answer is certain without it. Lines whose first
/// character after the indentation starts no marker, residue or debris can
/// only be text. Lines that start like a marker of the policy family
/// (（一）, 1., 一、, （1）, ①) have exactly one marker alternative that can
/// match, and `policy_marker` decides it the way the grammar does.
/// Together they are nearly every line of a policy, and pest's general
/// machinery costs a few microseconds a line, most of the parse. Everything
/// else (第X条, debris, residue, footers) goes to pest. [`lines_by_grammar`]
/// is the whole-document parse this must agree with; property tests hold
/// the two to the same answer.
pub fn lines(text: &str) -> Result<Vec<Line>, GrammarError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 60 + 1);
    let mut start = 0;
    loop {
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(text.len(), |i| start + i);
        out.push(line(text, start, end)?);
        if end == text.len() {
            return Ok(out);
        }
        start = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') { end + 2 } else { end + 1 };
    }
}

/// Classify the line `text[start..end]` (no line break inside).
fn line(text: &str, start: usize, end: usize) -> Result<Line, GrammarError> {
    let content = &text[start..end];
    let mut invisible = Vec::new();
    let mut indent = content.len();
    for (i, c) in content.char_indices() {
        match c {
            ' ' | '\t' | '\u{3000}' | '\u{a0}' => {}
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {
                invisible.push(start + i..start + i + c.len_utf8());
            }
            _ => {
                indent = i;
                break;
            }
        }
    }
    let rest = &content[indent..];
    let at = start + indent;
    let content = match policy_marker(rest) {
        _ if rest.is_empty() => Content::Blank,
        Some(Some(len)) => heading_at(rest, len, at),
        // A heading is tried before debris, and no debris but a footer
        // starts like a marker: without one ahead, the line is text.
        Some(None) if !footer_ahead(rest) => Content::Text(at..end),
        None if !may_start_special(rest) && !footer_ahead(rest) => Content::Text(at..end),
        _ => return line_by_grammar(text, start, end),
    };
    Ok(Line { start, end, content, residue: Vec::new(), invisible })
}

/// The grammar's `heading` on `rest`, the line from offset `at` (after the
/// indentation) to its end, when its marker is `len` bytes long: `gap` is
/// the white space after the marker and `rest` the remainder of the line.
fn heading_at(rest: &str, len: usize, at: usize) -> Content {
    let marker_text = &rest[..len];
    let after = &rest[len..];
    let gap = after.len() - after.trim_start_matches(is_space_rule).len();
    let end = at + rest.len();
    match marker::analyze(marker_text) {
        Some(info) => Content::Heading { info, marker: at..at + len, rest: at + len + gap..end },
        // A malformed numeral (一二、): the whole line is text.
        None => Content::Text(at..end),
    }
}

/// The grammar's `space`, `invisible` included.
fn is_space_rule(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// The grammar's `marker` at the start of `s` for the shapes of the policy
/// family, decided by the first character: `Some(Some(len))` when the
/// marker matches (its length in bytes), `Some(None)` when no marker can,
/// `None` when the first character leaves it to the grammar (第…, and any
/// character no policy marker starts with).
///
/// `marker` tries `section | item | part | subitem | 第… | point`; each
/// first character opens only the alternatives below, and PEG repetition is
/// greedy without backtracking, which the loops here copy.
fn policy_marker(s: &str) -> Option<Option<usize>> {
    let first = s.chars().next()?;
    let len = match first {
        '（' | '(' => bracketed(s, is_cn_digit, 8).or_else(|| bracketed(s, is_digit, 3)),
        _ if is_digit(first) => item(s),
        _ if is_cn_digit(first) => part(s),
        _ if is_point(first) => Some(first.len_utf8()),
        _ => return None,
    };
    Some(len)
}

/// `section` (`open ~ numeral ~ close ~ marker_punct? ~ !bracket_reference`)
/// with `digit` as `cn_digit` and `max` 8, or `subitem` with `digits` and 3.
fn bracketed(s: &str, digit: fn(char) -> bool, max: usize) -> Option<usize> {
    let mut at = eat(s, 0, |c| matches!(c, '（' | '('))?;
    at = eat_run(s, at, digit, max)?;
    at = eat(s, at, |c| matches!(c, '）' | ')'))?;
    at = eat(s, at, |c| matches!(c, '、' | '．' | '.' | '，')).unwrap_or(at);
    (!is_bracket_reference(&s[at..])).then_some(at)
}

/// `item`: `digits ~ item_sep ~ !(ascii_digit | wide_digit)`.
fn item(s: &str) -> Option<usize> {
    let at = eat_run(s, 0, is_digit, 3)?;
    let at = eat(s, at, |c| matches!(c, '.' | '、' | '．'))?;
    eat(s, at, is_digit).is_none().then_some(at)
}

/// `part`: `numeral ~ part_sep`, where a `.` separator may not be followed
/// by an ASCII digit.
fn part(s: &str) -> Option<usize> {
    let at = eat_run(s, 0, is_cn_digit, 8)?;
    match s[at..].chars().next()? {
        c @ ('、' | '．' | '，' | ',') => Some(at + c.len_utf8()),
        '.' if !s[at + 1..].starts_with(|c: char| c.is_ascii_digit()) => Some(at + 1),
        _ => None,
    }
}

/// `bracket_reference`: （三）项规定的… reads as a reference, not a heading.
fn is_bracket_reference(s: &str) -> bool {
    const NEXT: [&str; 13] = ["规定", "的", "所", "中", "之", "和", "或", "及", "、", "，", ",", "。", "第"];
    s.strip_prefix(['项', '款']).is_some_and(|after| NEXT.iter().any(|n| after.starts_with(n)))
}

/// One character at byte `at` satisfying `f`: the offset after it.
fn eat(s: &str, at: usize, f: impl Fn(char) -> bool) -> Option<usize> {
    let c = s[at..].chars().next().filter(|&c| f(c))?;
    Some(at + c.len_utf8())
}

/// `f{1, max}`, greedy: the offset after the run, `None` when it is empty.
fn eat_run(s: &str, at: usize, f: fn(char) -> bool, max: usize) -> Option<usize> {
    let run: usize = s[at..].chars().take(max).take_while(|&c| f(c)).map(char::len_utf8).sum();
    (run > 0).then_some(at + run)
}

/// `cn_digit`
fn is_cn_digit(c: char) -> bool {
    matches!(c, '零' | '〇' | '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千')
}

/// `ascii_digit | wide_digit`
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{ff10}'..='\u{ff19}').contains(&c)
}

/// `point`
fn is_point(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{2473}' | '\u{3251}'..='\u{325f}' | '\u{32b1}'..='\u{32bf}')
}

/// Whether a line whose content is `rest` and starts with no policy marker
/// may be anything but text: `residue` and the regulation's 第… markers, and
/// every debris rule by the literals it starts with, but `footer`'s free
/// prefix (see [`footer_ahead`]). Text lines that merely begin with the same
/// character as one (发展…, 信息…) are told apart here, not by pest.
fn may_start_special(rest: &str) -> bool {
    const PREFIXES: &[&str] = &[
        // residue, page_controls' [打印 and [关闭, and 第X编章节条
        "[",
        "第",
        // breadcrumb
        "当前位置",
        "您的位置",
        "您现在的位置",
        "所在位置",
        // page_meta (pest checks the colon after)
        "来源",
        "日期",
        "作者",
        "发布于",
        "发布时间",
        "发布日期",
        "浏览次数",
        "访问量",
        "信息来源",
        "文章来源",
        "责任编辑",
        // page_controls
        "【",
        "打印本页",
        "关闭窗口",
        // page_furniture
        "•",
        "∥",
        "▪",
        "●",
        "分享到",
        // footer without its free prefix
        "版权所有",
        "Copyright",
        "COPYRIGHT",
        "脚注信息",
        "主办单位",
        "承办单位",
        "网站标识码",
        "网站地图",
        // quote_residue
        ">",
    ];
    // Their first characters, so that most text lines are let go at once.
    let first = rest.chars().next();
    matches!(
        first,
        Some(
            '[' | '第'
                | '当'
                | '您'
                | '所'
                | '来'
                | '日'
                | '作'
                | '发'
                | '浏'
                | '访'
                | '信'
                | '文'
                | '责'
                | '【'
                | '打'
                | '关'
                | '•'
                | '∥'
                | '▪'
                | '●'
                | '分'
                | '版'
                | 'C'
                | '脚'
                | '主'
                | '承'
                | '网'
                | '>'
        )
    ) && PREFIXES.iter().any(|p| rest.starts_with(p))
}

/// `footer` matches 公网安备 or ICP备 after up to eight other characters.
fn footer_ahead(rest: &str) -> bool {
    rest.char_indices().take(9).any(|(i, _)| rest[i..].starts_with("公网安备") || rest[i..].starts_with("ICP备"))
}

/// The grammar's `line` rule on one line.
fn line_by_grammar(text: &str, start: usize, end: usize) -> Result<Line, GrammarError> {
    let pairs = PolicyParser::parse(Rule::line, &text[start..end]).map_err(|err| grammar_error(&err, start))?;
    let mut line = None;
    for pair in pairs.flatten().filter(|p| p.as_rule() == Rule::line) {
        line = Some(lower_line(pair, start));
    }
    // `line` matches every string without a line break, the empty one too.
    Ok(line.unwrap_or(Line { start, end, content: Content::Blank, residue: Vec::new(), invisible: Vec::new() }))
}

/// The whole document through the grammar's `document` rule: the reference
/// [`lines`] is checked against.
pub fn lines_by_grammar(text: &str) -> Result<Vec<Line>, GrammarError> {
    let document = PolicyParser::parse(Rule::document, text).map_err(|err| grammar_error(&err, 0))?;
    Ok(document.flatten().filter(|p| p.as_rule() == Rule::line).map(|pair| lower_line(pair, 0)).collect())
}

fn grammar_error(err: &pest::error::Error<Rule>, offset: usize) -> GrammarError {
    let at = match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    GrammarError { offset: offset + at, message: err.variant.message().into_owned() }
}

/// One `line` pair as a [`Line`], its offsets moved by `offset`.
fn lower_line(pair: pest::iterators::Pair<'_, Rule>, offset: usize) -> Line {
    let span = pair.as_span();
    // The line pair excludes its line break but may include trailing
    // white space; keep its full extent.
    let mut line = Line {
        start: offset + span.start(),
        end: offset + span.end(),
        content: Content::Blank,
        residue: Vec::new(),
        invisible: Vec::new(),
    };
    for inner in pair.into_inner() {
        let s = inner.as_span();
        let range = offset + s.start()..offset + s.end();
        match inner.as_rule() {
            Rule::invisible => line.invisible.push(range),
            Rule::residue => line.residue.push(range),
            Rule::heading => line.content = heading(inner, offset),
            Rule::breadcrumb => line.content = Content::Debris(DebrisKind::Breadcrumb, range),
            Rule::page_meta => line.content = Content::Debris(DebrisKind::PageMeta, range),
            Rule::page_controls => line.content = Content::Debris(DebrisKind::PageControls, range),
            Rule::page_furniture => line.content = Content::Debris(DebrisKind::PageFurniture, range),
            Rule::footer => line.content = Content::Debris(DebrisKind::Footer, range),
            Rule::quote_residue => line.content = Content::Debris(DebrisKind::QuoteResidue, range),
            Rule::text => line.content = Content::Text(range),
            _ => {}
        }
    }
    line
}

fn heading(pair: pest::iterators::Pair<'_, Rule>, offset: usize) -> Content {
    let whole = pair.as_span();
    let mut marker_range = offset + whole.start()..offset + whole.start();
    let mut rest = offset + whole.end()..offset + whole.end();
    let mut marker_text = "";
    for inner in pair.into_inner() {
        let s = inner.as_span();
        match inner.as_rule() {
            Rule::rest => rest = offset + s.start()..offset + s.end(),
            Rule::gap => {}
            _ => {
                marker_range = offset + s.start()..offset + s.end();
                marker_text = s.as_str();
            }
        }
    }
    match marker::analyze(marker_text) {
        Some(info) => Content::Heading { info, marker: marker_range, rest },
        // A malformed numeral (一二、): the whole line is text.
        None => Content::Text(offset + whole.start()..offset + whole.end()),
    }
}
