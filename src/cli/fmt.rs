//! `policyc fmt [FILES…] [--check] [--stdout]`

use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::diag::Severity;
use crate::fmt::config::{self, Config};
use crate::fmt::{self, Options, Scheme, Style};
use crate::source::{Encoding, Format, SourceFile};
use crate::tree::Kind;

#[derive(clap::Args)]
pub struct Args {
    /// Source files (.txt) or directories of them [default: policies]; `-`
    /// reads standard input (with `--stdout`).
    files: Vec<PathBuf>,
    /// Change nothing; print a unified diff of what would change and exit 1
    /// if anything would.
    #[arg(long, conflicts_with = "stdout")]
    check: bool,
    /// Print the formatted text to stdout instead of rewriting the file.
    #[arg(long)]
    stdout: bool,
    /// Keep web and Word debris lines instead of removing them.
    #[arg(long)]
    keep_debris: bool,
    /// Marker brackets: standard (（一） （1）, GB/T 9704) or half-width ((一) (1))
    /// [default: standard, or `style` in policyc.toml].
    #[arg(long, value_parser = ["standard", "half-width"])]
    style: Option<String>,
    /// Number a level continuously or restarting under each parent, instead
    /// of inferring it: `--numbering section=continuous` (repeatable; levels:
    /// part, section, item, subitem, point, book, chapter, division, article,
    /// clause, subclause). Overrides `[fmt.numbering]` in policyc.toml.
    #[arg(long, value_name = "LEVEL=SCHEME", value_parser = parse_numbering)]
    numbering: Vec<(Kind, Scheme)>,
    /// The project configuration to read, if it exists.
    #[arg(long, default_value = "policyc.toml")]
    config: PathBuf,
}

fn parse_numbering(s: &str) -> Result<(Kind, Scheme), String> {
    let (level, scheme) = s.split_once('=').ok_or_else(|| format!("`{s}` is not LEVEL=SCHEME"))?;
    let kind = config::level_kind(level).ok_or_else(|| format!("unknown level `{level}`"))?;
    Ok((kind, scheme.parse()?))
}

pub fn run(args: Args) -> u8 {
    let config = match fs::read_to_string(&args.config) {
        Ok(text) => match config::parse(&text) {
            Ok(config) => config,
            Err(e) => {
                eprintln!(
                    "error: {}: {e}
  = help: see the `[fmt]` table in the README",
                    args.config.display()
                );
                return super::TROUBLE;
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.config.display());
            return super::TROUBLE;
        }
    };
    let inputs = if args.files.is_empty() { vec![PathBuf::from("policies")] } else { args.files.clone() };
    let mut files = Vec::new();
    for input in &inputs {
        if input.is_dir() {
            match crate::publish::sources(input) {
                Ok(found) => files.extend(found.into_iter().filter(|p| Format::from_path(p) == Some(Format::Text))),
                Err(e) => {
                    eprintln!("error: cannot read the directory {}: {e}", input.display());
                    return super::TROUBLE;
                }
            }
        } else if Format::from_path(input) == Some(Format::Docx) {
            // fmt rewrites the file it reads; a Word document is not text.
            eprintln!(
                "error: {} is a Word document, which fmt does not rewrite\n  = help: run `policyc import {} -o FILE.txt` and format the text source\n",
                input.display(),
                input.display()
            );
            return super::TROUBLE;
        } else {
            files.push(input.clone());
        }
    }
    let mut status = super::SUCCESS;
    let (mut changed, mut unchanged) = (0, 0);
    for path in &files {
        let slug = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let mut options = config.options_for(&slug);
        if let Some(style) = &args.style {
            options.style = style.parse().unwrap_or(Style::Standard);
        }
        options.keep_debris |= args.keep_debris;
        options.numbering.extend(args.numbering.iter().copied());
        let (outcome, errors_left) = one(path, &args, &options);
        if errors_left {
            status = status.max(super::FAILURE);
        }
        match outcome {
            Outcome::Unchanged => unchanged += 1,
            Outcome::Changed => {
                changed += 1;
                if args.check {
                    status = status.max(super::FAILURE);
                }
            }
            Outcome::Failed(code) => status = status.max(code),
        }
    }
    if !args.stdout {
        let verb = if args.check { "would reformat" } else { "reformatted" };
        eprintln!("{verb} {changed}, unchanged {unchanged}, failed {}", files.len() - changed - unchanged);
    }
    status
}

