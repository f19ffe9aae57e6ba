//! `policyc build [POLICIES_DIR] [-o OUTPUT_DIR]`

use std::path::PathBuf;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::publish::{self, BuildOptions, Failure, Outcome};
use crate::source::SourceFile;
use crate::tree::Document;
use crate::validate::{self, Config};

#[derive(clap::Args)]
pub struct Args {
    /// The directory of sources.
    #[arg(default_value = "policies")]
    input: PathBuf,
    /// The directory the editions go to.
    #[arg(short, long, default_value = "output")]
    output: PathBuf,
    /// A directory whose templates override the built-in ones.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Publish documents even when they have errors.
    #[arg(long)]
    allow_errors: bool,
    /// Threads to use (default: one per core).
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> u8 {
    if let Some(jobs) = args.jobs {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global();
    }
    let started = Instant::now();
    let options = BuildOptions {
        input: args.input,
        output: args.output,
        templates: args.templates,
        allow_errors: args.allow_errors,
    };
    let config = match Config::discover(&options.input) {
        Ok(c) => c,
        Err(e) => {
            super::check::print_config_error(&e);
            return super::TROUBLE;
        }
    };
    let checker = move |source: &SourceFile, document: &Document, diagnostics: &mut Vec<Diagnostic>| {
        validate::check_parsed(source, document, &config, diagnostics);
    };
    let report = match publish::build(&options, &checker) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return super::TROUBLE;
        }
    };
    for file in &report.files {
        if let Some(source) = &file.source {
            let shown: Vec<_> = file
                .diagnostics
                .iter()
                .filter(|d| !args.quiet || d.severity == crate::diag::Severity::Error)
                .filter(|d| d.severity != crate::diag::Severity::Note)
                .cloned()
                .collect();
            super::print_diagnostics(source, &shown);
        }
        if let Outcome::Failed(failure) = &file.outcome {
            match failure {
                Failure::Decode(e) => super::print_source_error(&file.path, e),
                Failure::Read(e) => eprintln!("error: cannot read {}: {e}", file.path.display()),
                Failure::Errors => eprintln!(
                    "error: {} has errors and was not published (fix them, or pass --allow-errors)\n",
                    file.path.display()
                ),
                Failure::Emit(e) => eprintln!("error: {}: {e}", file.path.display()),
                Failure::Write(path, e) => eprintln!("error: cannot write {}: {e}", path.display()),
            }
        }
    }
    if !args.quiet {
        eprintln!(
            "built {}, unchanged {}, failed {}, removed {} in {:.2}s",
            report.built(),
            report.unchanged(),
            report.failed(),
            report.removed.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if report.failed() > 0 { super::FAILURE } else { super::SUCCESS }
}
