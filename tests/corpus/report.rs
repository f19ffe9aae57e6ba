//! `cargo run --release --example corpus-report -- [--labels FILE] [--list] DIR...`
//!
//! Reads every `.txt` and `.md` document under each DIR and prints the
//! corpus figures (see `measure.rs`): for regulations, the share whose every
//! 第X条 / 第X编章节 line comes out in order as a node of its kind and the
//! share with items outside any article; for the rest, the share whose
//! title carries page navigation; for all, the shares with an error and
//! with a warning, and the slowest document per byte. With `--labels`, the
//! share of labelled documents whose every labelled field policyc gets
//! right, and each miss. With `--list`, every document that misses a figure, and every
//! diagnostic (`error`/`warning` lines, to sample for precision). With
//! `--sample N --seed S`, N diagnostics drawn at random (the same N for the
//! same seed and corpus) from each DIR, each with the text of its line, to
//! judge by hand (`fixtures/corpus/precision-*.toml` hold such verdicts);
//! `--errors` draws them from the errors alone, which are too few in a
//! sample of all diagnostics to measure their precision.

#[allow(dead_code)]
mod measure;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use measure::Measured;

fn main() -> ExitCode {
    let mut dirs = Vec::new();
    let mut labels = None;
    let mut list = false;
    let mut sample = None;
    let mut seed = 1;
    let mut errors_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--labels" => labels = args.next().map(PathBuf::from),
            "--list" => list = true,
            "--sample" => sample = args.next().and_then(|n| n.parse::<usize>().ok()),
            "--seed" => seed = args.next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(1),
            "--errors" => errors_only = true,
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    if dirs.is_empty() && labels.is_none() {
        eprintln!("usage: corpus-report [--labels FILE] [--list] [--sample N [--seed S] [--errors]] DIR...");
        return ExitCode::from(2);
    }
    for dir in &dirs {
        let docs: Vec<Measured> = measure::documents(dir).iter().filter_map(|p| measure::measure(p)).collect();
        report(dir, &docs, list);
        if let Some(n) = sample {
            print_sample(&docs, n, seed, errors_only);
        }
    }
    if let Some(path) = labels {
        match measure::read_labels(&path) {
            Ok(labels) => report_labels(&path, &labels),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}

fn share(n: usize, of: usize) -> String {
    if of == 0 { "—".to_owned() } else { format!("{n}/{of} ({:.1} %)", 100.0 * n as f64 / of as f64) }
}

fn report(dir: &Path, docs: &[Measured], list: bool) {
    println!("{}: {} documents", dir.display(), docs.len());
    let regulations: Vec<&Measured> = docs.iter().filter(|d| d.regulation).collect();
    let others: Vec<&Measured> = docs.iter().filter(|d| !d.regulation).collect();
    if !regulations.is_empty() {
        let ok = regulations.iter().filter(|d| d.structure_ok()).count();
        let outside = regulations.iter().filter(|d| d.outside_articles > 0).count();
        println!("  regulations: {}", regulations.len());
        println!("    every 第X条/编/章/节 a node of its kind, in order: {}", share(ok, regulations.len()));
        println!("    with items outside any article:                 {}", share(outside, regulations.len()));
        let dated = regulations.iter().filter(|d| d.meta.date.is_some()).count();
        println!("    with a date:                                    {}", share(dated, regulations.len()));
    }
    if !others.is_empty() {
        let nav = others.iter().filter(|d| d.navigation_title()).count();
        let titled = others.iter().filter(|d| d.meta.title.is_some()).count();
        println!("  other documents: {}", others.len());
        println!("    with a title:                                   {}", share(titled, others.len()));
        println!("    title with navigation or a page title:          {}", share(nav, others.len()));
    }
    let errors = docs.iter().filter(|d| !d.errors.is_empty()).count();
    let warnings = docs.iter().filter(|d| !d.warnings.is_empty()).count();
    let n_errors: usize = docs.iter().map(|d| d.errors.len()).sum();
    let n_warnings: usize = docs.iter().map(|d| d.warnings.len()).sum();
    println!("  with an error:   {} ({n_errors} errors)", share(errors, docs.len()));
    println!("  with a warning:  {} ({n_warnings} warnings)", share(warnings, docs.len()));
    let bytes: usize = docs.iter().map(|d| d.bytes).sum();
    let time: f64 = docs.iter().map(|d| d.elapsed.as_secs_f64()).sum();
    println!(
        "  parse + check: {:.1} ms for {:.1} MB ({:.1} µs/KB)",
        time * 1e3,
        bytes as f64 / 1e6,
        per_kb(time, bytes)
    );
    if let Some(slow) = docs.iter().filter(|d| d.bytes >= 1024).max_by(|a, b| {
        (a.elapsed.as_secs_f64() / a.bytes as f64).total_cmp(&(b.elapsed.as_secs_f64() / b.bytes as f64))
    }) {
        println!(
            "  slowest per byte: {} ({:.1} µs/KB)",
            slow.path.display(),
            per_kb(slow.elapsed.as_secs_f64(), slow.bytes)
        );
    }
    if list {
        for d in docs {
            if d.regulation && !d.structure_ok() {
                let first = d
                    .expected
                    .iter()
                    .zip(&d.found)
                    .position(|(a, b)| a != b)
                    .unwrap_or(d.expected.len().min(d.found.len()));
                println!(
                    "  structure {}: expected {:?}, found {:?} (at #{first}; {} expected, {} found)",
                    d.path.display(),
                    d.expected.get(first).map(|x| &x.1),
                    d.found.get(first).map(|x| &x.1),
                    d.expected.len(),
                    d.found.len()
                );
            }
            if d.outside_articles > 0 {
                println!("  outside {}: {} items outside any article", d.path.display(), d.outside_articles);
            }
            if !d.regulation && d.navigation_title() {
                println!("  navigation {}: {:?}", d.path.display(), d.meta.title);
            }
            for e in &d.errors {
                println!("  error {e}");
            }
            for w in &d.warnings {
                println!("  warning {w}");
            }
            if d.regulation && d.meta.date.is_none() {
                println!("  undated {}", d.path.display());
            }
        }
    }
}

fn per_kb(seconds: f64, bytes: usize) -> f64 {
    seconds * 1e6 / (bytes.max(1) as f64 / 1024.0)
}

fn report_labels(path: &Path, labels: &measure::Labels) {
    let base = path.parent().unwrap_or(Path::new("."));
    let mut right = 0;
    let mut fields = 0;
    let mut fields_right = 0;
    for label in &labels.docs {
        let Some(measured) = measure::measure(&base.join(&label.file)) else {
            println!("  unreadable: {}", label.file);
            continue;
        };
        let misses = measure::mismatches(label, &measured.meta);
        fields += 7;
        fields_right += 7 - misses.len();
        if misses.is_empty() {
            right += 1;
        }
        for (field, want, got) in misses {
            println!("  {} {field}: labelled {want}, found {got}", label.file);
        }
    }
    println!("{}: labelled documents with every field right: {}", path.display(), share(right, labels.docs.len()));
    println!("  labelled fields right: {}", share(fields_right, fields));
}

/// SplitMix64: a fixed generator, so a seed draws the same sample on every
/// machine and every version of the dependencies.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// `n` of the corpus's diagnostics drawn without replacement (a partial
/// Fisher–Yates shuffle), printed in file order with the text of the line.
fn print_sample(docs: &[Measured], n: usize, seed: u64, errors_only: bool) {
    let all: Vec<(&Measured, &String)> = docs
        .iter()
        .flat_map(|d| {
            let warnings: &[String] = if errors_only { &[] } else { &d.warnings };
            d.errors.iter().chain(warnings).map(move |e| (d, e))
        })
        .collect();
    let mut order: Vec<usize> = (0..all.len()).collect();
    let mut rng = SplitMix(seed);
    let take = n.min(order.len());
    for i in 0..take {
        let j = i + (rng.next() % (order.len() - i) as u64) as usize;
        order.swap(i, j);
    }
    let mut picked = order[..take].to_vec();
    picked.sort_unstable();
    let what = if errors_only { "errors" } else { "diagnostics" };
    println!("  sample of {take} of {} {what}, seed {seed}:", all.len());
    for i in picked {
        let (doc, diagnostic) = all[i];
        let line = diagnostic
            .strip_prefix(&format!("{}:", doc.path.display()))
            .and_then(|rest| rest.split(':').next())
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(0);
        let text = std::fs::read_to_string(&doc.path).unwrap_or_default();
        let shown: String = text.lines().nth(line.saturating_sub(1)).unwrap_or("").trim().chars().take(120).collect();
        println!("  sample {diagnostic}\n      | {shown}");
    }
}
