//! Throughput benchmark: `cargo bench --bench throughput`.
//!
//! Generates its corpus from the five seeds in `policies/` — one document of
//! 50 MB (the seeds over and over) and 10,000 separate files of ~14 KB (the
//! seeds in turn) — and reports, against the targets of issue 2:
//!
//! - MB/s for the grammar alone, for parse + tree, and for the full build of
//!   the three editions (YAML, Markdown, HTML) in memory, on one thread and
//!   on all threads;
//! - the 10,000-file `publish::build` into a temporary directory, writes
//!   included;
//! - one 15 KB document through the release binary (median of many runs);
//! - peak memory for the big document (whole build, and each stage) and
//!   for the 10,000-file build, each measured in a child process of this
//!   binary as its peak resident set (`VmHWM`) less what it held at start;
//! - the same content through `pandoc -f commonmark` (the Markdown edition
//!   as its input), as a ratio. `tests/benches/setup.sh` installs pandoc.
//!
//! Peak memory is not counted with a counting global allocator: its atomic
//! counters, touched on every allocation, halved the parse figures here.
//!
//! MB means 10^6 bytes of source text. Each timing is the median of
//! `POLICYC_BENCH_RUNS` runs (default 3); `POLICYC_BENCH_QUICK=1` shrinks
//! the corpus a hundredfold for a smoke run. Figures from a shared machine
//! vary; run it on a quiet one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use policyc::emit::html::Renderer;
use policyc::emit::{self, Edition};
use policyc::parse::{grammar, parse};
use policyc::publish::{self, BuildOptions};
use policyc::source::{Encoding, Format, SourceFile};
use rayon::prelude::*;

const MB: f64 = 1e6;

