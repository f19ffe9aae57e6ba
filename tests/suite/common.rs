//! Helpers shared by the suite's modules.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use policyc::parse::{Parsed, parse};
use policyc::source::{Encoding, Format, SourceFile};
use policyc::tree::{Document, Kind, Merge, Node, NodeSpans, Owner, Row, Span, Table, Target};
use proptest::prelude::*;

/// The property tests' configuration, shared with the unit tests in `src/`.
#[path = "../../src/testing.rs"]
mod testing;
pub use testing::proptest_config;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Fails unless `got` is `want`, showing the first line that differs (a
/// whole page in an assertion message is unreadable).
pub fn assert_same_text(got: &str, want: &str, what: &str) {
    if got != want {
        let line = got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{what}: differs at line {}:
 got: {:?}
want: {:?}",
            line + 1,
            got.lines().nth(line),
            want.lines().nth(line)
        );
    }
}

/// The five seeds twice over as one document: twins of every number and
/// id, attachments after a long body.
pub fn seeds_twice_over() -> Document {
    let mut text = String::new();
    for slug in SEEDS.iter().chain(SEEDS.iter()) {
        text.push_str(&std::fs::read_to_string(seed_path(slug)).unwrap());
        text.push('\n');
    }
    parse_text(&text)
}

/// Every source under `tests/fixtures` (`.txt` and `.md`), sorted.
pub fn fixture_sources() -> Vec<PathBuf> {
    fn visit(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, out);
            } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    visit(&root().join("tests/fixtures"), &mut paths);
    paths.sort();
    paths
}

/// The five seed documents, by slug.
pub const SEEDS: [&str; 5] = [
    "sichuan-ip-service-measures-2023",
    "sichuan-ip-work-points-2021",
    "chongqing-ip-service-measures-draft",
    "liaoning-ip-three-year-plan-2023",
    "guangzhou-ip-service-plan-2016",
];

pub fn seed_path(slug: &str) -> PathBuf {
    root().join("policies").join(format!("{slug}.txt"))
}

