//! The standing robustness suite: generated hostile inputs and file layouts
//! fed to every command through the binary. Whatever the input, a command
//! must exit 0, 1 or 2 (a panic exits 101, a signal has no code), within a
//! time limit, under a memory limit, without changing any file outside its
//! output, and leave every source byte for byte as it was.
//!
//! Bounded in `cargo test`; `POLICYC_ROBUSTNESS_CASES=200 cargo test --test
//! suite robustness::` runs more layouts. A failing case keeps its
//! directory and prints its path and seed.
//!
//! Also the stable driver of the fuzz target (`tests/fuzz/check/parse.rs`):
//! `fuzz_parse_on_stable` runs the corpus and random mutations of it for
//! `POLICYC_FUZZ_SECONDS` (CI runs it for a fixed time; see `.ci/run`).

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

#[path = "../fuzz/check/parse.rs"]
mod fuzz_parse;

/// A command's exit code and output, or why it had none.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

/// The most a command may take on these small inputs (debug build, two
/// busy cores); a hang is reported as a failure instead of hanging CI.
pub const TIME_LIMIT: Duration = Duration::from_secs(30);

/// The address space a command may take: far more than any input here
/// needs, far less than reading `/dev/zero` to the end would.
const MEMORY_LIMIT_KB: u64 = 2 * 1024 * 1024;

/// Run policyc with `args` in `dir`, under the time and memory limits,
/// killing it if it outlives the time limit.
pub fn run_policyc(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new("sh");
    // `ulimit -v` in the shell that then becomes policyc: the limit holds
    // for the child alone, not for the test process.
    command
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_policyc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("sh runs");
    // Read both pipes on threads, so that a large output cannot block the
    // child while it is being timed.
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out_pipe.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err_pipe.read_to_end(&mut bytes);
        bytes
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for policyc") {
            break Some(status);
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    match status {
        Some(status) => Run { code: status.code(), stdout, stderr, elapsed },
        None => Run { code: None, stdout, stderr: format!("{stderr}\n[killed after {elapsed:?}: a hang]"), elapsed },
    }
}

/// A small deterministic generator (xorshift), so that a case is its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// What policy texts are made of, and what breaks them: markers of every
/// level, brackets, annotations, frame words, Markdown, debris, line
/// breaks of every kind, control characters.
const TOKENS: &[&str] = &[
    "一、",
    "二、",
    "十一、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2．",
    "3、",
    "（1）",
    "(2)",
    "①",
    "②",
    "第一章",
    "第二章 ",
    "第一节",
    "第一条",
    "第二条",
    "第十条之一",
    "总则",
    "附则",
    "附件",
    "（牵头单位：市知识产权局）",
    "（责任单位：",
    "负责）",
    "〔2023〕",
    "3号",
    "2023年1月1日",
    "印发",
    "通知",
    "各区人民政府：",
    "。",
    "；",
    "：",
    "，",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u{2028}",
    "\u{feff}",
    "\t",
    "    ",
    "\u{3000}",
    "# ",
    "## ",
    "---\n",
    "title: x\n",
    "<!-- -->",
    "[bookmark: _GoBack]",
    "当前位置：",
    "来源：",
    "知识产权服务业高质量发展",
    "\u{0}",
    "\u{7}",
    "\u{200b}",
    "\\",
    "*",
    "`",
    "|",
    "<script>",
    "&amp;",
    "..",
    "/",
    "🀄",
];

