//! The YAML edition's fast serializer against serde-saphyr: whenever the
//! fast path answers, its bytes are serde-saphyr's, on every fixture, the
//! seeds, hand-picked strings and generated documents; and it does answer
//! for the seeds and for clean Chinese text, so that it cannot pass by
//! always leaving the work to serde-saphyr.

use policyc::emit::yaml::{to_yaml, to_yaml_fast};
use policyc::parse::parse;
use policyc::tree::{Debris, DebrisKind, Document, Kind, Node, NodeSpans, Owner, Paragraph, Span, Target};
use proptest::prelude::*;

use crate::common::*;

/// Whether the fast path answered; panics when its answer differs from
/// serde-saphyr's, showing the first line that does.
fn fast_matches_saphyr(document: &Document, what: &str) -> bool {
    let want = serde_saphyr::to_string(document).unwrap();
    assert_eq!(to_yaml(document).unwrap(), want, "{what}: to_yaml");
    let Some(got) = to_yaml_fast(document) else {
        return false;
    };
    assert_same_text(&got, &want, &format!("{what}: the fast path against serde-saphyr"));
    true
}

#[test]
fn the_fast_path_matches_saphyr_on_every_fixture_and_takes_every_seed() {
    let mut paths = fixture_sources();
    paths.sort();
    assert!(paths.len() > 50, "fixtures found: {}", paths.len());
    let mut fast = Vec::new();
    let mut slow = Vec::new();
    for path in &paths {
        let document = parse(&load(path)).document;
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        if fast_matches_saphyr(&document, &name) { fast.push(name) } else { slow.push(name) }
    }
    eprintln!("fixtures on the fast path: {} of {}; left to serde-saphyr: {slow:#?}", fast.len(), paths.len());
    // The fixtures that leave it hold what it leaves on purpose (line
    // breaks, control characters); the clean ones must not.
    assert!(fast.len() * 10 >= paths.len() * 9, "only {} of {} fixtures on the fast path", fast.len(), paths.len());
    for slug in SEEDS {
        let document = parse(&load(&seed_path(slug))).document;
        assert!(fast_matches_saphyr(&document, slug), "{slug} left the fast path");
    }
}

#[test]
fn the_fast_path_takes_the_seeds_as_one_document() {
    assert!(fast_matches_saphyr(&seeds_twice_over(), "the seeds twice over"));
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
    let mut section = leaf(Kind::Section, "（一）", None, &[s]);
    section.children.push(deep);
    let mut part = leaf(Kind::Part, "一、", Some(s), &[]);
    part.children.push(section);
    document.body.push(part);
    document
        .attachments
        .push(Document { body: vec![leaf(Kind::Article, "第一条", None, &[s])], ..Document::default() });
    document
}

const CJK: &str = "支持知识产权服务机构发展，扶持具有竞争力的知识产权运营服务产品和创新服务商业模式。";

