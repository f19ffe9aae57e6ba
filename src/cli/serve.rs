//! `policyc serve [POLICIES_DIR] [-o OUTPUT_DIR] [--port N]`: build, watch,
//! and serve the output on 127.0.0.1 with live reload, for editors who
//! preview as they type.

use super::build::build_and_report;
use super::watch::{rebuild_on_change, watcher};
use crate::serve::Server;

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
    if build_and_report(&options, quiet).is_none() {
        return super::TROUBLE;
    }
    let watcher = match watcher(&options) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let server = match Server::bind(&options.output, args.port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return super::TROUBLE;
        }
    };
    // The address is the point of the command: printed even with --quiet.
    eprintln!("serving {} at http://{}/ (Ctrl-C to stop)", options.output.display(), server.addr());
    let rebuild = options.clone();
    std::thread::spawn(move || rebuild_on_change(&watcher, &rebuild, quiet));
    match server.run() {
        Ok(()) => super::SUCCESS,
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            super::TROUBLE
        }
    }
}
