//! `policyc import PAGE.html|FILE.docx [-o policies/SLUG.txt]`: a converted
//! source in, the canonical text source out, for people who then edit the
//! text.
//!
//! The text is what `build` reads from the page or the Word file itself; a
//! front-matter block records where it came from (the file, and for a page
//! its URL when the page names one, the site and the publication date).

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
    // Say what a build of the page would say, so the person sees it before
    // editing; the import itself still succeeds.
    let source = SourceFile::from_text(&args.file, Format::Html, page.text.clone());
    let source = SourceFile { origin: Some(page.origin.clone()), evidence: page.evidence.clone(), ..source };
    let parsed = crate::parse::parse(&source);
    let problems: Vec<_> =
        parsed.diagnostics.iter().filter(|d| d.severity == crate::diag::Severity::Error).cloned().collect();
    super::print_diagnostics(&source, &problems);
    eprintln!("{}: the policy's text found by: {}", args.file.display(), page.layout);
    Ok(front_matter(args, &page) + &page.text)
}

fn import_docx(args: &Args) -> Result<String, u8> {
    let changes = args.changes.parse().unwrap_or_default();
    let source = SourceFile::read_with(&args.file, crate::source::Encoding::Utf8, changes).map_err(|e| {
        super::print_read_error(&args.file, &e);
        super::TROUBLE
    })?;
    // The text as Word shows it, nothing added: what `diff` and `fmt` then
    // compare with the document read directly.
    Ok(source.text)
}

/// The `[source]` table: TOML, so the checker reads it as front matter.
fn front_matter(args: &Args, page: &html::Page) -> String {
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = String::from("+++\n[source]\n");
    let mut entry = |key: &str, value: &str| out.push_str(&format!("{key} = {}\n", toml_string(value)));
    entry("page", &name);
    for (key, field) in [("url", "url"), ("site", "site"), ("site_url", "site_url"), ("from", "source")] {
        if let Some(value) = page.evidence(field) {
            entry(key, value);
        }
    }
    if let Some(date) = page.evidence("page_date").and_then(html::iso_date) {
        entry("published", &date);
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
