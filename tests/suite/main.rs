//! policyc's integration tests: one binary, one module per area.
//! See tests/README.md for how to add a case.

mod common;

mod bad_input;
mod browser;
mod build;
mod check;
mod corpus;
mod diff;
mod editions;
mod fmt;
mod frame;
mod history;
mod html_fast;
mod owners;
mod parse;
mod properties;
mod robustness;
mod seeds;
mod serve;
mod site;
mod yaml_fast;
