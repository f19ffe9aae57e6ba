//! Live preview: a watcher that notices changed sources, and a small HTTP
//! server for the output directory.
//!
//! Takes the output directory of a build (and, for the watcher, the
//! directories to watch); gives pages over HTTP on 127.0.0.1 only, never a
//! file outside that directory: a request path is percent-decoded once and
//! refused (403) when any segment is `..`, `.`, empty after a leading slash,
//! or holds `\`, `%` or NUL after decoding — so `/../`, `/%2e%2e/`,
//! `/%252e%252e/` and `/..%5c` all stay out — and the file found must still
//! lie under the directory once symbolic links are resolved. HTML pages get
//! a few lines of script that ask `/__policyc/reload?path=…` for a digest of
//! the page every half second and reload when it changes, so the page being
//! edited follows the build; the files on disk stay as the build wrote them.
//! When a source's last build failed, its page (the last good edition, or
//! a page of its own when there never was one) gets an overlay listing
//! what is wrong, file:line:column, until a build succeeds again.
//!
//! The server holds up under load and abuse: every connection is served on
//! its own, so one slow reader delays no one; a connection that moves no
//! byte for [`STALL`] is closed; a request target over [`MAX_TARGET`]
//! bytes gets 414 (even when the request line alone outgrows the head) and
//! a request head over [`MAX_HEAD`] gets 431, read no further; and running out of file descriptors pauses accepting instead
//! of ending the server. Nothing here prints; the caller reports.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fs;
use std::future::Future as _;
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use notify::{EventKind, RecursiveMode, Watcher as _};
use percent_encoding::percent_decode_str;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::diag::Severity;
use crate::digest;
use crate::escape::html as escape;
use crate::publish::{Failure, FileReport, Outcome};
use crate::source::SourceFile;

/// The path of the live-reload endpoint.
pub const RELOAD_PATH: &str = "/__policyc/reload";

/// What the server injects before `</body>` of every HTML page it serves.
pub const RELOAD_SCRIPT: &str = r#"<script>/* policyc serve: live reload */
(function () {
  var page = location.pathname, seen = null;
  function poll() {
    fetch("/__policyc/reload?path=" + encodeURIComponent(page), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) {
        if (seen !== null && v !== seen) { location.reload(); return; }
        seen = v; setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>
"#;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "cannot listen on 127.0.0.1:{port}: {message} (pick another port with --port, or --port 0 for any free one)"
    )]
    Bind { port: u16, message: String },
    #[error("cannot watch {0}: {1}")]
    Watch(PathBuf, notify::Error),
}

/// Why a request path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// `/%ff` (not UTF-8 once decoded)
    #[error("the path is not valid percent-encoded UTF-8")]
    Encoding,
    /// `/../secret`, `/%2e%2e/secret`, `/a/..%5c..`
    #[error("the path leaves the output directory")]
    Outside,
}

/// The file under `root` that the URL path `url` names (query and fragment
/// ignored; `/` and directories mean their `index.html`).
pub fn resolve(root: &Path, url: &str) -> Result<PathBuf, Refused> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode_str(path).decode_utf8().map_err(|_| Refused::Encoding)?;
    let relative = decoded.strip_prefix('/').ok_or(Refused::Outside)?;
    // `%` after decoding means the client encoded twice; nothing policyc
    // writes has one, so refusing it closes the door on double decoding.
    if relative.contains(['\\', '%', '\0']) {
        return Err(Refused::Outside);
    }
    let mut file = root.to_path_buf();
    if !relative.is_empty() {
        for segment in relative.split('/') {
            let mut components = Path::new(segment).components();
            match (components.next(), components.next()) {
                (Some(Component::Normal(name)), None) => file.push(name),
                // The empty segment ends `/dir/`: fine only at the end.
                (None, None) if file != root && relative.ends_with('/') => {}
                _ => return Err(Refused::Outside),
            }
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // A symbolic link inside the output may point anywhere.
    if let (Ok(real), Ok(real_root)) = (file.canonicalize(), root.canonicalize())
        && !real.starts_with(&real_root)
    {
        return Err(Refused::Outside);
    }
    Ok(file)
}

/// An HTTP answer, before it meets the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, body: &str) -> Reply {
        Reply { status, content_type: "text/plain; charset=utf-8", body: body.as_bytes().to_vec() }
    }
}

