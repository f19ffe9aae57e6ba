//! policyc's integration tests: one binary, one module per area.
//! See tests/README.md for how to add a case.

mod common;

mod bad_input;
mod browser;
mod build;
mod check;
mod corpus;
mod diff;
mod docs;
mod docx;
mod editions;
mod editors;
mod fmt;
mod format_version;
mod frame;
mod history;
mod html_fast;
mod layers;
mod lsp;
mod owners;
mod pages;
mod parse;
mod properties;
mod robustness;
mod seeds;
mod serve;
mod site;
mod tables;
mod yaml_writer;
