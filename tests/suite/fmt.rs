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
        .filter(|&c| !c.is_whitespace() && !matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'))
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
            out.push(format!(
                "{depth} {} title={} text={} owners={owners:?} children={}",
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
        "sichuan-ip-work-points-2021" => &[(Kind::Part, Restart), (Kind::Section, Continuous), (Kind::Item, Continuous)],
        "chongqing-ip-service-measures-draft" => &[(Kind::Part, Restart), (Kind::Section, Continuous)],
        "liaoning-ip-three-year-plan-2023" => &[(Kind::Part, Restart), (Kind::Section, Restart), (Kind::Item, Restart)],
        "guangzhou-ip-service-plan-2016" => &[(Kind::Part, Restart), (Kind::Section, Continuous)],
        _ => &[],
    };
    list.iter().copied().collect()
}

/// Half-width punctuation with Chinese on either side, or a space between
/// two Chinese characters (the run-in title separator excepted).
fn text_problems(text: &str) -> Vec<String> {
    let chinese = |c: char| policyc::fmt::text::is_chinese(c);
    let mut problems = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for i in 0..chars.len() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let around = prev.is_some_and(chinese) || next.is_some_and(chinese);
            if matches!(chars[i], ',' | ';' | ':' | '?' | '!' | '(' | ')' | '"') && around {
                problems.push(format!("half-width `{}` in `{line}`", chars[i]));
            }
            if chars[i] == ' ' && prev.is_some_and(chinese) && next.is_some_and(chinese) {
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
            assert_eq!(got[k].title.as_deref(), Some("新增的条款内容。"), "{slug} @{k}");
            let others: Vec<_> = got.iter().enumerate().filter(|&(i, _)| i != k).map(|(_, n)| *n).collect();
            for (a, b) in others.iter().zip(&expected) {
                assert_eq!((a.kind, &a.title, &a.text), (b.kind, &b.title, &b.text), "{slug} @{k}");
            }
        }
    }
}
