//! `policyc check`: every rule's fixtures, the clean corpus, the seeds'
//! reports, the rendered output (human and JSON), configuration, and the
//! command's exit codes.
//!
//! A rule's fixtures live in `tests/fixtures/check/<CODE>-<name>/`:
//! `trigger.txt` must give at least one diagnostic of the rule, `clean.txt`
//! none at all. The human output of every trigger is a snapshot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use policyc::diag::registry;
use policyc::diag::{self, Severity};
use policyc::source::{Format, SourceFile};
use policyc::validate::{self, Config};

use crate::common::{self, SEEDS};

/// Codes without fixtures, and why.
const NO_FIXTURE: [&str; 4] = [
    "S002", // reached only by input built to exhaust pest's call limit
    "X003", // emitted by `policyc fmt` while renumbering: tested in the fmt suite
    "F008", // compares a web page's info table with the text: tested in the pages suite
    "F009", // compares a Word document's 标题 property with the text: tested in the docx suite
];

fn fixture_dir(rule: &registry::Rule) -> PathBuf {
    common::fixture(&format!("check/{}-{}", rule.code, rule.name))
}

/// Load a fixture under a path relative to the repository, so snapshots do
/// not depend on where the checkout is.
fn load_relative(path: &Path) -> SourceFile {
    let full = common::load(path);
    let relative = path.strip_prefix(common::root()).unwrap_or(path).to_owned();
    SourceFile::from_text(relative, full.format, full.text)
}

fn check_file(path: &Path) -> (SourceFile, Vec<diag::Diagnostic>) {
    let source = load_relative(path);
    let checked = validate::run(&source, &Config::default());
    (source, checked.diagnostics)
}

fn human(path: &Path) -> String {
    let (source, diagnostics) = check_file(path);
    diag::human::render(&diagnostics, &source, false)
}

#[test]
fn registry_codes_and_names_are_unique_and_documented() {
    let mut codes: Vec<_> = registry::ALL.iter().map(|r| r.code).collect();
    let mut names: Vec<_> = registry::ALL.iter().map(|r| r.name).collect();
    codes.sort_unstable();
    codes.dedup();
    names.sort_unstable();
    names.dedup();
    assert_eq!(codes.len(), registry::ALL.len(), "duplicate code");
    assert_eq!(names.len(), registry::ALL.len(), "duplicate name");
    for rule in registry::ALL {
        assert!(
            rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !rule.name.starts_with('-'),
            "{} is not kebab-case",
            rule.name
        );
        assert!(rule.doc.starts_with("## What it does\n"), "{}: explain text", rule.code);
        assert!(rule.doc.contains("## Why is this bad\n"), "{}: explain text", rule.code);
    }
    // The parser's codes are known too.
    for code in ["S002", "S101", "D001", "F001", "F002", "F003"] {
        assert!(registry::find(code).is_some(), "{code} is not registered");
    }
}

#[test]
fn every_rule_has_a_trigger_and_a_clean_fixture() {
    for rule in registry::ALL.iter().filter(|r| !NO_FIXTURE.contains(&r.code)) {
        let dir = fixture_dir(rule);
        for name in ["trigger.txt", "clean.txt"] {
            assert!(dir.join(name).is_file(), "missing {}", dir.join(name).display());
        }
    }
}

#[test]
fn triggers_trigger_and_clean_fixtures_are_silent() {
    for rule in registry::ALL.iter().filter(|r| !NO_FIXTURE.contains(&r.code)) {
        let dir = fixture_dir(rule);
        let (_, found) = check_file(&dir.join("trigger.txt"));
        assert!(
            found.iter().any(|d| d.code == rule.code),
            "{}: trigger.txt gives no {}: {found:#?}",
            rule.name,
            rule.code
        );
        let (_, found) = check_file(&dir.join("clean.txt"));
        assert!(found.is_empty(), "{}: clean.txt is not clean: {found:#?}", rule.name);
    }
}

