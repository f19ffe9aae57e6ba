//! The YAML writer (`src/emit/yaml/writer.rs`, the only one) held by
//! reading: every output, on every fixture, the seeds, hand-picked strings
//! and generated documents, is read back through serde-saphyr into a
//! generic value equal to the one the tree serializes to (JSON's), and into
//! a `Document` equal to the one written. No byte is compared with another
//! writer's; the few exact lines below pin the format its module documents
//! (a string plain, folded or double-quoted, always on one line).

use policyc::emit::yaml::{from_yaml, to_string, to_yaml};
use policyc::parse::parse;
use policyc::tree::{
    Debris, DebrisKind, Document, Kind, Merge, Node, NodeSpans, Owner, Paragraph, Row, Span, Table, Target,
};
use proptest::prelude::*;
use serde::Serialize;

use crate::common::*;

/// Fails unless `yaml`, read by serde-saphyr, is `value` (compared as the
/// generic values both serialize to).
fn assert_reads_back<T: Serialize + ?Sized>(value: &T, yaml: &str, what: &str) {
    let want = serde_json::to_value(value).unwrap();
    let got: serde_json::Value = match serde_saphyr::from_str(yaml) {
        Ok(got) => got,
        Err(e) => panic!("{what}: serde-saphyr cannot read the YAML: {e}\n{yaml}"),
    };
    if got != want {
        let (got, want) = (serde_json::to_string_pretty(&got).unwrap(), serde_json::to_string_pretty(&want).unwrap());
        assert_same_text(&got, &want, &format!("{what}: read back"));
    }
}

/// The document's edition, after checking that it reads back as the
/// document, as a value and as a tree.
fn written(document: &Document, what: &str) -> String {
    let yaml = to_yaml(document).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_reads_back(document, &yaml, what);
    assert!(from_yaml(&yaml).unwrap() == *document, "{what}: the tree read back differs");
    yaml
}

#[test]
fn every_fixture_and_seed_reads_back_as_its_tree() {
    let mut paths = fixture_sources();
    paths.sort();
    assert!(paths.len() > 50, "fixtures found: {}", paths.len());
    for path in &paths {
        let document = parse(&load(path)).document;
        written(&document, &path.strip_prefix(root()).unwrap().display().to_string());
    }
    for slug in SEEDS {
        written(&parse(&load(&seed_path(slug))).document, slug);
    }
    written(&seeds_twice_over(), "the seeds twice over");
}

fn span() -> Span {
    Span { start: 12, end: 3456, line: 7, column: 89 }
}

fn leaf(kind: Kind, marker: &str, title: Option<&str>, text: &[&str]) -> Node {
    Node {
        kind,
        marker: marker.to_owned(),
        number: 1,
        sub: None,
        title: title.map(str::to_owned),
        text: text.iter().map(|t| (*t).to_owned()).collect(),
        tables: Vec::new(),
        owners: Vec::new(),
        targets: Vec::new(),
        children: Vec::new(),
        span: span(),
        spans: NodeSpans::default(),
    }
}

/// `s` in every kind of place the tree has: a top-level field, a field of a
/// struct under a key, a sequence item at several depths, a field of a
/// struct in a sequence at several depths.
fn everywhere(s: &str) -> Document {
    let mut document = Document::default();
    document.meta.title = Some(s.to_owned());
    document.meta.issuers = vec![s.to_owned()];
    document.frame.preamble.push(Paragraph { text: s.to_owned(), span: span() });
    document.frame.debris.push(Debris { kind: DebrisKind::PageMeta, text: s.to_owned(), span: span() });
    let mut deep = leaf(Kind::Item, s, Some(s), &[s, "推进"]);
    deep.owners.push(Owner { unit: s.to_owned(), role: Some(s.to_owned()), span: span() });
    deep.targets.push(Target { phrase: s.to_owned(), value: s.to_owned(), unit: None, span: span() });
    deep.tables.push(Table {
        at: 1,
        header: Some(vec![s.to_owned(), s.to_owned()]),
        rows: vec![Row { cells: vec![s.to_owned(), "推进".to_owned()] }, Row::default()],
        merged: vec![Merge { row: 0, column: 0, rows: 2, columns: 1 }],
        span: span(),
    });
    let mut section = leaf(Kind::Section, "（一）", None, &[s]);
    section.children.push(deep);
    document.frame.closing_tables.push(Table {
        at: 0,
        header: None,
        rows: vec![Row { cells: vec![s.to_owned()] }],
        merged: Vec::new(),
        span: span(),
    });
    let mut part = leaf(Kind::Part, "一、", Some(s), &[]);
    part.children.push(section);
    document.body.push(part);
    document
        .attachments
        .push(Document { body: vec![leaf(Kind::Article, "第一条", None, &[s])], ..Document::default() });
    document
}