/// One thing wrong with a source whose last build failed, as the overlay
/// shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `file:line:column`, or the file alone when the trouble has no place.
    pub location: String,
    /// `error[N001]`, `warning[W003]`, or `error` for a failure that is not
    /// a diagnostic (unreadable file, failed write).
    pub label: String,
    pub message: String,
    pub help: Option<String>,
}

/// What went wrong with `file` in a build, when it failed; `None` when it
/// was built or unchanged. Errors and warnings, not notes.
pub fn problems(file: &FileReport) -> Option<Vec<Problem>> {
    let Outcome::Failed(failure) = &file.outcome else {
        return None;
    };
    let path = file.source.as_ref().map_or_else(|| file.path.display().to_string(), SourceFile::display_path);
    let mut found: Vec<Problem> = file
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| Problem {
            location: match file.source.as_ref().filter(|s| s.origin.is_some()) {
                // A web page: the page's own line and column.
                Some(source) => {
                    let (line, column) = source.original_position(d.span.start);
                    format!("{path}:{line}:{column}")
                }
                None => format!("{path}:{}:{}", d.span.line, d.span.column),
            },
            label: format!("{}[{}]", d.severity.name(), d.code),
            message: d.message.clone(),
            help: d.help.clone(),
        })
        .collect();
    let plain = |location: String, message: String, help: Option<String>| Problem {
        location,
        label: "error".to_owned(),
        message,
        help,
    };
    match failure {
        // The diagnostics above say it all.
        Failure::Errors => {}
        Failure::Decode(e) => {
            let (line, column) = e.position();
            let (message, help) = failure.describe(&file.path, &file.slug);
            found.push(plain(format!("{path}:{line}:{column}"), message, help));
        }
        other => {
            let (message, help) = other.describe(&file.path, &file.slug);
            found.push(plain(path, message, help));
        }
    }
    Some(found)
}

/// The overlays the server lays over the pages of sources whose last build
/// failed, by slug; replaced whole after every build, so that a source
/// built again (or removed) loses its overlay.
#[derive(Debug, Default)]
pub struct Overlays {
    by_slug: RwLock<BTreeMap<String, Vec<Problem>>>,
}

impl Overlays {
    /// The failures of the build that just ended, by slug.
    pub fn replace(&self, failed: &BTreeMap<String, Vec<Problem>>) {
        if let Ok(mut by_slug) = self.by_slug.write() {
            by_slug.clone_from(failed);
        }
    }

    /// The overlay for the page `file` under `root` (only a source's own
    /// page, `<root>/<slug>.html`, has one), said over the last good
    /// edition or, with `page` false, instead of a page never built.
    fn for_page(&self, root: &Path, file: &Path, page: bool) -> Option<String> {
        let name = file.strip_prefix(root).ok()?.to_str()?;
        let slug = name.strip_suffix(".html").filter(|s| !s.contains(['/', '\\']))?;
        let by_slug = self.by_slug.read().ok()?;
        Some(overlay_html(slug, by_slug.get(slug)?, page))
    }
}

/// The overlay's element id, for tests and for anyone styling it.
pub const OVERLAY_ID: &str = "policyc-overlay";

