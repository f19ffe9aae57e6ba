//! `policyc build [POLICIES_DIR] [-o OUTPUT_DIR]`
//!
//! Also the reporting that `watch` and `serve` share: diagnostics of each
//! file, why a file failed, and the one-line summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diag::Diagnostic;
use crate::publish::{self, BuildOptions, BuildReport, Failure, FileReport, Outcome, Progress};
use crate::source::SourceFile;
use crate::tree::Document;
use crate::validate::{self, Config};

#[derive(clap::Args)]
pub struct Args {
    /// The directory of sources.
    #[arg(default_value = "policies")]
    pub(super) input: PathBuf,
    /// The directory the editions go to.
    #[arg(short, long, default_value = "output")]
    pub(super) output: PathBuf,
    /// A directory whose templates override the built-in ones.
    #[arg(long)]
    pub(super) templates: Option<PathBuf>,
    /// Publish documents even when they have errors.
    #[arg(long)]
    pub(super) allow_errors: bool,
    /// Threads to use (default: one per core).
    #[arg(short, long)]
    pub(super) jobs: Option<usize>,
    /// Print nothing but errors (and no progress bar).
    #[arg(short, long)]
    pub(super) quiet: bool,
}

impl Args {
    pub(super) fn options(&self) -> BuildOptions {
        if let Some(jobs) = self.jobs {
            let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global();
        }
        BuildOptions {
            input: self.input.clone(),
            output: self.output.clone(),
            templates: self.templates.clone(),
            allow_errors: self.allow_errors,
            settings: crate::validate::config::find_project_file(&self.input)
                .and_then(|path| std::fs::read_to_string(path).ok())
                .unwrap_or_default(),
        }
    }
}

pub fn run(args: Args) -> u8 {
    let options = args.options();
    build_and_report(&options, args.quiet).map_or(super::TROUBLE, |report| exit_code(&report))
}

/// 2 when a source could not be read as text (or an edition written), as
/// for every command; else 1 when a source failed for what it says; else 0.
pub(super) fn exit_code(report: &BuildReport) -> u8 {
    if report.io_failures() > 0 {
        super::TROUBLE
    } else if report.failed() > 0 {
        super::FAILURE
    } else {
        super::SUCCESS
    }
}

/// Build, with a progress bar on a terminal, then print what went wrong and
/// the summary. `None` when the build as a whole could not run.
pub(super) fn build_and_report(options: &BuildOptions, quiet: bool) -> Option<BuildReport> {
    build_and_report_each(options, quiet, &|_| {})
}

/// [`build_and_report`], also handing each file's report, diagnostics
/// included, to `each` as it is done.
pub(super) fn build_and_report_each(
    options: &BuildOptions,
    quiet: bool,
    each: &(dyn Fn(&FileReport) + Sync),
) -> Option<BuildReport> {
    let started = Instant::now();
    // The same checks as `policyc check`, configured by the nearest
    // policyc.toml; a document with errors is not published.
    let config = match Config::discover(&options.input) {
        Ok(c) => c,
        Err(e) => {
            super::check::print_config_error(&e);
            return None;
        }
    };
    let checker = move |source: &SourceFile, document: &Document, diagnostics: &mut Vec<Diagnostic>| {
        validate::check_parsed(source, document, &config, diagnostics);
    };
    let bar = Bar::new(!quiet && std::io::stderr().is_terminal(), quiet, each);
    let result = publish::build_with_progress(options, &checker, &bar);
    bar.bar.finish_and_clear();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            match &e {
                publish::BuildError::SourceInOutput { .. } => eprintln!(
                    "error: {e}\n  = help: keep sources apart from the editions: copy the file into the policies directory\n"
                ),
                publish::BuildError::Overlap { .. } => eprintln!(
                    "error: {e}\n  = help: editions go to a directory of their own, apart from the sources: `policyc build {} -o output`\n",
                    options.input.display()
                ),
                _ => eprintln!("error: {e}"),
            }
            return None;
        }
    };
    if !quiet {
        eprintln!(
            "built {}, unchanged {}, failed {}, removed {} in {:.2}s",
            report.built(),
            report.unchanged(),
            report.failed(),
            report.removed.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Some(report)
}

fn print_file(file: &FileReport, quiet: bool) {
    if let Some(source) = &file.source {
        let shown: Vec<_> = file
            .diagnostics
            .iter()
            .filter(|d| !quiet || d.severity == crate::diag::Severity::Error)
            .filter(|d| d.severity != crate::diag::Severity::Note)
            .cloned()
            .collect();
        super::print_diagnostics(source, &shown);
    }
    if let Outcome::Failed(failure) = &file.outcome {
        match failure {
            // Both have a place in the file, shown as a diagnostic's.
            Failure::Decode(e) => super::print_source_error(&file.path, e),
            Failure::Read(e) => super::print_read_error(&file.path, e),
            other => {
                let (message, help) = other.describe(&file.path, &file.slug);
                let help = help.map(|h| format!("  = help: {h}\n")).unwrap_or_default();
                eprintln!("error: {} {message}\n{help}", file.path.display());
            }
        }
    }
}

/// The progress bar: drawn only on a terminal, and only once a build has
/// taken more than a moment, so that a quick rebuild does not flicker.
/// Each file's diagnostics are printed as the build hands it over (in slug
/// order), above the bar.
struct Bar<'a> {
    bar: ProgressBar,
    each: &'a (dyn Fn(&FileReport) + Sync),
    enabled: bool,
    quiet: bool,
    started: Instant,
    shown: AtomicBool,
}

const SHOW_AFTER: Duration = Duration::from_millis(300);

impl<'a> Bar<'a> {
    fn new(enabled: bool, quiet: bool, each: &'a (dyn Fn(&FileReport) + Sync)) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} building {pos}/{len} {wide_bar} {eta}") {
            bar.set_style(style);
        }
        Bar { bar, each, enabled, quiet, started: Instant::now(), shown: AtomicBool::new(false) }
    }
}

impl Progress for Bar<'_> {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn done(&self, file: &FileReport) {
        self.bar.suspend(|| print_file(file, self.quiet));
        (self.each)(file);
        self.bar.inc(1);
        if self.enabled
            && self.started.elapsed() > SHOW_AFTER
            && self.shown.compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}