#[test]
fn fixture_directories_name_registered_rules() {
    for entry in std::fs::read_dir(common::fixture("check")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "clean" {
            continue;
        }
        let (code, rule_name) = name.split_once('-').unwrap_or((&name, ""));
        let rule = registry::find(code).unwrap_or_else(|| panic!("{name}: no rule {code}"));
        assert_eq!(rule.name, rule_name, "{name}: the directory's name is not the rule's");
    }
}

#[test]
fn clean_corpus_has_no_diagnostics() {
    let dir = common::fixture("check/clean");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let (_, found) = check_file(&path);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
        seen += 1;
    }
    assert!(seen >= 2);
}

#[test]
fn trigger_reports() {
    insta::glob!("../fixtures/check", "*/trigger.txt", |path| {
        insta::assert_snapshot!(human(path));
    });
}

#[test]
fn json_report() {
    let path = common::fixture("check/T002-stray-space/trigger.txt");
    let (source, diagnostics) = check_file(&path);
    let json = diag::json::render(&diagnostics, &source);
    for line in json.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["file", "line", "column", "end_line", "end_column", "code", "name", "severity", "message", "help"] {
            assert!(value.get(key).is_some(), "{key} missing in {line}");
        }
    }
    insta::assert_snapshot!(json);
}

#[test]
fn json_columns_count_characters() {
    let path = common::fixture("check/T005-missing-terminal-punctuation/trigger.txt");
    let (source, diagnostics) = check_file(&path);
    let json = diag::json::render(&diagnostics, &source);
    let last: serde_json::Value = serde_json::from_str(json.lines().last().unwrap()).unwrap();
    // `（四）优化服务。完善服务体系`: 系 is the 14th character of line 10.
    assert_eq!(
        (last["line"].as_u64(), last["column"].as_u64(), last["end_column"].as_u64()),
        (Some(10), Some(14), Some(15))
    );
    assert_eq!(last["replacements"][0]["text"], "。");
}

#[test]
fn seed_reports() {
    for slug in SEEDS {
        let report = human(&common::seed_path(slug));
        insta::assert_snapshot!(format!("seed-{slug}"), report);
    }
}

#[test]
fn seeds_have_no_errors_and_their_known_defects_are_found() {
    let found = |slug: &str| check_file(&common::seed_path(slug)).1;
    for slug in SEEDS {
        let errors: Vec<_> = found(slug).into_iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{slug}: {errors:#?}");
    }
    let at = |slug: &str, code: &str| -> Vec<(u32, u32)> {
        found(slug).iter().filter(|d| d.code == code).map(|d| (d.span.line, d.span.column)).collect()
    };
    // 000: （二） ends without 。 (its last character, 局, is column 262).
    assert!(at("sichuan-ip-service-measures-2023", "T005").contains(&(19, 262)));
    // 000: stray spaces, the first in the addressees after 、.
    assert_eq!(at("sichuan-ip-service-measures-2023", "T002"), [(11, 19)]);
    // 001: item 38 says a clause twice.
    assert_eq!(at("sichuan-ip-work-points-2021", "T004"), [(77, 54)]);
    // Half-width punctuation: once per document.
    for slug in [
        "sichuan-ip-service-measures-2023",
        "sichuan-ip-work-points-2021",
        "liaoning-ip-three-year-plan-2023",
        "guangzhou-ip-service-plan-2016",
    ] {
        assert_eq!(at(slug, "T001").len(), 1, "{slug}");
    }
    // 002 is typed with full-width punctuation throughout.
    assert!(at("chongqing-ip-service-measures-draft", "T001").is_empty());
    // 002: Word residue in front of the first （一）.
    assert_eq!(at("chongqing-ip-service-measures-draft", "D001"), [(9, 1)]);
}

#[test]
fn project_configuration_sets_levels_and_marker_style() {
    let text = std::fs::read_to_string(common::fixture("check/N007-marker-nonstandard/trigger.txt")).unwrap();
    let source = SourceFile::from_text("doc.txt", Format::Text, text);
    let default = validate::run(&source, &Config::default());
    assert!(default.diagnostics.iter().any(|d| d.code == "N007" && d.severity == Severity::Warning));

    let config = Config::from_toml(Path::new("policyc.toml"), "[markers]\nitem = \"1、\"\n").unwrap();
    let checked = validate::run(&source, &config);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);

    let config = Config::from_toml(Path::new("policyc.toml"), "[rules]\nmarker-nonstandard = \"error\"\n").unwrap();
    let checked = validate::run(&source, &config);
    assert!(checked.diagnostics.iter().any(|d| d.code == "N007" && d.severity == Severity::Error));

    let config = Config::from_toml(Path::new("policyc.toml"), "[rules]\nN007 = \"allow\"\n").unwrap();
    assert!(validate::run(&source, &config).diagnostics.is_empty());
}

