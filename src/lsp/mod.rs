//! `policyc lsp`: a Language Server Protocol server on stdio, so that an
//! editor sees what `policyc check` sees as the text is typed.
//!
//! Takes JSON-RPC messages (documents opened and changed, requests at
//! positions); gives diagnostics, quick fixes, formatting, the clause tree,
//! and navigation over internal references. It reuses the pipeline whole:
//! `validate::run` with the project configuration and front matter
//! ([`diagnostics`]), `policyc fmt` and the fixes of `check --fix`
//! ([`actions`]), the reference resolver of the `X001` rule
//! ([`references`]). Positions are UTF-16, converted from byte spans in
//! [`documents`] only.
//!
//! The main loop ([`server`]) only keeps the documents' text: checks and
//! the requests that need a checked tree run on a worker thread, debounced,
//! and a check whose document changed while it ran is dropped unpublished.

pub mod actions;
pub mod diagnostics;
pub mod documents;
pub mod references;
pub mod server;
pub mod symbols;
pub mod transport;

pub use server::serve;
