//! `policyc parse FILE --to yaml|json|md|html|docx [-o FILE]`

use std::path::PathBuf;

use crate::emit::{Edition, html::Renderer};
use crate::source::Encoding;

#[derive(clap::Args)]
pub struct Args {
    /// The source file (.txt, .md, or a saved web page .html/.htm); `-` reads standard input.
    file: PathBuf,
    /// The edition to print.
    #[arg(long, default_value = "yaml", value_parser = ["yaml", "json", "md", "html", "docx"])]
    to: String,
    /// Write the edition to FILE instead of stdout (`-o -`: stdout); the
    /// Word edition, being binary, needs it.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// A directory whose templates override the built-in ones (HTML only).
    #[arg(long)]
    templates: Option<PathBuf>,
    /// The source's encoding: utf-8 (default) or gb18030.
    #[arg(long, default_value = "utf-8")]
    encoding: Encoding,
    /// A Word document's tracked changes: accept (default) or reject them.
    #[arg(long, default_value = "accept", value_parser = ["accept", "reject"])]
    changes: String,
}

pub fn run(args: Args) -> u8 {
    let Some(source) = super::read_or_report(&args.file, args.encoding, args.changes.parse().unwrap_or_default())
    else {
        return super::TROUBLE;
    };
    let parsed = crate::parse::parse(&source);
    let problems: Vec<_> =
        parsed.diagnostics.iter().filter(|d| d.severity != crate::diag::Severity::Note).cloned().collect();
    super::print_diagnostics(&source, &problems);
    let edition: Edition = args.to.parse().unwrap_or(Edition::Yaml);
    if edition == Edition::Docx && args.output.is_none() {
        eprintln!(
            "error: the Word edition is a binary file and is not printed\n  = help: name the file: `policyc parse {} --to docx -o FILE.docx` (`-o -` writes it to stdout)\n",
            args.file.display()
        );
        return super::TROUBLE;
    }
    let rendered = match (edition, &args.templates) {
        (Edition::Html, Some(dir)) => {
            Renderer::with_overrides(dir).and_then(|r| r.document(&parsed.document, None)).map(String::into_bytes)
        }
        _ => crate::emit::render_bytes(&parsed.document, edition),
    };
    let bytes = match rendered {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: {e}");
            return super::TROUBLE;
        }
    };
    match args.output.as_deref().filter(|path| *path != std::path::Path::new("-")) {
        Some(path) => {
            if let Err(e) = crate::write::write_atomic(path, &bytes) {
                eprintln!(
                    "error: cannot write {}: {}\n  = help: name a regular file in a writable directory, or `-o -` for standard output\n",
                    path.display(),
                    crate::source::io_reason(&e)
                );
                return super::TROUBLE;
            }
        }
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&bytes).and_then(|()| stdout.flush()).is_err() {
                return super::TROUBLE;
            }
        }
    }
    super::SUCCESS
}
