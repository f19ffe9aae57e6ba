//! The configuration of every property test: the unit tests in `src/` use
//! it as `crate::testing`, and the integration suite includes this file
//! from `tests/suite/common.rs`, so both run the same way.

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// The seed of the bounded runs in `cargo test`: CI replays the same cases
/// every time, so a failure there is a failure on every machine.
pub const SEED: u64 = 20_260_105;

/// `cases` cases drawn from [`SEED`]. `PROPTEST_RNG_SEED` draws other
/// cases and `PROPTEST_CASES` more of them (proptest reads both after this
/// configuration). Failures are kept under `tests/proptest-regressions/`,
/// named by the test's source file, and replayed first.
pub fn proptest_config(cases: u32) -> Config {
    // proptest walks up from the test's source file to the directory that
    // holds `lib.rs` or `main.rs` (`src/`, `tests/suite/`) and writes in a
    // sibling of it: for the unit tests that sibling is under `tests/`.
    let regressions =
        if module_path!().starts_with("policyc::") { "tests/proptest-regressions" } else { "proptest-regressions" };
    Config {
        cases,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(regressions))),
        ..Config::default()
    }
}
