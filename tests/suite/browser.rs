//! The built site in a real browser: `tests/browser/setup.sh` installs
//! Debian's chromium, the Noto CJK fonts, poppler-utils and playwright-core
//! when they are missing, then `tests/browser/check.mjs` checks every page
//! (console errors, table-of-contents links, font families, A4 print with
//! page numbers, index sort and filter, no-script reading) and leaves
//! screenshots in `target/browser-screenshots/`. A browser that cannot be set
//! up fails this test; it is never skipped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use crate::common::*;

/// The two seeds whose screen and print screenshots are kept.
const SCREENSHOTS: [&str; 2] = ["chongqing-ip-service-measures-draft", "sichuan-ip-work-points-2021"];

fn run(command: &mut Command, what: &str) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{what} failed ({}):\n{stdout}\n{stderr}", output.status);
    stdout
}

/// Run the setup script once per test process: two tests running apt-get
/// or `npm ci` side by side would trip over each other.
fn setup() -> PathBuf {
    static SETUP: Mutex<bool> = Mutex::new(false);
    let browser = root().join("tests/browser");
    let mut done = SETUP.lock().unwrap_or_else(|e| e.into_inner());
    if !*done {
        run(Command::new("bash").arg(browser.join("setup.sh")), "tests/browser/setup.sh");
        *done = true;
    }
    browser
}

#[test]
fn every_built_page_passes_the_browser_checks() {
    let browser = setup();

    let site = tempfile::tempdir().unwrap();
    run(
        Command::new(env!("CARGO_BIN_EXE_policyc"))
            .arg("build")
            .arg(root().join("policies"))
            .arg("-o")
            .arg(site.path())
            .arg("--quiet"),
        "policyc build",
    );
    let shots = root().join("target/browser-screenshots");
    // Fresh, so that the screenshots checked below are this run's.
    let _ = std::fs::remove_dir_all(&shots);
    let report = run(
        Command::new("node").current_dir(&browser).arg("check.mjs").arg(site.path()).arg(&shots).args(SCREENSHOTS),
        "tests/browser/check.mjs",
    );
    // Every seed and the index were looked at, not just some.
    for slug in SEEDS.iter().chain(&["index"]) {
        assert!(report.contains(&format!("ok   {slug}.html: ")), "{slug} not checked:\n{report}");
    }
    // The policy in versions (policies/<slug>/<date>.md): ids kept across
    // its versions, a removed clause's link, and search.
    // Issue 19: run-in titles measured on their text's line.
    for check in ["ok   versions ", "the removed #", "ok   search: ", "ok   run-in titles on their text's line: "] {
        assert!(report.contains(check), "no `{check}` line:\n{report}");
    }
    for slug in SCREENSHOTS {
        for shot in [format!("{slug}-screen.png"), format!("{slug}-narrow.png"), format!("{slug}.pdf")] {
            assert!(shots.join(&shot).is_file(), "no screenshot {shot}");
        }
    }
}

/// Issue 14: on a site built from hostile file and unit names, every link
/// is clicked and lands on a page (and element) of the site; no dialog
/// opens.
#[test]
fn every_link_of_a_site_from_hostile_names_lands_in_the_site() {
    let browser = setup();
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_policies(dir.path());
    let site = dir.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .arg("build")
        .arg(&input)
        .arg("-o")
        .arg(&site)
        .arg("--quiet")
        .output()
        .unwrap();
    // The two hostile names are refused; the rest is published.
    assert_eq!(build.status.code(), Some(1), "{}", String::from_utf8_lossy(&build.stderr));
    let report = run(
        Command::new("node")
            .current_dir(&browser)
            .env("CLICK_EVERY_LINK", "1")
            .arg("check.mjs")
            .arg(&site)
            .arg(dir.path().join("shots")),
        "tests/browser/check.mjs",
    );
    for page in ["2016年广州.服务_计划-v1", "units", "index", "owners"] {
        let line = report
            .lines()
            .find(|l| l.starts_with(&format!("ok   {page}.html: ")) && l.ends_with(" clicked"))
            .unwrap_or_else(|| panic!("{page} not checked:\n{report}"));
        let counts: Vec<usize> = line.split(", ").skip(2).filter_map(|p| p.split(' ').next()?.parse().ok()).collect();
        assert!(matches!(counts[..], [links, clicked] if links > 0 && links == clicked), "{line}");
    }
}

