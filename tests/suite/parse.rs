//! The grammar and lowering on small inputs: marker variants, both
//! families, Markdown sources, numerals, spans.

use policyc::parse::numeral;
use policyc::source::Format;
use policyc::tree::Kind;

use crate::common::*;

#[test]
fn regulation_in_markdown() {
    let source = load(&fixture("parse/ok/regulation.md"));
    assert_eq!(source.format, Format::Markdown);
    let doc = policyc::parse::parse(&source).document;
    assert_eq!(doc.meta.title.as_deref(), Some("某省专利促进条例"));
    let kinds: Vec<(Kind, &str)> = doc.nodes().map(|n| (n.kind, n.marker.as_str())).collect();
    use Kind::*;
    assert_eq!(
        kinds,
        [
            (Chapter, "第一章"),
            (Article, "第一条"),
            (Article, "第二条"),
            (Chapter, "第二章"),
            (Division, "第一节"),
            (Article, "第三条"),
            (Paragraph, ""),
            (Clause, "（一）"),
            (Clause, "（二）"),
            (Subclause, "1."),
            (Subclause, "2."),
            (Paragraph, ""),
            (Article, "第三条之一"),
            (Division, "第二节"),
            (Article, "第四条"),
            (Chapter, "第三章"),
            (Article, "第五条"),
        ]
    );
    let chapter = &doc.body[0];
    assert_eq!(chapter.title.as_deref(), Some("总则"));
    let inserted = doc.nodes().find(|n| n.marker == "第三条之一").unwrap();
    assert_eq!((inserted.number, inserted.sub), (3, Some(1)));
    // Spans point into the Markdown source, past the `**` markup.
    let first = &chapter.children[0];
    assert_eq!(&source.text[first.spans.marker.start..first.spans.marker.end], "第一条");
    assert_eq!((first.span.line, first.span.column), (9, 3));
    assert!(first.title.is_none(), "articles have no title");
}

#[test]
fn policy_marker_variants() {
    let source = load(&fixture("parse/ok/marker-variants.txt"));
    let parsed = policyc::parse::parse(&source);
    let doc = &parsed.document;
    assert_eq!(
        marker_outline(doc),
        "一、\n  (一)\n    1、\n    2．\n    ３．\n      (1)\n      （2)\n        ①\n        ⑳\n二、\n  （二）\n    10.\n"
    );
    let numbers: Vec<u32> = doc.nodes().map(|n| n.number).collect();
    assert_eq!(numbers, [1, 1, 1, 2, 3, 1, 2, 1, 20, 2, 2, 10]);
    assert_eq!(doc.body[0].title.as_deref(), Some("总体要求"));
    // The Word bookmark in front of （二） is debris, reported with its place.
    assert_eq!(doc.frame.debris.len(), 1);
    let note = parsed.diagnostics.iter().find(|d| d.code == "D001").unwrap();
    assert_eq!((note.span.line, note.span.column), (13, 1));
}

#[test]
fn large_chinese_numerals_in_markers() {
    let mut text = String::from("总则\n");
    for n in [1, 11, 20, 99, 105, 110, 999] {
        text.push_str(&format!("第{}条　内容。\n", numeral::format(n)));
    }
    let doc = parse_text(&text);
    let numbers: Vec<u32> = doc.body.iter().map(|n| n.number).collect();
    assert_eq!(numbers, [1, 11, 20, 99, 105, 110, 999]);
    let doc = parse_text("（九百九十九）最后一项。\n（一百零五）中间一项。\n");
    assert_eq!(doc.body.iter().map(|n| n.number).collect::<Vec<_>>(), [999, 105]);
}

#[test]
fn malformed_numerals_are_text() {
    let doc = parse_text("一、总则\n一二、不是标题。\n（十十）也不是。\n");
    assert_eq!(marker_outline(&doc), "一、\n");
    assert_eq!(doc.body[0].text.len(), 2);
}

#[test]
fn title_rules() {
    let doc = parse_text(
        "一、总体要求\n（一）指导思想\n以习近平新时代中国特色社会主义思想为指导。\n（二）强化组织领导。局党组负总责。\n（三）促进服务业与 产业协同联动 引导服务业围绕重点产业和战略性新兴产业、重点产业功能区聚集,面向产业链强化服务。\n",
    );
    let sections = &doc.body[0].children;
    assert_eq!(sections[0].title.as_deref(), Some("指导思想"));
    assert_eq!(sections[0].text, ["以习近平新时代中国特色社会主义思想为指导。"]);
    assert_eq!(sections[1].title.as_deref(), Some("强化组织领导。"));
    assert_eq!(sections[1].text, ["局党组负总责。"]);
    assert_eq!(sections[2].title.as_deref(), Some("促进服务业与 产业协同联动"));
    assert!(sections[2].text[0].starts_with("引导服务业"));
}

#[test]
fn every_ok_fixture_parses_without_errors() {
    let dir = fixture("parse/ok");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let parsed = policyc::parse::parse(&load(&path));
        let errors: Vec<_> =
            parsed.diagnostics.iter().filter(|d| d.severity == policyc::diag::Severity::Error).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        assert!(!parsed.document.body.is_empty(), "{}", path.display());
        count += 1;
    }
    assert!(count >= 2);
}
