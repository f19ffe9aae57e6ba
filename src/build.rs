//! Cargo build script: a digest of `Cargo.lock`, so that `policyc build`
//! takes outputs made with other versions of its dependencies (which may
//! write other bytes: serde-saphyr, minijinja, pulldown-cmark) as stale.
//! Changes to policyc's own output are keyed by `emit::FORMAT_VERSION`.

fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read("Cargo.lock").unwrap_or_default();
    // FNV-1a: stable across machines, no dependency.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in lock {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    println!("cargo:rustc-env=POLICYC_LOCK_DIGEST={hash:016x}");
}
