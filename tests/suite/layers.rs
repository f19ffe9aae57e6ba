//! The modules' layers: dependencies point one way, from a later stage of
//! the pipeline to an earlier one, never back. Every `crate::…` path in
//! `src/` (comments aside) is mapped to the top-level module it names, and a
//! module may name only modules of a lower layer.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::root;

/// The layers, lowest first. A module may use the modules of the layers
/// below its own; modules of one layer do not use each other.
const LAYERS: &[&[&str]] = &[
    // Leaves: byte scanning, the property tests' configuration.
    &["scan", "testing"],
    // Character classes, numerals, digests, HTML escaping.
    &["text", "numeral", "digest", "escape"],
    // 发文字号 and dates recognized in plain text.
    &["recognize"],
    // The typed tree (and `Span`, which every later stage carries).
    &["tree"],
    &["source"],
    &["diag", "write"],
    &["parse"],
    &["validate", "owners"],
    &["emit"],
    &["fmt"],
    &["diff"],
    &["publish"],
    &["serve", "lsp"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level modules named by `crate::` paths in `code`, including each
/// item of a `crate::{a, b::c}` group.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut found = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (at, _) in line.match_indices("crate::") {
            let before = line[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let rest = &line[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                for item in split_top_level(group) {
                    found.insert(ident(item.trim()));
                }
            } else {
                found.insert(ident(rest));
            }
        }
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

/// The comma-separated items of a `{…}` group up to its closing brace.
fn split_top_level(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_higher_layer() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs");
        // The crate root, the binary and Cargo's build script sit outside the layers.
        if ["lib", "main", "build"].contains(&module) {
            continue;
        }
        let Some(own) = layer_of(module) else {
            wrong.push(format!("{}: module `{module}` has no layer in tests/suite/layers.rs", rel.display()));
            continue;
        };
        for used in crate_paths(&std::fs::read_to_string(file).unwrap()) {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(theirs) if theirs < own => {}
                Some(_) => {
                    wrong.push(format!("{}: `{module}` uses `crate::{used}`, which is not below it", rel.display()))
                }
                None => wrong.push(format!("{}: `crate::{used}` has no layer in tests/suite/layers.rs", rel.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "layering:\n{}", wrong.join("\n"));
}

#[test]
fn crate_paths_reads_groups() {
    let code = "use crate::{diag::{self, Diagnostic}, tree::Span};\nlet x = crate::text::is_space(c);\n// crate::cli\n";
    let want: BTreeSet<String> = ["diag", "text", "tree"].map(String::from).into();
    assert_eq!(crate_paths(code), want);
}
