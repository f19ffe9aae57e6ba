//! `policyc serve` and `policyc watch` as an editor uses them: the page is
//! served on 127.0.0.1, a changed source shows up within a second or two,
//! and nothing outside the output directory can be fetched.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::common::*;

/// How long a change may take to show before the test fails; the measured
/// time is printed. Generous, for a loaded machine: editors see well under
/// a second.
const DEADLINE: Duration = Duration::from_secs(5);

/// A running `policyc` that is killed when the test ends, and its stderr
/// line by line.
struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Running {
    fn start(args: &[&str], input: &Path, output: &Path) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policyc"))
            .args(args)
            .arg(input)
            .arg("-o")
            .arg(output)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    /// The first stderr line containing `needle`, within a deadline.
    fn wait_for(&self, needle: &str) -> String {
        let end = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!("no line with {needle:?} on stderr; saw:\n{}", seen.join("\n"));
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn scratch() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("policies");
    fs::create_dir(&input).unwrap();
    for slug in ["sichuan-ip-work-points-2021", "chongqing-ip-service-measures-draft"] {
        fs::copy(seed_path(slug), input.join(format!("{slug}.txt"))).unwrap();
    }
    let output = dir.path().join("site");
    (dir, input, output)
}

/// One raw HTTP/1.1 request, sent as written (no client-side clean-up of
/// `..`): status and body.
fn get(port: u16, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{raw}"));
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

/// Poll `check` until it holds or the deadline passes; how long it took.
fn within_deadline(what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if check() {
            let took = start.elapsed();
            eprintln!("{what}: {} ms", took.as_millis());
            return took;
        }
        assert!(start.elapsed() < DEADLINE, "{what}: not within {DEADLINE:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Give the policy's title line (line 6; the notice names it on line 3 too)
/// a new ending.
fn edit_title(input: &Path, ending: &str) {
    let path = input.join("sichuan-ip-work-points-2021.txt");
    let text = fs::read_to_string(&path).unwrap();
    let title = "\n2021年四川省知识产权工作要点";
    let edited = text.replacen(title, &format!("{title}{ending}"), 1);
    assert_ne!(text, edited);
    fs::write(&path, edited).unwrap();
}

fn start_server(input: &Path, output: &Path) -> (Running, u16) {
    let server = Running::start(&["serve", "--port", "0"], input, output);
    let line = server.wait_for("serving ");
    let address = line.split("http://").nth(1).unwrap().trim_end_matches(|c| c != '/').trim_end_matches('/');
    let address = address.split(' ').next().unwrap().trim_end_matches('/');
    let (host, port) = address.rsplit_once(':').unwrap();
    assert_eq!(host, "127.0.0.1", "serve must bind loopback only: {line}");
    (server, port.parse().unwrap())
}

#[test]
fn serve_shows_an_edited_source_within_a_second_or_two() {
    let (_dir, input, output) = scratch();
    let (_server, port) = start_server(&input, &output);
    let page = "/sichuan-ip-work-points-2021.html";
    let (status, body) = get(port, page);
    assert_eq!(status, 200);
    assert!(body.contains("<h1>2021年四川省知识产权工作要点</h1>"), "{body}");
    assert!(body.contains(policyc::serve::RELOAD_SCRIPT), "no live-reload script");
    let reload = format!("/__policyc/reload?path={}", page.replace('/', "%2F"));
    let (_, version) = get(port, &reload);
    // The built file on disk stays as the build wrote it.
    assert!(!fs::read_to_string(output.join(&page[1..])).unwrap().contains("__policyc"));

    edit_title(&input, "和任务分工");
    within_deadline("serve: edited title served", || get(port, page).1.contains("工作要点和任务分工</h1>"));
    // The live-reload endpoint tells the open page that it changed.
    assert_ne!(get(port, &reload).1, version);
    // The index follows too (it is written after the pages, in the same build).
    within_deadline("serve: index follows", || get(port, "/").1.contains("工作要点和任务分工"));
}

#[test]
fn serve_refuses_paths_outside_the_output_directory() {
    let (dir, input, output) = scratch();
    fs::write(dir.path().join("secret.txt"), "do not serve me").unwrap();
    let (_server, port) = start_server(&input, &output);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/index.html/../../secret.txt",
        "//secret.txt",
        "/__policyc/reload?path=/../secret.txt",
    ] {
        let (status, body) = get(port, target);
        assert_eq!(status, 403, "{target}: {body}");
        assert!(!body.contains("do not serve me"), "{target}");
    }
    assert_eq!(get(port, "/missing.html").0, 404);
    assert_eq!(get(port, "/").0, 200);
}

#[test]
fn watch_rebuilds_on_change() {
    let (_dir, input, output) = scratch();
    let watcher = Running::start(&["watch"], &input, &output);
    watcher.wait_for("watching ");
    let page = output.join("sichuan-ip-work-points-2021.html");
    assert!(fs::read_to_string(&page).unwrap().contains("<h1>2021年四川省知识产权工作要点</h1>"));
    edit_title(&input, "及分工");
    within_deadline("watch: edited title rebuilt", || {
        fs::read_to_string(&page).is_ok_and(|t| t.contains("工作要点及分工</h1>"))
    });
    watcher.wait_for("built 1, unchanged 1, failed 0");
    // A new source is picked up as well.
    fs::copy(seed_path("guangzhou-ip-service-plan-2016"), input.join("guangzhou.txt")).unwrap();
    within_deadline("watch: new source built", || output.join("guangzhou.html").is_file());
}
