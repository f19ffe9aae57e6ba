//! Web pages benchmark: `cargo bench --bench pages`.
//!
//! Speed: every page of `tests/fixtures/html` that has the site's own text
//! dump beside it (`dumps/`) and every corpus page kept in
//! `tests/fixtures/corpus/web` (`NNN.html` with the site's `NNN.txt`), each
//! built as `policyc build` builds a source (for a page: decode, html5ever,
//! the content found; then parse, check, and the YAML, Markdown, HTML and
//! Word editions in memory) against building its dump. The target of issue
//! 16 is at most 2× the time. `policyc import` alone (the text found, and
//! parsed for its errors) is timed beside it.
//!
//! Memory: importing the largest page, in a child process of this binary,
//! after a small page has been imported once (so that one-time costs are
//! not counted): the heap's peak, counted by the allocator, against 10× the
//! page's size; and the peak resident set less what the process held
//! before, which adds the allocator's arenas and code paged in. Building
//! the page, and its dump, are measured the same way beside it.
//!
//! Each timing is the median of `POLICYC_BENCH_RUNS` rounds (default 5)
//! over all pages, each round repeating the set 20 times.

use std::alloc::System;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use peakmem_alloc::{INSTRUMENTED_SYSTEM, PeakMemAlloc, PeakMemAllocTrait};
use policyc::emit::html::Renderer;
use policyc::emit::{self, Edition};
use policyc::parse::parse;
use policyc::source::{Encoding, Format, SourceFile, html};
use policyc::validate::Config;

const MEMORY_JOB: &str = "POLICYC_BENCH_PAGES_MEMORY";

/// The heap's peak, for the memory job: the resident set alone mostly
/// measures the allocator's arenas at these sizes. Counting costs the
/// timings a few percent, pages and dumps alike.
#[global_allocator]
static HEAP: &PeakMemAlloc<System> = &INSTRUMENTED_SYSTEM;

const REPEAT: usize = 20;

