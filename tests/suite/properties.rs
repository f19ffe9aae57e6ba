//! Properties of `parse` over random input, and the inputs fuzzing found.
//!
//! The generator mixes what trips a line parser over Chinese documents:
//! markers of both families (and near misses such as 第三条规定 or 1.5亿元),
//! every kind of bracket, annotations, debris lines, Chinese text, control
//! characters, invisible characters and all three kinds of line break. For
//! each input, parsing must not panic, every span anywhere in the result
//! (nodes, frame, debris, owners, targets, diagnostics, fixes) must lie
//! inside the input on character boundaries with the right line and column,
//! and every piece of node text (marker, title, paragraphs) and of debris
//! must be what the source holds at its span, less the annotations taken
//! out into `owners`. Text is compared with white space removed, because source
//! repair may rejoin a line broken inside a sentence.
//!
//! `tests/fixtures/fuzz/` keeps what cargo-fuzz found (see
//! `tests/fuzz/README.md`); each file there is parsed and checked the same way.

use policyc::parse::{grammar, parse};
use policyc::source::{Format, SourceFile};
use policyc::text::is_space;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::*;

/// Fragments with meaning to the grammar, frame or annotation stages.
const MARKERS: &[&str] = &[
    "一、",
    "二、 ",
    "十一、",
    "一百零五、",
    "一二、",
    "（一）",
    "(二)",
    "（十九)",
    "(二十）、",
    "1.",
    "2、",
    "3．",
    "１．",
    "12.",
    "1.5亿元",
    "1.２",
    "１、3",
    "1234.",
    "123、",
    "一.5",
    "一.a",
    "一,",
    "二．",
    "一二三四五六七八九、",
    "（一二三四五六七八九）",
    "（一二三四五六七八）",
    "(1234)",
    "（1）、",
    "（一）项规定",
    "(三)款的",
    "（二）、项中",
    "（1）项",
    "㊿",
    "（1）",
    "(2)",
    "①",
    "⑳",
    "㉑",
    "第一编",
    "第一章",
    "第二章　总则",
    "第一节",
    "第一条",
    "第十二条之一",
    "第三条规定",
    "第五条第二款",
    "第",
    "条",
    "之一",
    "（2021-2035年）",
    "(IS056005)",
];
const BRACKETS: &[&str] =
    &["（", "）", "(", ")", "〔", "〕", "[", "]", "《", "》", "【", "】", "“", "”", "‘", "’", "<", ">", "<script>"];
const PIECES: &[&str] = &[
    "[bookmark: _GoBack]",
    "[bookmark:",
    "[牵头单位:省市场监管局、省知识产权中心]",
    "(责任部门:知识产权运用促进处,各市局)",
    "（合作处负责）",
    "当前位置:首页 > 政策",
    "来源:",
    "日期:2023年08月03日",
    "【字体:大 中 小】",
    "• 适用地区:四川",
    "∥政策详情∥",
    "川公网安备51010502015189号",
    "京ICP备05070218号",
    "版权所有",
    "Copyright",
    "COPYRIGHT",
    "脚注信息",
    "主办单位：",
    "承办单位:",
    "网站标识码",
    "网站地图",
    "您的位置：",
    "您现在的位置",
    "所在位置",
    "作者:管理员 发布于:",
    "发布时间：",
    "浏览次数:",
    "访问量：",
    "信息来源:",
    "文章来源：",
    "责任编辑:",
    "【打印】",
    "【关闭】",
    "[打印]",
    "[关闭]",
    "【 】",
    "打印本页",
    "关闭窗口",
    "▪ 相关",
    "● 附件",
    "分享到：",
    ">",
    "川市监发〔2021〕21号",
    "穗知[2016]85号",
    "2023年12月29日",
    "2021年2月30日",
    "关于印发《若干措施》的通知",
    "各市(州)市场监管局：",
    "附件1",
    "（征求意见稿）",
    "本措施自发布之日起施行，有效期至2030年。",
    "联系人：张三，联系电话：12345678",
    "达到10件以上",
    "年均增长10%",
    "。",
    "：",
    "，",
    "、",
    ",",
    ":",
    ";",
    "……",
    "——",
];
const SPACES: &[&str] = &[" ", "  ", "\t", "\u{3000}", "\u{a0}", "\u{200b}", "\u{feff}", "\u{2060}"];
const BREAKS: &[&str] = &["\n", "\n", "\n\n", "\r\n", "\r", "\u{2028}", "\u{85}", "\u{c}"];

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(pool).prop_map(str::to_owned)
}