#[test]
fn a_served_page_reloads_itself_when_its_source_changes() {
    let browser = setup();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("policies");
    std::fs::create_dir(&input).unwrap();
    let slug = "sichuan-ip-work-points-2021";
    let source = input.join(format!("{slug}.txt"));
    std::fs::copy(seed_path(slug), &source).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(["serve", "--port", "0", "-o"])
        .arg(dir.path().join("site"))
        .arg(&input)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines().map_while(Result::ok);
    let url = lines
        .find_map(|line| {
            // Build warnings come first; the address is on the `serving` line.
            line.strip_prefix("serving ")?.split(" at ").nth(1)?.split(' ').next().map(str::to_owned)
        })
        .expect("serve prints its address");
    // Keep reading: the server reports each rebuild on stderr.
    std::thread::spawn(move || lines.for_each(drop));
    let result = Command::new("node")
        .current_dir(&browser)
        .arg("livereload.mjs")
        .arg(format!("{url}{slug}.html"))
        .arg(&source)
        .arg("\n2021年四川省知识产权工作要点")
        .arg("\n2021年四川省知识产权工作要点和分工")
        .arg("2021年四川省知识产权工作要点和分工")
        .output();
    let _ = server.kill();
    let _ = server.wait();
    let output = result.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    eprint!("{stdout}");
}

/// Issue 19: printed after GB/T 9704, the notice has its own first page,
/// the attachment follows the policy, and the 版记 (抄送, 印发) ends the
/// last page after everything else; the targets table is not printed.
/// Printed by chromium itself (`--print-to-pdf`), read by `pdftotext`.
#[test]
fn the_printed_page_ends_with_the_imprint_after_the_attachments() {
    setup();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("policies");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(fixture("site/print-order.txt"), input.join("print-order.txt")).unwrap();
    let site = dir.path().join("site");
    run(
        Command::new(env!("CARGO_BIN_EXE_policyc")).arg("build").arg(&input).arg("-o").arg(&site).arg("--quiet"),
        "policyc build",
    );
    let page = site.join("print-order.html");
    // On screen the targets are listed before the 版记: print must leave them out.
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("量化目标") && html.find("量化目标") < html.find("印发</p>"), "the fixture has targets");
    let pdf = dir.path().join("print-order.pdf");
    run(
        Command::new("/usr/bin/chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer"])
            .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display())),
        "chromium --print-to-pdf",
    );
    let text = run(Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-"), "pdftotext");
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 3, "{} pages:\n{text}", pages.len());
    let last = pages[pages.len() - 1];
    assert!(last.contains("印发") && last.contains("抄送"), "the last page has no 版记:\n{last}");
    // After everything else: the attachment's last clause comes before it.
    let imprint = last.find("抄送").unwrap();
    assert!(last.find("申请书及相关证明材料").is_some_and(|at| at < imprint), "{last}");
    assert!(!text.contains("量化目标"), "the targets table was printed:\n{text}");
    // An owner label never opens a page away from its clause.
    for (n, page) in pages.iter().enumerate() {
        let first = page.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        assert!(
            !first.contains("牵头单位") && !first.contains("责任单位"),
            "page {} opens with a label: {first}",
            n + 1
        );
    }
    assert!(text.contains("牵头单位"), "no owner label printed:\n{text}");
    // The notice alone on the first page; the policy starts on the next.
    assert!(pages[0].contains("某府办发〔2024〕12号") && !pages[0].contains("为激发企业创新活力"), "{}", pages[0]);
    assert!(pages[1].contains("某市促进企业创新若干措施"), "{}", pages[1]);
}
