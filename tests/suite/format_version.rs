//! The editions' format version (`policyc::emit::FORMAT_VERSION`) keys the
//! build cache, so it must change whenever an edition's bytes do. The seeds'
//! edition snapshots stand for "an edition's bytes": their digest is recorded
//! beside each version in `tests/fixtures/format-versions.txt`, and this test
//! fails when the snapshots change and the version does not.

use std::path::Path;

use crate::common::{fixture, root};

/// The digest of the seeds' edition snapshots: names and bodies, without
/// insta's header (which names the test, not the output).
fn snapshots_digest() -> String {
    let dir = root().join("tests/suite/snapshots");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("suite__seeds__") && n.ends_with(".snap"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no seed snapshots in {}", dir.display());
    let mut hasher = policyc::digest::Hasher::default();
    for name in &names {
        let text = std::fs::read_to_string(Path::new(&dir).join(name)).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
        hasher.update(name.as_bytes());
        hasher.update(body.as_bytes());
    }
    hasher.hex()
}

#[test]
fn format_version_changes_with_the_editions() {
    let path = fixture("format-versions.txt");
    let recorded = std::fs::read_to_string(&path).unwrap();
    let versions: Vec<(u32, &str)> = recorded
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (version, digest) = l.split_once(' ').expect("a line is `<version> <digest>`");
            (version.parse().expect("a version is a number"), digest.trim())
        })
        .collect();
    for (i, (version, _)) in versions.iter().enumerate() {
        assert_eq!(*version as usize, i + 1, "{}: versions count up from 1", path.display());
    }
    let current = snapshots_digest();
    let &(last, digest) = versions.last().expect("at least one version");
    let next = policyc::emit::FORMAT_VERSION;
    assert!(
        digest == current && last == next,
        "the seeds' edition snapshots (digest {current}) are not those recorded for format version {last} \
         (digest {digest}), or emit::FORMAT_VERSION ({next}) is not the last version recorded.\n\
         When an edition's bytes change, bump emit::FORMAT_VERSION to {} and append `{} {current}` to {}",
        last + 1,
        last + 1,
        path.display()
    );
}
