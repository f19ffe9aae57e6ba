//! `policyc parse FILE --to yaml|json|md|html`

use std::path::PathBuf;

use crate::emit::{Edition, html::Renderer};
use crate::source::Encoding;

#[derive(clap::Args)]
pub struct Args {
    /// The source file (.txt or .md); `-` reads standard input.
    file: PathBuf,
    /// The edition to print.
    #[arg(long, default_value = "yaml", value_parser = ["yaml", "json", "md", "html"])]
    to: String,
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
    let changes = args.changes.parse().unwrap_or_default();
    let source = match super::read_source_with(&args.file, args.encoding, changes) {
        Ok(s) => s,
        Err(e) => {
            super::print_read_error(&args.file, &e);
            return super::TROUBLE;
        }
    };
    let parsed = crate::parse::parse(&source);
    let problems: Vec<_> =
        parsed.diagnostics.iter().filter(|d| d.severity != crate::diag::Severity::Note).cloned().collect();
    super::print_diagnostics(&source, &problems);
    let edition: Edition = args.to.parse().unwrap_or(Edition::Yaml);
    let rendered = match (edition, &args.templates) {
        (Edition::Html, Some(dir)) => Renderer::with_overrides(dir).and_then(|r| r.document(&parsed.document, None)),
        _ => crate::emit::render(&parsed.document, edition),
    };
    match rendered {
        Ok(text) => {
            print!("{text}");
            super::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            super::TROUBLE
        }
    }
}