fn overlay_html(slug: &str, found: &[Problem], page: bool) -> String {
    let mut out = format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;\
         z-index:2147483647;margin:0;padding:1em 1.5em;background:#fff4f4;color:#1a1a1a;border-top:4px solid #c00;\
         font:14px/1.5 ui-monospace,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.2)\">\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"float:right\" aria-label=\"close\">×</button>\
         <p style=\"margin:0 0 .5em;font-weight:bold\">The last build of "
    );
    escape(&mut out, slug);
    out.push_str(if page {
        " failed: under this note is its last good edition."
    } else {
        " failed, and it has never been built."
    });
    out.push_str(" Fix the source and save: the page reloads.</p><ul style=\"margin:0;padding-left:1.2em\">");
    for problem in found {
        out.push_str("<li><code>");
        escape(&mut out, &problem.location);
        out.push_str("</code> <strong>");
        escape(&mut out, &problem.label);
        out.push_str("</strong>: ");
        escape(&mut out, &problem.message);
        if let Some(help) = &problem.help {
            out.push_str("<br>help: ");
            escape(&mut out, help);
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></div>\n");
    out
}

/// The answer to `method url` over the files in `root`, with the overlays
/// of failed sources laid over their pages.
pub fn respond(root: &Path, overlays: &Overlays, method: &str, url: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return Reply::text(405, "only GET and HEAD\n");
    }
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if path == RELOAD_PATH {
        let page = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("path="))
            .map(|p| percent_decode_str(p).decode_utf8_lossy().into_owned())
            .unwrap_or_else(|| "/".to_owned());
        return match resolve(root, &page) {
            Ok(file) => {
                // The overlay counts as part of the page: it appears and
                // goes away with a reload.
                let mut version = digest::Hasher::default();
                let body = fs::read(&file).ok();
                version.update(body.as_deref().unwrap_or_default());
                version.update(overlays.for_page(root, &file, body.is_some()).unwrap_or_default().as_bytes());
                Reply::text(200, &version.hex())
            }
            Err(refused) => Reply::text(403, &format!("{refused}\n")),
        };
    }
    let file = match resolve(root, url) {
        Ok(file) => file,
        Err(refused) => return Reply::text(403, &format!("{refused}\n")),
    };
    let mut body = match fs::read(&file) {
        Ok(body) => body,
        // A source that never built has no page yet, but its problems are
        // worth a page of their own.
        Err(e) if e.kind() == io::ErrorKind::NotFound => match overlays.for_page(root, &file, false) {
            Some(overlay) => {
                let page = format!("<!doctype html><html><body>{overlay}{RELOAD_SCRIPT}</body></html>");
                return Reply { status: 404, content_type: "text/html; charset=utf-8", body: page.into_bytes() };
            }
            None => return Reply::text(404, "not found\n"),
        },
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotADirectory | io::ErrorKind::IsADirectory | io::ErrorKind::InvalidFilename
            ) =>
        {
            return Reply::text(404, "not found\n");
        }
        // Out of file descriptors or memory, for instance: the file is
        // there, so the client should come back rather than give up.
        Err(e) => return Reply::text(503, &format!("cannot read the file just now ({e}); try again\n")),
    };
    let content_type = content_type(&file);
    if content_type.starts_with("text/html") {
        body = inject(body, &overlays.for_page(root, &file, true).unwrap_or_default());
    }
    Reply { status: 200, content_type, body }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// The overlay (if any) and the reload script, before `</body>`.
fn inject(body: Vec<u8>, overlay: &str) -> Vec<u8> {
    let Ok(mut html) = String::from_utf8(body) else {
        return Vec::new();
    };
    let added = format!("{overlay}{RELOAD_SCRIPT}");
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &added),
        None => html.push_str(&added),
    }
    html.into_bytes()
}

/// The longest request target answered; a longer one gets 414. Browsers
/// and servers commonly cap URLs near here, and no page policyc writes
/// has a path anywhere near as long.
pub const MAX_TARGET: usize = 8 * 1024;

/// The most header bytes (names, values and their line breaks) answered; more
/// get 431. Browsers send a few kilobytes; large cookies stay well below.
pub const MAX_HEADERS: usize = 64 * 1024;

/// The most request-head bytes read (request line and headers, with room
/// for the method and version): a head that does not end within them gets
/// 431 and the connection is closed, so a huge request costs the server
/// this much memory and no more.
pub const MAX_HEAD: usize = MAX_TARGET + MAX_HEADERS + 64;

/// A connection that moves no byte either way for this long is closed: a
/// browser on loopback is never that slow, and a stalled client must not
/// hold a file descriptor and a page's worth of memory forever.
pub const STALL: Duration = Duration::from_secs(10);