#[test]
fn hand_picked_strings_match_saphyr_and_the_clean_ones_stay_fast() {
    let long = CJK.repeat(3);
    let spaced = |gap: &str| format!("{}{gap}{}", &CJK.repeat(2), CJK);
    // On the fast path, whatever serde-saphyr makes of them.
    let fast: Vec<String> = vec![
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
        format!("{} {}", "a".repeat(79), CJK),
        format!("{} {}", "a".repeat(80), CJK),
        format!("{}{}", "a b ".repeat(30), CJK),
        format!("{} \u{3000}{}", CJK, CJK.repeat(2)),
        // Wrapped at a run of spaces after a character that fills the line.
        format!("{}  {}", "字".repeat(79), "字".repeat(100)),
        format!("{} {} {}", "字".repeat(60), "字".repeat(60), "字".repeat(60)),
        // A break at a run of spaces that reaches past the width, then one
        // that depends on where the column restarted.
        format!("{} {}  {} {}", "字".repeat(40), "字".repeat(39), "字".repeat(78), "字".repeat(10)),
        // A word longer than a line after a break.
        format!("{} {} {} {}", "字".repeat(50), "字".repeat(200), "字".repeat(5), "字".repeat(90)),
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
        // ASCII, asked of serde-saphyr or plain words.
        String::new(),
        "1.".to_owned(),
        "(1)".to_owned(),
        "10".to_owned(),
        "1-2".to_owned(),
        "%".to_owned(),
        "2016-11-25".to_owned(),
        "0x1F".to_owned(),
        "1.5".to_owned(),
        "1:30".to_owned(),
        "null".to_owned(),
        "Null".to_owned(),
        "~".to_owned(),
        "true".to_owned(),
        "yes".to_owned(),
        "No".to_owned(),
        "y".to_owned(),
        "off".to_owned(),
        ".inf".to_owned(),
        "nan".to_owned(),
        "-".to_owned(),
        ".".to_owned(),
        "#".to_owned(),
        "page-meta".to_owned(),
        "a b".to_owned(),
        "a: b".to_owned(),
        "'".to_owned(),
        "\"".to_owned(),
        "a\rb".to_owned(),
        "\u{7f}".to_owned(),
        "x".repeat(80),
        "a\tb".to_owned(),
        "a: b ".repeat(30),
    ];
    // YAML 1.1's null, booleans and float words in three casings.
    let words = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf"];
    let cased = words.iter().flat_map(|w| {
        let mut capital = w.to_string();
        capital[..1].make_ascii_uppercase();
        [w.to_string(), w.to_uppercase(), capital]
    });
    let fast: Vec<String> = fast.into_iter().chain(cased).collect();
    for s in &fast {
        assert!(fast_matches_saphyr(&everywhere(s), &format!("{s:?}")), "{s:?} left the fast path");
    }
    // Left to serde-saphyr, which must still be what `to_yaml` gives.
    let slow = [
        "第一行\n第二行".to_owned(),
        "a\nb".to_owned(),
        "制表\t符".to_owned(),
        "\u{85}中".to_owned(),
        "\u{feff}中".to_owned(),
        "中\u{2028}".to_owned(),
        "中\u{fffe}".to_owned(),
        "中\u{1b}".to_owned(),
        format!("{long} "),
        "x".repeat(81),
    ];
    for s in &slow {
        assert!(!fast_matches_saphyr(&everywhere(s), &format!("{s:?}")), "{s:?} took the fast path");
    }
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
    fn folded_blocks_wrap_as_saphyr_wraps_them(s in wrapped()) {
        let document = everywhere(&s);
        let answered = fast_matches_saphyr(&document, &format!("{s:?}"));
        // Only pure ASCII (left to serde-saphyr when it folds) may leave.
        prop_assert!(answered || s.is_ascii(), "{s:?} left the fast path");
    }

    #[test]
    fn generated_documents_match_saphyr_whenever_the_fast_path_answers(document in document_with(text())) {
        fast_matches_saphyr(&document, "a generated document");
    }

    #[test]
    fn generated_strings_match_saphyr_in_every_place(s in text()) {
        fast_matches_saphyr(&everywhere(&s), &format!("{s:?}"));
    }

    #[test]
    fn clean_chinese_text_takes_the_fast_path(document in document_with(clean()), s in clean()) {
        prop_assert!(fast_matches_saphyr(&document, "a clean document"), "a clean document left the fast path");
        prop_assert!(fast_matches_saphyr(&everywhere(&s), &s), "{s:?} left the fast path");
    }
}

/// The generated documents must not all leave the fast path, or the first
/// property would prove nothing.
#[test]
fn a_healthy_share_of_generated_documents_takes_the_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = text();
    let (mut answered, total) = (0, 400);
    for _ in 0..total {
        let s = strategy.new_tree(&mut runner).unwrap().current();
        if fast_matches_saphyr(&everywhere(&s), &format!("{s:?}")) {
            answered += 1;
        }
    }
    eprintln!("fast path: {answered} of {total}");
    assert!(answered * 3 >= total, "the fast path answered for only {answered} of {total} generated strings");
}
