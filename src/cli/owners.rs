//! `policyc owners [FILES…] [--to yaml|json|md|html]`: each responsible unit
//! → the clauses it leads or shares, across the given policies (default: every
//! source in `policies/`).

use std::path::PathBuf;

use crate::emit::Edition;
use crate::publish::{slug, sources};
use crate::source::Encoding;
use crate::source::docx::Changes;

#[derive(clap::Args)]
pub struct Args {
    /// Source files; default: every .txt and .md in `policies/`.
    files: Vec<PathBuf>,
    /// The edition to print.
    #[arg(long, default_value = "md", value_parser = ["yaml", "json", "md", "html"])]
    to: String,
}

pub fn run(args: Args) -> u8 {
    let files = if args.files.is_empty() {
        match sources(std::path::Path::new("policies")) {
            Ok(f) => f,
            Err(e) => {
                eprintln!(
                    "error: cannot read the directory policies: {}\n  = help: name the files to read: `policyc owners FILE…`\n",
                    crate::source::io_reason(&e)
                );
                return super::TROUBLE;
            }
        }
    } else {
        args.files
    };
    let mut pairs = Vec::new();
    let mut trouble = false;
    for path in &files {
        match super::read_or_report(path, Encoding::Utf8, Changes::Accept) {
            Some(source) => {
                let parsed = crate::parse::parse(&source);
                pairs.extend(crate::owners::collect(&parsed.document, &slug(path)));
            }
            None => trouble = true,
        }
    }
    let units = crate::owners::invert(pairs);
    let edition: Edition = args.to.parse().unwrap_or(Edition::Markdown);
    match crate::emit::owners::render(&units, edition) {
        Ok(text) => {
            print!("{text}");
            if trouble { super::TROUBLE } else { super::SUCCESS }
        }
        Err(e) => {
            eprintln!("error: {e}");
            super::TROUBLE
        }
    }
}