/// A run of Chinese text: common characters, with the odd Latin letter or digit.
fn chinese() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(&['知', '识', '产', '权', '服', '务', '业', '发', '展', '省', '局', '市', '加', '强', '条'][..]),
            1 => prop::char::range('\u{4e00}', '\u{9fff}'),
            1 => prop::char::range('a', 'z'),
            1 => prop::char::range('0', '9'),
        ],
        1..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// A control character other than the line breaks above.
fn control() -> impl Strategy<Value = String> {
    prop_oneof![prop::char::range('\u{0}', '\u{1f}'), Just('\u{7f}'), prop::char::range('\u{80}', '\u{9f}')]
        .prop_map(String::from)
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(MARKERS),
        2 => pick(BRACKETS),
        3 => pick(PIECES),
        6 => chinese(),
        1 => control(),
        2 => pick(SPACES),
        4 => pick(BREAKS),
        // Any character at all, astral planes included.
        1 => any::<char>().prop_map(String::from),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..80).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(proptest_config(512))]

    #[test]
    fn random_text_parses_with_sound_spans(text in document()) {
        check(&SourceFile::from_text("random.txt", Format::Text, text));
    }

    #[test]
    fn line_classification_agrees_with_the_whole_grammar(text in document()) {
        // `grammar::lines` classifies most lines without pest; it must give
        // exactly what the grammar's `document` rule gives.
        prop_assert_eq!(grammar::lines(&text), grammar::lines_by_grammar(&text));
    }

    #[test]
    fn random_markdown_parses_with_spans_inside(text in document()) {
        // Masking blanks markup, so node text is checked against the source
        // only where no markup was; spans must be sound everywhere.
        check_spans_only(&SourceFile::from_text("random.md", Format::Markdown, text));
    }
}

#[test]
fn every_fragment_at_a_line_start_agrees_with_the_whole_grammar() {
    // Deterministic where the property above is random: each fragment
    // starts a line, bare, indented, and followed by text.
    let pools = [MARKERS, BRACKETS, PIECES, SPACES];
    for fragment in pools.iter().flat_map(|p| p.iter()) {
        for text in [
            fragment.to_string(),
            format!("\u{3000}\u{3000}{fragment}"),
            format!("\u{200b} {fragment}知识产权。\r\n{fragment}"),
            format!("前文\n{fragment} 加强服务\r"),
        ] {
            assert_eq!(grammar::lines(&text), grammar::lines_by_grammar(&text), "{text:?}");
        }
    }
}

#[test]
fn seeds_lines_agree_with_the_whole_grammar() {
    for slug in SEEDS {
        let text = std::fs::read_to_string(seed_path(slug)).unwrap_or_else(|e| panic!("{slug}: {e}"));
        assert_eq!(grammar::lines(&text), grammar::lines_by_grammar(&text), "{slug}");
    }
}

#[test]
fn fuzz_regressions_parse_with_sound_spans() {
    check_dir("fuzz");
}

fn check_dir(rel: &str) {
    let dir = fixture(rel);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    for path in paths {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // What fuzzing found may not be UTF-8 at all: then decoding must say
        // so, which is the whole property.
        let format = Format::from_path(&path).unwrap_or(Format::Text);
        let Ok(source) = SourceFile::from_bytes(&path, format, &bytes, Default::default()) else { continue };
        let outcome = std::panic::catch_unwind(|| match format {
            Format::Text | Format::Docx => check(&source),
            Format::Markdown | Format::Html => check_spans_only(&source),
        });
        if let Err(panic) = outcome {
            eprintln!("failed on {}", path.display());
            std::panic::resume_unwind(panic);
        }
    }
}

/// The checks on text sources: sound spans, and text found at its span.
fn check(source: &SourceFile) {
    let (document, diagnostics) = parsed_as_json(source);
    walk(source, &document, true);
    walk(source, &diagnostics, false);
}

fn check_spans_only(source: &SourceFile) {
    let (document, diagnostics) = parsed_as_json(source);
    walk(source, &document, false);
    walk(source, &diagnostics, false);
}

/// Parse and serialize: a generic walk over the serde tree reaches every
/// span, including those of fields added after this test was written.
fn parsed_as_json(source: &SourceFile) -> (Value, Value) {
    let parsed = parse(source);
    let document = serde_json::to_value(&parsed.document).expect("the tree serializes");
    let diagnostics = serde_json::to_value(&parsed.diagnostics).expect("diagnostics serialize");
    (document, diagnostics)
}

