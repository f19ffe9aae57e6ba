//! `policyc check [PATH…] [--format human|json] [--deny warnings] [--fix]`
//!
//! `-` checks standard input. `--fix` rewrites each file with its safe
//! fixes applied (through `write`), then checks it again and reports what
//! is left.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::diag::fix;
use crate::diag::{self, Severity};
use crate::publish::sources;
use crate::source::{Encoding, SourceFile};
use crate::validate::{self, Config};

#[derive(clap::Args)]
pub struct Args {
    /// Source files (.txt, .md) or directories of them; `-` reads standard input.
    #[arg(default_value = "policies")]
    paths: Vec<PathBuf>,
    /// How to print diagnostics: rustc-style text, or one JSON object per line.
    #[arg(long, default_value = "human", value_parser = ["human", "json"])]
    format: String,
    /// Treat warnings as errors for the exit code (`--deny warnings`).
    #[arg(long, value_parser = ["warnings"])]
    deny: Option<String>,
    /// The project configuration (default: the nearest policyc.toml above the path).
    #[arg(long)]
    config: Option<PathBuf>,
    /// The sources' encoding: utf-8 (default) or gb18030.
    #[arg(long, default_value = "utf-8")]
    encoding: Encoding,
    /// Apply the safe fixes to the files, then report what is left
    /// (layout and numbering are `policyc fmt`'s).
    #[arg(long)]
    fix: bool,
    /// Leave notes (debris, rejoined lines) out of the output.
    #[arg(short, long)]
    quiet: bool,
    /// Word documents' tracked changes: accept (default) or reject them.
    #[arg(long, default_value = "accept", value_parser = ["accept", "reject"])]
    changes: String,
}

/// Whether to colour stdout: a terminal, and NO_COLOR not set.
fn color_stdout() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

pub fn run(args: Args) -> u8 {
    let mut files = Vec::new();
    for path in &args.paths {
        if super::is_stdin(path) && args.fix {
            eprintln!(
                "error: --fix rewrites files and cannot rewrite standard input\n  = help: pass the file's path, or use `policyc fmt --stdout -`"
            );
            return super::TROUBLE;
        }
        if !super::is_stdin(path) && path.is_dir() {
            match sources(path) {
                Ok(found) => files.extend(found),
                Err(e) => {
                    eprintln!("error: cannot read the directory {}: {e}", path.display());
                    return super::TROUBLE;
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    let json = args.format == "json";
    let color = !json && color_stdout();
    let (mut errors, mut warnings, mut unreadable) = (0usize, 0usize, 0usize);
    // A file --fix could not write: reported where it happened, exit 2.
    let mut trouble = false;
    // One configuration per directory, read once however many files it holds.
    let mut configs: BTreeMap<PathBuf, Config> = BTreeMap::new();
    for file in &files {
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let project = match configs.get(&dir) {
            Some(c) => c.clone(),
            None => match project_config(args.config.as_deref(), file) {
                Ok(c) => configs.entry(dir).or_insert(c).clone(),
                Err(e) => {
                    print_config_error(&e);
                    return super::TROUBLE;
                }
            },
        };
        let Some(source) = super::read_or_report(file, args.encoding, args.changes.parse().unwrap_or_default()) else {
            unreadable += 1;
            continue;
        };
        let mut checked = validate::run(&source, &project);
        // A web page is the site's, not the editor's: its fixes belong in
        // the text `policyc import` makes of it. (A Word document is refused
        // by `fix` with an error: it is the editor's, in another format.)
        let converted = source.format == crate::source::Format::Html;
        if args.fix && converted {
            eprintln!(
                "note: {} is a web page and was not fixed (run `policyc import` and fix the text source)",
                file.display()
            );
        }
        let (source, checked_again) = if args.fix && !converted {
            match fix(file, source, &checked, &project) {
                Ok(fixed) => fixed,
                Err(()) => {
                    trouble = true;
                    continue;
                }
            }
        } else {
            (source, None)
        };
        if let Some(again) = checked_again {
            checked = again;
        }
        if args.quiet {
            checked.diagnostics.retain(|d| d.severity != Severity::Note);
        }
        errors += checked.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        warnings += checked.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        let rendered = if json {
            diag::json::render(&checked.diagnostics, &source)
        } else {
            diag::human::render(&checked.diagnostics, &source, color)
        };
        print!("{rendered}");
    }
    if !json && !args.quiet {
        let checked = files.len() - unreadable;
        let not_read = if unreadable > 0 { format!("; {unreadable} could not be read") } else { String::new() };
        eprintln!(
            "checked {checked} file{}: {errors} error{}, {warnings} warning{}{not_read}",
            if checked == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
    }
    if unreadable > 0 || trouble {
        super::TROUBLE
    } else if errors > 0 || (args.deny.is_some() && warnings > 0) {
        super::FAILURE
    } else {
        super::SUCCESS
    }
}

/// How many times `--fix` applies fixes and checks again: a fix can
/// uncover another, but never a chain longer than this.
const FIX_PASSES: usize = 4;

/// Apply the safe fixes of `checked` to `file` and check it again; the
/// source and diagnostics to report (`None`: nothing was fixed, the first
/// check stands). Says on stderr what was fixed, or why nothing was written.
fn fix(
    file: &Path,
    mut source: SourceFile,
    checked: &validate::Checked,
    project: &Config,
) -> Result<(SourceFile, Option<validate::Checked>), ()> {
    if source.format == crate::source::Format::Docx {
        eprintln!(
            "error: {} is a Word document; --fix writes text and left it untouched\n  = help: run `policyc import {} -o FILE.txt`, then fix the text source",
            file.display(),
            file.display()
        );
        return Err(());
    }
    let mut again: Option<validate::Checked> = None;
    let mut total = 0;
    for _ in 0..FIX_PASSES {
        let diagnostics = &again.as_ref().unwrap_or(checked).diagnostics;
        let Some(fixed) = fix::apply(&source.text, diagnostics) else { break };
        total += fixed.fixes;
        source = SourceFile::from_text(source.path.clone(), source.format, fixed.text);
        again = Some(validate::run(&source, project));
    }
    if total == 0 {
        return Ok((source, None));
    }
    // A read-only file is a decision someone made; the atomic rename would
    // replace it anyway, so refuse here.
    if std::fs::metadata(file).is_ok_and(|m| m.permissions().readonly()) {
        eprintln!("error: {} is read-only and was left untouched (make it writable)", file.display());
        return Err(());
    }
    if let Err(e) = crate::write::write_atomic(file, source.text.as_bytes()) {
        eprintln!("error: cannot write {} (the original is intact): {e}", file.display());
        return Err(());
    }
    eprintln!("fixed {}: {total} fix{} applied", file.display(), if total == 1 { "" } else { "es" });
    Ok((source, again))
}

fn project_config(explicit: Option<&Path>, file: &Path) -> Result<Config, validate::config::ConfigError> {
    match explicit {
        Some(path) => Config::load(path),
        // Standard input is checked as a file of the current directory.
        None if super::is_stdin(file) => Config::discover(Path::new(".")),
        None => Config::discover(file),
    }
}

/// Print why a configuration could not be used.
pub(super) fn print_config_error(err: &crate::validate::config::ConfigError) {
    match err {
        crate::validate::config::ConfigError::Invalid { path, line, column, message, help } => {
            eprintln!("error: {message}\n  --> {}:{line}:{column}\n  = help: {help}\n", path.display());
        }
        other => eprintln!("error: {other}"),
    }
}
