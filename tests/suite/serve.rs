//! `policyc serve` and `policyc watch` as an editor uses them: the page is
//! served on 127.0.0.1, a changed source shows up within a second or two,
//! a failed source's problems lie over its last good page, and nothing
//! outside the output directory can be fetched. Also `serve` under abuse:
//! slow readers, oversized requests, and no file descriptors left.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use policyc::serve::{MAX_HEAD, MAX_TARGET, OVERLAY_ID, STALL};

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
        Running::spawn(Command::new(env!("CARGO_BIN_EXE_policyc")), args, input, output)
    }

    fn spawn(mut command: Command, args: &[&str], input: &Path, output: &Path) -> Running {
        let mut child = command
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
    served_port(Running::start(&["serve", "--port", "0"], input, output))
}

fn served_port(server: Running) -> (Running, u16) {
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

#[test]
fn serve_lays_a_failed_sources_problems_over_its_last_good_page() {
    let (_dir, input, output) = scratch();
    let (_server, port) = start_server(&input, &output);
    let page = "/sichuan-ip-work-points-2021.html";
    let reload = format!("/__policyc/reload?path={}", page.replace('/', "%2F"));
    let (_, good) = get(port, &reload);
    assert!(!get(port, page).1.contains(OVERLAY_ID));

    // An impossible date is an error: the source is not published.
    let path = input.join("sichuan-ip-work-points-2021.txt");
    let original = fs::read_to_string(&path).unwrap();
    fs::write(&path, original.replacen("2021年3月1日", "2021年2月30日", 1)).unwrap();
    within_deadline("serve: overlay shown", || get(port, page).1.contains(OVERLAY_ID));
    let body = get(port, page).1;
    let overlay = &body[body.find(OVERLAY_ID).unwrap()..];
    assert!(
        overlay.contains(
            "sichuan-ip-work-points-2021.txt:5:1</code> <strong>error[F002]</strong>: `2021年2月30日` is not a date"
        ),
        "{overlay}"
    );
    // Under it, the last good edition; on disk, the page as the build wrote it.
    assert!(body.contains("<h1>2021年四川省知识产权工作要点</h1>"), "{body}");
    assert!(!fs::read_to_string(output.join(&page[1..])).unwrap().contains(OVERLAY_ID));
    // The open page is told to reload, and so comes to show the overlay.
    assert_ne!(get(port, &reload).1, good);
    // Only the failed source's page has one.
    assert!(!get(port, "/chongqing-ip-service-measures-draft.html").1.contains(OVERLAY_ID));

    fs::write(&path, &original).unwrap();
    within_deadline("serve: overlay gone", || !get(port, page).1.contains(OVERLAY_ID));
    assert_eq!(get(port, &reload).1, good);
}

/// A `serve` with a large file (not a page: it is served as it is) in its
/// output directory; its size.
fn serve_with_large_file(input: &Path, output: &Path) -> (Running, u16, usize) {
    let served = start_server(input, output);
    // Far more than the sockets on both sides can buffer.
    let large = vec![b'x'; 48 << 20];
    fs::write(output.join("large.txt"), &large).unwrap();
    (served.0, served.1, large.len())
}

#[test]
fn serve_answers_others_while_a_client_stalls_on_a_large_file_then_drops_it() {
    let (_dir, input, output) = scratch();
    let (_server, port, size) = serve_with_large_file(&input, &output);
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stalled, "GET /large.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut first = [0; 4096];
    stalled.read_exact(&mut first).unwrap();
    let stalled_at = Instant::now();

    // Generous for a loaded machine: the point is that the other client
    // does not wait for the stalled one at all.
    let start = Instant::now();
    assert_eq!(get(port, "/").0, 200);
    let took = start.elapsed();
    eprintln!("a small page while another client stalls: {} ms", took.as_millis());
    assert!(took < Duration::from_secs(2), "{took:?}");

    // Once the stalled client has taken nothing for a while, the server
    // gives up on it: reading on finds the connection closed short.
    std::thread::sleep((STALL + Duration::from_secs(3)).saturating_sub(stalled_at.elapsed()));
    stalled.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut rest = Vec::new();
    let ended = stalled.read_to_end(&mut rest);
    assert!(
        ended.as_ref().map_or_else(|e| e.kind() != std::io::ErrorKind::WouldBlock, |_| true),
        "the connection was kept open: {ended:?}"
    );
    assert!(first.len() + rest.len() < size, "the whole file came after all");
}

/// One raw request; the status of its answer.
fn status_of(port: u16, request: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request).unwrap();
    let mut head = [0; 12];
    stream.read_exact(&mut head).unwrap();
    let head = String::from_utf8_lossy(&head).into_owned();
    head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head}"))
}

