//! Word documents: `.docx` sources read as Word shows them (automatic
//! numbering, tracked changes, tables, fields) from the fixtures
//! `tests/docx/make_fixtures.py` writes with python-docx; the `.docx`
//! edition; and Word input that is not a Word document.

use std::fs;
use std::io::Write;

use policyc::source::docx::Changes;
use policyc::source::{Encoding, SourceFile};

use crate::common::*;
use crate::robustness::run_policyc;

const FIXTURES: [&str; 4] = ["numbering-chinese", "restarting-lists", "tracked-changes", "table-and-fields"];

fn docx(name: &str) -> std::path::PathBuf {
    fixture(&format!("docx/{name}.docx"))
}

fn read(name: &str, changes: Changes) -> SourceFile {
    SourceFile::read_with(&docx(name), Encoding::Utf8, changes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_fixture_reads_as_word_shows_it() {
    for name in FIXTURES {
        let want = fs::read_to_string(fixture(&format!("docx/{name}.expected"))).unwrap();
        assert_same_text(&read(name, Changes::Accept).text, &want, name);
        let rejected = fixture(&format!("docx/{name}.rejected"));
        if rejected.exists() {
            let want = fs::read_to_string(rejected).unwrap();
            assert_same_text(&read(name, Changes::Reject).text, &want, &format!("{name}, changes rejected"));
        }
    }
}

#[test]
fn every_fixture_has_its_outline() {
    for name in FIXTURES {
        let parsed = policyc::parse::parse(&read(name, Changes::Accept));
        insta::assert_snapshot!(format!("outline-{name}"), outline(&parsed.document));
    }
}

#[test]
fn diagnostics_point_at_the_paragraph() {
    let source = read("restarting-lists", Changes::Accept);
    let checked = policyc::validate::run(&source, &policyc::validate::Config::default());
    let human = policyc::diag::human::render(&checked.diagnostics, &source, false);
    // `2.指标乙。` is the sixth paragraph of the document.
    assert!(human.contains("restarting-lists.docx:¶6:1\n"), "{human}");
    let json = policyc::diag::json::render(&checked.diagnostics, &source);
    assert!(json.contains(r#""origin":"¶6:1""#), "{json}");
}

#[test]
fn import_writes_the_text_source_and_diff_shows_the_tracked_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::copy(docx("tracked-changes"), dir.join("draft.docx")).unwrap();
    let run = run_policyc(dir, &["import", "draft.docx", "-o", "draft.txt"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let want = fs::read_to_string(fixture("docx/tracked-changes.expected")).unwrap();
    assert_eq!(fs::read_to_string(dir.join("draft.txt")).unwrap(), want);
    let run = run_policyc(dir, &["import", "--changes", "reject", "draft.docx"], &[]);
    let want = fs::read_to_string(fixture("docx/tracked-changes.rejected")).unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), want);

    let run = run_policyc(dir, &["diff", "draft.docx", "--color", "never"], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(report.contains("到202[-4-]{+5+}年"), "{report}");
    assert!(report.contains("[-取消的任务。-]"), "{report}");

    // fmt and check --fix never write text into a Word document.
    let before = fs::read(dir.join("draft.docx")).unwrap();
    for args in [vec!["fmt", "draft.docx"], vec!["check", "--fix", "draft.docx"]] {
        let run = run_policyc(dir, &args, &[]);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("policyc import draft.docx"), "{}", run.stderr);
    }
    assert_eq!(fs::read(dir.join("draft.docx")).unwrap(), before);
}

#[test]
fn a_gbk_named_document_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    // 通知.docx with its name in GBK, as an archive made on Windows leaves it.
    let (name, _, _) = encoding_rs::GBK.encode("通知.docx");
    let path = tmp.path().join(std::ffi::OsStr::from_bytes(&name));
    fs::copy(docx("numbering-chinese"), &path).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(["parse", "--to", "md"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("十一、"));
}

/// A zip holding `parts`, each stored deflated.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn word_input_that_is_not_a_word_document_gets_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut doc = vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    doc.extend([0u8; 504]);
    fs::write(dir.join("old.doc"), &doc).unwrap();
    fs::write(dir.join("renamed.docx"), &doc).unwrap();
    fs::write(dir.join("corrupt.docx"), b"PK\x03\x04 this is not a zip archive").unwrap();
    fs::write(dir.join("no-document.docx"), package(&[("word/styles.xml", b"<w:styles/>")])).unwrap();
    fs::write(dir.join("bad-xml.docx"), package(&[("word/document.xml", b"<w:document><w:body></w:p>")])).unwrap();
    // Ten megabytes of zeros deflate to a few kilobytes.
    let zeros = vec![b' '; 10 << 20];
    fs::write(dir.join("bomb.docx"), package(&[("word/document.xml", &zeros)])).unwrap();
    assert!(fs::metadata(dir.join("bomb.docx")).unwrap().len() < 100_000);
    let cases = [
        ("old.doc", "Word 97–2003 document (.doc)", "save it as .docx"),
        ("renamed.docx", "Word 97–2003 document (.doc)", "save it as .docx"),
        ("corrupt.docx", "not a .docx package", "save it again as .docx"),
        ("no-document.docx", "no word/document.xml", "save it again as .docx"),
        ("bad-xml.docx", "word/document.xml is not well-formed XML", "save it again as .docx"),
        ("bomb.docx", "word/document.xml unpacks to more than 1048576 bytes", "POLICYC_MAX_SOURCE_SIZE"),
    ];
    for (file, what, help) in cases {
        for args in [vec!["parse", file], vec!["check", file], vec!["import", file], vec!["diff", file]] {
            let run = run_policyc(dir, &args, &[("POLICYC_MAX_SOURCE_SIZE", "1M")]);
            assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains(file), "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains(what), "{args:?}: wanted {what:?} in {}", run.stderr);
            assert!(run.stderr.contains(help), "{args:?}: wanted {help:?} in {}", run.stderr);
            assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        }
    }
}

#[test]
fn build_takes_word_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("policies")).unwrap();
    fs::copy(docx("numbering-chinese"), dir.join("policies/measures.docx")).unwrap();
    let run = run_policyc(dir, &["build", "policies", "-o", "site", "--quiet"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let markdown = fs::read_to_string(dir.join("site/measures.md")).unwrap();
    assert!(markdown.contains("十一、"), "{markdown}");
}