enum Outcome {
    Unchanged,
    Changed,
    Failed(u8),
}

/// Format one file; also whether errors were left in it (their lines are
/// kept as written).
fn one(path: &Path, args: &Args, options: &Options) -> (Outcome, bool) {
    let stdin = super::is_stdin(path);
    if stdin && !args.stdout {
        eprintln!("error: fmt rewrites files in place and cannot rewrite standard input\n  = help: add --stdout");
        return (Outcome::Failed(super::TROUBLE), false);
    }
    // The bytes, not a `SourceFile`: fmt writes back only when the result
    // differs from exactly what was read.
    let read = if stdin { super::read_stdin() } else { crate::source::read_bytes(path) };
    let path = if stdin { Path::new("<stdin>") } else { path };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            super::print_read_error(path, &e);
            return (Outcome::Failed(super::TROUBLE), false);
        }
    };
    let formatted = match formatted(path, bytes, options) {
        Ok(f) => f,
        Err(outcome) => return (outcome, false),
    };
    let errors_left = formatted.1.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let outcome = write(path, args, &formatted.0, &formatted.1, formatted.2);
    if errors_left {
        let count = formatted.1.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let lines = if count == 1 { "the line with the error was" } else { "the lines with errors were" };
        eprintln!("error: {}: {lines} left as written (fix by hand, then run fmt again)\n", path.display());
    }
    (outcome, errors_left)
}

/// The source and its formatted text.
fn formatted(path: &Path, bytes: Vec<u8>, options: &Options) -> Result<(SourceFile, fmt::Formatted, Vec<u8>), Outcome> {
    let format = Format::from_path(path).unwrap_or(Format::Text);
    let source = match SourceFile::from_bytes(path, format, &bytes, Encoding::Utf8) {
        Ok(s) => s,
        Err(e) => {
            super::print_source_error(path, &e);
            return Err(Outcome::Failed(super::TROUBLE));
        }
    };
    match fmt::format(&source, options) {
        Ok(f) => Ok((source, f, bytes)),
        Err(fmt::Error::Unparsable(diagnostics)) => {
            super::print_diagnostics(&source, &diagnostics);
            eprintln!(
                "error: {} could not be parsed and was left untouched (fix the errors, then run fmt again)\n",
                path.display()
            );
            Err(Outcome::Failed(super::FAILURE))
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            Err(Outcome::Failed(super::TROUBLE))
        }
    }
}

fn write(path: &Path, args: &Args, source: &SourceFile, formatted: &fmt::Formatted, bytes: Vec<u8>) -> Outcome {
    super::print_diagnostics(source, &formatted.diagnostics);
    // Formatting away every character would leave a file that every
    // command refuses as empty: such a file (only blank lines, or only
    // debris) is left as it is.
    if formatted.text.trim().is_empty() && !bytes.is_empty() {
        eprintln!(
            "warning: {} has no text to format (only whitespace or debris) and was left untouched\n  = help: write the document's text into it, or delete it\n",
            path.display()
        );
        if args.stdout {
            print!("{}", source.text);
        }
        return Outcome::Unchanged;
    }
    if args.stdout {
        print!("{}", formatted.text);
        return if formatted.text.as_bytes() == bytes { Outcome::Unchanged } else { Outcome::Changed };
    }
    if formatted.text.as_bytes() == bytes {
        return Outcome::Unchanged;
    }
    if args.check {
        let shown = path.display().to_string();
        let old = String::from_utf8_lossy(&bytes);
        let diff = TextDiff::from_lines(old.as_ref(), formatted.text.as_str());
        print!("{}", diff.unified_diff().context_radius(2).header(&shown, &shown));
        return Outcome::Changed;
    }
    // A read-only file is a decision someone made; the atomic rename would
    // replace it anyway, so refuse here.
    if fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        eprintln!("error: {} is read-only and was left untouched (make it writable, or use --stdout)", path.display());
        return Outcome::Failed(super::TROUBLE);
    }
    match crate::write::write_atomic(path, formatted.text.as_bytes()) {
        Ok(()) => Outcome::Changed,
        Err(e) => {
            eprintln!(
                "error: cannot write {} (the original is intact): {}",
                path.display(),
                crate::source::io_reason(&e)
            );
            Outcome::Failed(super::TROUBLE)
        }
    }
}
