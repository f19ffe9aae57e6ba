//! Bad input gets a correct tree or a clear error: never a panic, a hang, or
//! a silently wrong tree.

use policyc::source::{Encoding, Format, SourceError, SourceFile, decode};

use crate::common::*;

#[test]
fn empty_file_is_an_error_with_help() {
    assert_eq!(decode(b"", Encoding::Utf8), Err(SourceError::Empty));
    assert!(SourceError::Empty.help().contains("write"));
    // The library's string entry point accepts it as an empty document.
    assert!(parse_text("").body.is_empty());
}

#[test]
fn gb18030_is_detected_and_named() {
    let (bytes, _, _) = encoding_rs::GB18030.encode("一、总则\n（一）适用范围。\n");
    let err = decode(&bytes, Encoding::Utf8).unwrap_err();
    assert!(matches!(err, SourceError::Gb18030 { line: 1, .. }), "{err:?}");
    assert!(err.help().contains("iconv") && err.help().contains("--encoding gb18030"));
    // And the option reads it.
    let text = decode(&bytes, Encoding::Gb18030).unwrap();
    assert!(text.starts_with("一、总则"));
}

#[test]
fn binary_data_is_refused() {
    let err = decode(b"PK\x03\x04\x00\x00binary", Encoding::Utf8).unwrap_err();
    assert!(matches!(err, SourceError::Binary { .. }), "{err:?}");
    let err = decode(&[0xff, 0xfe, b'a', 0], Encoding::Utf8).unwrap_err();
    assert_eq!(err, SourceError::Utf16);
}

#[test]
fn huge_single_line_parses() {
    let line = "知识产权服务业高质量发展，".repeat(20 * 1024 * 1024 / 39);
    let source = SourceFile::from_text("big.txt", Format::Text, line);
    let parsed = policyc::parse::parse(&source);
    assert!(parsed.document.body.is_empty());
    assert_eq!(parsed.document.frame.preamble.len(), 1);
}

#[test]
fn no_numbering_is_a_body_of_plain_paragraphs() {
    let doc = parse_text("关于做好某项工作的通知\n\n各单位：\n\n请认真贯彻落实。\n");
    assert!(doc.body.is_empty());
    assert_eq!(doc.meta.title.as_deref(), Some("关于做好某项工作的通知"));
    assert_eq!(doc.frame.preamble.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(), ["请认真贯彻落实。"]);
}

#[test]
fn level_jump_keeps_document_order() {
    // 1. before any 一、: the items stay at the top, in order, and the part
    // that follows gets its own children.
    let doc = parse_text("1.甲。\n2.乙。\n一、总则\n（一）丙。\n");
    assert_eq!(marker_outline(&doc), "1.\n2.\n一、\n  （一）\n");
}

#[test]
fn numbers_inside_sentences_are_never_headings() {
    let doc = parse_text(
        "一、总则\n（2021-2035年）规划纲要已经印发。\n1.5亿元用于支持。\n第三条规定的情形除外。\n(IS056005)标准。\n",
    );
    assert_eq!(marker_outline(&doc), "一、\n");
    assert_eq!(doc.body[0].text.len(), 4);
}

mod issue14 {
    //! Files that are not what a command expects: pipes, devices, links,
    //! oversized and whitespace-only sources, and outputs that are not
    //! regular files. Every command refuses them with a sentence naming the
    //! path given, exit 2, and no hang; nothing is replaced.

    use std::fs;
    use std::os::unix::fs::FileTypeExt;
    use std::path::Path;
    use std::process::Command;

    use crate::common::*;
    use crate::robustness::{Run, TIME_LIMIT, run_policyc};

    fn mkfifo(path: &Path) {
        assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
    }

    fn copy_seed(dir: &Path, name: &str) -> String {
        fs::copy(seed_path("sichuan-ip-work-points-2021"), dir.join(name)).unwrap();
        name.to_owned()
    }