fn walk(source: &SourceFile, value: &Value, texts: bool) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| walk(source, v, texts)),
        Value::Object(fields) => {
            if let Some(span) = fields.get("span") {
                let at = span_text(source, span);
                // A debris line: its text is at its span. (A frame paragraph
                // may be joined from lines around a debris line, which its
                // span then covers; only its bounds are checked.)
                if let (true, Some(Value::String(text)), true) =
                    (texts, fields.get("text"), fields.contains_key("kind"))
                {
                    assert_same_text(source, text, &[at.to_owned()], "debris");
                }
            }
            if let Some(spans) = fields.get("spans") {
                // Annotations are taken out of a node's text (they become
                // `owners`) while the paragraph's span still covers them. Two
                // identical annotations in one paragraph share the first one's
                // span, so the text is also compared with every copy of an
                // annotation removed.
                let annotations: Vec<(usize, usize)> = fields
                    .get("owners")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|owner| {
                        span_text(source, &owner["span"]);
                        (number(&owner["span"], 0), number(&owner["span"], 1))
                    })
                    .collect();
                let unannotated = |span: &Value| -> [String; 2] {
                    let (start, end) = (number(span, 0), number(span, 1));
                    let mut by_span = String::new();
                    let mut at = start;
                    let mut inside: Vec<_> =
                        annotations.iter().copied().filter(|&(s, e)| s >= start && e <= end && s < e).collect();
                    inside.sort_unstable();
                    inside.dedup();
                    for (s, e) in inside {
                        by_span.push_str(&source.text[at.min(s)..s]);
                        at = at.max(e);
                    }
                    by_span.push_str(&source.text[at.min(end)..end]);
                    let by_text = annotations
                        .iter()
                        .fold(source.text[start..end].to_owned(), |text, &(s, e)| text.replace(&source.text[s..e], ""));
                    [by_span, by_text]
                };
                let field = |name: &str| spans.get(name).filter(|v| !v.is_null());
                if let Some(marker) = field("marker") {
                    let at = span_text(source, marker);
                    if let (true, Some(Value::String(text))) = (texts, fields.get("marker")) {
                        assert_same_text(source, text, &[at.to_owned()], "marker");
                    }
                }
                if let Some(title) = field("title") {
                    span_text(source, title);
                    if let (true, Some(Value::String(text))) = (texts, fields.get("title")) {
                        assert_same_text(source, text, &unannotated(title), "title");
                    }
                }
                let spans = field("text").and_then(Value::as_array).cloned().unwrap_or_default();
                let paragraphs = fields.get("text").and_then(Value::as_array).cloned().unwrap_or_default();
                assert_eq!(spans.len(), paragraphs.len(), "one span per paragraph in {fields:?}");
                for (span, paragraph) in spans.iter().zip(&paragraphs) {
                    span_text(source, span);
                    if let (true, Some(text)) = (texts, paragraph.as_str()) {
                        assert_same_text(source, text, &unannotated(span), "paragraph");
                    }
                }
            }
            fields.iter().filter(|(k, _)| *k != "spans").for_each(|(_, v)| walk(source, v, texts));
        }
        _ => {}
    }
}

/// Check one serialized span `[start, end, line, column]` and give the
/// source text it covers.
fn span_text<'a>(source: &'a SourceFile, span: &Value) -> &'a str {
    let numbers: Vec<u64> = span
        .as_array()
        .unwrap_or_else(|| panic!("a span is an array: {span}"))
        .iter()
        .map(|n| n.as_u64().unwrap_or_else(|| panic!("span numbers are unsigned: {span}")))
        .collect();
    let [start, end, line, column] = numbers[..] else { panic!("a span has four numbers: {span}") };
    let (start, end) = (start as usize, end as usize);
    let text = &source.text;
    assert!(start <= end && end <= text.len(), "span {span} outside the input of {} bytes\n{text:?}", text.len());
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "span {span} not on character boundaries\n{text:?}"
    );
    let expected = source.lines.position(text, start);
    assert_eq!((line as u32, column as u32), expected, "line and column of span {span}\n{text:?}");
    &text[start..end]
}

fn assert_same_text(source: &SourceFile, text: &str, at: &[String], what: &str) {
    let squeeze = |s: &str| s.chars().filter(|&c| !is_space(c)).collect::<String>();
    assert!(
        at.iter().any(|at| squeeze(text) == squeeze(at)),
        "{what} {text:?} is not what its span holds ({at:?})\n{:?}",
        source.text
    );
}

fn number(span: &Value, i: usize) -> usize {
    span[i].as_u64().unwrap_or_else(|| panic!("span numbers are unsigned: {span}")) as usize
}
