//! A real editor as `policyc lsp`'s client: `tests/editors/setup.sh`
//! installs Debian's neovim when it is missing, and
//! `tests/editors/nvim-lsp.lua` runs it headless on a source, attaches the
//! server, and writes the diagnostics and the outline it received. Skipped,
//! with a message, only where apt-get is unavailable outside CI; in CI a
//! missing editor fails.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

use crate::common::*;

/// Whether neovim is there (installing it once per test process).
fn setup() -> bool {
    static SETUP: Mutex<Option<bool>> = Mutex::new(None);
    let mut done = SETUP.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(ready) = *done {
        return ready;
    }
    let status = Command::new("bash").arg(root().join("tests/editors/setup.sh")).status().expect("run setup.sh");
    let ready = match status.code() {
        Some(0) => true,
        Some(3) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED: neovim is not installed and apt-get is unavailable (tests/editors/setup.sh)");
            false
        }
        _ => panic!("tests/editors/setup.sh failed ({status}): neovim could not be installed"),
    };
    *done = Some(ready);
    ready
}

/// Run headless Neovim on `file` and give the lines the script wrote.
fn nvim(file: &Path) -> Vec<String> {
    let out = file.with_extension("nvim.out");
    let output = Command::new("nvim")
        .current_dir(file.parent().unwrap())
        .env("POLICYC_BIN", env!("CARGO_BIN_EXE_policyc"))
        .env("POLICYC_NVIM_OUT", &out)
        .args(["--headless", "--clean", "-c"])
        .arg(format!("luafile {}", root().join("tests/editors/nvim-lsp.lua").display()))
        .arg(file)
        .output()
        .expect("start nvim");
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        output.status.success(),
        "nvim failed ({}):\n{written}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    written.lines().map(str::to_owned).collect()
}

#[test]
fn neovim_receives_diagnostics_and_the_outline_of_a_seed() {
    if !setup() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let slug = "sichuan-ip-work-points-2021";
    let file = dir.path().join(format!("{slug}.txt"));
    std::fs::copy(seed_path(slug), &file).unwrap();
    let lines = nvim(&file);
    assert_eq!(lines.first().map(String::as_str), Some("published"), "{lines:#?}");
    // The outline Neovim shows is the clause tree, every numbered node once.
    let text = std::fs::read_to_string(&file).unwrap();
    let document = parse_text(&text);
    let want: Vec<String> = document
        .nodes()
        .map(policyc::lsp::symbols::name)
        .chain(document.attachments.iter().flat_map(|a| a.nodes().map(policyc::lsp::symbols::name)))
        .collect();
    let got: Vec<String> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("symbol "))
        .map(|s| s.trim_start().rsplit_once(" @").unwrap().0.to_owned())
        .collect();
    let got: Vec<&String> = got.iter().filter(|n| !n.starts_with("附件")).collect();
    assert_eq!(got.len(), want.len(), "{lines:#?}");
    assert!(got.iter().zip(&want).all(|(g, w)| *g == w), "{got:#?}\n{want:#?}");
    // Diagnostics, as `policyc check` counts them.
    let check = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let expected = String::from_utf8_lossy(&check.stdout).lines().count();
    assert_eq!(lines.iter().filter(|l| l.starts_with("diagnostic ")).count(), expected, "{lines:#?}");
}

/// Neovim turns the server's UTF-16 columns into byte columns: the `,`
/// after 𠀀𠀁 is at byte 53 of its line only if both sides counted the
/// Extension B characters as surrogate pairs.
#[test]
fn neovim_places_a_diagnostic_after_extension_b_characters() {
    if !setup() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("extension-b.txt");
    std::fs::copy(fixture("lsp/extension-b.txt"), &file).unwrap();
    let lines = nvim(&file);
    let line = std::fs::read_to_string(&file).unwrap().lines().nth(1).unwrap().to_owned();
    let comma = line.find(',').unwrap();
    assert_eq!(comma, 53);
    assert!(lines.iter().any(|l| l.starts_with(&format!("diagnostic 1:{comma} T001"))), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("diagnostic 2:0 N001")), "{lines:#?}");
    assert!(lines.iter().any(|l| l == "symbol   （三） 支持措施。 @2"), "{lines:#?}");
}

/// The VS Code extension's files hold together: its manifest names an
/// entry point that exists and starts `policyc lsp`, its command is one
/// the entry point registers, and (where node is installed) the entry point
/// is valid JavaScript.
#[test]
fn the_vscode_extension_starts_policyc_lsp() {
    let dir = root().join("tests/editors/vscode");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let main = dir.join(manifest["main"].as_str().unwrap());
    let code = std::fs::read_to_string(&main).unwrap();
    assert!(code.contains(r#"args: ["lsp"]"#), "the extension does not start `policyc lsp`");
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
    for command in manifest["contributes"]["commands"].as_array().unwrap() {
        let name = command["command"].as_str().unwrap();
        assert!(code.contains(&format!("registerCommand(\"{name}\"")), "{name} is not registered");
    }
    if let Ok(output) = Command::new("node").arg("--check").arg(&main).output() {
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
}
