//! Helpers shared by the suite's modules.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use policyc::parse::{Parsed, parse};
use policyc::source::{Encoding, Format, SourceFile};
use policyc::tree::{Document, Node};

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