/// One generated source's bytes.
fn hostile_source(rng: &mut Rng) -> Vec<u8> {
    match rng.below(9) {
        // Random bytes.
        0 => (0..rng.below(4096)).map(|_| rng.next() as u8).collect(),
        // Token soup (the common case: nearly a policy).
        1..=4 => {
            let mut text = String::new();
            for _ in 0..rng.below(400) {
                text.push_str(rng.pick(TOKENS));
            }
            text.into_bytes()
        }
        // A seed with tokens spliced into it.
        5 => {
            let seed = fs::read(seed_path(rng.pick(&SEEDS))).expect("seed");
            let mut bytes = seed;
            for _ in 0..rng.below(20) {
                let at = rng.below(bytes.len());
                let token = rng.pick(TOKENS).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            bytes
        }
        // Other encodings.
        6 => {
            let mut text = String::new();
            for _ in 0..rng.below(200) {
                text.push_str(rng.pick(TOKENS));
            }
            match rng.below(2) {
                0 => encoding_rs::GB18030.encode(&text).0.into_owned(),
                _ => [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
            }
        }
        // A huge line.
        7 => "知识产权服务业高质量发展，".repeat(20_000 + rng.below(60_000)).into_bytes(),
        // Nothing, or only whitespace.
        _ => rng.pick(&["", " ", "\n\n\n", " \t\r\n\u{3000}"]).as_bytes().to_vec(),
    }
}

/// What a layout's files are, for the before/after comparison: bytes of a
/// regular file, the target of a link, the kind of anything else.
fn snapshot(root: &Path, skip: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path == skip {
                continue;
            }
            let meta = fs::symlink_metadata(&path).expect("metadata");
            let what = if meta.file_type().is_symlink() {
                format!("link to {}", fs::read_link(&path).expect("link").display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                "directory".to_owned()
            } else if meta.is_file() {
                format!("{:x?}", fs::read(&path).expect("read"))
            } else {
                format!("special {:?}", meta.file_type())
            };
            out.insert(path.strip_prefix(root).expect("inside").to_owned(), what);
        }
    }
    out
}

/// A project directory of generated sources and awkward entries: the
/// sources in `policies/`, a FIFO, a dangling link, a link to a source, a
/// directory with a source's name, and (sometimes) a `.txt` and `.md` of
/// one slug.
fn layout(dir: &Path, rng: &mut Rng) -> Vec<String> {
    let policies = dir.join("policies");
    fs::create_dir_all(&policies).expect("mkdir");
    let mut names = Vec::new();
    for i in 0..1 + rng.below(5) {
        let name = format!("doc-{i}.{}", if rng.below(4) == 0 { "md" } else { "txt" });
        fs::write(policies.join(&name), hostile_source(rng)).expect("write source");
        names.push(name);
    }
    if rng.below(3) == 0 {
        fs::write(policies.join("doc-0.md"), hostile_source(rng)).expect("write source");
        names.push("doc-0.md".to_owned());
    }
    let fifo = policies.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    std::os::unix::fs::symlink("no-such-file.txt", policies.join("dangling.txt")).expect("symlink");
    std::os::unix::fs::symlink(&names[0], policies.join("linked.txt")).expect("symlink");
    fs::create_dir_all(policies.join("folder.txt")).expect("mkdir");
    names.dedup();
    names
}

/// Every command, over one layout: the arguments, and whether it may
/// write into `policies/` (only `fmt` in place may, and only its sources'
/// bytes through the formatter; it runs on a copy).
fn commands(names: &[String]) -> Vec<Vec<String>> {
    let source = |i: usize| format!("policies/{}", names[i % names.len()]);
    let owned = |args: &[&str]| args.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    vec![
        owned(&["parse", &source(0)]),
        owned(&["parse", "--to", "html", &source(1)]),
        owned(&["parse", "--to", "json", "policies/pipe.txt"]),
        owned(&["parse", "/dev/zero"]),
        owned(&["check", "policies"]),
        owned(&["check", "--format", "json", &source(1), "policies/dangling.txt"]),
        owned(&["fmt", "--check", "policies"]),
        owned(&["fmt", "--stdout", &source(0)]),
        owned(&["diff", &source(0), &source(1)]),
        owned(&["diff", "-f", "html", &source(1), &source(0), "-o", "out/report.html"]),
        owned(&["diff", &source(0), &source(1), "-o", "policies/pipe.txt"]),
        owned(&["diff", &source(0), &source(1), "-o", "/dev/null"]),
        owned(&["owners"]),
        owned(&["owners", "--to", "html", &source(0), "policies/pipe.txt"]),
        owned(&["build", "-q", "policies", "-o", "out/site"]),
        owned(&["build", "-q", "-j", "1", "policies", "-o", "out/site"]),
        owned(&["build", "-q", "policies", "-o", "policies"]),
        owned(&["build", "-q", "policies", "-o", "policies/site"]),
        owned(&["build", "-q", "policies", "-o", "."]),
    ]
}

fn cases() -> u64 {
    std::env::var("POLICYC_ROBUSTNESS_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(4)
}

#[test]
fn every_command_survives_hostile_inputs_and_layouts() {
    let started = Instant::now();
    for seed in 0..cases() {
        let mut rng = Rng::new(seed + 1);
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        let names = layout(dir, &mut rng);
        fs::create_dir_all(dir.join("out")).expect("mkdir out");
        let before = snapshot(dir, &dir.join("out"));
        let mut failures = Vec::new();
        for args in commands(&names) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = run_policyc(dir, &args, &[]);
            let ok_code = matches!(run.code, Some(0..=2));
            if !ok_code || run.stderr.contains("panicked") {
                failures.push(format!(
                    "policyc {} → {:?} in {:?}\n{}",
                    args.join(" "),
                    run.code,
                    run.elapsed,
                    run.stderr
                ));
            }
            let after = snapshot(dir, &dir.join("out"));
            if after != before {
                let changed: Vec<_> = before
                    .keys()
                    .chain(after.keys())
                    .filter(|k| before.get(*k) != after.get(*k))
                    .map(|k| k.display().to_string())
                    .collect();
                failures.push(format!("policyc {} changed files outside out/: {changed:?}", args.join(" ")));
                break;
            }
        }
        // `fmt` in place, on a copy: it may change a source only into one
        // that every command still reads, and must leave the rest alone.
        let copy = dir.join("out/fmt");
        fs::create_dir_all(&copy).expect("mkdir");
        for name in &names {
            fs::copy(dir.join("policies").join(name), copy.join(name)).expect("copy");
        }
        let run = run_policyc(dir, &["fmt", "out/fmt"], &[]);
        if !matches!(run.code, Some(0..=2)) {
            failures.push(format!("policyc fmt out/fmt → {:?}\n{}", run.code, run.stderr));
        }
        for name in names.iter().filter(|n| n.ends_with(".txt")) {
            let (old, new) = (fs::read(dir.join("policies").join(name)), fs::read(copy.join(name)));
            let (Ok(old), Ok(new)) = (old, new) else { continue };
            if old != new && new.iter().all(u8::is_ascii_whitespace) {
                failures.push(format!("fmt turned {name} into a file with no text"));
            }
        }
        if !failures.is_empty() {
            let kept = tmp.keep();
            panic!("seed {seed} (kept in {}):\n{}", kept.display(), failures.join("\n\n"));
        }
    }
    eprintln!("robustness: {} layouts in {:?}", cases(), started.elapsed());
}

/// The fuzz target's property over its corpus (the seeds, the fuzz
/// regressions, the parse fixtures) and random mutations of it with the
/// fuzz dictionary's tokens, for `POLICYC_FUZZ_SECONDS` (default: a moment).
#[test]
fn fuzz_parse_on_stable() {
    let seconds: f64 = std::env::var("POLICYC_FUZZ_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1.0);
    let mut corpus: Vec<Vec<u8>> = SEEDS.iter().map(|slug| fs::read(seed_path(slug)).expect("seed")).collect();
    for dir in ["fuzz", "parse/ok", "parse/err"] {
        let Ok(entries) = fs::read_dir(fixture(dir)) else { continue };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
        paths.sort();
        corpus.extend(paths.iter().filter_map(|p| fs::read(p).ok()));
    }
    let started = Instant::now();
    let mut rng = Rng::new(u64::from(std::process::id()));
    let mut runs = 0u64;
    let mut next = 0;
    loop {
        let input = if next < corpus.len() {
            next += 1;
            corpus[next - 1].clone()
        } else {
            if started.elapsed().as_secs_f64() > seconds {
                break;
            }
            mutate(&corpus[rng.below(corpus.len())], &mut rng)
        };
        let one = Instant::now();
        if std::panic::catch_unwind(|| fuzz_parse::parse_and_check(&input)).is_err() {
            let kept = std::env::temp_dir().join(format!("policyc-fuzz-{}.txt", std::process::id()));
            let _ = fs::write(&kept, &input);
            panic!("the parse property failed on an input kept in {}", kept.display());
        }
        assert!(one.elapsed() < Duration::from_secs(10), "one input took {:?}", one.elapsed());
        runs += 1;
    }
    eprintln!("fuzz (stable driver): {runs} inputs in {:?}", started.elapsed());
}

/// A mutation in libFuzzer's spirit: tokens inserted, bytes flipped or
/// dropped, a slice repeated, or a splice with another corpus entry.
fn mutate(base: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => {
                let token = rng.pick(TOKENS).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            1 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
            2 if at < bytes.len() => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 if at < bytes.len() => {
                let end = (at + rng.below(256)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes.truncate(1 << 16);
    bytes
}
