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

/// The VS Code extension, packaged from the repository's files by
/// `tests/editors/vscode-test/package.sh` (npm and Microsoft's `vsce`), then
/// taken out of its `.vsix` and activated by `tests/editors/vscode-test/
/// activate.js` with stand-ins for VS Code's API: the server it starts must
/// check the document it opens, give its outline and renumber at the cursor.
#[test]
fn the_vscode_extension_packages_and_starts_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let status = Command::new("bash")
        .arg(root().join("tests/editors/vscode-test/package.sh"))
        .arg(tmp.path())
        .status()
        .expect("run package.sh");
    match status.code() {
        Some(0) => {}
        Some(3) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED: node and npm are missing (tests/editors/vscode-test/package.sh)");
            return;
        }
        _ => panic!("tests/editors/vscode-test/package.sh failed ({status})"),
    }
    let vsix = std::fs::File::open(tmp.path().join("policyc.vsix")).expect("the .vsix");
    let mut archive = zip::ZipArchive::new(vsix).expect("a .vsix is a zip");
    let names: Vec<String> = archive.file_names().map(|n| n.expect("an entry name").into_owned()).collect();
    for wanted in [
        "extension/package.json",
        "extension/extension.js",
        "extension/node_modules/vscode-languageclient/package.json",
    ] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} is not in the package: {names:?}");
    }
    let unpacked = tmp.path().join("unpacked");
    for name in ["package.json", "extension.js"] {
        let mut entry = archive.by_name(&format!("extension/{name}")).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        std::fs::create_dir_all(&unpacked).unwrap();
        std::fs::write(unpacked.join(name), bytes).unwrap();
    }
    // （三） after （一）: a gap the server reports and renumbers.
    let source = tmp.path().join("draft.txt");
    std::fs::write(&source, "关于促进创新的若干措施\n\n一、总体要求\n（一）坚持创新引领。\n（三）强化企业主体地位。\n")
        .unwrap();
    let output = Command::new("node")
        .arg(root().join("tests/editors/vscode-test/activate.js"))
        .arg(&unpacked)
        .arg(&source)
        .env("POLICYC_BIN", env!("CARGO_BIN_EXE_policyc"))
        .env("POLICYC_RENUMBER_LINE", "4")
        .output()
        .expect("run node");
    assert!(output.status.success(), "activate.js failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout).expect("activate.js prints JSON");
    assert_eq!(seen["command"], "policyc");
    assert_eq!(seen["args"], serde_json::json!(["lsp"]));
    assert!(seen["diagnostics"].as_array().unwrap().iter().any(|c| c == "N001"), "{seen}");
    assert_eq!(seen["outline"], serde_json::json!(["一、 总体要求"]), "{seen}");
    assert!(seen["renumber_edit"].as_u64().unwrap() > 0, "{seen}");
    assert_eq!(seen["exit"], 0, "{seen}");
}