#[test]
fn parse_codes_can_be_configured() {
    let text = std::fs::read_to_string(common::fixture("check/D001-debris/trigger.txt")).unwrap();
    let source = SourceFile::from_text("doc.txt", Format::Text, text);
    let config = Config::from_toml(Path::new("policyc.toml"), "[rules]\ndebris = \"allow\"\n").unwrap();
    assert!(validate::run(&source, &config).diagnostics.is_empty());
}

#[test]
fn front_matter_overrides_the_project_and_is_not_document_text() {
    let body = std::fs::read_to_string(common::fixture("check/T002-stray-space/trigger.txt")).unwrap();
    let front = "+++\n[rules]\nstray-space = \"error\"\n+++\n";
    let with = SourceFile::from_text("doc.txt", Format::Text, format!("{front}{body}"));
    let checked = validate::run(&with, &Config::default());
    let stray: Vec<_> = checked.diagnostics.iter().filter(|d| d.code == "T002").collect();
    assert_eq!(stray.len(), 1);
    assert_eq!(stray[0].severity, Severity::Error);
    // The block's four lines are blank to the parser: the same tree, four lines down.
    let without = policyc::parse::parse_str(&body).document;
    assert_eq!(common::outline(&checked.document), common::outline(&without));
    assert_eq!(checked.document.meta, without.meta);
    assert_eq!(checked.document.body[0].span.line, without.body[0].span.line + 4);
    // Also in Markdown.
    let md = SourceFile::from_text("doc.md", Format::Markdown, format!("{front}{body}"));
    assert_eq!(common::outline(&policyc::parse::parse(&md).document), common::outline(&without));
}

#[test]
fn invalid_front_matter_says_where() {
    let path = common::fixture("check/C001-invalid-front-matter/trigger.txt");
    let (_, found) = check_file(&path);
    let c001: Vec<_> = found.iter().filter(|d| d.code == "C001").collect();
    assert_eq!((c001[0].span.line, c001[0].span.column), (3, 15));
}

// ------------------------------------------------------------- the command

fn policyc(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policyc")).args(args).current_dir(dir).output().unwrap()
}

fn fixture_arg(rel: &str) -> String {
    common::fixture(rel).display().to_string()
}

#[test]
fn exit_codes() {
    let root = common::root();
    let code = |args: &[&str]| policyc(args, &root).status.code();
    assert_eq!(code(&["check", &fixture_arg("check/clean")]), Some(0));
    // Warnings only: success, unless warnings are denied.
    let warning = fixture_arg("check/T002-stray-space/trigger.txt");
    assert_eq!(code(&["check", &warning]), Some(0));
    assert_eq!(code(&["check", "--deny", "warnings", &warning]), Some(1));
    assert_eq!(code(&["check", &fixture_arg("check/N001-numbering-gap/trigger.txt")]), Some(1));
    assert_eq!(code(&["check", "no/such/file.txt"]), Some(2));
    assert_eq!(code(&["check", "--format", "xml", &warning]), Some(2));
    assert_eq!(code(&["explain", "N001"]), Some(0));
    assert_eq!(code(&["explain", "N999"]), Some(2));
}