fn main() {
    if let Ok(job) = std::env::var(MEMORY_JOB) {
        memory_job(&job);
        return;
    }
    let quick = std::env::var_os("POLICYC_BENCH_QUICK").is_some_and(|v| v != "0");
    let runs: usize = std::env::var("POLICYC_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let scale = if quick { 100 } else { 1 };
    let big_bytes = 50_000_000 / scale;
    let files = 10_000 / scale;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    let seeds = seeds();
    let big_text = big_document(&seeds, big_bytes);
    if let Ok(stage) = std::env::var("POLICYC_BENCH_PROFILE") {
        profile(&stage, &big_text);
        return;
    }
    let batch: Vec<(String, String)> =
        (0..files).map(|i| (format!("doc-{i:05}"), seeds[i % seeds.len()].1.clone())).collect();
    let batch_bytes: usize = batch.iter().map(|(_, t)| t.len()).sum();
    let renderer = Renderer::builtin();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool of one thread");
    let all = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool of all threads");

    println!(
        "corpus: one document of {:.1} MB; {files} files of {:.1} KB on average ({:.1} MB); {threads} threads; median of {runs} runs\n",
        big_text.len() as f64 / MB,
        batch_bytes as f64 / files as f64 / 1e3,
        batch_bytes as f64 / MB
    );
    let mut table = Table::default();
    if std::env::var_os("POLICYC_BENCH_ONLY").is_some_and(|v| v == "word") {
        word(&mut table, &seeds, &renderer, runs, scale);
        print!("{}", table.out);
        return;
    }

    // The big document: one thread (a single document is not split).
    let big_source = SourceFile::from_text("big.txt", Format::Text, big_text.clone());
    let t = median(runs, || {
        let _ = grammar::lines(&big_text);
    });
    table.rate("50 MB document, grammar only, 1 thread", big_text.len(), t, None);
    let t = median(runs, || {
        let _ = parse(&big_source);
    });
    table.rate("50 MB document, parse + tree, 1 thread", big_text.len(), t, Some(70.0));
    let t = median(runs, || {
        full_build(&big_source, &renderer, "big");
    });
    table.rate("50 MB document, full build in memory, 1 thread", big_text.len(), t, None);
    // Where the time of a build goes: each edition from the parsed tree.
    let document = parse(&big_source).document;
    for (name, edition) in [("YAML", Edition::Yaml), ("Markdown", Edition::Markdown), ("HTML", Edition::Html)] {
        let t = median(runs, || {
            let text = match edition {
                Edition::Html => renderer.document(&document, Some("big")),
                other => emit::render(&document, other),
            };
            drop(text.expect("an edition"));
        });
        table.rate(&format!("50 MB document, {name} edition alone, 1 thread"), big_text.len(), t, None);
    }
    drop(document);

    // The batch, in memory, on one thread and on all.
    let batch_sources: Vec<SourceFile> =
        batch.iter().map(|(slug, text)| SourceFile::from_text(format!("{slug}.txt"), Format::Text, text)).collect();
    for (pool, n) in [(&one, 1), (&all, threads)] {
        let t = median(runs, || {
            pool.install(|| batch.par_iter().for_each(|(_, text)| drop(grammar::lines(text))));
        });
        table.rate(&format!("{files} files, grammar only, {n} thread(s)"), batch_bytes, t, None);
        let t = median(runs, || {
            pool.install(|| {
                batch.par_iter().for_each(|(slug, text)| {
                    let source = SourceFile::from_text(format!("{slug}.txt"), Format::Text, text.as_str());
                    drop(parse(&source));
                })
            });
        });
        table.rate(&format!("{files} files, parse + tree, {n} thread(s)"), batch_bytes, t, (n == 1).then_some(70.0));
        if n == 1 {
            // `policyc check`: parse plus every rule; the issue allows twice a parse.
            let config = policyc::validate::Config::default();
            let checked = median(runs, || {
                pool.install(|| {
                    batch.par_iter().for_each(|(slug, text)| {
                        let source = SourceFile::from_text(format!("{slug}.txt"), Format::Text, text.as_str());
                        drop(policyc::validate::run(&source, &config));
                    })
                });
            });
            table.rate(&format!("{files} files, parse + check, 1 thread"), batch_bytes, checked, None);
            table.row(
                "check ÷ parse + tree, 1 thread",
                format!("{:.2}×", checked.as_secs_f64() / t.as_secs_f64()),
                Some("≤ 2×".to_owned()),
                Some(checked.as_secs_f64() <= 2.0 * t.as_secs_f64()),
            );
        }
        let t = median(runs, || {
            pool.install(|| batch_sources.par_iter().for_each(|s| full_build(s, &renderer, "doc")));
        });
        table.rate(
            &format!("{files} files, full build in memory, {n} thread(s)"),
            batch_bytes,
            t,
            (n == 2 || (n == threads && threads >= 2)).then_some(50.0),
        );
    }
    drop(batch_sources);

    // `check` on one line of repeated sentences against the same size of
    // ordinary text: every diagnostic's column is looked up on that one line,
    // so a column lookup that counted from the line start would be quadratic.
    let line_bytes = 1_000_000 / scale;
    let sentence = "知识产权服务业发展。";
    let line = format!("一、{}", sentence.repeat(line_bytes / sentence.len()));
    let ordinary = big_document(&seeds, line.len());
    let config = policyc::validate::Config::default();
    let check = |name: &str, text: &str| {
        let source = SourceFile::from_text(name, Format::Text, text);
        median(runs, || drop(policyc::validate::run(&source, &config)))
    };
    let on_line = check("line.txt", &line);
    let on_ordinary = check("ordinary.txt", &ordinary);
    table.rate("check, 1 MB on a single line", line.len(), on_line, None);
    table.rate("check, 1 MB of ordinary text", ordinary.len(), on_ordinary, None);
    table.row(
        "check: single line ÷ ordinary text",
        format!("{:.2}×", on_line.as_secs_f64() / on_ordinary.as_secs_f64()),
        Some("≤ 3×".to_owned()),
        Some(on_line.as_secs_f64() <= 3.0 * on_ordinary.as_secs_f64()),
    );

    word(&mut table, &seeds, &renderer, runs, scale);

    // The batch through publish::build, reading sources and writing editions.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let input = scratch.path().join("policies");
    std::fs::create_dir_all(&input).expect("the input directory");
    for (slug, text) in &batch {
        std::fs::write(input.join(format!("{slug}.txt")), text).expect("a corpus file");
    }
    let mut output_dirs = 0;
    let t = median_after(runs, flush_to_disk, || {
        // A fresh output directory each run, so nothing is skipped as
        // unchanged. No output is removed before the scratch directory goes
        // at the end: deleting files is not part of a build, and on ext4
        // files created soon after many deletions make the kernel's inode
        // allocator search past the recently freed inodes, which took more
        // system time than the build itself here.
        output_dirs += 1;
        let output = scratch.path().join(format!("output-{output_dirs}"));
        let options = BuildOptions {
            input: input.clone(),
            output,
            templates: None,
            allow_errors: true,
            ..BuildOptions::default()
        };
        let report = all.install(|| publish::build(&options, &|_, _, _| {})).expect("the build runs");
        assert_eq!(report.failed(), 0, "every generated file builds");
    });
    table.time(&format!("{files} files, publish::build with writes, {threads} threads"), t, Some(4.0));

    // One 15 KB document through the release binary.
    let cli_doc = seeds.iter().min_by_key(|(_, t)| t.len().abs_diff(15_000)).map(|(p, _)| p.clone()).expect("a seed");
    let cli_bytes = std::fs::metadata(&cli_doc).map_or(0, |m| m.len());
    let one_dir = scratch.path().join("one");
    std::fs::create_dir_all(&one_dir).expect("a directory for one document");
    std::fs::copy(&cli_doc, one_dir.join("doc.txt")).expect("the 15 KB document");
    let exe = env!("CARGO_BIN_EXE_policyc");
    let cli_runs = if quick { 11 } else { 101 };
    // Gigabytes of the builds above may still be on their way to disk.
    flush_to_disk();
    // Each run builds into a new directory, as a first build does.
    let mut cli_outputs = 0;
    let t = median_of(cli_runs, 5, || {
        cli_outputs += 1;
        let out = scratch.path().join(format!("one-out-{cli_outputs}"));
        run_quietly(Command::new(exe).args(["build", "--quiet", "--allow-errors", "-o"]).arg(&out).arg(&one_dir));
    });
    table.millis(&format!("{:.1} KB document, `policyc build` (3 editions written)", cli_bytes as f64 / 1e3), t, 5.0);
    let t = median_of(cli_runs, 5, || {
        run_quietly(Command::new(exe).args(["parse", "--to", "html"]).arg(&cli_doc));
    });
    table.millis(&format!("{:.1} KB document, `policyc parse --to html`", cli_bytes as f64 / 1e3), t, 5.0);

    // Peak memory, each in a fresh process.
    let big_path = scratch.path().join("big.txt");
    std::fs::write(&big_path, &big_text).expect("the big document");
    drop(big_source);
    let big = big_path.display().to_string();
    let peak = measure_memory(&format!("build:{big}"));
    table.memory("50 MB document, full build: peak / input", peak, Some(big_text.len()), Some(10.0));
    // Where that peak comes from: parse alone, then parse and one edition.
    for stage in ["parse", "yaml", "markdown", "html"] {
        let peak = measure_memory(&format!("{stage}:{big}"));
        let what = if stage == "parse" { "parse + tree".to_owned() } else { format!("parse + {stage} edition") };
        table.memory(&format!("50 MB document, {what}: peak / input"), peak, Some(big_text.len()), None);
    }
    let output = scratch.path().join("output-memory");
    let peak = measure_memory(&format!("publish:{}:{}", input.display(), output.display()));
    table.memory(&format!("{files} files, publish::build with writes: peak"), peak, None, Some(50.0));

    // pandoc on the Markdown edition of the same content.
    let pandoc_bytes = if quick { 200_000 } else { 5_000_000 };
    let sample = big_document(&seeds, pandoc_bytes);
    let sample_source = SourceFile::from_text("sample.txt", Format::Text, sample.clone());
    let markdown = emit::render(&parse(&sample_source).document, Edition::Markdown).expect("the Markdown edition");
    let md_path = scratch.path().join("sample.md");
    std::fs::write(&md_path, &markdown).expect("the Markdown edition");
    match pandoc_version() {
        Some(version) => {
            let ours = median(runs, || full_build(&sample_source, &renderer, "sample"));
            let theirs = median(runs, || {
                let status = Command::new("pandoc")
                    .args(["-f", "commonmark", "-t", "html", "-o", "/dev/null"])
                    .arg(&md_path)
                    .status()
                    .expect("pandoc runs");
                assert!(status.success(), "pandoc succeeds");
            });
            table.rate(
                &format!("{:.1} MB: policyc full build (3 editions), 1 thread", sample.len() as f64 / MB),
                sample.len(),
                ours,
                None,
            );
            table.rate(
                &format!("same content: {version} -f commonmark -t html on the .md edition"),
                sample.len(),
                theirs,
                None,
            );
            table.ratio("policyc ÷ pandoc speed", theirs.as_secs_f64() / ours.as_secs_f64(), 10.0);
        }
        None => table.note("pandoc not found: run tests/benches/setup.sh for the comparison"),
    }
    print!("{}", table.out);
}

/// Run one stage over the big document for ten seconds and nothing else,
/// for a profiler: `POLICYC_BENCH_PROFILE=parse perf record -g …`.
fn profile(stage: &str, text: &str) {
    let source = SourceFile::from_text("big.txt", Format::Text, text);
    let document = parse(&source).document;
    let renderer = Renderer::builtin();
    let config = policyc::validate::Config::default();
    let start = Instant::now();
    let mut rounds = 0;
    while start.elapsed() < Duration::from_secs(10) {
        match stage {
            "grammar" => drop(grammar::lines(text)),
            "parse" => drop(parse(&source)),
            "yaml" => drop(emit::render(&document, Edition::Yaml)),
            "markdown" => drop(emit::render(&document, Edition::Markdown)),
            "html" => drop(renderer.document(&document, Some("big"))),
            "build" => full_build(&source, &renderer, "big"),
            "check" => drop(policyc::validate::run(&source, &config)),
            other => panic!("unknown stage `{other}`: grammar, parse, check, yaml, markdown, html or build"),
        }
        rounds += 1;
    }
    let rate = (text.len() * rounds) as f64 / MB / start.elapsed().as_secs_f64();
    println!("{stage}: {rounds} rounds, {rate:.1} MB/s");
}

/// The environment variable that makes this binary a memory-measuring child.
const MEMORY_JOB: &str = "POLICYC_BENCH_MEMORY_JOB";

/// Run `job` in a child process of this binary and give its peak memory.
fn measure_memory(job: &str) -> usize {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let out = Command::new(exe).env(MEMORY_JOB, job).stderr(Stdio::inherit()).output().expect("the child runs");
    assert!(out.status.success(), "memory job `{job}` failed");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or_else(|_| panic!("memory job `{job}` said {out:?}"))
}

/// In the child: do one job and print the peak resident memory it added.
fn memory_job(job: &str) {
    let before = status_kb("VmRSS:");
    let (stage, path) = job.split_once(':').expect("stage:path");
    let renderer = Renderer::builtin();
    let load = || {
        let bytes = std::fs::read(path).expect("the document");
        SourceFile::from_bytes(path, Format::Text, &bytes, Encoding::Utf8).expect("UTF-8")
    };
    match stage {
        "build" => full_build(&load(), &renderer, "big"),
        "parse" => drop(parse(&load())),
        "yaml" | "markdown" | "html" => {
            let document = parse(&load()).document;
            let text = match stage {
                "yaml" => emit::render(&document, Edition::Yaml),
                "markdown" => emit::render(&document, Edition::Markdown),
                _ => renderer.document(&document, Some("big")),
            };
            drop(text.expect("an edition"));
        }
        "publish" => {
            let (input, output) = path.split_once(':').expect("input:output");
            let options = BuildOptions {
                input: input.into(),
                output: output.into(),
                allow_errors: true,
                ..BuildOptions::default()
            };
            let report = publish::build(&options, &|_, _, _| {}).expect("the build runs");
            assert_eq!(report.failed(), 0, "every generated file builds");
        }
        other => panic!("unknown memory job `{other}`"),
    }
    let peak = status_kb("VmHWM:");
    println!("{}", peak.saturating_sub(before) * 1024);
}

/// A figure in kB from /proc/self/status (0 where there is none).
fn status_kb(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The seeds, as (path, text), in file-name order.
fn seeds() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no seeds in {}", dir.display());
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, text)
        })
        .collect()
}

