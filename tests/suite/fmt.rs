//! `policyc fmt`: idempotent, structure-preserving, renumbering, canonical
//! markers and punctuation, references, and the command line.

use std::collections::BTreeMap;
use std::process::Command;

use policyc::fmt::{Error, Options, Scheme, Style, format, format_str};
use policyc::parse::marker;
use policyc::tree::{Document, Kind, Node};
use proptest::prelude::*;

use crate::common::*;

fn fmt_text(text: &str) -> String {
    format_str(text, &Options::default()).unwrap_or_else(|e| panic!("{e}")).text
}

fn fmt_seed(slug: &str) -> String {
    let source = load(&seed_path(slug));
    format(&source, &Options::default()).unwrap_or_else(|e| panic!("{slug}: {e}")).text
}

/// Text with the normalizations fmt makes taken out: white space gone,
/// punctuation of one width, so that what is left must survive exactly.
fn skeleton(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !c.is_whitespace()
                && !matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
        })
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '？' => '?',
            '！' => '!',
            '（' => '(',
            '）' => ')',
            '“' | '”' => '"',
            '。' => '.',
            c => c,
        })
        .collect()
}

/// One line per node: kind and depth, title and text skeletons, owners.
fn structure(document: &Document) -> Vec<String> {
    fn visit(nodes: &[Node], depth: usize, out: &mut Vec<String>) {
        for node in nodes {
            let owners: Vec<_> = node.owners.iter().map(|o| format!("{:?}:{}", o.role, o.unit)).collect();
            // A table's cells are kept exactly: fmt changes none of them.
            // and so are its merged cells.
            let tables: Vec<_> = node.tables.iter().map(|t| (t.at, &t.header, &t.rows, &t.merged)).collect();
            out.push(format!(
                "{depth} {} title={} text={} owners={owners:?} children={} tables={tables:?}",
                node.kind.name(),
                skeleton(node.title.as_deref().unwrap_or("")),
                skeleton(&node.text.join("")),
                node.children.len()
            ));
            visit(&node.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    visit(&document.body, 0, &mut out);
    out
}

/// The frame facts that must survive formatting.
fn frame_facts(document: &Document) -> Vec<String> {
    let f = &document.frame;
    let m = &document.meta;
    let mut facts = vec![
        format!("title={:?}", m.title.as_deref().map(skeleton)),
        format!("doc_number={:?} date={:?} status={:?}", m.doc_number, m.date, m.status),
        format!("issuers={:?} attachment={:?}", m.issuers, m.attachment),
        format!("addressees={:?}", m.addressees.iter().map(|a| skeleton(a)).collect::<Vec<_>>()),
        format!("notice_title={:?}", m.notice_title.as_deref().map(skeleton)),
        format!("notice={}", f.notice.is_some()),
    ];
    facts.extend(f.preamble.iter().map(|p| format!("preamble {}", skeleton(&p.text))));
    facts.extend(f.closing.iter().map(|p| format!("closing {}", skeleton(&p.text))));
    if let Some(notice) = &f.notice {
        facts.extend(notice.text.iter().map(|p| format!("notice text {}", skeleton(&p.text))));
        facts.extend(notice.notes.iter().map(|p| format!("notice note {}", skeleton(&p.text))));
    }
    facts
}

/// Every level numbered 1, 2, 3… by its scheme: continuous through the
/// document or restarting under each parent. Returns what is wrong.
fn numbering_problems(document: &Document, schemes: &BTreeMap<Kind, Scheme>) -> Vec<String> {
    fn visit(
        nodes: &[Node],
        schemes: &BTreeMap<Kind, Scheme>,
        global: &mut BTreeMap<Kind, u32>,
        problems: &mut Vec<String>,
    ) {
        let mut local: BTreeMap<Kind, u32> = BTreeMap::new();
        for node in nodes {
            if node.kind != Kind::Paragraph {
                let counter = match schemes.get(&node.kind).copied().unwrap_or(Scheme::Restart) {
                    Scheme::Continuous => global.entry(node.kind).or_default(),
                    Scheme::Restart => local.entry(node.kind).or_default(),
                };
                *counter += 1;
                if node.number != *counter {
                    problems.push(format!("{} is number {}, expected {}", node.marker, node.number, counter));
                }
                let info = marker::analyze(&node.marker).expect("a marker");
                if !info.is_standard() {
                    problems.push(format!("{} is not a standard marker", node.marker));
                }
            }
            visit(&node.children, schemes, global, problems);
        }
    }
    let mut problems = Vec::new();
    visit(&document.body, schemes, &mut BTreeMap::new(), &mut problems);
    problems
}

/// The schemes the seeds are documented to use (tests/fixtures/seeds and
/// /work/shared/seeds/README.md): (一) continuous in 000, 001, 004; both
/// levels restart in 003; 1. continuous in 001.
fn seed_schemes(slug: &str) -> BTreeMap<Kind, Scheme> {
    use Scheme::*;
    let list: &[(Kind, Scheme)] = match slug {
        "sichuan-ip-service-measures-2023" => &[(Kind::Part, Restart), (Kind::Section, Continuous)],
        "sichuan-ip-work-points-2021" => {
            &[(Kind::Part, Restart), (Kind::Section, Continuous), (Kind::Item, Continuous)]
        }
        "chongqing-ip-service-measures-draft" => &[(Kind::Part, Restart), (Kind::Section, Continuous)],
        "liaoning-ip-three-year-plan-2023" => &[(Kind::Part, Restart), (Kind::Section, Restart), (Kind::Item, Restart)],
        "guangzhou-ip-service-plan-2016" => &[(Kind::Part, Restart), (Kind::Section, Continuous)],
        _ => &[],
    };
    list.iter().copied().collect()
}

/// Half-width punctuation with Chinese on either side, or a space between
/// two Chinese characters.
fn text_problems(text: &str) -> Vec<String> {
    let chinese = |c: char| policyc::fmt::text::is_chinese(c);
    let mut problems = Vec::new();
    // A table's cells are written as they are (fmt changes no cell).
    for line in text.lines().filter(|l| !policyc::parse::table::is_row(l)) {
        let chars: Vec<char> = line.chars().collect();
        for i in 0..chars.len() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let around = prev.is_some_and(chinese) || next.is_some_and(chinese);
            if matches!(chars[i], ',' | ';' | ':' | '?' | '!' | '(' | ')' | '"') && around {
                problems.push(format!("half-width `{}` in `{line}`", chars[i]));
            }
            // 第一条　为了… is how regulations write it; nowhere else.
            let after_regulation_marker =
                chars[0] == '第' && marker::analyze(&chars[..i].iter().collect::<String>()).is_some();
            // And after a run-in title that cannot end its line (one seed
            // line: 14.持续抓好“铁拳”“春雷”“　护航”…, where the source has a
            // stray space the parser takes for the end of the title).
            let after_unfinished_title = i > 0 && chars[i - 1] == '“';
            let space =
                chars[i] == ' ' || (chars[i] == '\u{3000}' && !after_regulation_marker && !after_unfinished_title);
            if space && prev.is_some_and(chinese) && next.is_some_and(chinese) {
                problems.push(format!("space between Chinese characters in `{line}`"));
            }
        }
    }
    problems
}

// ------------------------------------------------------------------ seeds

#[test]
fn seeds_are_idempotent() {
    for slug in SEEDS {
        let once = fmt_seed(slug);
        assert_eq!(fmt_text(&once), once, "{slug}");
    }
}

#[test]
fn seeds_keep_their_structure() {
    for slug in SEEDS {
        let (_, before) = parse_seed(slug);
        let after = parse_text(&fmt_seed(slug));
        assert_eq!(structure(&after), structure(&before.document), "{slug}");
        assert_eq!(frame_facts(&after), frame_facts(&before.document), "{slug}");
    }
}

#[test]
fn seeds_are_numbered_marked_and_punctuated_canonically() {
    for slug in SEEDS {
        let formatted = fmt_seed(slug);
        let parsed = policyc::parse::parse_str(&formatted);
        assert_eq!(numbering_problems(&parsed.document, &seed_schemes(slug)), Vec::<String>::new(), "{slug}");
        let problems = text_problems(&formatted);
        assert!(problems.is_empty(), "{slug}: {problems:#?}");
        // Debris is gone, and nothing else is left to rejoin.
        let notes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code).collect();
        assert!(!notes.contains(&"D001") && !notes.contains(&"S101"), "{slug}: {notes:?}");
    }
}

#[test]
fn inserting_a_clause_anywhere_renumbers_the_rest() {
    for slug in SEEDS {
        let original = std::fs::read_to_string(seed_path(slug)).unwrap();
        let (_, parsed) = parse_seed(slug);
        let nodes: Vec<&Node> = parsed.document.nodes().collect();
        let expected_after = parse_text(&fmt_text(&original));
        let expected: Vec<&Node> = expected_after.nodes().collect();
        // The first node, one in the middle, the last, and the first of every
        // kind after the first group.
        let mut places = vec![0, nodes.len() / 2, nodes.len() - 1];
        for kind in Kind::ALL {
            if let Some(k) = nodes.iter().rposition(|n| n.kind == kind) {
                places.push(k);
            }
        }
        places.sort_unstable();
        places.dedup();
        for k in places {
            let node = nodes[k];
            // An editor copies the marker of the clause the new one goes before.
            let mut lines: Vec<&str> = original.split('\n').collect();
            let new_line = format!("{}新增的条款内容。", node.marker);
            lines.insert(node.span.line as usize - 1, &new_line);
            let inserted = lines.join("\n");
            // The insertion really breaks the numbering before fmt.
            assert!(!numbering_problems(&parse_text(&inserted), &seed_schemes(slug)).is_empty(), "{slug} @{k}");
            let formatted = fmt_text(&inserted);
            let after = parse_text(&formatted);
            assert_eq!(
                numbering_problems(&after, &seed_schemes(slug)),
                Vec::<String>::new(),
                "{slug}: inserted before {}",
                node.marker
            );
            let got: Vec<&Node> = after.nodes().collect();
            assert_eq!(got.len(), expected.len() + 1, "{slug} @{k}");
            assert_eq!(got[k].kind, node.kind);
            // One sentence and nothing under it: the clause's text, not a title.
            let said: Vec<&str> = got[k].title.iter().chain(&got[k].text).map(String::as_str).collect();
            assert_eq!(said, ["新增的条款内容。"], "{slug} @{k}");
            let others: Vec<_> = got.iter().enumerate().filter(|&(i, _)| i != k).map(|(_, n)| *n).collect();
            for (a, b) in others.iter().zip(&expected) {
                assert_eq!((a.kind, &a.title, &a.text), (b.kind, &b.title, &b.text), "{slug} @{k}");
            }
        }
    }
}

// --------------------------------------------------------------- fixtures

#[test]
fn messy_policy_is_formatted_canonically() {
    let source = load(&fixture("fmt/messy.txt"));
    let formatted = format(&source, &Options::default()).unwrap();
    assert!(formatted.diagnostics.is_empty(), "{:?}", formatted.diagnostics);
    insta::assert_snapshot!("messy", formatted.text);
    assert_eq!(fmt_text(&formatted.text), formatted.text);
    assert_eq!(text_problems(&formatted.text), Vec::<String>::new());
}

#[test]
fn references_follow_the_renumbering() {
    // A relative path, so that the snapshot does not depend on the checkout.
    let text = std::fs::read_to_string(fixture("fmt/regulation.txt")).unwrap();
    let source = policyc::source::SourceFile::from_text("regulation.txt", policyc::source::Format::Text, text);
    let formatted = format(&source, &Options::default()).unwrap();
    let report = policyc::diag::human::render(&formatted.diagnostics, &source, false);
    insta::assert_snapshot!("regulation", format!("{}\n----- diagnostics -----\n{report}", formatted.text));
    // Formatting again changes nothing. The ambiguity was reported once:
    // once the numbers are unique the reference names one article, so it is
    // for the editor to check it when told.
    let again = format_str(&formatted.text, &Options::default()).unwrap();
    assert_eq!(again.text, formatted.text);
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
}

/// Issue 13: errors fmt can repair (a 发文字号 year in [], an annotation
/// left open at the end of its line) are repaired; the line of one it
/// cannot (an impossible date) is kept as written and the error reported;
/// everything else is formatted.
#[test]
fn repairable_errors_are_repaired_and_the_rest_formatted() {
    let source = load(&fixture("fmt/errors.txt"));
    let formatted = format(&source, &Options::default()).unwrap();
    let expected = "江府发〔2025〕3号

江州市人民政府关于印发《知识产权服务提升措施》的通知

各县（区）人民政府：
现将《知识产权服务提升措施》印发给你们，请认真贯彻落实。

江州市人民政府
2024年2月30日

知识产权服务提升措施

一、总体要求
（一）指导思想.坚持以服务创新主体为中心（牵头单位：市知识产权局）
（二）工作目标.到2025年，服务体系基本建成，符合本措施第（二）项条件的给予支持。
";
    assert_eq!(formatted.text, expected);
    let codes: Vec<_> = formatted.diagnostics.iter().map(|d| (d.code, d.span.line)).collect();
    assert_eq!(codes, [("F002", 9)]);
    let again = format_str(&formatted.text, &Options::default()).unwrap();
    assert_eq!(again.text, formatted.text);
    // The repaired annotation now names its unit; the nodes are the same.
    let before = policyc::parse::parse(&source).document;
    let after = parse_text(&formatted.text);
    let kinds = |d: &Document| d.nodes().map(|n| n.kind).collect::<Vec<_>>();
    assert_eq!(kinds(&after), kinds(&before));
    assert_eq!(after.body[0].children[0].owners.len(), 1);
}

#[test]
fn an_unparsable_document_is_refused() {
    // Past pest's call limit there is no tree to format by.
    let text = format!("关于支持发展的若干措施\n\n一、总则\n（一）{}\n", "（".repeat(200_000));
    match format_str(&text, &Options::default()) {
        Err(Error::Unparsable(diagnostics)) => assert_eq!(diagnostics[0].code, "S002"),
        Ok(formatted) => {
            // The grammar read it after all: then formatting keeps it.
            assert_eq!(format_str(&formatted.text, &Options::default()).unwrap().text, formatted.text);
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn half_width_style_and_kept_debris() {
    let source = load(&fixture("fmt/messy.txt"));
    let options = Options { style: Style::HalfWidth, keep_debris: true, ..Options::default() };
    let formatted = format(&source, &options).unwrap().text;
    let parsed = parse_text(&formatted);
    let markers: Vec<_> = parsed.nodes().map(|n| n.marker.as_str()).collect();
    assert_eq!(markers, ["一、", "(一)", "(二)", "二、", "(三)", "1.", "2.", "(1)", "(2)", "三、", "(四)"]);
    for kept in
        ["当前位置:首页 > 政策文件", "来源:某某市知识产权局", "[bookmark: _GoBack]", "版权所有 Copyright(C)2015-2024"]
    {
        assert!(formatted.contains(kept), "{kept} in\n{formatted}");
    }
    assert_eq!(format_str(&formatted, &options).unwrap().text, formatted);
}

#[test]
fn configured_scheme_overrides_the_inferred_one() {
    let slug = "liaoning-ip-three-year-plan-2023";
    let source = load(&seed_path(slug));
    let options = Options { numbering: [(Kind::Section, Scheme::Continuous)].into(), ..Options::default() };
    let formatted = format(&source, &options).unwrap().text;
    let mut schemes = seed_schemes(slug);
    schemes.insert(Kind::Section, Scheme::Continuous);
    let parsed = parse_text(&formatted);
    assert_eq!(numbering_problems(&parsed, &schemes), Vec::<String>::new());
    // Restarting (一) under 二、 would have made this a problem.
    assert!(!numbering_problems(&parsed, &seed_schemes(slug)).is_empty());
}

#[test]
fn markdown_is_refused() {
    let source = policyc::source::SourceFile::from_text("a.md", policyc::source::Format::Markdown, "# 标题\n");
    assert!(matches!(format(&source, &Options::default()), Err(Error::Markdown)));
}

// ----------------------------------------------------------- command line

fn policyc(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_policyc")).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap()
}

fn scratch_with(name: &str, fixture_rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(fixture_rel), dir.path().join(name)).unwrap();
    dir
}

#[test]
fn check_prints_a_diff_and_changes_nothing() {
    let dir = scratch_with("messy.txt", "fmt/messy.txt");
    let before = std::fs::read(dir.path().join("messy.txt")).unwrap();
    let out = policyc(dir.path(), &["fmt", "--check", "messy.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(dir.path().join("messy.txt")).unwrap(), before);
    insta::assert_snapshot!("messy_check", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn in_place_then_check_is_clean() {
    let dir = scratch_with("messy.txt", "fmt/messy.txt");
    let out = policyc(dir.path(), &["fmt", "messy.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(dir.path().join("messy.txt")).unwrap();
    assert_eq!(written, format(&load(&fixture("fmt/messy.txt")), &Options::default()).unwrap().text);
    let out = policyc(dir.path(), &["fmt", "--check", "messy.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // No temp file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["messy.txt"]);
}

#[test]
fn stdout_prints_and_leaves_the_file() {
    let dir = scratch_with("messy.txt", "fmt/messy.txt");
    let before = std::fs::read(dir.path().join("messy.txt")).unwrap();
    let out = policyc(dir.path(), &["fmt", "--stdout", "messy.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), fmt_text(&String::from_utf8_lossy(&before)));
    assert_eq!(std::fs::read(dir.path().join("messy.txt")).unwrap(), before);
}

/// Issue 13: `fmt --check` on a file with a repairable error prints what
/// it would change; the error it cannot repair is printed and exits 1.
#[test]
fn a_file_with_errors_is_formatted_where_it_can_be() {
    let dir = scratch_with("bad.txt", "fmt/errors.txt");
    let before = std::fs::read(dir.path().join("bad.txt")).unwrap();
    let out = policyc(dir.path(), &["fmt", "--check", "bad.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("+江府发〔2025〕3号") && stdout.contains("+（二）工作目标."), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error[F002]") && stderr.contains("bad.txt:9:"), "{stderr}");
    assert!(stderr.contains("left as written"), "{stderr}");
    assert_eq!(std::fs::read(dir.path().join("bad.txt")).unwrap(), before);
    let out = policyc(dir.path(), &["fmt", "bad.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let after = std::fs::read_to_string(dir.path().join("bad.txt")).unwrap();
    assert!(after.starts_with("江府发〔2025〕3号\n") && after.contains("2024年2月30日\n"), "{after}");
}

#[test]
fn a_read_only_file_is_left_untouched() {
    let dir = scratch_with("messy.txt", "fmt/messy.txt");
    let path = dir.path().join("messy.txt");
    let before = std::fs::read(&path).unwrap();
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let out = policyc(dir.path(), &["fmt", "messy.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_directory_is_formatted_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    for slug in SEEDS {
        std::fs::copy(seed_path(slug), policies.join(format!("{slug}.txt"))).unwrap();
    }
    let out = policyc(dir.path(), &["fmt"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reformatted 5, unchanged 0, failed 0"));
    for slug in SEEDS {
        let written = std::fs::read_to_string(policies.join(format!("{slug}.txt"))).unwrap();
        assert_eq!(written, fmt_seed(slug), "{slug}");
    }
    let out = policyc(dir.path(), &["fmt", "--check", "policies"]);
    assert_eq!(out.status.code(), Some(0));
}

// ------------------------------------------------------------- properties

fn words() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["知识产权", "服务", "发展", "加强", "保护", "机制", "创新", "推进", "建设"])
        .prop_map(String::from)
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => words(),
        1 => prop::sample::select(vec![
            " ", "  ", ",", ":", ";", "?", "!", ".", "。", "，", "、", "(中)", "(abc)", "\"引号\"", "1.5", "1,000",
            "GB/T 9704-2012", "ISO 56005", "https://a.cn/x,y", "a@b.cn", "2025年", "abc def", "（全角）",
            "\u{3000}", "\u{200b}",
        ])
        .prop_map(String::from),
    ]
}

/// Clause text: Chinese first, anything inside, and a full stop at the end
/// as clauses have. (Lines that end without one, all of nearly one width,
/// are what the parser takes for a hard-wrapped text and rejoins: a
/// generated document of a few short unfinished lines can look like one.)
fn sentence() -> impl Strategy<Value = String> {
    (words(), prop::collection::vec(fragment(), 0..10)).prop_map(|(w, f)| w + &f.concat() + "。")
}

/// A marker of `shape` (0 part, 1 section, 2 item, 3 subitem) in one of the
/// variants seen in real documents.
fn marker(shape: usize) -> impl Strategy<Value = String> {
    (1u32..30, 0usize..4).prop_map(move |(n, variant)| {
        let cn = policyc::parse::numeral::format(n);
        match (shape, variant % if shape == 0 { 2 } else { 4 }) {
            (0, 0) => format!("{cn}、"),
            (0, _) => format!("{cn}、 "),
            (1, 0) => format!("({cn})"),
            (1, 1) => format!("（{cn}）"),
            (1, 2) => format!("({cn})、"),
            (1, _) => format!("（{cn})"),
            (2, 0) => format!("{n}."),
            (2, 1) => format!("{n}、"),
            (2, 2) => format!(
                "{}．",
                n.to_string()
                    .chars()
                    .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                    .collect::<String>()
            ),
            (2, _) => format!("{n}.  "),
            (_, 0) => format!("({n})"),
            _ => format!("（{n}）"),
        }
    })
}

/// A pipe table: cells of any text (a `|` in one escaped), merge markers
/// (`^^`, `<<`, escaped `\^^`, and markers that merge nothing or no
/// rectangle), laid out tight or spaced, with or without a delimiter row
/// under the first.
fn table() -> impl Strategy<Value = String> {
    let text = prop::collection::vec(prop_oneof![6 => fragment(), 1 => Just("|".to_owned())], 0..4)
        .prop_map(|parts| parts.concat().replace('|', "\\|"));
    let marker = prop::sample::select(vec!["^^", "<<", "\\^^", "\\<<"]).prop_map(str::to_owned);
    let cell = prop_oneof![3 => text, 1 => marker];
    let row = prop::collection::vec(cell, 1..4);
    (prop::collection::vec(row, 1..4), any::<bool>(), any::<bool>()).prop_map(|(rows, delimiter, spaced)| {
        let gap = if spaced { " " } else { "" };
        let line = |cells: &[String]| format!("|{gap}{}{gap}|\n", cells.join(&format!("{gap}|{gap}")));
        let mut out = line(&rows[0]);
        if delimiter {
            out.push_str(&line(&vec!["---".to_owned(); rows[0].len()]));
        }
        for row in &rows[1..] {
            out.push_str(&line(row));
        }
        out
    })
}

fn node(shape: usize) -> BoxedStrategy<String> {
    let line = (marker(shape), sentence(), prop::option::of(sentence()), prop::option::weighted(0.3, table()))
        .prop_map(|(m, s, more, table)| {
            let mut out = m + &s + "\n";
            if let Some(table) = table {
                out.push_str(&table);
            }
            if let Some(more) = more {
                out.push_str(&more);
                out.push('\n');
            }
            out
        });
    if shape == 3 {
        return line.boxed();
    }
    (line, prop::collection::vec(node(shape + 1), 0..3)).prop_map(|(l, children)| l + &children.concat()).boxed()
}

fn document() -> impl Strategy<Value = String> {
    (prop::collection::vec(words(), 1..4), sentence(), prop::collection::vec(node(0), 1..4), any::<bool>()).prop_map(
        |(title, preamble, parts, blank)| {
            let body = parts.concat();
            let body = if blank { body.replace('\n', "\n\n") } else { body };
            format!("关于{}的若干措施\n\n{preamble}。\n{body}", title.concat())
        },
    )
}

proptest! {
    #![proptest_config(proptest_config(200))]

    #[test]
    fn generated_documents_format_idempotently_and_keep_their_structure(text in document()) {
        let Ok(once) = format_str(&text, &Options::default()) else { return Ok(()) };
        let twice = format_str(&once.text, &Options::default()).unwrap();
        prop_assert_eq!(&twice.text, &once.text);
        let before = policyc::parse::parse_str(&text).document;
        let after = parse_text(&once.text);
        prop_assert_eq!(structure(&after), structure(&before));
        let plan = policyc::fmt::renumber::plan(&before, &Options::default());
        prop_assert_eq!(numbering_problems(&after, &plan.schemes), Vec::<String>::new());
        prop_assert_eq!(text_problems(&once.text), Vec::<String>::new());
    }
}

#[test]
fn policyc_toml_sets_style_and_numbering_per_document() {
    let dir = scratch_with("liaoning.txt", "../../policies/liaoning-ip-three-year-plan-2023.txt");
    std::fs::write(
        dir.path().join("policyc.toml"),
        "[fmt]\nstyle = \"half-width\"\n\n[fmt.documents.liaoning.numbering]\nsection = \"continuous\"\n",
    )
    .unwrap();
    let out = policyc(dir.path(), &["fmt", "--stdout", "liaoning.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let parsed = parse_text(&String::from_utf8(out.stdout).unwrap());
    let mut schemes = seed_schemes("liaoning-ip-three-year-plan-2023");
    schemes.insert(Kind::Section, Scheme::Continuous);
    let problems = numbering_problems(&parsed, &schemes);
    // Half-width brackets are what was asked for; nothing else is wrong.
    assert!(!problems.is_empty() && problems.iter().all(|p| p.ends_with("is not a standard marker")), "{problems:?}");
    assert!(parsed.nodes().any(|n| n.marker == "(五)"));
    // The command line wins over the file.
    let out = policyc(dir.path(), &["fmt", "--stdout", "--style", "standard", "liaoning.txt"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("（五）"));
}

#[test]
fn a_bad_policyc_toml_is_a_clear_error() {
    let dir = scratch_with("messy.txt", "fmt/messy.txt");
    std::fs::write(dir.path().join("policyc.toml"), "[fmt.numbering]\nsectoin = \"restart\"\n").unwrap();
    let out = policyc(dir.path(), &["fmt", "--check", "messy.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("policyc.toml: `fmt.numbering.sectoin`: unknown level"), "{stderr}");
}

/// After fmt, `policyc check` finds no numbering, marker, punctuation or
/// spacing defect in any seed. What is left is content a formatter must
/// not invent: 000's （二） without its final 。 (T005) and 001's repeated
/// sentence (T004).
#[test]
fn check_is_quiet_on_formatting_after_fmt() {
    use policyc::validate::{Config, run};
    for slug in SEEDS {
        let formatted = fmt_seed(slug);
        let source =
            policyc::source::SourceFile::from_text(format!("{slug}.txt"), policyc::source::Format::Text, formatted);
        let checked = run(&source, &Config::default());
        let left: Vec<_> = checked.diagnostics.iter().map(|d| d.code).collect();
        let expected: &[&str] = match slug {
            "sichuan-ip-service-measures-2023" => &["T005"],
            "sichuan-ip-work-points-2021" => &["T004"],
            _ => &[],
        };
        assert_eq!(left, expected, "{slug}: {:?}", checked.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    }
}

// ------------------------------------------------------------- references

/// Issue 13: renumbering a measure moves its internal references with it.
#[test]
fn policy_references_follow_the_renumbering() {
    let formatted = fmt_text(&std::fs::read_to_string(fixture("fmt/policy-references.txt")).unwrap());
    let expected = "关于支持知识产权发展的若干措施

为支持知识产权发展，制定以下措施。符合本措施第（三）项、第二部分条件的，优先支持。

一、总则
（一）第一项。符合本措施第（二）项条件的，给予支持。
（二）第三项内容。
1.第一目。
2.第三目。
（三）第四项内容，参照本措施第（三）项执行；上述第（二）项另有规定的除外，前款第2项所列单位除外。
二、保障措施
（四）加强领导。本条第（四）项和本措施第二条所列事项，依照本措施第一部分执行。
";
    assert_eq!(formatted, expected);
    assert_eq!(fmt_text(&formatted), formatted);
}

/// Issue 13: a reference to a number two clauses had is left as it is and
/// reported, by fmt and by check alike.
#[test]
fn an_ambiguous_policy_reference_is_reported_and_left_alone() {
    let text = "关于支持发展的若干措施\n\n一、总则\n（一）第一项。符合本措施第（十二）项条件的，给予支持。\n\
                （十二）第三项内容。\n（十二）第四项内容。\n";
    let formatted = format_str(text, &Options::default()).unwrap();
    assert!(formatted.text.contains("符合本措施第（十二）项条件的"), "{}", formatted.text);
    let codes: Vec<_> = formatted.diagnostics.iter().map(|d| (d.code, d.span.line)).collect();
    assert_eq!(codes, [("X002", 4)]);
    let source = policyc::source::SourceFile::from_text("a.txt", policyc::source::Format::Text, text);
    let checked = policyc::validate::run(&source, &policyc::validate::Config::default());
    assert!(checked.diagnostics.iter().any(|d| d.code == "X002" && d.span.line == 4), "{:?}", checked.diagnostics);
}

// ------------------------------------------------------- mutation properties

/// What an editor does to a text: lines deleted, duplicated and moved,
/// markers, spaces and half-width punctuation typed in.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Move(usize, usize),
    Marker(usize, String),
    Insert(usize, usize, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    let typed = prop::sample::select(vec![
        " ",
        "  ",
        ",",
        ".",
        ";",
        ":",
        "(",
        ")",
        "\"",
        "\u{3000}",
        " 4",
        "3.",
        "?",
        "本措施第（三）项",
        "本条第（二）项",
        "上述第（一）项",
        "本措施第二部分",
        "前款第2项",
        "本条例第三条",
        "第二条",
        "第三条第二款",
    ]);
    prop_oneof![
        (any::<usize>()).prop_map(Edit::Delete),
        (any::<usize>()).prop_map(Edit::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Move(a, b)),
        (any::<usize>(), (0usize..5).prop_flat_map(marker)).prop_map(|(at, m)| Edit::Marker(at, m)),
        (any::<usize>(), any::<usize>(), typed).prop_map(|(at, col, s)| Edit::Insert(at, col, s)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for edit in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match edit {
            Edit::Delete(at) => {
                lines.remove(at % n);
            }
            Edit::Duplicate(at) => {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
            Edit::Move(from, to) => {
                let line = lines.remove(from % n);
                lines.insert(to % n, line);
            }
            Edit::Marker(at, marker) => lines.insert(at % n, format!("{marker}新增的内容")),
            Edit::Insert(at, col, typed) => {
                let line = &mut lines[at % n];
                let chars: Vec<char> = line.chars().collect();
                let col = col % (chars.len() + 1);
                *line =
                    chars[..col].iter().chain(typed.chars().collect::<Vec<_>>().iter()).chain(&chars[col..]).collect();
            }
        }
    }
    lines.join("\n") + "\n"
}

/// The Chinese characters of a text, counted, numerals aside (renumbering
/// rewrites them).
fn han_counts(text: &str) -> BTreeMap<char, usize> {
    let mut counts = BTreeMap::new();
    for c in text.chars().filter(|&c| policyc::fmt::text::is_han(c) && !"零〇一二三四五六七八九十百千两".contains(c))
    {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

/// A node's place and kind, and its words without numbers and punctuation:
/// what must survive formatting whatever it renumbers.
fn loose_structure(document: &Document) -> Vec<String> {
    fn visit(nodes: &[Node], depth: usize, out: &mut Vec<String>) {
        for node in nodes {
            let words = |s: &str| -> String {
                skeleton(s)
                    .chars()
                    .filter(|&c| policyc::fmt::text::is_han(c) && !"零〇一二三四五六七八九十百千两".contains(c))
                    .collect()
            };
            out.push(format!(
                "{depth} {} title={} text={} owners={} children={}",
                node.kind.name(),
                words(node.title.as_deref().unwrap_or("")),
                words(&node.text.join("")),
                node.owners.len(),
                node.children.len()
            ));
            visit(&node.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    visit(&document.body, 0, &mut out);
    out
}

/// The promises of fmt on one input: formatting twice is formatting once;
/// the text parses to the same nodes; with debris kept, no Chinese
/// character is lost; every reference that named one clause names the
/// clause of the same place after, or was reported.
fn fmt_keeps_its_promises(text: &str) -> Result<(), TestCaseError> {
    use policyc::validate::rules::references::{Outline, Resolution};
    let Ok(once) = format_str(text, &Options::default()) else { return Ok(()) };
    let twice = format_str(&once.text, &Options::default()).unwrap();
    prop_assert_eq!(&twice.text, &once.text, "fmt is not idempotent");
    if let Ok(kept) = format_str(text, &Options { keep_debris: true, ..Options::default() }) {
        let (before, after) = (han_counts(text), han_counts(&kept.text));
        prop_assert_eq!(before, after, "Chinese characters lost or added");
    }
    let before = policyc::parse::parse_str(text).document;
    let after = parse_text(&once.text);
    let documents =
        |d: &Document| -> Vec<Document> { std::iter::once(d.clone()).chain(d.attachments.clone()).collect() };
    let (befores, afters) = (documents(&before), documents(&after));
    prop_assert_eq!(befores.len(), afters.len(), "attachments gained or lost");
    // The references fmt reported, as it wrote them: each excuses only
    // itself (and the chains it starts), not every other reference.
    let bracket = |s: &str| s.replace('(', "（").replace(')', "）");
    let reported: Vec<String> = once
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, "X002" | "X003"))
        .filter_map(|d| d.message.split('`').nth(1).map(bracket))
        .collect();
    for (before, after) in befores.iter().zip(&afters) {
        prop_assert_eq!(loose_structure(after), loose_structure(before), "the tree changed");
        let (outline_before, outline_after) = (Outline::new(before), Outline::new(after));
        let refs_before = outline_before.references();
        let refs_after = outline_after.references();
        prop_assert_eq!(refs_before.len(), refs_after.len());
        for ((written, _, old), (now, _, new)) in refs_before.iter().zip(&refs_after) {
            let Resolution::Found(old_nodes) = old else { continue };
            let same = match new {
                Resolution::Found(new_nodes) => old_nodes
                    .iter()
                    .zip(new_nodes)
                    .all(|(o, n)| outline_before.index_of(o) == outline_after.index_of(n)),
                _ => false,
            };
            let written_wide = bracket(&policyc::fmt::text::normalize(written));
            let was_reported = reported.iter().any(|r| written_wide.starts_with(r.as_str()));
            prop_assert!(
                same || was_reported,
                "`{}` became `{}` and names another clause, unreported (reported: {:?})",
                written,
                now,
                reported
            );
        }
    }
    Ok(())
}

/// A regulation: 章 of 条 numbered through, an article's further 款 on
/// lines of their own, 项 under them, and references of the forms the
/// renumbering follows (本条例第X条, a bare 第X条, 本条第（X）项, 前款第（X）项,
/// 第X条第X款) next to one that names another law.
fn regulation() -> impl Strategy<Value = String> {
    let reference = prop::sample::select(vec![
        "",
        "",
        "本条例第三条",
        "第五条",
        "本条第（二）项",
        "前款第（一）项",
        "本条例第二章",
        "第四条第二款",
        "本条例第二条第（一）项",
        "依照《专利法》第十条",
    ]);
    let article = (sentence(), reference, prop::collection::vec(sentence(), 0..3), 0usize..4);
    let chapter = (words(), prop::collection::vec(article, 1..4));
    (words(), prop::collection::vec(chapter, 1..4)).prop_map(|(title, chapters)| {
        let mut text = format!("{title}保护条例\n\n");
        let mut n = 0;
        for (c, (heading, articles)) in chapters.into_iter().enumerate() {
            let cn = policyc::parse::numeral::format(c as u32 + 1);
            text.push_str(&format!("第{cn}章　{heading}\n"));
            for (first, reference, paragraphs, items) in articles {
                n += 1;
                let first = first.trim_end_matches('。');
                text.push_str(&format!("第{}条　{first}{reference}。\n", policyc::parse::numeral::format(n)));
                for k in 1..=items {
                    text.push_str(&format!("（{}）{}", policyc::parse::numeral::format(k as u32), "知识产权服务；\n"));
                }
                for paragraph in paragraphs {
                    text.push_str(&paragraph);
                    text.push('\n');
                }
            }
        }
        text
    })
}

/// The seeds and generated documents (policies and regulations), with a
/// few editor's edits.
fn edited() -> impl Strategy<Value = String> {
    let seeds: Vec<String> = SEEDS.iter().map(|slug| std::fs::read_to_string(seed_path(slug)).unwrap()).collect();
    let base = prop_oneof![1 => prop::sample::select(seeds), 2 => document(), 2 => regulation()];
    (base, prop::collection::vec(edit(), 1..6)).prop_map(|(text, edits)| apply(&text, &edits))
}

/// Issue 13: two lines that read as a title broken in two were joined on
/// the second pass only. Whether a text is hard-wrapped is decided on line
/// widths, and the first pass removed the space of `一、 服务…`, which
/// tipped the count: widths are now counted without spaces.
#[test]
fn a_title_like_pair_is_joined_on_the_first_pass_or_never() {
    let text = "(一)知识产权知识产权知识产权。\n(一)知识产权知识产权知识产权。\n知识产权知识产权知识产权知识产权知识产权。\n关于知识产权知识产权的若干措施\n关于知识产权知识产权的若干措施\n1.知识产权ISO 56005。\n一、 服务服务服务服务。\n";
    let once = policyc::fmt::format_str(text, &policyc::fmt::Options::default()).expect("formats").text;
    let twice = policyc::fmt::format_str(&once, &policyc::fmt::Options::default()).expect("formats").text;
    assert_eq!(twice, once);
}

proptest! {
    #![proptest_config(proptest_config(64))]

    /// Issue 13: formatting an edited text (a seed, a generated policy or
    /// regulation) keeps the tree, the words and the references, and is
    /// idempotent.
    #[test]
    fn edited_documents_keep_their_tree_words_and_references(text in edited()) {
        fmt_keeps_its_promises(&text)?;
    }
}

/// Issue 13's counterexamples.
#[test]
fn a_number_after_an_item_marker_stays_apart() {
    let text = "关于支持发展的若干措施\n\n一、总则\n（一）第一项。\n1. 第一。\n2. 4家企业获批。\n";
    let formatted = fmt_text(text);
    assert!(formatted.contains("\n2. 4家企业获批。\n"), "{formatted}");
    fmt_keeps_its_promises(text).unwrap();
}

/// A page title above the policy's title that repeats its first line is
/// web page furniture: the first pass removes it, as it removes other
/// debris. Kept, it was read as the first line of the title on a second
/// pass (a proptest counterexample).
#[test]
fn a_page_title_the_title_repeats_is_removed_on_the_first_pass() {
    let text = "\n关于加快推进知识产权服务业高质量\n关于加快推进知识产权服务业高质量\n发展的若干措施\n\n为深入贯彻落实，结合我市实际，现制定如下措施。\n一、提升知识产权服务供给能力\n（一）加快服务业与产业融合发展。\n（二）推动服务业。\n";
    let once = fmt_text(text);
    assert!(once.starts_with("关于加快推进知识产权服务业高质量发展的若干措施\n\n为深入"), "{once}");
    assert_eq!(fmt_text(&once), once);
    fmt_keeps_its_promises(text).unwrap();
}

/// Issue 13: a run-in title with a space inside and one before its text
/// (seed 000 of the shared corpus, with and without the ① the issue
/// quotes): split once, at the space before the text, and left so.
#[test]
fn a_run_in_title_with_spaces_is_split_once() {
    let line = "(一)促进知识产权服务业与 产业发展协同联动 引导知识产权服务业围绕我省重点产业和战略性新兴产业、重点产业功能区聚集,面向产业链、创新链强化服务。";
    for prefix in ["", "①"] {
        let text = format!(
            "关于加快推动知识产权服务业高质量发展的若干措施\n\n一、 聚焦需求,释放高质量发展动能\n\n{prefix}{line}\n\n(二)引导知识产权服务业增强服务区域经济发展能力。\n"
        );
        let once = fmt_text(&text);
        if prefix.is_empty() {
            assert!(once.contains("\n（一）促进知识产权服务业与产业发展协同联动\n引导知识产权服务业围绕"), "{once}");
        }
        assert_eq!(fmt_text(&once), once, "{once}");
        fmt_keeps_its_promises(&text).unwrap();
    }
}

/// A reference that names one clause before renumbering but whose new
/// number would name several (numbering restarts under each part) is left
/// as written and reported, not silently kept (a proptest counterexample
/// on the Guangzhou seed: 本措施第（三）项 kept its （三） and named
/// another clause).
#[test]
fn a_reference_renumbering_cannot_follow_is_reported() {
    let text = "关于支持发展的若干措施\n\n一、总则\n（一）符合本措施第（三）项条件的，给予支持。\n二、任务\n（二）甲。\n（三）乙。\n三、保障\n（一）丁。\n（二）戊。\n（四）己。\n";
    let formatted = format_str(text, &Options::default()).unwrap();
    assert!(formatted.text.contains("符合本措施第（三）项条件的"), "{}", formatted.text);
    let reported: Vec<&str> = formatted.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(reported, ["X002"]);
    fmt_keeps_its_promises(text).unwrap();
}

/// One issuer per line, unless a line would end with a bracket left open
/// (a stray `(` above a signature line, which source repair joins to it):
/// split, the second pass joined the units again (a proptest
/// counterexample on seed 000 of the shared corpus).
#[test]
fn issuers_stay_on_their_line_when_a_bracket_is_left_open() {
    let text = "关于支持发展的若干措施\n\n一、总则\n（一）第一项。\n\n四川省发展和改革委员会     四川省经济和信息化厅\n(\n四川省教育厅             四川省科学技术厅\n\n2025年3月15日\n";
    let once = fmt_text(text);
    assert_eq!(fmt_text(&once), once, "{once}");
    fmt_keeps_its_promises(text).unwrap();
}

/// Issue 13: an attachment is formatted as the policy is: its markers in
/// their canonical form, renumbered by its own scheme, and its references
/// (本办法 is the attachment) following its new numbers.
#[test]
fn attachments_are_renumbered_with_their_references() {
    let text = "关于印发办法的通知\n\n各有关单位：\n\n现将《甲办法》印发给你们。\n\n某省科学技术厅\n\n2024年1月8日\n\n附件\n\n甲办法\n\n一、总则\n\n(一)目的。\n\n（三）适用。符合本办法第（三）项规定的除外。\n\n（四）其他。参照本办法第（四）项。\n";
    let formatted = format_str(text, &Options::default()).unwrap();
    assert!(
        formatted.text.ends_with(
            "一、总则\n\n（一）目的。\n\n（二）适用。符合本办法第（二）项规定的除外。\n\n（三）其他。参照本办法第（三）项。\n"
        ),
        "{}",
        formatted.text
    );
    assert!(formatted.diagnostics.is_empty(), "{:?}", formatted.diagnostics);
    fmt_keeps_its_promises(text).unwrap();
}

/// An annotation is read the same before and after `fmt` makes its
/// punctuation full-width: `(:规划处、合作处负责)` was two owners, and
/// `（：规划处、合作处负责）` text (a proptest counterexample).
#[test]
fn an_annotation_reads_the_same_in_either_width() {
    let text = "关于支持发展的若干措施\n\n一、总则\n（一）第一项。加强培养。(:规划处、合作处负责)\n（二）第二项。加强培养。(规划处、合作处负责)\n";
    fmt_keeps_its_promises(text).unwrap();
    let owners =
        |t: &str| -> Vec<usize> { policyc::parse::parse_str(t).document.nodes().map(|n| n.owners.len()).collect() };
    assert_eq!(owners(text), [0, 0, 2]);
    assert_eq!(owners(&fmt_text(text)), owners(text));
}

/// Regulations' references go through the resolver the policy family uses:
/// 本条例第二条第四项 follows the item it names when the items of 第二条 are
/// renumbered (the regulation-only rewriter read only a bracketed
/// 第（四）项 there), a bare 第（三）项 is the article's own, and 《专利法》
/// 第三条 is left alone.
#[test]
fn regulation_references_follow_items_through_the_shared_resolver() {
    let text = "知识产权保护条例\n\n第一条　为了保护知识产权，制定本条例。\n第二条　禁止下列行为：\n（一）甲；\n（三）乙；\n（四）丙。\n第三条　违反本条例第二条第四项规定的，依照《专利法》第三条处理；第（三）项除外。\n（一）丁；\n（三）戊。\n";
    let formatted = format_str(text, &Options::default()).unwrap();
    assert!(
        formatted.text.contains(
            "第三条　违反本条例第二条第三项规定的，依照《专利法》第三条处理；第（二）项除外。\n（一）丁；\n（二）戊。\n"
        ),
        "{}",
        formatted.text
    );
    assert!(formatted.diagnostics.is_empty(), "{:?}", formatted.diagnostics);
    fmt_keeps_its_promises(text).unwrap();
}

/// Merged cells: fmt writes their markers back as they were, a literal
/// `\^^` stays escaped, and the tree keeps the merge.
#[test]
fn merge_markers_survive_formatting() {
    let text = "关于加强能源保障的若干措施\n\n一、加强保障\n（一）分工如下：\n\
                | 类型 | 档位 | 说明 |\n| --- | --- | --- |\n| 燃煤 | 第一档 | \\^^ |\n| ^^ | 第二档 | << |\n";
    let formatted = fmt_text(text);
    assert!(formatted.contains("| 燃煤 | 第一档 | \\^^ |\n| ^^ | 第二档 | << |\n"), "{formatted}");
    let document = parse_text(&formatted);
    let table = &document.body[0].children[0].tables[0];
    let merge = |row, column, rows, columns| policyc::tree::Merge { row, column, rows, columns };
    assert_eq!(table.merged, [merge(1, 0, 2, 1), merge(2, 1, 1, 2)], "{table:?}");
    assert_eq!(table.rows[0].cells[2], "^^", "the escaped marker is text");
    assert_eq!(table.rows[1].cells, ["", "第二档", ""]);
    fmt_keeps_its_promises(text).unwrap();
}