#[test]
fn piped_output_has_no_colour_and_json_is_one_object_per_line() {
    let root = common::root();
    let out = policyc(&["check", &fixture_arg("check/T002-stray-space/trigger.txt")], &root);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("warning[T002]"));
    assert!(!stdout.contains('\u{1b}'), "colour when piped");
    let out = policyc(&["check", "--format", "json", &fixture_arg("check/T002-stray-space/trigger.txt")], &root);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(serde_json::from_str::<serde_json::Value>(stdout.trim()).is_ok());
}

#[test]
fn colour_is_there_when_asked_for() {
    let path = common::fixture("check/T002-stray-space/trigger.txt");
    let (source, diagnostics) = check_file(&path);
    assert!(diag::human::render(&diagnostics, &source, true).contains('\u{1b}'));
}

#[test]
fn explain_prints_the_rule() {
    let out = policyc(&["explain", "numbering-gap"], &common::root());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("N001 (numbering-gap), default level: error\n"));
    assert!(stdout.contains(registry::find("N001").unwrap().doc));
    let out = policyc(&["explain"], &common::root());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), registry::ALL.len());
}

#[test]
fn bad_input_and_bad_configuration_are_trouble_with_a_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("binary.txt"), b"\x00\x01\x02PK\x03\x04").unwrap();
    let out = policyc(&["check", "binary.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary.txt:1:1"));

    std::fs::write(dir.path().join("doc.txt"), "一、总则\n").unwrap();
    std::fs::write(dir.path().join("policyc.toml"), "[rules]\nnumbering-gap = \"loud\"\n").unwrap();
    let out = policyc(&["check", "doc.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("policyc.toml:2:17"), "{stderr}");
    assert!(stderr.contains("help:"), "{stderr}");
}

#[test]
fn build_refuses_errors_unless_configured_or_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::copy(common::fixture("check/N001-numbering-gap/trigger.txt"), policies.join("gap.txt")).unwrap();
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "-q", "-o"];
        let out = dir.path().join("output");
        let out = out.to_str().unwrap().to_owned();
        args.push(&out);
        args.extend_from_slice(extra);
        policyc(&args, dir.path()).status.code()
    };
    assert_eq!(build(&[]), Some(1));
    assert!(!dir.path().join("output/gap.html").exists());
    assert_eq!(build(&["--allow-errors"]), Some(0));
    assert!(dir.path().join("output/gap.html").exists());
    std::fs::remove_dir_all(dir.path().join("output")).unwrap();
    std::fs::write(dir.path().join("policyc.toml"), "[rules]\nnumbering-gap = \"warning\"\n").unwrap();
    assert_eq!(build(&[]), Some(0));
}

proptest::proptest! {
    #![proptest_config(common::proptest_config(256))]

    /// Whatever the text, checking it gives diagnostics, never a panic, and
    /// every span lies inside the text on character boundaries.
    #[test]
    fn checking_never_panics(text in "(一、|（三）|(二)|1\\.|1、|第二条|第一章|本条例第四十条|本条第零款|本措施第（二十）项|二 |“|”|《|》|（|）|\\[牵头单位:|,|。|，| |　|\n|知识产权|保护|\\+\\+\\+\n|[0-9]){0,40}") {
        let source = SourceFile::from_text("doc.txt", Format::Text, text.clone());
        let checked = validate::run(&source, &Config::default());
        // The parser's own spans are its tests' business (an F003 after a
        // rejoined line can point into the wrong character: reported).
        let parse_codes = ["S002", "S101", "D001", "F001", "F002", "F003"];
        for d in checked.diagnostics.iter().filter(|d| !parse_codes.contains(&d.code)) {
            proptest::prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len());
            proptest::prop_assert!(
                text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
                "{} {:?}",
                d.code,
                d.span
            );
            for edit in d.fix.iter().flat_map(|f| &f.edits) {
                proptest::prop_assert!(text.is_char_boundary(edit.span.start) && text.is_char_boundary(edit.span.end));
            }
        }
        let _ = diag::human::render(&checked.diagnostics, &source, false);
    }
}