/// The seeds one after the other, again and again, up to `bytes`.
fn big_document(seeds: &[(PathBuf, String)], bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 20_000);
    for (_, seed) in seeds.iter().cycle() {
        if text.len() >= bytes {
            break;
        }
        text.push_str(seed);
        text.push('\n');
    }
    text
}

/// Parse and render the three editions a build writes; the strings are
/// dropped as a build drops them after writing.
/// The Word rows (issue 18): reading a 1 MB .docx (unzip, XML, numbering)
/// and parsing its text, against parsing the same text from a .txt; writing
/// the .docx edition against the HTML edition of the same document.
/// `POLICYC_BENCH_ONLY=word` runs these rows alone.
fn word(table: &mut Table, seeds: &[(PathBuf, String)], renderer: &Renderer, runs: usize, scale: usize) {
    let text = big_document(seeds, 1_000_000 / scale);
    let text_source = SourceFile::from_text("doc.txt", Format::Text, text.as_str());
    let document = parse(&text_source).document;
    let word = emit::render_bytes(&document, Edition::Docx).expect("the Word edition");
    let from_text = median(runs, || {
        let source = SourceFile::from_bytes("doc.txt", Format::Text, text.as_bytes(), Encoding::Utf8).expect("text");
        drop(parse(&source));
    });
    let from_word = median(runs, || {
        let source = SourceFile::from_docx("doc.docx", &word, policyc::source::docx::Changes::Accept).expect("a .docx");
        drop(parse(&source));
    });
    table.rate("1 MB document: read + parse from .txt", text.len(), from_text, None);
    table.rate("1 MB document: read + parse from .docx", text.len(), from_word, None);
    table.row(
        "read + parse: .docx ÷ .txt",
        format!("{:.2}×", from_word.as_secs_f64() / from_text.as_secs_f64()),
        Some("≤ 5×".to_owned()),
        Some(from_word.as_secs_f64() <= 5.0 * from_text.as_secs_f64()),
    );
    let html = median(runs, || drop(renderer.document(&document, Some("doc")).expect("HTML")));
    let docx = median(runs, || drop(emit::render_bytes(&document, Edition::Docx).expect("the Word edition")));
    table.rate("1 MB document: HTML edition", text.len(), html, None);
    table.rate("1 MB document: .docx edition", text.len(), docx, None);
    table.row(
        "writing: .docx ÷ HTML edition",
        format!("{:.2}×", docx.as_secs_f64() / html.as_secs_f64()),
        Some("≤ 2×".to_owned()),
        Some(docx.as_secs_f64() <= 2.0 * html.as_secs_f64()),
    );
    drop(document);
}

