//! The documentation stays true to the code: the README's dependency table
//! names exactly the crates Cargo.toml depends on, and the README stays a
//! user's page (implementation notes go to ARCHITECTURE.md).

use std::collections::BTreeSet;

use crate::common::root;

/// The crate names of one table of Cargo.toml.
fn manifest_table(manifest: &toml::Table, table: &str) -> BTreeSet<String> {
    manifest.get(table).and_then(toml::Value::as_table).map(|deps| deps.keys().cloned().collect()).unwrap_or_default()
}

/// The crates named in the first column of the README's "Why each dependency
/// is here" table, split into (dependencies, dev-dependencies): a row whose
/// names end in `(dev)` lists dev-dependencies.
fn readme_table(readme: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let section = readme
        .split("## Why each dependency is here")
        .nth(1)
        .expect("the README has a \"Why each dependency is here\" section");
    let (mut normal, mut dev) = (BTreeSet::new(), BTreeSet::new());
    for row in section.lines().filter(|l| l.starts_with('|')).skip(2) {
        let cell = row.split('|').nth(1).unwrap_or("").trim();
        let (names, into) = match cell.strip_suffix("(dev)") {
            Some(names) => (names, &mut dev),
            None => (cell, &mut normal),
        };
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            assert!(into.insert(name.to_owned()), "the README lists `{name}` twice");
        }
    }
    (normal, dev)
}

#[test]
fn dependency_table_matches_cargo_toml() {
    let manifest: toml::Table = std::fs::read_to_string(root().join("Cargo.toml")).unwrap().parse().unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let deps = manifest_table(&manifest, "dependencies");
    // A dev-dependency that is also a dependency has its row already.
    let dev: BTreeSet<String> = manifest_table(&manifest, "dev-dependencies").difference(&deps).cloned().collect();
    let (listed, listed_dev) = readme_table(&readme);
    let missing: Vec<_> = deps.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&deps).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "README dependency table: add a row for {missing:?}, remove {stale:?}"
    );
    let missing: Vec<_> = dev.difference(&listed_dev).collect();
    let stale: Vec<_> = listed_dev.difference(&dev).collect();
    assert!(missing.is_empty() && stale.is_empty(), "README dependency table (dev): add {missing:?}, remove {stale:?}");
}

#[test]
fn readme_is_short() {
    let size = std::fs::metadata(root().join("README.md")).unwrap().len();
    assert!(size < 15_000, "README.md is {size} bytes: move implementation notes to ARCHITECTURE.md");
}

/// Each rule's explanation is the Markdown file named after it, and every
/// file there belongs to a rule.
#[test]
fn every_explanation_file_belongs_to_a_rule() {
    use policyc::diag::registry::ALL;
    let dir = root().join("src/diag/explain");
    let mut files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    let mut want: Vec<String> = ALL.iter().map(|r| format!("{}-{}.md", r.code, r.name)).collect();
    want.sort();
    assert_eq!(files, want, "src/diag/explain/ holds one <CODE>-<name>.md per rule");
    for rule in ALL {
        let text = std::fs::read_to_string(dir.join(format!("{}-{}.md", rule.code, rule.name))).unwrap();
        assert_eq!(text.trim_end(), rule.doc, "{}: the explanation is not its file's", rule.code);
    }
}