#[test]
fn nonstandard_variants_are_named_with_their_standard_form() {
    let cases = [
        ("一.总体要求\n二.重点任务\n", "`一.`", "`一、`"),
        ("一，总体要求\n二，重点任务\n", "`一，`", "`一、`"),
        ("（一）、总体要求。\n（二）、重点任务。\n", "`（一）、`", "`（一）`"),
        ("1．开展培训。\n2．加强宣传。\n", "`1．`", "`1.`"),
        ("１.开展培训。\n２.加强宣传。\n", "`１.`", "`1.`"),
        ("(1)开展培训。\n(2)加强宣传。\n", "`(1)`", "`（1）`"),
    ];
    for (text, written, standard) in cases {
        let source = SourceFile::from_text("doc.txt", Format::Text, text);
        let found = validate::run(&source, &Config::default()).diagnostics;
        let n007: Vec<_> = found.iter().filter(|d| d.code == "N007").collect();
        assert_eq!(n007.len(), 1, "{text}: {found:#?}");
        assert!(n007[0].message.contains(written) && n007[0].message.contains(standard), "{}", n007[0].message);
        assert_eq!(n007[0].fix.as_ref().map(|f| f.edits.len()), Some(2), "{text}");
    }
}

#[test]
fn doc_number_format_without_a_notice() {
    let body = "\n关于加强知识产权保护的若干措施\n\n一、总体要求\n（一）指导思想。坚持保护创新。\n";
    for (number, problem) in [("川知发〔2024〕05号", "leading zeros"), ("川知发〔2024〕5", "does not end with 号")]
    {
        let source = SourceFile::from_text("doc.txt", Format::Text, format!("{number}\n{body}"));
        let found = validate::run(&source, &Config::default()).diagnostics;
        let f004: Vec<_> = found.iter().filter(|d| d.code == "F004").collect();
        assert_eq!(f004.len(), 1, "{number}: {found:#?}");
        assert!(f004[0].message.contains(problem), "{}", f004[0].message);
        assert_eq!(f004[0].span.line, 1);
    }
}

// ------------------------------------------------- long lines and line ends

/// Issue 14: a caret far into a long paragraph is shown in a window of the
/// line, as rustc does, not under the whole line.
#[test]
fn long_lines_are_shown_in_a_window_around_the_span() {
    let line = format!("（一）{}引导知识产权服务业合理布局", "探索知识产权联合服务机制，".repeat(20));
    let text = format!("一、总体要求\n{line}\n");
    let source = SourceFile::from_text("doc.txt", Format::Text, text);
    let found = validate::run(&source, &Config::default()).diagnostics;
    let t005 = found.iter().find(|d| d.code == "T005").expect("T005");
    let column = line.chars().count() as u32;
    assert_eq!((t005.span.line, t005.span.column), (2, column));
    let human = diag::human::render(std::slice::from_ref(t005), &source, false);
    assert!(human.contains(&format!("doc.txt:2:{column}")), "{human}");
    assert!(human.contains("2 │ ...") && human.contains("合理布局\n"), "{human}");
    use unicode_width::UnicodeWidthStr;
    for shown in human.lines() {
        assert!(shown.width() <= 120, "a line of {} columns: {shown}", shown.width());
    }
    // The caret is under 局, the last character shown.
    let lines: Vec<&str> = human.lines().collect();
    let k = lines.iter().position(|l| l.starts_with("2 │")).unwrap();
    let caret = lines[k + 1].find('^').unwrap();
    let under = lines[k].width() - "局".width();
    assert_eq!(lines[k + 1][..caret].width(), under, "{human}");
}

/// Issue 14: lone CR line endings are line breaks for positions.
#[test]
fn lone_cr_line_endings_give_each_line_its_number() {
    let text = "一、总体要求\r（一）加强保护\r（三）完善服务。\r";
    let source = SourceFile::from_text("doc.txt", Format::Text, text);
    let found = validate::run(&source, &Config::default()).diagnostics;
    assert!(!found.is_empty());
    let gap = found.iter().find(|d| d.code == "N001").expect("N001");
    assert_eq!((gap.span.line, gap.span.column), (3, 1), "{found:#?}");
    let human = diag::human::render(std::slice::from_ref(gap), &source, false);
    assert!(human.contains("doc.txt:3:1") && human.contains("3 │ （三）完善服务。\n"), "{human}");
}