fn main() {
    if let Ok(job) = std::env::var(MEMORY_JOB) {
        memory_job(&job);
        return;
    }
    let runs: usize = std::env::var("POLICYC_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pairs: Vec<(PathBuf, Vec<u8>, Vec<u8>)> = Vec::new();
    // The layout fixtures with the site's dump beside them, and the corpus
    // pages kept in the tests (each `NNN.html` with its `NNN.txt`).
    for entry in std::fs::read_dir(fixtures.join("html/dumps")).expect("the dumps").flatten() {
        let dump = entry.path();
        let stem = dump.file_stem().expect("a name").to_string_lossy().into_owned();
        let page = fixtures.join(format!("html/{stem}.html"));
        pairs.push((page.clone(), std::fs::read(&page).expect("the page"), std::fs::read(&dump).expect("the dump")));
    }
    for entry in std::fs::read_dir(fixtures.join("corpus/web")).expect("the corpus pages").flatten() {
        let page = entry.path();
        if page.extension().is_some_and(|e| e == "html") {
            let bytes = std::fs::read(&page).expect("the page");
            // A page that only links its PDF is not imported.
            if SourceFile::from_bytes(&page, Format::Html, &bytes, Encoding::Utf8).is_ok() {
                pairs.push((page.clone(), bytes, std::fs::read(page.with_extension("txt")).expect("the dump")));
            }
        }
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
    let imports = median(runs, || {
        for (path, bytes, _) in &pairs {
            import(path, bytes);
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
    println!("{:<52} {:>10}", "build a page (extract, parse, check, 4 editions)", format!("{:.2} ms", per(pages)));
    println!("{:<52} {:>10}", "build its text dump (parse, check, 4 editions)", format!("{:.2} ms", per(dumps)));
    println!("{:<52} {:>10}", "import a page (extract, parse)", format!("{:.2} ms", per(imports)));
    println!("{:<52} {:>10}", "import ÷ dumps", format!("{:.2}×", imports.as_secs_f64() / dumps.as_secs_f64()));
    println!(
        "{:<52} {:>10}   target ≤ 2×  {}",
        "pages ÷ dumps",
        format!("{ratio:.2}×"),
        if ratio <= 2.0 { "met" } else { "MISSED" }
    );
    let (largest, size) =
        pairs.iter().map(|p| (p.0.clone(), p.1.len())).max_by_key(|p| p.1).expect("at least one page");
    let dump = largest
        .parent()
        .expect("a directory")
        .join("dumps")
        .join(largest.with_extension("dump").file_name().expect("a name"));
    println!("\npeak memory, the largest page ({:.0} KB), above what the process held before:", size as f64 / 1e3);
    let times = |bytes: usize| format!("{:.0} KB = {:.1}×", bytes as f64 / 1e3, bytes as f64 / size as f64);
    let import = measure_memory(&largest, "import");
    println!(
        "{:<52} {:>16}   target ≤ 10× {}",
        "import it: heap",
        times(import.heap),
        if import.heap <= 10 * size { "met" } else { "MISSED" }
    );
    println!("{:<52} {:>16}", "import it: resident", times(import.resident));
    let page = measure_memory(&largest, "build");
    println!("{:<52} {:>16}", "build it (4 editions): heap", times(page.heap));
    println!("{:<52} {:>16}", "build it (4 editions): resident", times(page.resident));
    let text = measure_memory(&dump, "build");
    println!("{:<52} {:>16}", "build its text dump: heap", times(text.heap));
    println!("{:<52} {:>16}", "build its text dump: resident", times(text.resident));
}

/// What `policyc build` does with one source, in memory: parse, check,
/// and the four editions.
fn build(source: &SourceFile, renderer: &Renderer) {
    let parsed = parse(source);
    let mut diagnostics = parsed.diagnostics;
    policyc::validate::check_parsed(source, &parsed.document, &Config::default(), &mut diagnostics);
    drop(diagnostics);
    let document = parsed.document;
    drop(emit::render(&document, Edition::Yaml).expect("YAML"));
    drop(emit::render(&document, Edition::Markdown).expect("Markdown"));
    drop(renderer.document(&document, Some("page")).expect("HTML"));
    drop(emit::render_bytes(&document, Edition::Docx).expect("Word"));
}

/// What `policyc import` does with one page: the text found, and parsed
/// for the errors it reports.
fn import(path: &Path, bytes: &[u8]) {
    let page = html::extract(bytes).expect("a page");
    let source = SourceFile::from_text(path, Format::Html, page.text);
    drop(parse(&source));
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

struct Memory {
    /// The heap's peak, counted by the allocator.
    heap: usize,
    /// The peak resident set (`VmHWM`), allocator and code pages included.
    resident: usize,
}

fn measure_memory(file: &Path, job: &str) -> Memory {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let out = Command::new(exe)
        .env(MEMORY_JOB, format!("{job}:{}", file.display()))
        .stderr(Stdio::inherit())
        .output()
        .expect("the child runs");
    assert!(out.status.success(), "the memory job failed");
    let out = String::from_utf8_lossy(&out.stdout);
    let mut numbers = out.split_whitespace().map(|n| n.parse().expect("a number of bytes"));
    Memory { heap: numbers.next().expect("the heap"), resident: numbers.next().expect("the resident set") }
}

/// In the child: import or build one file (its bytes already read, the
/// templates already loaded) and print the peak heap and resident memory
/// that added.
fn memory_job(job: &str) {
    let (job, path) = job.split_once(':').expect("JOB:PATH");
    let page = Path::new(path);
    let bytes = std::fs::read(page).expect("the page");
    let renderer = Renderer::builtin();
    let format = if page.extension().is_some_and(|e| e == "html") { Format::Html } else { Format::Text };
    // One small page first: what every import allocates once (the
    // templates compiled on first use, the selectors and patterns built on
    // first use, html5ever's interned names) is not what a page costs.
    let warm = "<html><head><title>某通知</title></head><body><div class=\"TRS_Editor\"><p>关于某事的通知</p>\
                <p>一、总体要求</p><p>（一）坚持创新。</p><table><tr><th>甲</th><th>乙</th></tr><tr><td>1</td><td>2</td></tr></table>\
                </div></body></html>";
    import(Path::new("warm.html"), warm.as_bytes());
    let warm_up = SourceFile::from_bytes("warm.html", Format::Html, warm.as_bytes(), Encoding::Utf8).expect("a page");
    build(&warm_up, &renderer);
    let text =
        SourceFile::from_bytes("warm.txt", Format::Text, "关于某事的通知\n一、总体要求\n".as_bytes(), Encoding::Utf8)
            .expect("a text");
    build(&text, &renderer);
    drop((warm_up, text));
    let before = status_kb("VmRSS:");
    HEAP.reset_peak_memory();
    match job {
        "import" => import(page, &bytes),
        _ => build(&SourceFile::from_bytes(page, format, &bytes, Encoding::Utf8).expect("a source"), &renderer),
    }
    let heap = HEAP.get_peak_memory();
    let resident = status_kb("VmHWM:").saturating_sub(before) * 1024;
    println!("{heap} {resident}");
}

fn status_kb(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