/// The longest wait before accepting again after the listener failed
/// (out of file descriptors, most likely): connections close, and new
/// ones are taken once there is room.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Threads that read files for answers, so that a large page never holds
/// up the connections.
const FILE_THREADS: usize = 4;

/// The HTTP server of `serve`, bound to 127.0.0.1.
///
/// hyper on a one-thread tokio runtime: every connection is its own task,
/// so a slow reader holds up no one else; files are read on a few worker
/// threads; sockets are `TCP_NODELAY`, so keep-alive answers are not held
/// back by Nagle's algorithm waiting for a delayed ACK.
pub struct Server {
    listener: std::net::TcpListener,
    root: PathBuf,
    addr: SocketAddr,
    overlays: Arc<Overlays>,
}

impl Server {
    /// Listen on 127.0.0.1:`port` (0: any free port).
    pub fn bind(root: &Path, port: u16) -> Result<Server, ServeError> {
        let bind_error = |e: io::Error| ServeError::Bind { port, message: e.to_string() };
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        Ok(Server { listener, root: root.to_path_buf(), addr, overlays: Arc::default() })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The overlays laid over pages; the caller replaces them after each
    /// build.
    pub fn overlays(&self) -> Arc<Overlays> {
        Arc::clone(&self.overlays)
    }

    /// Answer requests for good. Fails only when the runtime cannot start;
    /// a listener error (too many open files) is waited out, and a failed
    /// connection (the client went away, or stalled) is not the server's
    /// problem.
    pub fn run(self) -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .max_blocking_threads(FILE_THREADS)
            .build()?;
        runtime.block_on(self.accept())
    }

    async fn accept(self) -> io::Result<()> {
        let listener = tokio::net::TcpListener::from_std(self.listener)?;
        let site = Arc::new(Site { root: self.root, overlays: self.overlays });
        let mut backoff = Duration::ZERO;
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(_) => {
                    backoff = (backoff * 2).clamp(Duration::from_millis(10), MAX_BACKOFF);
                    tokio::time::sleep(backoff).await;
                    continue;
                }
            };
            backoff = Duration::ZERO;
            let _ = stream.set_nodelay(true);
            let site = Arc::clone(&site);
            tokio::spawn(async move {
                let service = service_fn(move |request| answer(Arc::clone(&site), request));
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(STALL)
                    .max_buf_size(MAX_HEAD)
                    .max_header_size(MAX_HEAD)
                    .serve_connection(TokioIo::new(Watched::new(stream)), service)
                    .await;
            });
        }
    }
}

/// What every connection answers from.
struct Site {
    root: PathBuf,
    overlays: Arc<Overlays>,
}

async fn answer(site: Arc<Site>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let target = request.uri().to_string();
    let method = request.method().as_str().to_owned();
    // Each header line is `name: value\r\n`.
    let headers: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    let reply = if target.len() > MAX_TARGET {
        Reply::text(414, &format!("the request target is longer than {MAX_TARGET} bytes\n"))
    } else if headers > MAX_HEADERS {
        Reply::text(431, &format!("the request headers are longer than {MAX_HEADERS} bytes\n"))
    } else {
        tokio::task::spawn_blocking(move || respond(&site.root, &site.overlays, &method, &target))
            .await
            .unwrap_or_else(|_| Reply::text(500, "the answer could not be made\n"))
    };
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // hyper sends no body to HEAD, and a Content-Length from the body it
    // would have sent.
    Ok(response)
}

/// A connection that fails with `TimedOut` once it has moved no byte,
/// either way, for [`STALL`]: hyper's own timeout covers reading a request
/// head, not a client that stops reading its answer.
struct Watched {
    stream: tokio::net::TcpStream,
    stalled_since: Option<Pin<Box<tokio::time::Sleep>>>,
    head: Head,
}