// ------------------------------------------------ one defect, one diagnostic

/// Issue 13: `300万元.` at a line end is a full stop in the wrong width:
/// one diagnostic (half-width-punctuation), whose fix replaces the `.`;
/// not also a missing ending whose fix would give `300万元.。`.
#[test]
fn a_half_width_full_stop_is_one_diagnostic_with_the_right_fix() {
    let text = "一、总体要求\n（一）资金支持。安排资金300万元.\n（二）加强保护。完善服务体系!\n";
    let source = SourceFile::from_text("doc.txt", Format::Text, text);
    let found = validate::run(&source, &Config::default()).diagnostics;
    assert_eq!(found.iter().map(|d| d.code).collect::<Vec<_>>(), ["T001"], "{found:#?}");
    let fixed = diag::fix::apply(text, &found).expect("a fix");
    assert_eq!(fixed.text, "一、总体要求\n（一）资金支持。安排资金300万元。\n（二）加强保护。完善服务体系！\n");
    // Not a full stop: numbers, addresses, an ellipsis typed as dots.
    for text in ["一、总体要求\n（一）增长1.5个百分点。\n", "一、总体要求\n（一）见www.gov.cn网站。\n"]
    {
        let source = SourceFile::from_text("doc.txt", Format::Text, text);
        let found = validate::run(&source, &Config::default()).diagnostics;
        assert!(found.is_empty(), "{text}: {found:#?}");
    }
}

/// Issue 13: the JSON records carry the secondary places ("first here").
#[test]
fn json_records_carry_secondary_places() {
    let path = common::fixture("check/T004-repeated-sentence/trigger.txt");
    let (source, diagnostics) = check_file(&path);
    let json = diag::json::render(&diagnostics, &source);
    let t004: serde_json::Value = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["code"] == "T004")
        .unwrap();
    // `开展专项行动，开展专项行动。`: the second is reported, the first is the related place.
    assert_eq!((t004["line"].as_u64(), t004["column"].as_u64()), (Some(9), Some(16)));
    let related = &t004["related"][0];
    assert_eq!(related["message"], "first here");
    assert_eq!(
        (related["line"].as_u64(), related["column"].as_u64(), related["end_column"].as_u64()),
        (Some(9), Some(9), Some(16))
    );
}

fn policyc_with_stdin(args: &[&str], dir: &Path, stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails early may close its input before reading it
    // all; its output and status tell, not the pipe.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// Issue 13: `-` reads standard input for `check`, `parse` and `fmt --stdout`.
#[test]
fn dash_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let gap = std::fs::read_to_string(common::fixture("check/N001-numbering-gap/trigger.txt")).unwrap();
    let out = policyc_with_stdin(&["check", "-"], dir.path(), &gap);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[N001]") && stdout.contains("<stdin>:"), "{stdout}");
    let out = policyc_with_stdin(&["check", "--format", "json", "-"], dir.path(), &gap);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"file\":\"<stdin>\""));
    let out = policyc_with_stdin(&["parse", "-", "--to", "md"], dir.path(), "一、总体要求\n（一）加强保护。\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("## 一、总体要求"));
    let out =
        policyc_with_stdin(&["fmt", "--stdout", "-"], dir.path(), "一、总体要求\n（一）加强保护。\n（三）完善服务。\n");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "一、总体要求\n（一）加强保护。\n（二）完善服务。\n");
    // Standard input cannot be rewritten.
    assert_eq!(policyc_with_stdin(&["fmt", "-"], dir.path(), "一、总则\n").status.code(), Some(2));
    assert_eq!(policyc_with_stdin(&["check", "--fix", "-"], dir.path(), "一、总则\n").status.code(), Some(2));
    assert_eq!(policyc_with_stdin(&["check", "-"], dir.path(), "").status.code(), Some(2));
}

