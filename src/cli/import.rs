//! `policyc import FILE [-o policies/SLUG.txt] [--changes accept|reject]`
//!
//! Writes the canonical text source of a converted document: the text
//! policyc reads from it, which `fmt`, `check --fix` and editors then work
//! on. Without `-o` the text goes to stdout.

use std::path::{Path, PathBuf};

use crate::source::{Format, SourceFile};

#[derive(clap::Args)]
pub struct Args {
    /// The document to import (.docx).
    file: PathBuf,
    /// Where to write the text source (`-o -` or none: stdout). Replaced
    /// atomically.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// A Word document's tracked changes: accept (default) or reject them.
    #[arg(long, default_value = "accept", value_parser = ["accept", "reject"])]
    changes: String,
}

pub fn run(args: Args) -> u8 {
    let format = Format::from_path(&args.file);
    let source = match format {
        Some(Format::Docx) => {
            SourceFile::read_with(&args.file, crate::source::Encoding::Utf8, args.changes.parse().unwrap_or_default())
        }
        Some(Format::Text | Format::Markdown) => {
            eprintln!(
                "error: {} is already a text source\n  = help: copy it into policies/ as it is; import converts Word documents (.docx)\n",
                args.file.display()
            );
            return super::TROUBLE;
        }
        None => {
            eprintln!(
                "error: policyc does not know how to import {}\n  = help: import reads Word documents (.docx); save the document as .docx first\n",
                args.file.display()
            );
            return super::TROUBLE;
        }
    };
    let source = match source {
        Ok(source) => source,
        Err(e) => {
            super::print_read_error(&args.file, &e);
            return super::TROUBLE;
        }
    };
    match args.output.as_deref().filter(|path| *path != Path::new("-")) {
        Some(path) => {
            if let Err(e) = crate::write::write_atomic(path, source.text.as_bytes()) {
                eprintln!(
                    "error: cannot write {}: {}\n  = help: name a regular file in a writable directory, or leave out -o for standard output\n",
                    path.display(),
                    crate::source::io_reason(&e)
                );
                return super::TROUBLE;
            }
        }
        None => print!("{}", source.text),
    }
    super::SUCCESS
}
