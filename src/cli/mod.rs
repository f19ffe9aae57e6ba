//! The command line: the only module that prints.
//!
//! Exit codes, for every subcommand: 0 success (for `check`: no errors; for
//! `diff`: no differences), 1 the input has errors (or differs, or would be
//! reformatted), 2 usage or I/O trouble.

mod build;
mod check;
mod diff;
mod explain;
mod fmt;
mod import;
mod lsp;
mod owners;
mod parse;
mod serve;
mod watch;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::{self, Diagnostic};
use crate::source::{ReadError, SourceError, SourceFile};

#[derive(Parser)]
#[command(name = "policyc", version, about = "A compiler for Chinese policy documents", max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one document and print one edition to stdout.
    Parse(parse::Args),
    /// Build a directory of sources into a directory of editions.
    Build(build::Args),
    /// Each responsible unit and the clauses it leads, across policies.
    Owners(owners::Args),
    /// Compare two revisions clause by clause (exit 0 same, 1 different).
    Diff(diff::Args),
    /// Format sources in place: renumber, canonical markers and punctuation.
    Fmt(fmt::Args),
    /// Check documents and report what a proof-reader would find.
    Check(check::Args),
    /// Explain a diagnostic code (or list them all).
    Explain(explain::Args),
    /// Build, then rebuild whenever a source changes.
    Watch(watch::Args),
    /// Build, watch, and serve the output on 127.0.0.1 with live reload.
    Serve(serve::Args),
    /// The language server for editors, on stdin/stdout.
    Lsp(lsp::Args),
    /// Convert a saved web page or a Word document into a text source to edit.
    Import(import::Args),
}

pub const SUCCESS: u8 = 0;
pub const FAILURE: u8 = 1;
pub const TROUBLE: u8 = 2;

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { TROUBLE } else { SUCCESS });
        }
    };
    let code = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Build(args) => build::run(args),
        Command::Owners(args) => owners::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Import(args) => import::run(args),
    };
    ExitCode::from(code)
}

/// Whether to colour output on stderr: a terminal, and NO_COLOR not set.
pub fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Print diagnostics of one file to stderr in the human format.
pub fn print_diagnostics(source: &SourceFile, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    eprint!("{}", diag::human::render(diagnostics, source, color_stderr()));
}

/// Print why a source could not be read, naming the path the person gave:
/// a decoding problem with its line and column, anything else with what to
/// do. Every command reports an unreadable source through here.
pub fn print_read_error(path: &std::path::Path, err: &ReadError) {
    match err {
        ReadError::Decode(e) => print_source_error(path, e),
        other => eprintln!("error: cannot read {}: {other}\n  = help: {}\n", path.display(), other.help()),
    }
}

/// The path that names standard input.
pub const STDIN: &str = "-";

/// Whether `path` is `-`, standard input.
pub fn is_stdin(path: &std::path::Path) -> bool {
    path.as_os_str() == STDIN
}

/// Read a source: the file at `path`, or standard input for `-` (read as
/// plain text and shown as `<stdin>`).
pub fn read_source(path: &std::path::Path, encoding: crate::source::Encoding) -> Result<SourceFile, ReadError> {
    read_source_with(path, encoding, crate::source::docx::Changes::Accept)
}

/// [`read_source`], choosing which text of a Word document with tracked
/// changes is read (`--changes`).
pub fn read_source_with(
    path: &std::path::Path,
    encoding: crate::source::Encoding,
    changes: crate::source::docx::Changes,
) -> Result<SourceFile, ReadError> {
    if !is_stdin(path) {
        return SourceFile::read_with(path, encoding, changes);
    }
    let bytes = read_stdin()?;
    Ok(SourceFile::from_bytes("<stdin>", crate::source::Format::Text, &bytes, encoding)?)
}

/// [`read_source`], printing why a source cannot be read (in the shape of a
/// diagnostic) and giving `None` then: what every command does with a source
/// it cannot read.
pub fn read_or_report(
    path: &std::path::Path,
    encoding: crate::source::Encoding,
    changes: crate::source::docx::Changes,
) -> Option<SourceFile> {
    read_source_with(path, encoding, changes).inspect_err(|e| print_read_error(path, e)).ok()
}

/// Standard input's bytes, held to the same size limit as a file.
pub fn read_stdin() -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let limit = crate::source::max_source_size()?;
    let mut bytes = Vec::new();
    std::io::stdin().lock().take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Print why a file could not be read, in the same shape as a diagnostic.
pub fn print_source_error(path: &std::path::Path, err: &SourceError) {
    let (line, column) = err.position();
    eprintln!("error: {err}\n  --> {}:{line}:{column}\n  = help: {}\n", path.display(), err.help());
}