fn full_build(source: &SourceFile, renderer: &Renderer, slug: &str) {
    let document = parse(source).document;
    let yaml = emit::render(&document, Edition::Yaml).expect("YAML");
    drop(yaml);
    let markdown = emit::render(&document, Edition::Markdown).expect("Markdown");
    drop(markdown);
    let html = renderer.document(&document, Some(slug)).expect("HTML");
    drop(html);
}

/// Write the kernel's dirty pages to disk, so that a run writing hundreds
/// of megabytes does not wait for the writeback of the runs before it (on
/// this virtual disk the throttling doubled the figure by the fifth run).
fn flush_to_disk() {
    let _ = Command::new("sync").status();
}

/// The median of `runs` timings of `f`, each after an untimed `before`.
fn median_after(runs: usize, mut before: impl FnMut(), mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            before();
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn median(runs: usize, f: impl FnMut()) -> Duration {
    median_of(runs, 0, f)
}

fn median_of(runs: usize, warmup: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..warmup {
        f();
    }
    median_after(runs, || {}, f)
}

/// Run the policyc binary with its output thrown away; it must succeed.
fn run_quietly(command: &mut Command) {
    let status = command.stdout(Stdio::null()).stderr(Stdio::null()).status().expect("the policyc binary runs");
    assert!(status.success(), "{command:?} succeeds");
}

fn pandoc_version() -> Option<String> {
    let out = Command::new("pandoc").arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("pandoc").to_owned())
}