/// Where the bytes read so far leave the request head. hyper answers a
/// head that fills its buffer with 431 whatever made it long, so a request
/// line longer than the whole head must be caught here to get its 414.
/// Requests are taken to have no body (the server answers GET and HEAD).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Head {
    /// In the request line, this many bytes in.
    Line(usize),
    /// In the headers; `true` right after a line break (a second one ends
    /// the head).
    Headers(bool),
    /// The request line was too long: 414 was sent and the rest of what
    /// the client sends is read and dropped (at most [`DRAIN`] bytes), so
    /// that closing the socket does not reset it before the client has
    /// read the answer.
    Refused(usize),
}

/// The longest request line let through: the target and room for the
/// method and the version.
const MAX_LINE: usize = MAX_TARGET + 64;

/// How much of a refused request is read and dropped before the connection
/// is closed regardless.
const DRAIN: usize = 4 * MAX_HEAD;

impl Watched {
    fn new(stream: tokio::net::TcpStream) -> Self {
        Watched { stream, stalled_since: None, head: Head::Line(0) }
    }

    /// Follow the request head through `bytes`, just read; false once the
    /// request line has outgrown [`MAX_LINE`].
    fn follow(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            self.head = match (self.head, b) {
                // Blank lines before a request line are allowed (RFC 9112 2.2).
                (Head::Line(n), b'\n') if n <= 1 => Head::Line(0),
                (Head::Line(_), b'\n') => Head::Headers(true),
                (Head::Line(n), _) if n >= MAX_LINE => return false,
                (Head::Line(n), _) => Head::Line(n + 1),
                (Head::Headers(true), b'\n') => Head::Line(0),
                (Head::Headers(after), b'\r') => Head::Headers(after),
                (Head::Headers(_), b'\n') => Head::Headers(true),
                (Head::Headers(_), _) => Head::Headers(false),
                (refused @ Head::Refused(_), _) => refused,
            };
        }
        true
    }

    /// Answer 414 straight onto the socket (the answer is far smaller than
    /// any socket buffer) and stop handing bytes to hyper.
    fn refuse(&mut self) {
        let body = format!("the request target is longer than {MAX_TARGET} bytes\n");
        let answer = format!(
            "HTTP/1.1 414 URI Too Long\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = self.stream.try_write(answer.as_bytes());
        self.head = Head::Refused(0);
    }

    /// Read and drop what a refused client still sends; end of input once
    /// it stops or after [`DRAIN`] bytes.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut scratch = [0u8; 16 * 1024];
        loop {
            let Head::Refused(drained) = self.head else { return Poll::Ready(Ok(())) };
            if drained >= DRAIN {
                return Poll::Ready(Ok(()));
            }
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut self.stream).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if !buf.filled().is_empty() => {
                    self.head = Head::Refused(drained + buf.filled().len());
                }
                Poll::Ready(_) => return Poll::Ready(Ok(())),
                pending => return self.watch(cx, pending),
            }
        }
    }

    /// After an I/O poll: progress clears the stall; no progress starts it
    /// or, once it has lasted [`STALL`], ends the connection.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled_since = None;
            return poll;
        }
        let stall = self.stalled_since.get_or_insert_with(|| Box::pin(tokio::time::sleep(STALL)));
        match stall.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if matches!(self.head, Head::Refused(_)) {
            return self.drain(cx);
        }
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && !self.follow(&buf.filled()[before..]) {
            // hyper must not see the request: it would answer 431.
            buf.set_filled(before);
            self.refuse();
            return self.drain(cx);
        }
        self.watch(cx, poll)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}

/// Watches directories for changes that call for a rebuild.
pub struct Watcher {
    // Dropping the notify watcher stops the events.
    _notify: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    ignore: Option<PathBuf>,
}

/// How long a burst of events (an editor's save is several) is waited out
/// before one rebuild.
const SETTLE: Duration = Duration::from_millis(100);