const CJK: &str = "支持知识产权服务机构发展，扶持具有竞争力的知识产权运营服务产品和创新服务商业模式。";

/// Strings that stand for every rule of the format: plain, folded, quoted
/// for an indicator, a comment, a key, edge spaces, a YAML 1.1 word or
/// number, and escaped for line breaks and control characters.
fn hand_picked() -> Vec<String> {
    let long = CJK.repeat(3);
    let spaced = |gap: &str| format!("{}{gap}{}", &CJK.repeat(2), CJK);
    let mut strings: Vec<String> = vec![
        CJK.to_owned(),
        long.clone(),
        spaced(" "),
        spaced("  "),
        spaced("   "),
        spaced(" #"),
        spaced("#"),
        spaced(": "),
        spaced(":"),
        format!("{long}:"),
        format!("{long}：　"),
        format!("{long}:　"),
        format!("{long} "),
        format!(" {long}"),
        format!("{} {}", "a".repeat(79), CJK),
        format!("{} {}", "a".repeat(80), CJK),
        format!("{}{}", "a b ".repeat(30), CJK),
        format!("{} \u{3000}{}", CJK, CJK.repeat(2)),
        format!("{}  {}", "字".repeat(79), "字".repeat(100)),
        format!("{} {} {}", "字".repeat(60), "字".repeat(60), "字".repeat(60)),
        format!("{} {}  {} {}", "字".repeat(40), "字".repeat(39), "字".repeat(78), "字".repeat(10)),
        format!("{} {} {} {}", "字".repeat(50), "字".repeat(200), "字".repeat(5), "字".repeat(90)),
        format!("{long}\n{long}"),
        format!("{} {}\n {}", "字".repeat(60), "字".repeat(60), "字".repeat(60)),
        "他说\"好\"".to_owned(),
        "路径\\文件".to_owned(),
        "'引号'".to_owned(),
        "\"引号\"".to_owned(),
        " 前有空格".to_owned(),
        "后有空格 ".to_owned(),
        "- 列表".to_owned(),
        "-列表".to_owned(),
        "? 问".to_owned(),
        "?问".to_owned(),
        "--- 文档".to_owned(),
        "---文档".to_owned(),
        "... 文档".to_owned(),
        "#标签".to_owned(),
        "中 #注释".to_owned(),
        "中　#注释".to_owned(),
        "中#号".to_owned(),
        "键: 值".to_owned(),
        "键:值".to_owned(),
        "来源:".to_owned(),
        "【字体:".to_owned(),
        "[bookmark: _GoBack]".to_owned(),
        "&中".to_owned(),
        "*中".to_owned(),
        "!中".to_owned(),
        "|中".to_owned(),
        ">中".to_owned(),
        "%中".to_owned(),
        "@中".to_owned(),
        "`中".to_owned(),
        "{中}".to_owned(),
        ",中".to_owned(),
        "一、".to_owned(),
        "2016年".to_owned(),
        "1.5倍".to_owned(),
        "第一行\n第二行".to_owned(),
        "第一行\r\n第二行\n".to_owned(),
        "\n".to_owned(),
        "制表\t符".to_owned(),
        "\u{85}中".to_owned(),
        "\u{feff}中".to_owned(),
        "中\u{2028}".to_owned(),
        "中\u{2029}".to_owned(),
        "中\u{fffe}\u{ffff}".to_owned(),
        "中\u{1b}\u{0}\u{7f}\u{9f}".to_owned(),
        String::new(),
        "1.".to_owned(),
        "(1)".to_owned(),
        "10".to_owned(),
        "1-2".to_owned(),
        "%".to_owned(),
        "2016-11-25".to_owned(),
        "0x1F".to_owned(),
        "0o17".to_owned(),
        "1_000".to_owned(),
        "1.5".to_owned(),
        "1e5".to_owned(),
        "1:30".to_owned(),
        "~".to_owned(),
        ".inf".to_owned(),
        "-.INF".to_owned(),
        ".NaN".to_owned(),
        "<<".to_owned(),
        "=".to_owned(),
        "-".to_owned(),
        ".".to_owned(),
        "#".to_owned(),
        "page-meta".to_owned(),
        "a b".to_owned(),
        "a: b".to_owned(),
        "'".to_owned(),
        "\"".to_owned(),
        "a\rb".to_owned(),
        "a\nb".to_owned(),
        "\u{7f}".to_owned(),
        "a\tb".to_owned(),
        "x".repeat(81),
        "a: b ".repeat(30),
        "https://www.gov.cn/zhengce/content/2023-12/29/content_6923480.htm".to_owned(),
    ];
    // YAML 1.1's null, booleans and float words in three casings.
    let words = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf"];
    strings.extend(words.iter().flat_map(|w| {
        let mut capital = w.to_string();
        capital[..1].make_ascii_uppercase();
        [w.to_string(), w.to_uppercase(), capital]
    }));
    strings
}

