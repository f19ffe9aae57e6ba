//! The built site in a real browser: `tests/browser/setup.sh` installs
//! Debian's chromium, the Noto CJK fonts, poppler-utils and playwright-core
//! when they are missing, then `tests/browser/check.mjs` checks every page
//! (console errors, table-of-contents links, font families, A4 print with
//! page numbers, index sort and filter, no-script reading) and leaves
//! screenshots in `target/browser-screenshots/`. A browser that cannot be set
//! up fails this test; it is never skipped.

use std::process::Command;

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

#[test]
fn every_built_page_passes_the_browser_checks() {
    let browser = root().join("tests/browser");
    run(Command::new("bash").arg(browser.join("setup.sh")), "tests/browser/setup.sh");

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
    for slug in SCREENSHOTS {
        for shot in [format!("{slug}-screen.png"), format!("{slug}-narrow.png"), format!("{slug}.pdf")] {
            assert!(shots.join(&shot).is_file(), "no screenshot {shot}");
        }
    }
}
