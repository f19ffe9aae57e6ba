//! Incremental rebuild over a 10,000-document corpus: the build with nothing
//! changed (target: under 1 s) and the build after one source changed.
//!
//! Also the build after a changed title, which must render the index (and
//! its owners view) again, and the pass that writes previous/next into
//! every page, which a first build makes.
//!
//! `cargo bench --bench rebuild` (release). The corpus is the five seeds
//! copied under 2,000 slugs each into `target/rebuild-bench/`, kept between
//! runs so that only the first run pays for the full build (about 20 ms a
//! document on two cores); `POLICYC_BENCH_DOCS=N` sets another size (and
//! starts afresh). Prints one line per figure: the median of several runs,
//! and what the runs wrote.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use policyc::publish::{BuildOptions, BuildReport, build};

const SEEDS: [&str; 5] = [
    "sichuan-ip-service-measures-2023",
    "sichuan-ip-work-points-2021",
    "chongqing-ip-service-measures-draft",
    "liaoning-ip-three-year-plan-2023",
    "guangzhou-ip-service-plan-2016",
];

const RUNS: usize = 7;

fn main() {
    let docs: usize = std::env::var("POLICYC_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = root.join("target/rebuild-bench");
    let input = scratch.join("policies");
    let output = scratch.join("output");
    let seeds: Vec<String> = SEEDS
        .iter()
        .map(|s| fs::read_to_string(root.join("policies").join(format!("{s}.txt"))).expect("seed"))
        .collect();
    let same_corpus = fs::read_dir(&input).is_ok_and(|d| d.count() == docs);
    if !same_corpus {
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&input).expect("policies dir");
    }
    // Rewritten only when different, so a kept corpus stays unchanged.
    for i in 0..docs {
        let path = input.join(format!("doc-{i:05}.txt"));
        let seed = &seeds[i % seeds.len()];
        if fs::read_to_string(&path).ok().as_ref() != Some(seed) {
            fs::write(&path, seed).expect("corpus file");
        }
    }
    let options =
        BuildOptions { input: input.clone(), output, templates: None, allow_errors: true, ..Default::default() };
    let checker = |_: &_, _: &_, _: &mut Vec<_>| {};

    let (first, report) = timed(|| build(&options, &checker).expect("first build"));
    println!(
        "rebuild/first         {docs} docs  {:>9.3} s  built {}, unchanged {}",
        first.as_secs_f64(),
        report.built(),
        report.unchanged()
    );

    let mut times = Vec::new();
    for _ in 0..RUNS {
        let (t, report) = timed(|| build(&options, &checker).expect("no-change build"));
        assert_eq!(report.built(), 0, "a build with nothing changed rebuilt something");
        assert!(report.written.is_empty(), "a build with nothing changed wrote {:?}", report.written);
        times.push(t);
    }
    println!("rebuild/no-change     {docs} docs  {:>9.3} s  (median of {RUNS}; wrote nothing)", median(&mut times));

    let changed = input.join("doc-00042.txt");
    let original = fs::read_to_string(&changed).expect("corpus file");
    let mut times = Vec::new();
    let mut written = 0;
    for run in 0..RUNS {
        let edit = original.replacen('。', &format!("，第{run}次修改。"), 1);
        fs::write(&changed, edit).expect("edit");
        let (t, report) = timed(|| build(&options, &checker).expect("one-changed build"));
        assert_eq!(report.built(), 1, "only the changed source is rebuilt");
        written = report.written.len();
        times.push(t);
    }
    println!(
        "rebuild/one-changed   {docs} docs  {:>9.3} s  (median of {RUNS}; wrote {written} files)",
        median(&mut times)
    );
    list_written("last one-changed build wrote", &options.output, &build_after_touch(&changed, &original, &options));

    // A changed title: the index lists it, so the index (with the owners
    // view over every document) is rendered again.
    let mut times = Vec::new();
    for run in 0..TITLE_RUNS {
        let edit = original.replacen("若干措施", &format!("若干措施修订{run}"), 1);
        assert_ne!(edit, original, "the corpus file has no title to change");
        fs::write(&changed, edit).expect("edit");
        let (t, report) = timed(|| build(&options, &checker).expect("title-changed build"));
        assert!(report.written.iter().any(|p| p.ends_with("index.html")), "the index was not rewritten");
        times.push(t);
    }
    println!(
        "rebuild/title-changed {docs} docs  {:>9.3} s  (median of {TITLE_RUNS}; index rewritten)",
        median(&mut times)
    );
    build_after_touch(&changed, &original, &options);

    // Previous/next: a page's neighbours are known only after every source
    // is read, so a first build renders each policy's page with empty links
    // and then patches it. This puts every page and the manifest back in
    // that state and times the build that patches them all: what the patch
    // pass adds to a first build.
    let mut times = Vec::new();
    let mut written = 0;
    for _ in 0..PATCH_RUNS {
        forget_sequence(&options.output);
        let (t, report) = timed(|| build(&options, &checker).expect("patching build"));
        assert_eq!(report.built(), 0, "patching previous/next rebuilt a source");
        written = report.written.len();
        times.push(t);
    }
    let patch = median(&mut times);
    println!(
        "rebuild/patch-all     {docs} docs  {patch:>9.3} s  (median of {PATCH_RUNS}; wrote {written} files; {:.0}% of the first build)",
        100.0 * patch / first.as_secs_f64()
    );
}

const PATCH_RUNS: usize = 3;

/// Every policy page's previous/next links emptied, on disk and in the
/// manifest, as a first build leaves them before its patch pass.
fn forget_sequence(output: &Path) {
    const OPEN: &str = "<span class=\"sequence\">";
    for entry in fs::read_dir(output).expect("output dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = fs::read_to_string(&path).expect("page");
        let Some(start) = page.find(OPEN).map(|i| i + OPEN.len()) else { continue };
        let end = start + page[start..].find("</span>").expect("the span closes");
        fs::write(&path, format!("{}{}", &page[..start], &page[end..])).expect("page");
    }
    let manifest_path = output.join(".policyc-manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest_path).expect("manifest")).expect("manifest json");
    for file in manifest["files"].as_object_mut().expect("files").values_mut() {
        file["sequence"] = serde_json::Value::String(String::new());
    }
    fs::write(&manifest_path, serde_json::to_string(&manifest).expect("json")).expect("manifest");
}

/// Fewer runs: each renders the whole index.
const TITLE_RUNS: usize = 3;

fn build_after_touch(changed: &Path, original: &str, options: &BuildOptions) -> BuildReport {
    fs::write(changed, original).expect("restore");
    build(options, &|_, _, _| {}).expect("restore build")
}

fn list_written(what: &str, output: &Path, report: &BuildReport) {
    let names: Vec<String> =
        report.written.iter().map(|p| p.strip_prefix(output).unwrap_or(p).display().to_string()).collect();
    println!("({what} after restoring: {})", names.join(", "));
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}
