//! Language server benchmark: `cargo bench --bench lsp`.
//!
//! How long `policyc lsp` takes to re-check a document after an edit, for
//! the targets of issue 17: a 15 KB document within 20 ms, a 1 MB document
//! within 300 ms. Two figures for each size (the documents are the seeds in
//! `policies/`, the one nearest 15 KB and all of them over and over for
//! 1 MB), each the median of `POLICYC_BENCH_RUNS` edits (default 15):
//!
//! - *in process*: one incremental change applied to the server's text and
//!   the document checked (`lsp::documents::Text::apply` then
//!   `lsp::diagnostics::analyze`): the work the worker does per edit;
//! - *over stdio*: the release `policyc lsp` binary, from writing a
//!   `didChange` to the first byte of its `publishDiagnostics` (the server
//!   done), and to the message read and parsed as JSON (the client done,
//!   which for the 1 MB document's 6,000 diagnostics is ~4 MB of JSON);
//!   both include the server's debounce (`lsp::server::DEBOUNCE`, 25 ms).
//!
//! Each edit types one character into the middle of the document, then
//! deletes it with the next, so that every check sees a new text.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};
use policyc::lsp::diagnostics::analyze;
use policyc::lsp::documents::Text;
use serde_json::{Value, json};

fn main() {
    let runs: usize = std::env::var("POLICYC_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(15).max(1);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut seeds: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();
    seeds.sort();
    let small = seeds.iter().min_by_key(|s| s.len().abs_diff(15_000)).expect("a seed").clone();
    let mut large = String::new();
    while large.len() < 1_000_000 {
        for seed in &seeds {
            large.push_str(seed);
            large.push('\n');
        }
    }
    println!("median of {runs} edits; target: 15 KB within 20 ms, 1 MB within 300 ms\n");
    println!("{:<44} {:>10}", "document", "time");
    for (name, text, target) in [("15 KB", &small, 20), ("1 MB", &large, 300)] {
        let size = format!("{name} ({:.1} KB)", text.len() as f64 / 1e3);
        let t = in_process(text, runs);
        println!("{:<44} {:>7.1} ms   (target {target} ms)", format!("{size}, edit + check, in process"), ms(t));
        let (written, read) = over_stdio(text, runs);
        println!(
            "{:<44} {:>7.1} ms   (incl. 25 ms debounce)",
            format!("{size}, didChange → diagnostics written"),
            ms(written)
        );
        println!("{:<44} {:>7.1} ms", format!("{size}, … read and parsed by the client"), ms(read));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The middle line of `text`, as a protocol line number.
fn middle_line(text: &str) -> u32 {
    (text.lines().count() / 2) as u32
}

/// Typing `x` at the start of the middle line, or deleting it again.
fn edit(line: u32, n: usize) -> TextDocumentContentChangeEvent {
    let start = Position { line, character: 0 };
    let (end, text) = if n.is_multiple_of(2) { (start, "x") } else { (Position { line, character: 1 }, "") };
    TextDocumentContentChangeEvent { range: Some(Range { start, end }), range_length: None, text: text.to_owned() }
}

fn in_process(text: &str, runs: usize) -> Duration {
    let uri = Url::parse("file:///bench/doc.txt").expect("a URI");
    let line = middle_line(text);
    let mut current = Text::new(text.to_owned());
    let mut times: Vec<Duration> = (0..runs)
        .map(|n| {
            let start = Instant::now();
            current = current.apply(edit(line, n));
            let analysis = analyze(&uri, n as i32, Arc::new(current.clone()));
            std::hint::black_box(&analysis.diagnostics);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// The next message, and when its first header line arrived: the moment
/// the server had it serialized and written.
fn read_message(reader: &mut impl BufRead) -> (Value, Instant) {
    let mut length = 0;
    let mut arrived = None;
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).expect("read a header") > 0, "the server went away");
        arrived.get_or_insert_with(Instant::now);
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().expect("a length");
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("a body");
    (serde_json::from_slice(&body).expect("JSON"), arrived.unwrap_or_else(Instant::now))
}

fn over_stdio(text: &str, runs: usize) -> (Duration, Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start policyc lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let uri = "file:///bench/doc.txt";
    let mut send = |m: Value| {
        stdin.write_all(&frame(&m)).expect("write");
        stdin.flush().expect("flush");
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
    );
    let wait = |stdout: &mut BufReader<_>, version: i64| loop {
        let (m, arrived) = read_message(stdout);
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version {
            return arrived;
        }
    };
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "policy", "version": 0, "text": text}}}),
    );
    wait(&mut stdout, 0);
    let line = middle_line(text);
    let (mut written, mut read): (Vec<Duration>, Vec<Duration>) = (0..runs)
        .map(|n| {
            let version = n as i64 + 1;
            let change = serde_json::to_value(edit(line, n)).expect("a change");
            let start = Instant::now();
            send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}));
            let arrived = wait(&mut stdout, version);
            (arrived - start, start.elapsed())
        })
        .unzip();
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let _ = child.wait();
    written.sort();
    read.sort();
    (written[written.len() / 2], read[read.len() / 2])
}
