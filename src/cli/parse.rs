//! `policyc parse FILE --to yaml|json|md|html`

use std::path::PathBuf;

use crate::emit::{Edition, html::Renderer};
use crate::source::Encoding;

#[derive(clap::Args)]
pub struct Args {
    /// The source file (.txt, .md, or a saved web page .html/.htm); `-` reads standard input.
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
}

pub fn run(args: Args) -> u8 {
    let Some(source) = super::read_or_report(&args.file, args.encoding) else { return super::TROUBLE };
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
