//! `policyc serve [POLICIES_DIR] [-o OUTPUT_DIR] [--port N]`: build, watch,
//! and serve the output on 127.0.0.1 with live reload, for editors who
//! preview as they type.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::build::build_and_report_each;
use super::watch::{rebuild_on_change, watcher};
use crate::publish::FileReport;
use crate::serve::{Overlays, Problem, Server};

// The flattened build options bring their own argument group, named
// `Args` as this one would be.
#[derive(clap::Args)]
#[group(skip)]
pub struct Args {
    #[command(flatten)]
    pub(super) build: super::build::Args,
    /// The port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8000)]
    port: u16,
}

pub fn run(args: Args) -> u8 {
    let options = args.build.options();
    let quiet = args.build.quiet;
    let server = match Server::bind(&options.output, args.port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return super::TROUBLE;
        }
    };
    let failures = Failures { overlays: server.overlays(), failed: Mutex::default() };
    if build_and_report_each(&options, quiet, &|file| failures.note(file)).is_none() {
        return super::TROUBLE;
    }
    failures.finish(true);
    let watcher = match watcher(&options) {
        Ok(w) => w,
        Err(code) => return code,
    };
    // The address is the point of the command: printed even with --quiet.
    eprintln!("serving {} at http://{}/ (Ctrl-C to stop)", options.output.display(), server.addr());
    let rebuild = options.clone();
    std::thread::spawn(move || {
        rebuild_on_change(&watcher, &rebuild, quiet, &|file| failures.note(file), &|ran| failures.finish(ran));
    });
    match server.run() {
        Ok(()) => super::SUCCESS,
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            super::TROUBLE
        }
    }
}

/// The failed sources of the build under way, handed to the server's
/// overlays when it ends.
struct Failures {
    overlays: Arc<Overlays>,
    failed: Mutex<BTreeMap<String, Vec<Problem>>>,
}

impl Failures {
    fn note(&self, file: &FileReport) {
        if let Some(found) = crate::serve::problems(file)
            && let Ok(mut failed) = self.failed.lock()
        {
            failed.insert(file.slug.clone(), found);
        }
    }

    /// The build ended: when it ran to the end, its failures replace the
    /// last build's; a build that stopped half-way says too little to
    /// change them.
    fn finish(&self, ran: bool) {
        if let Ok(mut failed) = self.failed.lock() {
            if ran {
                self.overlays.replace(&failed);
            }
            failed.clear();
        }
    }
}
