//! policyc's integration tests: one binary, one module per area.
//! See tests/README.md for how to add a case.

mod common;

mod bad_input;
mod editions;
mod properties;
mod seeds;