#[test]
fn serve_caps_the_request_line_and_the_headers() {
    let (_dir, input, output) = scratch();
    let (_server, port) = start_server(&input, &output);
    let request = |target: &str, headers: &[String]| {
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Connection: close\r\n\r\n", headers.concat())
    };
    let long = |n: usize| "x".repeat(n);
    // At the caps: answered as usual.
    let near = format!("/{}", long(MAX_TARGET - 1));
    assert_eq!(status_of(port, request(&near, &[]).as_bytes()), 404);
    let header = |n: usize| format!("X-Filler: {}\r\n", long(n));
    let under: Vec<String> = (0..15).map(|_| header(4000)).collect();
    assert_eq!(status_of(port, request("/", &under).as_bytes()), 200);
    // Over them: 414 for a 9 KB request line, 431 for 65 KB of headers,
    // one large or many small.
    let over = format!("/{}", long(9 * 1024));
    assert_eq!(status_of(port, request(&over, &[]).as_bytes()), 414);
    // A request line longer than the whole head hyper reads is still 414.
    let huge = format!("/{}", long(MAX_HEAD + 30 * 1024));
    assert_eq!(status_of(port, request(&huge, &[]).as_bytes()), 414);
    assert_eq!(status_of(port, request("/", &[header(65 * 1024)]).as_bytes()), 431);
    let many: Vec<String> = (0..2000).map(|_| header(24)).collect();
    assert_eq!(status_of(port, request("/", &many).as_bytes()), 431);
    // And the server still serves.
    assert_eq!(get(port, "/").0, 200);
}

#[cfg(unix)]
#[test]
fn serve_outlives_running_out_of_file_descriptors() {
    let (_dir, input, output) = scratch();
    // The server may hold 64 files; the clients below take more than that.
    let mut limited = Command::new("sh");
    limited.args(["-c", "ulimit -n 64 && exec \"$0\" \"$@\"", env!("CARGO_BIN_EXE_policyc")]);
    let (mut server, port) = served_port(Running::spawn(limited, &["serve", "--port", "0"], &input, &output));
    let idle: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).ok())
        .collect();
    // Give the server time to run into the limit.
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.child.try_wait().unwrap().is_none(), "the server ended");
    assert!(idle.len() > 64, "only {} connections", idle.len());
    drop(idle);
    let (status, body) = get(port, "/sichuan-ip-work-points-2021.html");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>2021年四川省知识产权工作要点</h1>"));
    assert!(server.child.try_wait().unwrap().is_none(), "the server ended");
}

/// Issue 19: a policy in versions is a directory (`policies/<slug>/<date>.txt`):
/// `watch` sees an edit to a version inside it and rebuilds that version's
/// page and the policy's.
#[test]
fn watch_rebuilds_when_a_version_inside_a_policy_directory_changes() {
    let (_dir, input, output) = scratch();
    let chain = input.join("measures");
    fs::create_dir(&chain).unwrap();
    for entry in fs::read_dir(fixture("history/measures")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, chain.join(path.file_name().unwrap())).unwrap();
    }
    let watcher = Running::start(&["watch"], &input, &output);
    watcher.wait_for("watching ");
    let page = output.join("measures@2024-03-01.html");
    assert!(fs::read_to_string(&page).unwrap().contains("某市科技创新券管理办法"));
    let version = chain.join("2024-03-01.txt");
    let text = fs::read_to_string(&version).unwrap();
    let edited = text.replacen("某市科技创新券管理办法", "某市科技创新券管理暂行办法", 1);
    assert_ne!(text, edited);
    fs::write(&version, edited).unwrap();
    within_deadline("watch: edited version rebuilt", || {
        fs::read_to_string(&page).is_ok_and(|t| t.contains("某市科技创新券管理暂行办法"))
    });
    // The policy's own page is that version too.
    within_deadline("watch: the policy's page follows", || {
        fs::read_to_string(output.join("measures.html")).is_ok_and(|t| t.contains("某市科技创新券管理暂行办法"))
    });
}
