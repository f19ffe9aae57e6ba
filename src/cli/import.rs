//! `policyc import PAGE.html|FILE.docx [-o policies/SLUG.txt]`: a converted
//! source in, the canonical text source out, for people who then edit the
//! text.
//!
//! The text is what `build` reads from the page or the Word file itself; a
//! front-matter block records where it came from: the file; for a page its
//! URL when the page names one, the site and the publication date; for a
//! Word document the properties worth keeping (a 标题 that is not Word's
//! placeholder, author, dates) and, when it has tracked changes, which side
//! was taken. The block is masked before parsing, so the text source builds
//! to the tree the original gives.

use std::path::{Path, PathBuf};

use crate::source::{Format, SourceFile, html};

#[derive(clap::Args)]
pub struct Args {
    /// The page or document to import (.html, .htm or .docx).
    file: PathBuf,
    /// Where to write the text source (`-o -` or none: standard output).
    /// Replaced atomically.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// A Word document's tracked changes: accept (default) or reject them.
    #[arg(long, default_value = "accept", value_parser = ["accept", "reject"])]
    changes: String,
}

pub fn run(args: Args) -> u8 {
    let format = Format::from_path(&args.file);
    let text = match format {
        Some(Format::Html) => match import_html(&args) {
            Ok(text) => text,
            Err(code) => return code,
        },
        Some(Format::Docx) => match import_docx(&args) {
            Ok(text) => text,
            Err(code) => return code,
        },
        _ => {
            eprintln!(
                "error: cannot import {}: policyc imports web pages (.html, .htm) and Word documents (.docx)\n  = help: a .txt or .md source is read as it is; give it to `policyc build` or `check` directly\n",
                args.file.display()
            );
            return super::TROUBLE;
        }
    };
    match args.output.as_deref().filter(|path| *path != Path::new("-")) {
        None => {
            print!("{text}");
            super::SUCCESS
        }
        Some(path) => match crate::write::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                eprintln!("imported {} -> {}", args.file.display(), path.display());
                super::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "error: cannot write {}: {}\n  = help: name a regular file in a writable directory, or leave out -o for standard output\n",
                    path.display(),
                    crate::source::io_reason(&e)
                );
                super::TROUBLE
            }
        },
    }
}

fn import_html(args: &Args) -> Result<String, u8> {
    let bytes = crate::source::read_bytes(&args.file).map_err(|e| {
        super::print_read_error(&args.file, &e);
        super::TROUBLE
    })?;
    let page = html::extract(&bytes).map_err(|e| {
        super::print_source_error(&args.file, &e);
        super::TROUBLE
    })?;
    let source = SourceFile::from_text(&args.file, Format::Html, page.text.clone());
    let source = SourceFile { origin: Some(page.origin.clone()), evidence: page.evidence.clone(), ..source };
    report_errors(&source);
    eprintln!("{}: the policy's text found by: {}", args.file.display(), page.layout);
    let mut entries = vec![("page", file_name(args))];
    for (key, field) in [("url", "url"), ("site", "site"), ("site_url", "site_url"), ("from", "source")] {
        if let Some(value) = page.evidence(field) {
            entries.push((key, value.to_owned()));
        }
    }
    if let Some(date) = page.evidence("page_date").and_then(html::iso_date) {
        entries.push(("published", date));
    }
    Ok(front_matter(&entries) + &page.text)
}

fn import_docx(args: &Args) -> Result<String, u8> {
    let changes = args.changes.parse().unwrap_or_default();
    let source = SourceFile::read_with(&args.file, crate::source::Encoding::Utf8, changes).map_err(|e| {
        super::print_read_error(&args.file, &e);
        super::TROUBLE
    })?;
    report_errors(&source);
    let stated = |field: &str| source.evidence.iter().find(|e| e.field == field).map(|e| e.value.clone());
    let mut entries = vec![("document", file_name(args))];
    if let Some(title) = stated("title").filter(|t| !crate::source::docx::is_placeholder_title(t)) {
        entries.push(("title", title));
    }
    for (key, field) in [
        ("author", "author"),
        ("last_modified_by", "last_modified_by"),
        ("created", "created"),
        ("modified", "modified"),
        ("changes", "changes"),
    ] {
        if let Some(value) = stated(field) {
            entries.push((key, value));
        }
    }
    // The text as Word shows it after the block: what `diff` and `fmt` then
    // compare with the document read directly.
    Ok(front_matter(&entries) + &source.text)
}

/// Say what a build of the file would say, so the person sees it before
/// editing; the import itself still succeeds.
fn report_errors(source: &SourceFile) {
    let parsed = crate::parse::parse(source);
    let problems: Vec<_> =
        parsed.diagnostics.iter().filter(|d| d.severity == crate::diag::Severity::Error).cloned().collect();
    super::print_diagnostics(source, &problems);
}

fn file_name(args: &Args) -> String {
    args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The `[source]` table: TOML, so the checker reads it as front matter.
fn front_matter(entries: &[(&str, String)]) -> String {
    let mut out = String::from("+++\n[source]\n");
    for (key, value) in entries {
        out.push_str(&format!("{key} = {}\n", toml_string(value)));
    }
    out.push_str("+++\n");
    out
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
