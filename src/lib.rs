//! policyc: a compiler for Chinese policy documents.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! source ──▶ parse ──▶ tree ──▶ validate ──▶ emit (yaml, json, markdown, html, docx)
//!                                     └────▶ diff / fmt / publish ──▶ cli
//! ```
//!
//! - [`source`] decodes bytes (UTF-8; GB18030 detected and explained; Word
//!   documents read as Word shows them) and
//!   indexes lines;
//! - [`parse`] reads the text with the pest grammar in `grammar/` into the
//!   typed [`tree::Document`], never failing: problems become diagnostics;
//! - [`validate`] checks a document the way a proof-reader does, with rules
//!   configured in `policyc.toml` or a file's front matter;
//! - [`emit`] turns a document into its editions, purely;
//! - [`publish`] builds a directory of sources into a directory of editions,
//!   writing only through [`write`](mod@write);
//! - [`cli`] is the only module that prints.
//!
//! ```
//! let parsed = policyc::parse::parse_str("一、总则\n（一）适用范围。本办法适用于全省。\n");
//! let part = &parsed.document.body[0];
//! assert_eq!(part.children[0].title.as_deref(), Some("适用范围。"));
//! let yaml = policyc::emit::render(&parsed.document, policyc::emit::Edition::Yaml).unwrap();
//! assert!(yaml.contains("marker: 一、"));
//! ```

pub mod cli;
pub mod diag;
pub mod diff;
pub mod digest;
pub mod emit;
pub mod escape;
pub mod fmt;
pub mod lsp;
pub mod numeral;
pub mod owners;
pub mod parse;
pub mod publish;
pub mod recognize;
pub mod scan;
pub mod serve;
pub mod source;
#[cfg(test)]
mod testing;
pub mod text;
pub mod tree;
pub mod validate;
pub mod write;
