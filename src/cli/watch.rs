//! `policyc watch [POLICIES_DIR] [-o OUTPUT_DIR]`: build, then rebuild
//! whenever a source (or an overriding template) changes.

use std::path::PathBuf;

use super::build::{build_and_report, build_and_report_each};
use crate::publish::{BuildOptions, FileReport};
use crate::serve::Watcher;

// The flattened build options bring their own argument group, named
// `Args` as this one would be.
#[derive(clap::Args)]
#[group(skip)]
pub struct Args {
    #[command(flatten)]
    pub(super) build: super::build::Args,
}

pub fn run(args: Args) -> u8 {
    let options = args.build.options();
    if build_and_report(&options, args.build.quiet).is_none() {
        return super::TROUBLE;
    }
    let watcher = match watcher(&options) {
        Ok(w) => w,
        Err(code) => return code,
    };
    if !args.build.quiet {
        eprintln!("watching {} for changes (Ctrl-C to stop)", options.input.display());
    }
    rebuild_on_change(&watcher, &options, args.build.quiet, &|_| {}, &|_| {});
    super::SUCCESS
}

/// The watcher over the sources and the template overrides.
pub(super) fn watcher(options: &BuildOptions) -> Result<Watcher, u8> {
    let mut dirs: Vec<PathBuf> = vec![options.input.clone()];
    dirs.extend(options.templates.clone());
    Watcher::new(&dirs, Some(&options.output)).map_err(|e| {
        eprintln!("error: {e}");
        super::TROUBLE
    })
}

/// Rebuild after every settled burst of changes, until watching stops;
/// `each` sees every file's report, and `done` is told after each build
/// whether it ran to the end.
pub(super) fn rebuild_on_change(
    watcher: &Watcher,
    options: &BuildOptions,
    quiet: bool,
    each: &(dyn Fn(&FileReport) + Sync),
    done: &dyn Fn(bool),
) {
    while let Some(changed) = watcher.wait() {
        if !quiet {
            let names: Vec<String> =
                changed.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
            eprintln!("changed: {}", if names.is_empty() { "?".to_owned() } else { names.join(", ") });
        }
        // A failed build is reported; the next change gets another try.
        done(build_and_report_each(options, quiet, each).is_some());
    }
}
