//! Web pages benchmark: `cargo bench --bench pages`.
//!
//! Importing the fixture pages of `tests/fixtures/html` (decode, html5ever,
//! content extraction, then parse and the three editions in memory) against
//! building the text dumps the sites published of the same pages
//! (`tests/fixtures/html/dumps`, parse and the three editions): the target
//! of issue 16 is at most 2× the time. Then the peak memory of importing
//! the largest page, in a child process of this binary (its peak resident
//! set less what it held before, after a small page has been imported
//! once, so that one-time costs are not counted), against 10× the page's
//! size.
//!
//! Each timing is the median of `POLICYC_BENCH_RUNS` rounds (default 5)
//! over all pages, each round repeating the set 20 times.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use policyc::emit::html::Renderer;
use policyc::emit::{self, Edition};
use policyc::parse::parse;
use policyc::source::{Encoding, Format, SourceFile};

const MEMORY_JOB: &str = "POLICYC_BENCH_PAGES_MEMORY";
const REPEAT: usize = 20;

fn main() {
    if let Ok(path) = std::env::var(MEMORY_JOB) {
        memory_job(Path::new(&path));
        return;
    }
    let runs: usize = std::env::var("POLICYC_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
    let mut pairs: Vec<(PathBuf, Vec<u8>, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(dir.join("dumps")).expect("the dumps").flatten() {
        let dump = entry.path();
        let stem = dump.file_stem().expect("a name").to_string_lossy().into_owned();
        let page = dir.join(format!("{stem}.html"));
        pairs.push((page.clone(), std::fs::read(&page).expect("the page"), std::fs::read(&dump).expect("the dump")));
    }
    pairs.sort();
    let renderer = Renderer::builtin();
    let page_bytes: usize = pairs.iter().map(|p| p.1.len()).sum();
    let dump_bytes: usize = pairs.iter().map(|p| p.2.len()).sum();
    println!(
        "{} pages ({:.0} KB of HTML, {:.0} KB of text dumps), {REPEAT} passes a round, median of {runs} rounds\n",
        pairs.len(),
        page_bytes as f64 / 1e3,
        dump_bytes as f64 / 1e3
    );
    let pages = median(runs, || {
        for (path, bytes, _) in &pairs {
            let source = SourceFile::from_bytes(path, Format::Html, bytes, Encoding::Utf8).expect("a page");
            build(&source, &renderer);
        }
    });
    let dumps = median(runs, || {
        for (path, _, bytes) in &pairs {
            let source = SourceFile::from_bytes(path.with_extension("txt"), Format::Text, bytes, Encoding::Utf8)
                .expect("a dump");
            build(&source, &renderer);
        }
    });
    let per = |t: Duration| t.as_secs_f64() * 1e3 / (REPEAT * pairs.len()) as f64;
    let ratio = pages.as_secs_f64() / dumps.as_secs_f64();
    println!("{:<52} {:>10}", "import a page (extract, parse, 3 editions)", format!("{:.2} ms", per(pages)));
    println!("{:<52} {:>10}", "build its text dump (parse, 3 editions)", format!("{:.2} ms", per(dumps)));
    println!(
        "{:<52} {:>10}   target ≤ 2×  {}",
        "pages ÷ dumps",
        format!("{ratio:.2}×"),
        if ratio <= 2.0 { "met" } else { "MISSED" }
    );
    let (largest, size) =
        pairs.iter().map(|p| (p.0.clone(), p.1.len())).max_by_key(|p| p.1).expect("at least one page");
    let peak = measure_memory(&largest);
    let times = peak as f64 / size as f64;
    let dump = largest
        .parent()
        .expect("a directory")
        .join("dumps")
        .join(largest.with_extension("dump").file_name().expect("a name"));
    let dump_peak = measure_memory(&dump);
    println!("{:<52} {:>10}", "peak memory, its text dump built", format!("{:.0} KB", dump_peak as f64 / 1e3));
    println!(
        "{:<52} {:>10}   target ≤ 10× {}",
        format!("peak memory, largest page ({:.0} KB)", size as f64 / 1e3),
        format!("{:.0} KB = {times:.1}×", peak as f64 / 1e3),
        if times <= 10.0 { "met" } else { "MISSED" }
    );
}

fn build(source: &SourceFile, renderer: &Renderer) {
    let document = parse(source).document;
    drop(emit::render(&document, Edition::Yaml).expect("YAML"));
    drop(emit::render(&document, Edition::Markdown).expect("Markdown"));
    drop(renderer.document(&document, Some("page")).expect("HTML"));
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..REPEAT {
                f();
            }
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn measure_memory(page: &Path) -> usize {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let out = Command::new(exe).env(MEMORY_JOB, page).stderr(Stdio::inherit()).output().expect("the child runs");
    assert!(out.status.success(), "the memory job failed");
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("a number of bytes")
}

/// In the child: import one page (its bytes already read, the templates
/// already loaded) and print the peak resident memory that added.
fn memory_job(page: &Path) {
    let bytes = std::fs::read(page).expect("the page");
    let renderer = Renderer::builtin();
    let format = if page.extension().is_some_and(|e| e == "html") { Format::Html } else { Format::Text };
    // One small page first: what every import allocates once (the
    // templates compiled on first use, the lazily built patterns,
    // html5ever's tables) is not what a page costs.
    let warm = "<html><head><title>某通知</title></head><body><div class=\"TRS_Editor\"><p>关于某事的通知</p>\
                <p>一、总体要求</p><p>（一）坚持创新。</p><table><tr><th>甲</th><th>乙</th></tr><tr><td>1</td><td>2</td></tr></table>\
                </div></body></html>";
    let warm_up = SourceFile::from_bytes("warm.html", Format::Html, warm.as_bytes(), Encoding::Utf8).expect("a page");
    build(&warm_up, &renderer);
    let text =
        SourceFile::from_bytes("warm.txt", Format::Text, "关于某事的通知\n一、总体要求\n".as_bytes(), Encoding::Utf8)
            .expect("a text");
    build(&text, &renderer);
    drop((warm_up, text));
    let before = status_kb("VmRSS:");
    let source = SourceFile::from_bytes(page, format, &bytes, Encoding::Utf8).expect("a page");
    build(&source, &renderer);
    let peak = status_kb("VmHWM:");
    println!("{}", peak.saturating_sub(before) * 1024);
}

fn status_kb(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
