//! Contracts of the editions: YAML reads back into an equal tree, Markdown's
//! heading outline is the tree's, HTML escapes text and has stable ids.

use policyc::emit::{Edition, render, yaml};
use policyc::tree::{Document, Node};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::common::*;

#[test]
fn yaml_round_trips_every_seed() {
    for slug in SEEDS {
        let (_, parsed) = parse_seed(slug);
        let text = render(&parsed.document, Edition::Yaml).unwrap();
        let back: Document = yaml::from_yaml(&text).unwrap_or_else(|e| panic!("{slug}: {e}"));
        assert_eq!(back, parsed.document, "{slug}");
    }
}

#[test]
fn json_has_the_contract_fields() {
    let (_, parsed) = parse_seed("sichuan-ip-work-points-2021");
    let json: serde_json::Value = serde_json::from_str(&render(&parsed.document, Edition::Json).unwrap()).unwrap();
    for key in ["title", "doc_number", "date"] {
        assert!(json["meta"].get(key).is_some(), "meta.{key}");
    }
    let node = &json["body"][0];
    for key in ["kind", "marker", "number", "title", "text", "children"] {
        assert!(node.get(key).is_some(), "node.{key}");
    }
    assert_eq!(node["kind"], "part");
    assert_eq!(node["number"], 1);
}

/// (level, text) of each heading in a Markdown document.
fn markdown_headings(md: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                current = Some((level, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s)) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

fn tree_headings(document: &Document) -> Vec<(usize, String)> {
    fn visit(nodes: &[Node], level: usize, out: &mut Vec<(usize, String)>) {
        for node in nodes {
            let child_level = match &node.title {
                Some(title) => {
                    out.push((level.min(6), format!("{}{}", node.marker, title)));
                    level + 1
                }
                None => level,
            };
            visit(&node.children, child_level, out);
        }
    }
    let mut out = vec![(1, document.meta.title.clone().unwrap_or_else(|| "（无标题）".into()))];
    visit(&document.body, 2, &mut out);
    out
}

#[test]
fn markdown_outline_is_the_tree_outline() {
    for slug in SEEDS {
        let (_, parsed) = parse_seed(slug);
        let md = render(&parsed.document, Edition::Markdown).unwrap();
        assert_eq!(markdown_headings(&md), tree_headings(&parsed.document), "{slug}");
    }
}

#[test]
fn markdown_escapes_what_commonmark_would_read() {
    let doc = parse_text("一、总则\n1.5亿元用于*重点*项目<b>和[链接](x)。\n- 不是列表\n");
    let md = render(&doc, Edition::Markdown).unwrap();
    let html = {
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, Parser::new(&md));
        s
    };
    assert!(
        !html.contains("<em>") && !html.contains("<ol") && !html.contains("<ul") && !html.contains("<a "),
        "{html}"
    );
    assert!(html.contains("1.5亿元"));
}

#[test]
fn html_escapes_document_text() {
    let doc = parse_text("一、总则\n（一）安全。<script>alert(1)</script>须作为文本显示。\n");
    let html = render(&doc, Edition::Html).unwrap();
    // The page has scripts of its own; the document's text must not become one.
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
}

#[test]
fn html_ids_come_from_numbering_not_text() {
    let a = render(&parse_text("一、总则\n（一）甲。\n1.乙。\n二、分则\n（二）丙。\n"), Edition::Html).unwrap();
    let b =
        render(&parse_text("一、总则改\n（一）甲改。\n1.乙改。\n二、分则改\n（二）丙改。\n"), Edition::Html).unwrap();
    for id in ["id=\"p1\"", "id=\"p1-s1\"", "id=\"p1-s1-i1\"", "id=\"p2-s2\"", "href=\"#p1-s1-i1\""] {
        assert!(a.contains(id) && b.contains(id), "{id}");
    }
}

#[test]
fn html_is_well_formed() {
    for slug in SEEDS {
        let (_, parsed) = parse_seed(slug);
        let html = render(&parsed.document, Edition::Html).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        let opened = html.matches("<section").count();
        let closed = html.matches("</section>").count();
        assert_eq!(opened, closed, "{slug}");
        let ids: Vec<&str> = html.split("id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
        let unique: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len(), "{slug}: ids are unique");
    }
}
