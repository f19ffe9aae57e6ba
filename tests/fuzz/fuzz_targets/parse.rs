//! Fuzz target over `policyc::parse::parse`; the property it checks is in
//! `../check/parse.rs`, which the stable driver in the test suite shares.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../check/parse.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::parse_and_check(data));