/// Issue 13: `check --fix` applies the safe fixes, writes the file, and
/// reports what is left (an unsafe fix is shown, not applied).
#[test]
fn check_fix_applies_safe_fixes_and_checks_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.txt");
    std::fs::write(&file, "一、总体要求\n（一）加强保护,完善服务.\n（二）优化布局。推进建设\n").unwrap();
    let out = policyc(&["check", "--fix", "doc.txt"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "一、总体要求\n（一）加强保护，完善服务。\n（二）优化布局。推进建设\n"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("T001") && stdout.contains("warning[T005]"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 fix applied"));
    // Nothing left to fix: the file is not written again.
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    let out = policyc(&["check", "--fix", "doc.txt"], dir.path());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("applied"));
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), before);
}

proptest::proptest! {
    #![proptest_config(common::proptest_config(256))]

    /// Applying the safe fixes never removes or changes a Chinese
    /// character, and changes nothing outside the edits it applied.
    #[test]
    fn safe_fixes_keep_every_chinese_character(text in "(一、|（三）|(二)|1\\.|1、|第二条|“|”|《|》|（|）|,|\\.|:|;|!|\\?|。|，| |　|\n|\r|知识产权|保护|的|[0-9]|〔2021〕|\\[2021\\]){0,40}") {
        let source = SourceFile::from_text("doc.txt", Format::Text, text.clone());
        let found = validate::run(&source, &Config::default()).diagnostics;
        if let Some(fixed) = diag::fix::apply(&text, &found) {
            let chinese = |s: &str| s.chars().filter(|&c| policyc::text::is_ideograph(c)).collect::<String>();
            proptest::prop_assert_eq!(chinese(&fixed.text), chinese(&text));
            let mut rebuilt = String::new();
            let mut at = 0;
            for edit in &fixed.edits {
                proptest::prop_assert!(edit.span.start >= at);
                rebuilt.push_str(&text[at..edit.span.start]);
                rebuilt.push_str(&edit.replacement);
                at = edit.span.end;
            }
            rebuilt.push_str(&text[at..]);
            proptest::prop_assert_eq!(rebuilt, fixed.text);
        }
    }
}

/// Issue 13: a half-width `"` in Chinese text is half-width punctuation,
/// and closes the “ it follows (not an unclosed “).
#[test]
fn a_half_width_quote_is_half_width_punctuation_and_pairs() {
    let text = "一、总体要求\n（一）深化“放管服\"改革。\n（二）推进\"互联网+\"服务。\n";
    let source = SourceFile::from_text("doc.txt", Format::Text, text);
    let found = validate::run(&source, &Config::default()).diagnostics;
    assert_eq!(found.iter().map(|d| d.code).collect::<Vec<_>>(), ["T001"], "{found:#?}");
    assert!(found[0].message.contains("`\"` 3"), "{}", found[0].message);
    let fixed = diag::fix::apply(text, &found).expect("a fix");
    assert_eq!(fixed.text, "一、总体要求\n（一）深化“放管服”改革。\n（二）推进“互联网+”服务。\n");
    // Quotes around ASCII text are not Chinese text.
    let source = SourceFile::from_text("doc.txt", Format::Text, "一、总体要求\n（一）见 \"ABC\" 一文。\n");
    assert!(validate::run(&source, &Config::default()).diagnostics.iter().all(|d| d.code != "T001"));
}

/// Issue 14: one sentence repeated thousands of times on one line is one
/// finding, counted, and its report does not reprint the line per repeat.
#[test]
fn repeats_on_one_line_are_one_finding() {
    let text = format!("一、{}\n", "知识产权服务业发展。".repeat(3000));
    let source = SourceFile::from_text("r.txt", Format::Text, text);
    let found = validate::run(&source, &Config::default()).diagnostics;
    assert_eq!(found.len(), 1, "{:#?}", &found[..found.len().min(3)]);
    assert!(found[0].message.contains("2999 times"), "{}", found[0].message);
    assert_eq!(found[0].fix.as_ref().map(|f| f.edits.len()), Some(2998));
    assert!(diag::human::render(&found, &source, false).len() < 2000);
}