#[test]
fn hand_picked_strings_read_back_in_every_place() {
    for s in hand_picked() {
        written(&everywhere(&s), &format!("{s:?}"));
    }
}

/// The value of `title:` in the document whose title is `s`: the line (or
/// lines, for a folded block) after `title:`.
fn title_yaml(s: &str) -> String {
    let document = Document {
        meta: policyc::tree::Meta { title: Some(s.to_owned()), ..Default::default() },
        ..Default::default()
    };
    let yaml = written(&document, &format!("{s:?}"));
    let start = yaml.find("\n  title:").expect("a title line") + "\n  title:".len();
    let mut lines = yaml[start..].lines();
    let first = lines.next().unwrap_or_default().to_owned();
    // A folded block's lines are indented past the key's.
    lines.take_while(|line| line.starts_with("    ")).fold(first, |value, line| value + "\n" + line)
}

/// The format of the writer's module doc, string by string: a reader would
/// accept some other spellings too, but these are the ones documented.
#[test]
fn strings_take_the_documented_form() {
    let cases: &[(&str, &str)] = &[
        // Plain: Chinese text, and ASCII words that are not YAML's.
        ("推进知识产权服务", " 推进知识产权服务"),
        ("键:值", " 键:值"),
        ("中#号", " 中#号"),
        ("page-meta", " page-meta"),
        // Double-quoted: what YAML would read otherwise.
        ("键: 值", " \"键: 值\""),
        ("中 #注释", " \"中 #注释\""),
        ("来源:", " \"来源:\""),
        ("- 列表", " \"- 列表\""),
        (" 前有空格", " \" 前有空格\""),
        ("10", " \"10\""),
        ("1.", " \"1.\""),
        ("2023-12-29", " \"2023-12-29\""),
        ("yes", " \"yes\""),
        ("Null", " \"Null\""),
        ("", " \"\""),
        ("a b", " \"a b\""),
        // Escapes keep every string on one line.
        ("第一行\n第二行", " \"第一行\\n第二行\""),
        ("a\r\tb", " \"a\\r\\tb\""),
        ("他说\"好\"\\", " 他说\"好\"\\"),
        ("- \"好\"\\", " \"- \\\"好\\\"\\\\\""),
        ("\u{85}\u{2028}\u{2029}", " \"\\N\\L\\P\""),
        ("中\u{1b}\u{0}\u{7f}\u{9f}", " \"中\\x1B\\x00\\x7F\\x9F\""),
        ("\u{feff}中\u{fffe}", " \"\\uFEFF中\\uFFFE\""),
    ];
    for (s, want) in cases {
        assert_eq!(title_yaml(s), *want, "{s:?}");
    }
    // Long Chinese text is folded, and broken only at runs of spaces.
    let long = CJK.repeat(3);
    assert_eq!(title_yaml(&long), format!(" >-\n    {long}"));
    let spaced = format!("{} {}", "字".repeat(60), "字".repeat(60));
    assert_eq!(title_yaml(&spaced), format!(" >-\n    {}\n    {}", "字".repeat(60), "字".repeat(60)));
    // A long string that must be quoted stays on one quoted line.
    let quoted = format!("{long}\n{long}");
    assert_eq!(title_yaml(&quoted), format!(" \"{long}\\n{long}\""));
}

/// The other YAML policyc writes goes through the same writer: a tuple is
/// a flow sequence, a sequence at the top has its dashes at column 0, an
/// empty one is `[]`, a struct with no field written is `{}`.
#[test]
fn the_other_shapes_read_back() {
    #[derive(Serialize)]
    struct Unit {
        unit: &'static str,
        clauses: Vec<(u32, u32)>,
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<&'static str>,
        nothing: Empty,
    }
    #[derive(Serialize)]
    struct Empty {}
    let units = vec![
        Unit { unit: "省知识产权局", clauses: vec![(1, 2), (3, 4)], role: Some("牵头"), nothing: Empty {} },
        Unit { unit: "1.", clauses: Vec::new(), role: None, nothing: Empty {} },
    ];
    let yaml = to_string(&units).unwrap();
    assert_reads_back(&units, &yaml, "units");
    assert!(yaml.starts_with("- unit: 省知识产权局\n  clauses:\n  - [1, 2]\n"), "{yaml}");
    assert!(yaml.contains("\n  clauses: []\n") && yaml.contains("\n  nothing: {}\n"), "{yaml}");
    let none: Vec<Unit> = Vec::new();
    assert_eq!(to_string(&none).unwrap(), "[]\n");
    // What the format has no place for is refused, not written some way.
    assert!(to_string(&vec![1.5f64]).is_err());
    assert!(to_string(&std::collections::BTreeMap::from([("a", 1)])).is_err());
}

