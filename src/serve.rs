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
//! Nothing here prints; the caller reports.

use std::fs;
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher as _};
use percent_encoding::percent_decode_str;

use crate::emit::html::digest;

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

/// The answer to `method url` over the files in `root`.
pub fn respond(root: &Path, method: &str, url: &str) -> Reply {
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
                let version = fs::read(&file).map(|b| digest::hex(&b)).unwrap_or_else(|_| "missing".to_owned());
                Reply::text(200, &version)
            }
            Err(refused) => Reply::text(403, &format!("{refused}\n")),
        };
    }
    let file = match resolve(root, url) {
        Ok(file) => file,
        Err(refused) => return Reply::text(403, &format!("{refused}\n")),
    };
    let Ok(mut body) = fs::read(&file) else {
        return Reply::text(404, "not found\n");
    };
    let content_type = content_type(&file);
    if content_type.starts_with("text/html") {
        body = inject_reload(body);
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
        _ => "application/octet-stream",
    }
}

fn inject_reload(body: Vec<u8>) -> Vec<u8> {
    let Ok(mut html) = String::from_utf8(body) else {
        return Vec::new();
    };
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, RELOAD_SCRIPT),
        None => html.push_str(RELOAD_SCRIPT),
    }
    html.into_bytes()
}

/// The HTTP server of `serve`, bound to 127.0.0.1.
pub struct Server {
    http: tiny_http::Server,
    root: PathBuf,
    addr: SocketAddr,
}

impl Server {
    /// Listen on 127.0.0.1:`port` (0: any free port).
    pub fn bind(root: &Path, port: u16) -> Result<Server, ServeError> {
        let http = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| ServeError::Bind { port, message: e.to_string() })?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| ServeError::Bind { port, message: "not an IP socket".to_owned() })?;
        Ok(Server { http, root: root.to_path_buf(), addr })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answer requests until the listener fails. A failed answer (the
    /// client went away) is not the server's problem.
    pub fn run(&self) -> io::Result<()> {
        loop {
            let request = self.http.recv()?;
            let reply = respond(&self.root, request.method().as_str(), request.url());
            let head = *request.method() == tiny_http::Method::Head;
            let length = reply.body.len();
            let body = if head { Vec::new() } else { reply.body };
            let mut response = tiny_http::Response::from_data(body).with_status_code(reply.status);
            for (name, value) in [
                ("Content-Type", reply.content_type),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ] {
                if let Ok(header) = tiny_http::Header::from_bytes(name, value) {
                    response.add_header(header);
                }
            }
            if head && let Ok(header) = tiny_http::Header::from_bytes("Content-Length", length.to_string()) {
                response.add_header(header);
            }
            let _ = request.respond(response);
        }
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
    /// Watch `dirs` (not their subdirectories: sources sit flat in the
    /// policies directory); events under `ignore` (the output directory,
    /// should it sit inside a watched one) never count.
    pub fn new(dirs: &[PathBuf], ignore: Option<&Path>) -> Result<Watcher, ServeError> {
        let (tx, events) = channel();
        let mut inner = notify::recommended_watcher(tx)
            .map_err(|e| ServeError::Watch(dirs.first().cloned().unwrap_or_default(), e))?;
        for dir in dirs {
            inner.watch(dir, RecursiveMode::NonRecursive).map_err(|e| ServeError::Watch(dir.clone(), e))?;
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
            // The write sink's temp files, and editors' hidden swap files.
            .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
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
            assert_eq!(respond(&root, "GET", url).status, 403, "{url}");
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
        let page = respond(dir.path(), "GET", "/a.html");
        assert_eq!(page.status, 200);
        let text = String::from_utf8(page.body).unwrap();
        assert!(text.ends_with(&format!("甲{RELOAD_SCRIPT}</body></html>")), "{text}");
        let yaml = respond(dir.path(), "GET", "/a.yaml");
        assert_eq!(yaml.body, b"a: </body>\n");
        assert_eq!(respond(dir.path(), "GET", "/missing.html").status, 404);
        assert_eq!(respond(dir.path(), "POST", "/a.html").status, 405);
    }

    #[test]
    fn reload_endpoint_follows_the_page_content() {
        let dir = site();
        let url = format!("{RELOAD_PATH}?path=%2Fa.html");
        let before = respond(dir.path(), "GET", &url).body;
        assert_eq!(respond(dir.path(), "GET", &url).body, before);
        fs::write(dir.path().join("a.html"), "<html><body>甲改</body></html>").unwrap();
        assert_ne!(respond(dir.path(), "GET", &url).body, before);
        assert_eq!(respond(dir.path(), "GET", &format!("{RELOAD_PATH}?path=/../a.html")).status, 403);
    }
}