impl Watcher {
    /// Watch `dirs` and their subdirectories (a policy in versions is a
    /// directory of dated files, see `publish::history`); events under
    /// `ignore` (the output directory, should it sit inside a watched one)
    /// never count.
    pub fn new(dirs: &[PathBuf], ignore: Option<&Path>) -> Result<Watcher, ServeError> {
        let (tx, events) = channel();
        let mut inner = notify::recommended_watcher(tx)
            .map_err(|e| ServeError::Watch(dirs.first().cloned().unwrap_or_default(), e))?;
        for dir in dirs {
            inner.watch(dir, RecursiveMode::Recursive).map_err(|e| ServeError::Watch(dir.clone(), e))?;
        }
        let ignore = ignore.map(|p| p.canonicalize().unwrap_or_else(|_| p.to_path_buf()));
        Ok(Watcher { _notify: inner, events, ignore })
    }

    /// Block until something changed, then wait for the burst to settle;
    /// gives the paths that changed, sorted. `None` when watching stopped.
    pub fn wait(&self) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        loop {
            let timeout = if changed.is_empty() { Duration::from_secs(3600) } else { SETTLE };
            match self.events.recv_timeout(timeout) {
                Ok(Ok(event)) => changed.extend(self.relevant(event)),
                // A lost event is still a change: rebuild to be safe.
                Ok(Err(_)) => changed.push(PathBuf::new()),
                Err(RecvTimeoutError::Timeout) if !changed.is_empty() => break,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    fn relevant(&self, event: notify::Event) -> Vec<PathBuf> {
        if matches!(event.kind, EventKind::Access(_)) {
            return Vec::new();
        }
        event
            .paths
            .into_iter()
            .filter(|p| !self.ignore.as_ref().is_some_and(|ignore| p.starts_with(ignore)))
            // The write sink's temp files, editors' hidden swap files, and
            // the owner file Word writes when it opens a document.
            .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
            .filter(|p| !crate::publish::is_word_owner_file(p))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "<html><body>目录</body></html>").unwrap();
        fs::write(dir.path().join("a.html"), "<html><body>甲</body></html>").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/index.html"), "<html><body>乙</body></html>").unwrap();
        dir
    }

    #[test]
    fn serves_files_and_directory_indexes() {
        let dir = site();
        let root = dir.path();
        assert_eq!(resolve(root, "/").unwrap(), root.join("index.html"));
        assert_eq!(resolve(root, "/a.html?x=1#p1").unwrap(), root.join("a.html"));
        assert_eq!(resolve(root, "/sub/").unwrap(), root.join("sub/index.html"));
        assert_eq!(resolve(root, "/%61.html").unwrap(), root.join("a.html"));
    }

    #[test]
    fn refuses_every_way_out() {
        let outer = site();
        let root = outer.path().join("sub");
        for url in [
            "/../a.html",
            "/..",
            "/./a.html",
            "/%2e%2e/a.html",
            "/%2E%2E%2Fa.html",
            "/.%2e/a.html",
            "/..%2f..%2fetc%2fpasswd",
            "/%252e%252e/a.html",
            "/..%5ca.html",
            "/%5c..%5ca.html",
            "//etc/passwd",
            "/index.html/../../a.html",
            "/%00",
            "relative",
        ] {
            assert_eq!(resolve(&root, url), Err(Refused::Outside), "{url}");
            assert_eq!(respond(&root, &Overlays::default(), "GET", url).status, 403, "{url}");
        }
        assert_eq!(resolve(&root, "/%ff"), Err(Refused::Encoding));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlink_that_leads_out() {
        let outer = site();
        let root = outer.path().join("sub");
        std::os::unix::fs::symlink(outer.path().join("a.html"), root.join("link.html")).unwrap();
        assert_eq!(resolve(&root, "/link.html"), Err(Refused::Outside));
    }

    #[test]
    fn html_gets_the_reload_script_and_other_files_do_not() {
        let dir = site();
        fs::write(dir.path().join("a.yaml"), "a: </body>\n").unwrap();
        let page = respond(dir.path(), &Overlays::default(), "GET", "/a.html");
        assert_eq!(page.status, 200);
        let text = String::from_utf8(page.body).unwrap();
        assert!(text.ends_with(&format!("甲{RELOAD_SCRIPT}</body></html>")), "{text}");
        let yaml = respond(dir.path(), &Overlays::default(), "GET", "/a.yaml");
        assert_eq!(yaml.body, b"a: </body>\n");
        assert_eq!(respond(dir.path(), &Overlays::default(), "GET", "/missing.html").status, 404);
        assert_eq!(respond(dir.path(), &Overlays::default(), "POST", "/a.html").status, 405);
    }

    #[test]
    fn reload_endpoint_follows_the_page_content() {
        let dir = site();
        let url = format!("{RELOAD_PATH}?path=%2Fa.html");
        let before = respond(dir.path(), &Overlays::default(), "GET", &url).body;
        assert_eq!(respond(dir.path(), &Overlays::default(), "GET", &url).body, before);
        fs::write(dir.path().join("a.html"), "<html><body>甲改</body></html>").unwrap();
        assert_ne!(respond(dir.path(), &Overlays::default(), "GET", &url).body, before);
        assert_eq!(
            respond(dir.path(), &Overlays::default(), "GET", &format!("{RELOAD_PATH}?path=/../a.html")).status,
            403
        );
    }
    fn failed(slug: &str) -> BTreeMap<String, Vec<Problem>> {
        let problem = Problem {
            location: format!("policies/{slug}.txt:3:5"),
            label: "error[N001]".to_owned(),
            message: "编号“（三）”之后是“（五）”<缺>".to_owned(),
            help: Some("renumber with `policyc fmt`".to_owned()),
        };
        BTreeMap::from([(slug.to_owned(), vec![problem])])
    }

    #[test]
    fn a_failed_source_gets_an_overlay_on_its_own_page_until_it_builds_again() {
        let dir = site();
        let overlays = Overlays::default();
        let url = format!("{RELOAD_PATH}?path=%2Fa.html");
        let clean = respond(dir.path(), &overlays, "GET", &url).body;
        overlays.replace(&failed("a"));
        let page = String::from_utf8(respond(dir.path(), &overlays, "GET", "/a.html").body).unwrap();
        let overlay = page.split_once(&format!("<div id=\"{OVERLAY_ID}\"")).unwrap().1;
        assert!(page.starts_with("<html><body>甲<div"), "the last good edition stays under it: {page}");
        assert!(overlay.contains("<code>policies&#x2f;a.txt:3:5</code> <strong>error[N001]</strong>: 编号“（三）”之后是“（五）”&lt;缺&gt;"), "{overlay}");
        assert!(overlay.contains("help: renumber with `policyc fmt`"), "{overlay}");
        assert!(overlay.ends_with(&format!("</ul></div>\n{RELOAD_SCRIPT}</body></html>")), "{overlay}");
        // The open page learns that it must reload to show the overlay.
        let failing = respond(dir.path(), &overlays, "GET", &url).body;
        assert_ne!(failing, clean);
        // Other pages, and the file on disk, are left alone.
        assert!(!String::from_utf8(respond(dir.path(), &overlays, "GET", "/").body).unwrap().contains(OVERLAY_ID));
        assert!(!fs::read_to_string(dir.path().join("a.html")).unwrap().contains(OVERLAY_ID));
        overlays.replace(&BTreeMap::new());
        assert!(
            !String::from_utf8(respond(dir.path(), &overlays, "GET", "/a.html").body).unwrap().contains(OVERLAY_ID)
        );
        assert_eq!(respond(dir.path(), &overlays, "GET", &url).body, clean);
    }

    #[test]
    fn a_source_that_never_built_shows_its_problems_on_a_page_of_its_own() {
        let dir = site();
        let overlays = Overlays::default();
        overlays.replace(&failed("new"));
        let reply = respond(dir.path(), &overlays, "GET", "/new.html");
        assert_eq!((reply.status, reply.content_type), (404, "text/html; charset=utf-8"));
        let page = String::from_utf8(reply.body).unwrap();
        assert!(
            page.contains("policies&#x2f;new.txt:3:5")
                && page.contains("never been built")
                && page.contains(RELOAD_SCRIPT),
            "{page}"
        );
        assert_eq!(respond(dir.path(), &overlays, "GET", "/other.html").body, b"not found\n");
    }
}