/// A piece of a generated string.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "知识产权", "推进", "服务", "，", "。", "：", "（一）", "、", "《", "》", "“", "”", "—", "…", "　",
        ])
        .prop_map(str::to_owned),
        1 => "[a-zA-Z0-9]{1,6}",
        1 => "[0-9]{1,4}",
        2 => prop::sample::select(vec![
            ":", "#", "'", "\"", "-", "?", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", ",", ".",
            "\\", "~", ": ", " #", "--- ", "... ", "- ", "? ",
        ])
        .prop_map(str::to_owned),
        2 => prop::sample::select(vec![" ", "  ", "   ", "\t", "\n", "\r", "\u{0}", "\u{1b}", "\u{85}", "\u{a0}", "\u{feff}", "\u{2028}", "\u{fffe}"])
            .prop_map(str::to_owned),
        1 => prop::sample::select(vec![
            "null", "Null", "true", "False", "yes", "no", "on", "off", "y", "n", "~", "2016-11-25", "2016-1-5 1:2:3",
            "1.5", "0x1F", "0o17", "0b101", "1_000", "+1", "-1", ".5", "1e5", "1:30", ".inf", "-.INF", ".nan", "<<", "=",
        ])
        .prop_map(str::to_owned),
        1 => (1usize..40).prop_map(|n| "字".repeat(n)),
        1 => (1usize..90).prop_map(|n| "a".repeat(n)),
    ]
}

/// A string made of pieces, or clean Chinese text (sometimes with spaces).
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::collection::vec(piece(), 0..8).prop_map(|pieces| pieces.concat()),
        1 => clean(),
    ]
    .boxed()
}

/// Clean Chinese text: the fast path must take it.
fn clean() -> BoxedStrategy<String> {
    prop::collection::vec(
        prop::sample::select(vec!["知识产权", "推进", "服务业", "，", "。", "（一）", "2016年", "10%", "《规划》"]),
        1..60,
    )
    .prop_map(|pieces| pieces.concat())
    .boxed()
}

fn node(text: BoxedStrategy<String>) -> BoxedStrategy<Node> {
    arb_node(text.clone(), text, span(), 4, 24, 3)
}

fn document_with(text: BoxedStrategy<String>) -> impl Strategy<Value = Document> {
    let paragraph = text.clone().prop_map(|text| Paragraph { text, span: span() });
    (
        prop::collection::vec(node(text.clone()), 0..3),
        prop::option::of(text.clone()),
        prop::collection::vec(text.clone(), 0..3),
        prop::collection::vec(paragraph.clone(), 0..3),
        prop::collection::vec(
            text.clone().prop_map(|text| Debris { kind: DebrisKind::Footer, text, span: span() }),
            0..2,
        ),
        prop::collection::vec(prop::collection::vec(node(text), 0..2), 0..2),
    )
        .prop_map(|(body, title, issuers, preamble, debris, attachments)| {
            let mut document = Document { body, ..Document::default() };
            document.meta.title = title;
            document.meta.issuers = issuers;
            document.frame.preamble = preamble;
            document.frame.debris = debris;
            document.attachments =
                attachments.into_iter().map(|body| Document { body, ..Document::default() }).collect();
            document
        })
}

/// Long text of words and runs of spaces, which folded blocks wrap.
fn wrapped() -> impl Strategy<Value = String> {
    let word = prop_oneof![(1usize..120).prop_map(|n| "字".repeat(n)), (1usize..120).prop_map(|n| "a".repeat(n))];
    (word.clone(), prop::collection::vec((1usize..5, word), 1..8)).prop_map(|(first, rest)| {
        let mut text = first;
        for (spaces, word) in rest {
            text.push_str(&" ".repeat(spaces));
            text.push_str(&word);
        }
        text
    })
}

proptest! {
    #![proptest_config(proptest_config(512))]

    #[test]
    fn folded_blocks_read_back(s in wrapped()) {
        written(&everywhere(&s), &format!("{s:?}"));
    }

    #[test]
    fn generated_documents_read_back(document in document_with(text())) {
        written(&document, "a generated document");
    }

    #[test]
    fn generated_strings_read_back_in_every_place(s in text()) {
        written(&everywhere(&s), &format!("{s:?}"));
    }

    #[test]
    fn clean_chinese_text_is_written_plain(s in clean()) {
        let yaml = written(&everywhere(&s), &s);
        // Not one string of it quoted: the text stands as it is (or folded).
        prop_assert!(s.is_ascii() || !yaml.contains('"'), "{yaml}");
    }
}
