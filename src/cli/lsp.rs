//! `policyc lsp`: the language server on stdin/stdout (see [`crate::lsp`]).
//!
//! Editors start it and speak JSON-RPC to it; it prints nothing else on
//! stdout, and nothing on stderr unless it cannot start.

#[derive(clap::Args)]
pub struct Args {
    /// Talk over stdin/stdout (the only transport; accepted because
    /// vscode-languageclient and others pass it).
    #[arg(long)]
    stdio: bool,
}

pub fn run(args: Args) -> u8 {
    let _ = args.stdio;
    let stdin = std::io::BufReader::new(std::io::stdin());
    crate::lsp::serve(stdin, std::io::stdout())
}
