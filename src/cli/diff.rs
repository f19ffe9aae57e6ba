//! `policyc diff OLD NEW [--format text|md|html|yaml|json] [-o FILE]`
//!
//! `policyc diff FILE.docx` compares a Word document's text with its
//! tracked changes rejected (old) and accepted (new): the changes as a
//! 修订对照表.
//!
//! Also git's external diff driver: given the seven arguments git passes
//! (path old-file old-hex old-mode new-file new-hex new-mode) it compares
//! old-file with new-file and exits 0 whenever it could compare them, since
//! git treats any other exit code of a driver as a fatal error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::diag::Severity;
use crate::diff::Revision;
use crate::diff::report::{self, Format, Labels, NO_FILE};
use crate::source::docx::Changes;
use crate::source::{Encoding, SourceFile};
use crate::tree::Document;

#[derive(clap::Args)]
pub struct Args {
    /// OLD NEW; a .docx with tracked changes alone; or the seven arguments
    /// git gives a diff driver.
    #[arg(value_name = "FILE", num_args = 1..=7, required = true)]
    files: Vec<PathBuf>,
    /// The output format: a terminal view, the 修订对照表 (md, html, docx with -o) or the change list (yaml, json).
    #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "md", "html", "yaml", "json", "docx"])]
    format: String,
    /// Write the report to FILE instead of stdout (`-o -`: stdout). FILE is
    /// replaced atomically, through a symbolic link; a pipe or a device is refused.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Colour the text format: auto (a terminal, NO_COLOR unset), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
    /// The sources' encoding: utf-8 (default) or gb18030.
    #[arg(long, default_value = "utf-8")]
    encoding: Encoding,
}

pub fn run(args: Args) -> u8 {
    if let [file] = args.files.as_slice() {
        if crate::source::Format::from_path(file) != Some(crate::source::Format::Docx) {
            eprintln!(
                "error: `policyc diff` with one file compares a Word document's tracked changes; {} is not a .docx\n  = help: run `policyc diff OLD.txt NEW.txt`",
                file.display()
            );
            return super::TROUBLE;
        }
        let name = file.display().to_string();
        let old = read_changes(file, Changes::Reject);
        let new = read_changes(file, Changes::Accept);
        let (Some(old), Some(new)) = (old, new) else { return super::TROUBLE };
        let labels = (format!("{name}（修改前）"), format!("{name}（修改后）"));
        return report_and_exit(&args, old, new, (&labels.0, &labels.1), false);
    }
    let (old_path, new_path, labels, git) = match args.files.as_slice() {
        [old, new] => (old, new, (old.display().to_string(), new.display().to_string()), false),
        [path, old, _, _, new, _, _] => {
            // A side git has no file for is named as git names it.
            let label = |file: &Path, prefix: &str| {
                if file == Path::new(NO_FILE) { NO_FILE.to_owned() } else { format!("{prefix}/{}", path.display()) }
            };
            (old, new, (label(old, "a"), label(new, "b")), true)
        }
        files => {
            eprintln!(
                "error: `policyc diff` takes two files (OLD NEW) or the seven arguments git passes to a diff driver, not {}\n  = help: run `policyc diff OLD.txt NEW.txt`",
                files.len()
            );
            return super::TROUBLE;
        }
    };
    let Some(old) = read(old_path, args.encoding) else { return super::TROUBLE };
    let Some(new) = read(new_path, args.encoding) else { return super::TROUBLE };
    report_and_exit(&args, old, new, (&labels.0, &labels.1), git)
}

/// Compare two read sides and write the report; the exit code.
fn report_and_exit(
    args: &Args,
    (old, old_source): (Document, String),
    (new, new_source): (Document, String),
    labels: (&str, &str),
    git: bool,
) -> u8 {
    let diff = crate::diff::compare(
        Revision { document: &old, source: Some(&old_source) },
        Revision { document: &new, source: Some(&new_source) },
    );
    let format: Format = args.format.parse().unwrap_or(Format::Text);
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => {
            args.output.as_deref().is_none_or(|path| path == Path::new("-"))
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let labels = Labels { old: labels.0, new: labels.1 };
    if format == Format::Docx && args.output.is_none() {
        eprintln!(
            "error: the Word 修订对照表 is a binary file and is not printed\n  = help: name the file: `--format docx -o 修订对照表.docx` (`-o -` writes it to stdout)\n"
        );
        return super::TROUBLE;
    }
    let rendered = match format {
        Format::Docx => report::docx(&diff, labels),
        _ => report::render(&diff, labels, format, color).map(String::into_bytes),
    };
    let rendered = match rendered {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: {e}");
            return super::TROUBLE;
        }
    };
    match args.output.as_deref().filter(|path| *path != Path::new("-")) {
        Some(path) => {
            if let Err(e) = crate::write::write_atomic(path, &rendered) {
                eprintln!(
                    "error: cannot write {}: {}\n  = help: name a regular file in a writable directory, or `-o -` (or no -o) for standard output\n",
                    path.display(),
                    crate::source::io_reason(&e)
                );
                return super::TROUBLE;
            }
        }
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&rendered).and_then(|()| stdout.flush()).is_err() {
                return super::TROUBLE;
            }
        }
    }
    if git || diff.is_same() { super::SUCCESS } else { super::FAILURE }
}

/// Read and parse one side, giving the document and its source text;
/// errors are printed and give `None`. Problems in the text are reported
/// but do not stop the comparison: a draft with a broken frame can still be
/// compared clause by clause.
fn read(path: &Path, encoding: Encoding) -> Option<(Document, String)> {
    if path == Path::new(NO_FILE) {
        return Some((Document::default(), String::new()));
    }
    let source = super::read_or_report(path, encoding, Changes::Accept)?;
    Some(parsed(source))
}

/// One side of a Word document's tracked changes.
fn read_changes(path: &Path, changes: Changes) -> Option<(Document, String)> {
    super::read_or_report(path, Encoding::Utf8, changes).map(parsed)
}

fn parsed(source: SourceFile) -> (Document, String) {
    let parsed = crate::parse::parse(&source);
    let problems: Vec<_> = parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned().collect();
    super::print_diagnostics(&source, &problems);
    (parsed.document, source.text)
}