/// The report: one row per figure, with its target and whether it is met.
#[derive(Default)]
struct Table {
    out: String,
}

impl Table {
    fn row(&mut self, what: &str, figure: String, target: Option<String>, met: Option<bool>) {
        let verdict = match met {
            Some(true) => "ok",
            Some(false) => "MISSED",
            None => "",
        };
        let _ = writeln!(self.out, "{what:<72} {figure:>16}  {:<12} {verdict}", target.unwrap_or_default());
    }

    fn rate(&mut self, what: &str, bytes: usize, time: Duration, target: Option<f64>) {
        let rate = bytes as f64 / MB / time.as_secs_f64();
        let figure = format!("{rate:.1} MB/s");
        self.row(what, figure, target.map(|t| format!("≥ {t} MB/s")), target.map(|t| rate >= t));
    }

    fn time(&mut self, what: &str, time: Duration, target: Option<f64>) {
        let s = time.as_secs_f64();
        self.row(what, format!("{s:.2} s"), target.map(|t| format!("≤ {t} s")), target.map(|t| s <= t));
    }

    fn millis(&mut self, what: &str, time: Duration, target: f64) {
        let ms = time.as_secs_f64() * 1e3;
        self.row(what, format!("{ms:.2} ms"), Some(format!("≤ {target} ms")), Some(ms <= target));
    }

    fn memory(&mut self, what: &str, peak: usize, input: Option<usize>, target: Option<f64>) {
        match input {
            Some(input) => {
                let ratio = peak as f64 / input as f64;
                let figure = format!("{:.0} MB = {ratio:.1}×", peak as f64 / MB);
                self.row(what, figure, target.map(|t| format!("≤ {t}×")), target.map(|t| ratio <= t));
            }
            None => {
                let mb = peak as f64 / MB;
                self.row(what, format!("{mb:.1} MB"), target.map(|t| format!("≤ {t} MB")), target.map(|t| mb <= t));
            }
        }
    }

    fn ratio(&mut self, what: &str, ratio: f64, target: f64) {
        self.row(what, format!("{ratio:.1}×"), Some(format!("≥ {target}×")), Some(ratio >= target));
    }

    fn note(&mut self, what: &str) {
        let _ = writeln!(self.out, "{what}");
    }
}