    fn refused(run: &Run, path: &str, kind: &str) {
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.elapsed < TIME_LIMIT);
        let said = format!("cannot read {path}: it is {kind}, not a regular file");
        assert!(run.stderr.contains(&said), "wanted {said:?} in:\n{}", run.stderr);
    }

    #[test]
    fn a_pipe_or_a_device_is_refused_by_every_command_without_waiting() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        mkfifo(&dir.join("pipe.txt"));
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.txt")).unwrap();
        let good = copy_seed(dir, "good.txt");
        for (path, kind) in [("pipe.txt", "a named pipe (FIFO)"), ("zero.txt", "a character device")] {
            for args in [
                vec!["parse", path],
                vec!["check", path],
                vec!["fmt", path],
                vec!["fmt", "--check", path],
                vec!["diff", path, &good],
                vec!["diff", &good, path],
                vec!["owners", path],
            ] {
                refused(&run_policyc(dir, &args, &[]), path, kind);
            }
        }
        refused(&run_policyc(dir, &["parse", "/dev/zero"], &[]), "/dev/zero", "a character device");
        assert!(fs::symlink_metadata(dir.join("pipe.txt")).unwrap().file_type().is_fifo());
    }

    #[test]
    fn a_source_over_the_size_limit_is_refused_and_the_limit_is_configurable() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let name = copy_seed(dir, "big.txt");
        let limit = [("POLICYC_MAX_SOURCE_SIZE", "4K")];
        for args in [vec!["parse", &name], vec!["check", &name], vec!["fmt", &name], vec!["diff", &name, &name]] {
            let run = run_policyc(dir, &args, &limit);
            assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains("big.txt: it is larger than 4096 bytes"), "{}", run.stderr);
            assert!(run.stderr.contains("POLICYC_MAX_SOURCE_SIZE"), "{}", run.stderr);
        }
        let run = run_policyc(dir, &["parse", &name], &[("POLICYC_MAX_SOURCE_SIZE", "1M")]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let run = run_policyc(dir, &["parse", &name], &[("POLICYC_MAX_SOURCE_SIZE", "lots")]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("`lots` is not a size"), "{}", run.stderr);
        // The default: 256 MB, far above any policy. A sparse file just over
        // it costs no disk and is refused before a byte is read.
        let huge = fs::File::create(dir.join("huge.txt")).unwrap();
        huge.set_len(policyc::source::DEFAULT_MAX_SOURCE_SIZE + 1).unwrap();
        let run = run_policyc(dir, &["check", "huge.txt"], &[]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("huge.txt: it is larger than 268435456 bytes"), "{}", run.stderr);
    }

    #[test]
    fn fmt_leaves_a_whitespace_only_file_alone_and_says_why() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let text = " \n\n\t\u{3000}\r\n";
        fs::write(dir.join("blank.txt"), text).unwrap();
        for args in [vec!["fmt", "blank.txt"], vec!["fmt", "--check", "blank.txt"]] {
            let run = run_policyc(dir, &args, &[]);
            assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains("blank.txt has no text to format"), "{}", run.stderr);
            assert_eq!(fs::read_to_string(dir.join("blank.txt")).unwrap(), text);
        }
        // `--stdout` prints it as it is, not nothing.
        let run = run_policyc(dir, &["fmt", "--stdout", "blank.txt"], &[]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(String::from_utf8_lossy(&run.stdout), text);
    }

    #[test]
    fn fmt_formats_a_linked_source_through_the_link() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::create_dir(dir.join("real")).unwrap();
        let text = fs::read_to_string(seed_path("sichuan-ip-work-points-2021")).unwrap();
        let messy = text.replacen("\n2.完善", "\n7.完善", 1);
        assert_ne!(messy, text);
        fs::write(dir.join("real/source.txt"), &messy).unwrap();
        std::os::unix::fs::symlink("real/source.txt", dir.join("link.txt")).unwrap();
        let run = run_policyc(dir, &["fmt", "link.txt"], &[]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(fs::symlink_metadata(dir.join("link.txt")).unwrap().file_type().is_symlink(), "the link stays");
        let formatted = fs::read_to_string(dir.join("real/source.txt")).unwrap();
        assert_ne!(formatted, messy, "the link's target is formatted");
        assert!(formatted.contains("\n2.完善"), "renumbered");
        let temps: Vec<_> = fs::read_dir(dir.join("real")).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(temps.len(), 1, "{temps:?}");
    }

    #[test]
    fn diff_output_goes_through_links_and_never_replaces_a_special_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let old = copy_seed(dir, "old.txt");
        let new = "new.txt";
        let text = fs::read_to_string(seed_path("sichuan-ip-work-points-2021")).unwrap();
        fs::write(dir.join(new), text.replacen("知识产权", "知识產权", 1)).unwrap();
        // A FIFO: refused at once (writing would wait for a reader), kept.
        mkfifo(&dir.join("report.fifo"));
        let run = run_policyc(dir, &["diff", &old, new, "-o", "report.fifo"], &[]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("cannot write report.fifo: it is a named pipe (FIFO)"), "{}", run.stderr);
        assert!(fs::symlink_metadata(dir.join("report.fifo")).unwrap().file_type().is_fifo());
        // A character device: refused, and still a device afterwards.
        let run = run_policyc(dir, &["diff", &old, new, "-o", "/dev/null"], &[]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("cannot write /dev/null: it is a character device"), "{}", run.stderr);
        assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        // A symbolic link: the report goes to its target; the link stays.
        fs::write(dir.join("target.html"), "old report").unwrap();
        std::os::unix::fs::symlink("target.html", dir.join("report.html")).unwrap();
        let run = run_policyc(dir, &["diff", "-f", "html", &old, new, "-o", "report.html"], &[]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(fs::symlink_metadata(dir.join("report.html")).unwrap().file_type().is_symlink());
        let report = fs::read_to_string(dir.join("target.html")).unwrap();
        assert!(report.contains("<table") && report.contains("產"), "{report}");
        // `-o -` is standard output.
        let run = run_policyc(dir, &["diff", &old, new, "-o", "-"], &[]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(String::from_utf8_lossy(&run.stdout).contains("產"));
        assert!(!dir.join("-").exists());
    }

    #[test]
    fn every_command_says_in_a_sentence_that_it_cannot_read_and_exits_2() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let good = copy_seed(dir, "good.txt");
        for args in [
            vec!["parse", "missing.txt"],
            vec!["check", "missing.txt"],
            vec!["fmt", "missing.txt"],
            vec!["diff", "missing.txt", &good],
            vec!["owners", "missing.txt"],
        ] {
            let run = run_policyc(dir, &args, &[]);
            assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
            assert!(
                run.stderr.contains("error: cannot read missing.txt: there is no such file or directory"),
                "{args:?}: {}",
                run.stderr
            );
            assert!(!run.stderr.contains("Os {") && !run.stderr.contains("os error"), "{args:?}: {}", run.stderr);
        }
        // `check` counts what it could read, and says what it could not.
        let run = run_policyc(dir, &["check", &good, "missing.txt"], &[]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("checked 1 file:") && run.stderr.contains("1 could not be read"), "{}", run.stderr);
    }

    /// The temp-file names a `kill -9`ed writer (a process that has ended)
    /// would leave for `name`.
    fn stale_temp_of(name: &str) -> String {
        let mut gone = Command::new("true").spawn().unwrap();
        let dead = gone.id();
        gone.wait().unwrap();
        format!(".{name}.{dead}.3.tmp")
    }

    #[test]
    fn fmt_and_diff_sweep_stale_temp_files_where_they_write() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        // A source fmt rewrites (a space before a line break), and a report
        // directory for diff -o.
        let good = copy_seed(dir, "good.txt");
        let text = fs::read_to_string(dir.join(&good)).unwrap().replacen('\n', "  \n", 1);
        fs::write(dir.join("loose.txt"), text).unwrap();
        fs::create_dir(dir.join("reports")).unwrap();
        let stale = [stale_temp_of("loose.txt"), format!("reports/{}", stale_temp_of("r.html"))];
        let kept = [".notes.tmp".to_owned(), format!(".loose.txt.{}.0.tmp", std::process::id())];
        for name in stale.iter().chain(&kept) {
            fs::write(dir.join(name), "x").unwrap();
        }
        let run = run_policyc(dir, &["fmt", "loose.txt"], &[]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let run = run_policyc(dir, &["diff", &good, "loose.txt", "-o", "reports/r.html"], &[]);
        assert!(run.code.is_some_and(|c| c <= 1), "{}", run.stderr);
        assert!(dir.join("reports/r.html").exists());
        for name in &stale {
            assert!(!dir.join(name).exists(), "{name} stays");
        }
        for name in &kept {
            assert!(dir.join(name).exists(), "{name} was removed");
        }
    }
}
