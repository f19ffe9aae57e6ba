//! Server benchmark: `cargo bench --bench serve`.
//!
//! Issue 14 asks that `policyc serve` answer keep-alive requests at least as
//! fast as requests on new connections (it once ran 23 req/s on one
//! connection against 3,160 on new ones: answers were held back by Nagle's
//! algorithm). The release binary serves the seeds; one client then fetches
//! a page `POLICYC_BENCH_REQUESTS` times (default 2,000) three ways:
//!
//! - *keep-alive*: every request on one connection, each answer read whole
//!   before the next request is written;
//! - *new connections*: one connection per request (`Connection: close`);
//! - *large page beside a stalled reader*: the keep-alive run again while
//!   another client has asked for the page of an 8 MB source and reads none of it, so any
//!   head-of-line blocking shows.
//!
//! Each figure is requests per second over the whole run, the median of
//! three runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let requests: usize =
        std::env::var("POLICYC_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000).max(1);
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let input = scratch.path().join("policies");
    std::fs::create_dir(&input).expect("the input directory");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    for entry in std::fs::read_dir(&seeds).expect("policies/") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, input.join(path.file_name().expect("a name"))).expect("a copy");
        }
    }
    // One large page, for the stalled reader.
    let seed = std::fs::read_to_string(input.join("sichuan-ip-work-points-2021.txt")).expect("a seed");
    let mut large = seed.clone();
    while large.len() < 8_000_000 {
        large.push('\n');
        large.push_str(seed.split_once('\n').map_or("", |(_, rest)| rest));
    }
    std::fs::write(input.join("large.txt"), large).expect("the large source");

    let output = scratch.path().join("site");
    let (_server, port) = serve(&input, &output);
    let page = "/sichuan-ip-work-points-2021.html";
    let bytes = fetch_close(port, page).len();
    println!("{requests} requests of {page} ({:.1} KB each), median of 3 runs\n", bytes as f64 / 1e3);

    let keep = median(|| per_second(requests, || keep_alive(port, page, requests)));
    let fresh = median(|| per_second(requests, || (0..requests).for_each(|_| drop(fetch_close(port, page)))));
    let stalled = {
        let mut stall = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(stall, "GET /large.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("a request");
        std::thread::sleep(Duration::from_millis(200));
        let figure = median(|| per_second(requests, || keep_alive(port, page, requests)));
        drop(stall);
        figure
    };
    println!("{:<52} {:>10.0} req/s", "keep-alive, one connection", keep);
    println!("{:<52} {:>10.0} req/s", "a new connection per request", fresh);
    println!("{:<52} {:>10.0} req/s", "keep-alive beside a client stalled on a large page", stalled);
    println!("\nkeep-alive ÷ new connections: {:.2}× (target ≥ 1×)", keep / fresh);
}

/// Start the release binary on a free port; wait for its first build.
fn serve(input: &Path, output: &Path) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(["serve", "--port", "0"])
        .arg(input)
        .arg("-o")
        .arg(output)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("policyc serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let line = loop {
        match lines.next() {
            Some(Ok(line)) if line.contains("serving ") => break line,
            Some(Ok(_)) => continue,
            _ => panic!("policyc serve ended before it served"),
        }
    };
    // Keep draining stderr, so that the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (server, port)
}

fn per_second(requests: usize, run: impl FnOnce()) -> f64 {
    let start = Instant::now();
    run();
    requests as f64 / start.elapsed().as_secs_f64()
}

fn median(mut run: impl FnMut() -> f64) -> f64 {
    let mut figures: Vec<f64> = (0..3).map(|_| run()).collect();
    figures.sort_by(f64::total_cmp);
    figures[1]
}

fn fetch_close(port: u16, target: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").expect("a request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("an answer");
    assert!(raw.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&raw[..raw.len().min(200)]));
    raw
}

/// `requests` requests on one connection, each answer read to the end of its
/// `Content-Length` before the next is sent.
fn keep_alive(port: u16, target: &str, requests: usize) {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
    let mut writer = stream;
    for _ in 0..requests {
        write!(writer, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("a request");
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).expect("a header line");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length")];
        reader.read_exact(&mut body).expect("the body");
    }
}
