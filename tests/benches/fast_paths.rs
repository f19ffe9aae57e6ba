//! What each edition's fast path saves: `cargo bench --bench fast_paths`.
//!
//! For every seed in `policies/` (one document of 7–30 KB) and for the
//! seeds joined into one document of about 1 MB: the YAML edition through
//! policyc's writer against serde-saphyr's `to_string` of the same tree
//! (which writes each span as a block sequence of four lines, where the
//! edition has a flow sequence on one), and
//! the HTML page with the built-in templates (clauses and table of contents
//! written in Rust) against the same templates all through minijinja. Each
//! figure is the median of `POLICYC_BENCH_RUNS` timed runs (default 21) of
//! a loop that takes about 50 ms. The figures decide whether a fast path is
//! worth its code; they are quoted in ARCHITECTURE.md.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use policyc::emit::html::Renderer;
use policyc::emit::yaml::to_yaml;
use policyc::parse::parse;
use policyc::source::{Format, SourceFile};

fn main() {
    let runs: usize = std::env::var("POLICYC_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(21).max(1);
    let mut cases = seeds();
    let joined: String = cases.iter().map(|(_, text)| text.as_str()).cycle().take(cases.len() * 16).collect();
    cases.push(("the seeds joined".to_owned(), joined));
    let fast = Renderer::builtin();
    let interpreted = Renderer::builtin_interpreted();
    println!("| document | source | YAML: serde-saphyr | YAML: policyc | HTML: minijinja | HTML: fast path |");
    println!("|---|---|---|---|---|---|");
    for (name, text) in &cases {
        let source = SourceFile::from_text(format!("{name}.txt"), Format::Text, text.as_str());
        let document = parse(&source).document;
        let saphyr = time(runs, || serde_saphyr::to_string(&document).map(drop).expect("YAML"));
        let ours = time(runs, || to_yaml(&document).map(drop).expect("YAML"));
        let minijinja = time(runs, || interpreted.document(&document, Some("doc")).map(drop).expect("HTML"));
        let compiled = time(runs, || fast.document(&document, Some("doc")).map(drop).expect("HTML"));
        println!(
            "| {name} | {:.1} KB | {} | {} ({:.1}×) | {} | {} ({:.1}×) |",
            text.len() as f64 / 1e3,
            show(saphyr),
            show(ours),
            saphyr.as_secs_f64() / ours.as_secs_f64(),
            show(minijinja),
            show(compiled),
            minijinja.as_secs_f64() / compiled.as_secs_f64(),
        );
    }
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 { format!("{:.2} ms", us / 1000.0) } else { format!("{us:.0} µs") }
}

/// The median time of one call of `f`, each run a loop of about 50 ms.
fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_micros(1));
    let rounds = (Duration::from_millis(50).as_secs_f64() / once.as_secs_f64()).clamp(1.0, 10_000.0) as u32;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..rounds {
                f();
            }
            start.elapsed() / rounds
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The seeds, as (file name, text), in file-name order.
fn seeds() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(), text)
        })
        .collect()
}