pub fn load(path: &Path) -> SourceFile {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = Format::from_path(path).unwrap_or(Format::Text);
    SourceFile::from_bytes(path, format, &bytes, Encoding::Utf8).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn parse_seed(slug: &str) -> (SourceFile, Parsed) {
    let source = load(&seed_path(slug));
    let parsed = parse(&source);
    (source, parsed)
}

pub fn parse_text(text: &str) -> Document {
    policyc::parse::parse_str(text).document
}

/// The heading outline: one line per node, indented two spaces per depth,
/// `marker title`.
pub fn outline(document: &Document) -> String {
    fn visit(nodes: &[Node], depth: usize, out: &mut String) {
        for node in nodes {
            out.push_str(&"  ".repeat(depth));
            out.push_str(&node.marker);
            if let Some(title) = &node.title {
                out.push(' ');
                out.push_str(title);
            }
            out.push('\n');
            visit(&node.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    visit(&document.body, 0, &mut out);
    out
}

/// Markers only, indented by depth: the shape of the body.
pub fn marker_outline(document: &Document) -> String {
    fn visit(nodes: &[Node], depth: usize, out: &mut String) {
        for node in nodes {
            out.push_str(&"  ".repeat(depth));
            out.push_str(&node.marker);
            out.push('\n');
            visit(&node.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    visit(&document.body, 0, &mut out);
    out
}

/// An arbitrary node tree for the fast-path suites: every string of it
/// (titles, paragraphs, owners, targets) drawn from `text`, every marker
/// from `marker`, every span `span`; `depth`, `size` and `branch` bound the
/// recursion as `prop_recursive` does. One generator, so that a new field of
/// `Node` is generated for every suite that compares two writers.
pub fn arb_node(
    text: BoxedStrategy<String>,
    marker: BoxedStrategy<String>,
    span: Span,
    depth: u32,
    size: u32,
    branch: u32,
) -> BoxedStrategy<Node> {
    let owner = (text.clone(), prop::option::of(text.clone())).prop_map(move |(unit, role)| Owner { unit, role, span });
    let target = (text.clone(), text.clone(), prop::option::of(text.clone()))
        .prop_map(move |(phrase, value, unit)| Target { phrase, value, unit, span });
    // Tables placed anywhere among the paragraphs (past the last one too),
    // with and without a header, ragged rows and empty cells included, and
    // a merged cell where the rows it would cover have its columns.
    let table = (
        0usize..4,
        prop::option::of(prop::collection::vec(text.clone(), 1..3)),
        prop::collection::vec(prop::collection::vec(text.clone(), 0..3), 0..3),
        (0usize..4, 0usize..3, 1usize..3, 1usize..3),
    )
        .prop_map(move |(at, header, rows, (row, column, down, across))| {
            let mut table = Table {
                at,
                header,
                rows: rows.into_iter().map(|cells| Row { cells }).collect(),
                merged: Vec::new(),
                span,
            };
            let fits = {
                let drawn: Vec<&[String]> = table.drawn().collect();
                (down > 1 || across > 1)
                    && (row..row + down).all(|r| drawn.get(r).is_some_and(|cells| cells.len() >= column + across))
            };
            if fits {
                let first = usize::from(table.header.is_some());
                for r in row..row + down {
                    for c in column..column + across {
                        if (r, c) != (row, column) {
                            match r.checked_sub(first) {
                                Some(body) => table.rows[body].cells[c].clear(),
                                None => table.header.as_mut().expect("row 0 is the header")[c].clear(),
                            }
                        }
                    }
                }
                table.merged.push(Merge { row, column, rows: down, columns: across });
            }
            table
        });
    let tables = prop::collection::vec(table, 0..2).prop_map(|mut tables| {
        tables.sort_by_key(|t| t.at);
        tables
    });
    let leaf = (
        prop::sample::select(Kind::ALL.to_vec()),
        marker,
        1u32..4,
        prop::option::of(1u32..3),
        prop::option::of(text.clone()),
        prop::collection::vec(text, 0..3),
        prop::collection::vec(owner, 0..4),
        prop::collection::vec(target, 0..2),
        tables,
    )
        .prop_map(move |(kind, marker, number, sub, title, text, owners, targets, tables)| Node {
            kind,
            marker,
            number,
            sub,
            spans: NodeSpans { marker: span, title: title.as_ref().map(|_| span), text: vec![span; text.len()] },
            title,
            text,
            tables,
            owners,
            targets,
            children: Vec::new(),
            span,
        });
    leaf.prop_recursive(depth, size, branch, move |inner| {
        (inner.clone(), prop::collection::vec(inner, 0..branch as usize)).prop_map(|(mut node, children)| {
            node.children = children;
            node
        })
    })
    .boxed()
}

/// Names a source must not publish under (issue 14), with the safe name the
/// build suggests for each.
pub const HOSTILE_NAMES: [(&str, &str); 2] = [
    ("javascript:alert(document.domain).txt", "javascript-alert-document.domain.txt"),
    ("a\"><img src=x onerror=alert(1)>.txt", "a-img-src-x-onerror-alert-1.txt"),
];

/// A policies directory in `dir` whose names are hostile: the two of
/// [`HOSTILE_NAMES`], a safe name of CJK characters, dots, `_` and `-`
/// (`2016年广州.服务_计划-v1`), and a document whose units are named with
/// `#`, `%`, quotes, markup and a scheme.
pub fn hostile_policies(dir: &Path) -> PathBuf {
    let input = dir.join("policies");
    std::fs::create_dir_all(&input).unwrap();
    let seed = seed_path("guangzhou-ip-service-plan-2016");
    for (name, _) in HOSTILE_NAMES {
        std::fs::copy(&seed, input.join(name)).unwrap();
    }
    std::fs::copy(&seed, input.join("2016年广州.服务_计划-v1.txt")).unwrap();
    std::fs::copy(fixture("site/hostile-units.txt"), input.join("units.txt")).unwrap();
    input
}

/// Whether `href` is a link policyc may write: a fragment of the same page
/// or `./` and a file name, percent-encoded (RFC 3986 unreserved characters
/// and `%XX` only), with an optional fragment.
pub fn is_safe_href(href: &str) -> bool {
    let encoded = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b));
    match href.strip_prefix("./") {
        Some(rest) => {
            let (file, fragment) = rest.split_once('#').unwrap_or((rest, "x"));
            encoded(file) && encoded(fragment) && file != "." && file != ".."
        }
        None => href.strip_prefix('#').is_some_and(encoded),
    }
}
