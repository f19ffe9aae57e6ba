//! `policyc lsp`: the real binary, spoken to in JSON-RPC over its stdin and
//! stdout as an editor would (initialize, didOpen, incremental didChange,
//! requests, shutdown/exit), and fed bad input that must get an error
//! response or a diagnostic, never a crash or a hang.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::*;

/// Longer than any answer takes on a loaded machine, short enough that a
/// hang fails the test instead of stalling the suite.
const PATIENCE: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications (and server requests) read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policyc"))
            .arg("lsp")
            .current_dir(dir)
            // The rules' explanation pages go here, not into the home directory.
            .env("XDG_CACHE_HOME", dir.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start policyc lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client { child, stdin, messages: rx, pending: Vec::new(), next_id: 0 }
    }

    /// Start and initialize, with `dir` as the workspace folder.
    fn initialized(dir: &Path) -> Client {
        let mut client = Client::start(dir);
        let root = uri(dir);
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}, "workspaceFolders": [{"uri": root, "name": "ws"}]}),
        );
        assert_eq!(result["result"]["capabilities"]["positionEncoding"], "utf-16", "{result}");
        assert_eq!(result["result"]["capabilities"]["textDocumentSync"]["change"], 2, "incremental sync");
        client.notify("initialized", json!({}));
        client
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body.as_bytes());
        self.send_bytes(&frame);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message that `wanted` accepts; the others are kept.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&wanted) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no {what} within {PATIENCE:?}; got {:#?}", self.pending),
                Err(RecvTimeoutError::Disconnected) => panic!("the server went away waiting for {what}"),
            }
        }
    }

    /// Send a request and wait for its response (the whole message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_for(&format!("response to {method}"), |m| m["id"] == id && m.get("method").is_none())
    }

    /// The next diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "policy", "version": 1, "text": text}}),
        );
    }

    /// shutdown, exit, and the exit code the process ends with.
    fn shutdown(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A copy of a fixture of tests/fixtures/lsp in a temporary folder (so
/// that no policyc.toml of the repository applies), and its URI.
fn copied(dir: &Path, name: &str) -> (PathBuf, String, String) {
    let text = std::fs::read_to_string(fixture(&format!("lsp/{name}"))).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &text).unwrap();
    let uri = uri(&path);
    (path, uri, text)
}

/// A byte offset of a protocol position, counted here independently of the
/// server: UTF-16 code units of the line.
fn offset(text: &str, line: u64, character: u64) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').map_or(text.len() - start, |i| i + 1);
    }
    let mut units = 0;
    for (at, c) in text[start..].char_indices() {
        if units >= character as usize || c == '\n' {
            return start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn position(text: &str, byte: usize) -> Value {
    let before = &text[..byte];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[start..byte].encode_utf16().count()})
}

/// `text` with protocol text edits applied (sorted from the last, so
/// earlier offsets stay valid).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut ranges: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let start = offset(text, r["start"]["line"].as_u64().unwrap(), r["start"]["character"].as_u64().unwrap());
            let end = offset(text, r["end"]["line"].as_u64().unwrap(), r["end"]["character"].as_u64().unwrap());
            (start, end, e["newText"].as_str().unwrap().to_owned())
        })
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let mut out = text.to_owned();
    for (start, end, new) in ranges {
        out.replace_range(start..end, &new);
    }
    out
}

fn policyc(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_policyc")).current_dir(dir).args(args).output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn diagnostics_are_checks_with_utf16_ranges_under_extension_b_text() {
    let dir = tempfile::tempdir().unwrap();
    let (_, uri, text) = copied(dir.path(), "extension-b.txt");
    let mut client = Client::initialized(dir.path());
    client.open(&uri, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    // The same findings as `policyc check --format json`, line for line.
    let check = policyc(dir.path(), &["check", "--format", "json", "extension-b.txt"]);
    let expected: Vec<Value> = check.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}\n{check}");
    for (got, want) in diagnostics.iter().zip(&expected) {
        assert_eq!(got["code"], want["code"]);
        assert_eq!(got["range"]["start"]["line"].as_u64().unwrap() + 1, want["line"].as_u64().unwrap());
        assert!(got["message"].as_str().unwrap().starts_with(want["message"].as_str().unwrap()));
        let severity = match want["severity"].as_str().unwrap() {
            "error" => 1,
            "warning" => 2,
            _ => 3,
        };
        assert_eq!(got["severity"], severity);
    }
    // `,` after 𠀀𠀁 (two characters, four UTF-16 units): column 19, not 17.
    let comma = &diagnostics[0];
    assert_eq!(comma["code"], "T001");
    assert_eq!(comma["range"], json!({"start": {"line": 1, "character": 19}, "end": {"line": 1, "character": 20}}));
    let gap = &diagnostics[1];
    assert_eq!(gap["code"], "N001");
    assert_eq!(gap["range"], json!({"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 3}}));
    assert_eq!(gap["relatedInformation"][0]["location"]["range"]["start"], json!({"line": 1, "character": 0}));
    // Hover on a diagnostic explains its rule.
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 1}}));
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("N001") && shown.contains("numbering-gap"), "{shown}");
    // The code links to the rule's explanation, as `policyc explain` gives it.
    let href = lsp_types::Url::parse(gap["codeDescription"]["href"].as_str().expect("a codeDescription")).unwrap();
    let page = std::fs::read_to_string(href.to_file_path().unwrap()).unwrap();
    assert!(href.path().contains("/.cache/policyc/"), "{href}");
    let explained = policyc(dir.path(), &["explain", "N001"]);
    assert_eq!(page, format!("# {explained}"));

    // An incremental change typed after the Extension B characters: the
    // comma becomes ， and the new text inserts （二）.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 19}, "end": {"line": 1, "character": 20}}, "text": "，"},
            {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "（二）新增条款。𠀂增加内容。\n"},
        ]}),
    );
    let after = client.diagnostics(&uri, 2);
    assert!(after.is_empty(), "{after:#?}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_quick_fix_applied_clears_its_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let (_, uri, text) = copied(dir.path(), "extension-b.txt");
    let mut client = Client::initialized(dir.path());
    client.open(&uri, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    let comma = diagnostics.iter().find(|d| d["code"] == "T001").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": comma["range"], "context": {"diagnostics": [comma]}}),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    let fix = actions.iter().find(|a| a["kind"] == "quickfix").expect("a quick fix");
    assert_eq!(fix["isPreferred"], true);
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply_edits(&text, edits);
    assert!(fixed.contains("𠀀𠀁区，全省"), "{fixed}");
    // The renumbering action is offered on the gap, and takes it away.
    let gap = diagnostics.iter().find(|d| d["code"] == "N001").unwrap().clone();
    let renumber = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": gap["range"], "context": {"diagnostics": [gap], "only": ["refactor"]}}),
    );
    let renumber = renumber["result"][0].clone();
    assert!(renumber["title"].as_str().unwrap().starts_with("Renumber from"), "{renumber}");
    let renumbered = apply_edits(&fixed, renumber["edit"]["changes"][&uri].as_array().unwrap());
    assert!(renumbered.contains("（二）支持措施"), "{renumbered}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": renumbered}]}),
    );
    assert_eq!(client.diagnostics(&uri, 2), Vec::<Value>::new());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn formatting_gives_what_fmt_gives_for_every_seed() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::initialized(dir.path());
    for slug in SEEDS.iter().map(|s| s.to_string()).chain(["extension-b".to_owned()]) {
        let source = if slug == "extension-b" { fixture("lsp/extension-b.txt") } else { seed_path(&slug) };
        let text = std::fs::read_to_string(&source).unwrap();
        let path = dir.path().join(format!("{slug}.txt"));
        std::fs::write(&path, &text).unwrap();
        let uri = uri(&path);
        client.open(&uri, &text);
        let answer = client.request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
        );
        let edits = answer["result"].as_array().unwrap_or_else(|| panic!("{slug}: {answer}"));
        let formatted = apply_edits(&text, edits);
        let fmt = policyc(dir.path(), &["fmt", "--stdout", &format!("{slug}.txt")]);
        assert_same_text(&formatted, &fmt, &slug);
    }
    assert_eq!(client.shutdown(), 0);
}

/// The outline as an editor's tree view shows it: one line per symbol,
/// indented by depth, with its range.
fn render_symbols(symbols: &[Value], depth: usize, out: &mut String) {
    for s in symbols {
        let r = &s["range"];
        out.push_str(&format!(
            "{}{} [{}] {}:{}-{}:{}\n",
            "  ".repeat(depth),
            s["name"].as_str().unwrap(),
            s["detail"].as_str().unwrap_or(""),
            r["start"]["line"],
            r["start"]["character"],
            r["end"]["line"],
            r["end"]["character"],
        ));
        if let Some(children) = s["children"].as_array() {
            render_symbols(children, depth + 1, out);
        }
    }
}

#[test]
fn document_symbols_are_the_clause_tree_of_each_seed() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::initialized(dir.path());
    for slug in SEEDS {
        let text = std::fs::read_to_string(seed_path(slug)).unwrap();
        let path = dir.path().join(format!("{slug}.txt"));
        std::fs::write(&path, &text).unwrap();
        let uri = uri(&path);
        client.open(&uri, &text);
        let answer = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
        let symbols = answer["result"].as_array().unwrap();
        assert!(!symbols.is_empty(), "{slug}");
        let mut rendered = String::new();
        render_symbols(symbols, 0, &mut rendered);
        insta::assert_snapshot!(format!("lsp-symbols-{slug}"), rendered);
        let folds = client.request("textDocument/foldingRange", json!({"textDocument": {"uri": uri}}));
        assert!(!folds["result"].as_array().unwrap().is_empty(), "{slug}: no folding ranges");
    }
    // workspace/symbol finds the clauses of the files in the folder.
    let found = client.request("workspace/symbol", json!({"query": "一"}));
    let found = found["result"].as_array().unwrap();
    assert!(found.iter().all(|s| s["name"].as_str().unwrap().contains('一')));
    for slug in SEEDS {
        let file = format!("/{slug}.txt");
        let hit = found.iter().any(|s| s["location"]["uri"].as_str().unwrap().ends_with(&file));
        assert!(hit, "workspace/symbol found nothing in {slug}");
    }
    assert_eq!(client.shutdown(), 0);
}

/// Definition, references and hover on references of a text: 本条例第三条
/// in a regulation, 本措施第（一）项 in a measure.
#[test]
fn definition_and_references_follow_internal_references() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::initialized(dir.path());
    for (name, reference, target, citations) in
        [("regulation.txt", "本条例第三条", "第三条　违反", 2), ("measure.txt", "本措施第（一）项", "（一）培育", 1)]
    {
        let (_, uri, text) = copied(dir.path(), name);
        client.open(&uri, &text);
        assert_eq!(client.diagnostics(&uri, 1), Vec::<Value>::new(), "{name} is clean");
        let at = text.find(reference).unwrap() + reference.len() - "条".len().min(reference.len());
        let def = client
            .request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": position(&text, at)}));
        let target_at = text.find(target).unwrap();
        assert_eq!(def["result"]["uri"], uri, "{def}");
        assert_eq!(def["result"]["range"]["start"], position(&text, target_at), "{name}: {def}");
        // From the clause's marker: every place that cites it.
        let refs = client.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": position(&text, target_at + 3), "context": {"includeDeclaration": false}}),
        );
        let refs = refs["result"].as_array().unwrap();
        assert_eq!(refs.len(), citations, "{name}: {refs:#?}");
        let first = &refs[0]["range"];
        let start =
            offset(&text, first["start"]["line"].as_u64().unwrap(), first["start"]["character"].as_u64().unwrap());
        assert!(text[start..].starts_with(reference), "{name}: {}", &text[start..]);
        // Hover on the reference shows the clause it cites.
        let hover = client
            .request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position(&text, at)}));
        let shown = hover["result"]["contents"]["value"].as_str().unwrap();
        let words = &target[target.len() - "培育".len()..];
        assert!(shown.contains(words), "{name}: {shown}");
        // Hover on a marker shows its path.
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position(&text, target_at)}),
        );
        let shown = hover["result"]["contents"]["value"].as_str().unwrap();
        assert!(shown.contains("cited"), "{name}: {shown}");
    }
    let (_, uri, text) = copied(dir.path(), "measure.txt");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&text, text.find("（三）").unwrap())}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("二、/（三）"), "the marker's path: {shown}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn bad_input_gets_errors_and_diagnostics_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::initialized(dir.path());
    // Invalid JSON: a parse error with a null id, and the server reads on.
    client.send_bytes(b"Content-Length: 9\r\n\r\n{invalid}");
    let error = client.wait_for("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    // Garbage where a header should be.
    client.send_bytes(b"no header here\r\n\r\n");
    client.wait_for("header error", |m| m["error"]["code"] == -32700);
    // Valid JSON that is no message.
    client.send(&json!([1, 2, 3]));
    client.wait_for("invalid request", |m| m["error"]["code"] == -32600);
    // An unknown method.
    let unknown = client.request("textDocument/teleport", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // Parameters of the wrong shape.
    let wrong = client.request("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(wrong["error"]["code"], -32602, "{wrong}");
    // Positions past the end of the line and of the document.
    let (_, uri, text) = copied(dir.path(), "measure.txt");
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    for (line, character) in [(3, 5000), (4000, 2), (u32::MAX, u32::MAX)] {
        let answer = client.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        assert!(answer.get("result").is_some(), "{answer}");
    }
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 900, "character": 0}, "end": {"line": 999, "character": 9}}, "text": "\n（五）追加条款。"}
        ]}),
    );
    client.diagnostics(&uri, 2);
    // A request about a document that was never opened.
    let none = client
        .request("textDocument/documentSymbol", json!({"textDocument": {"uri": "file:///nowhere/never-opened.txt"}}));
    assert_eq!(none["result"], Value::Null);
    // Binary content: the diagnostic `check` gives for a binary file.
    let binary_uri = uri.replace("measure", "binary");
    client.open(&binary_uri, "\u{0}\u{1}\u{2}PK\u{3}\u{4}\u{0}\u{0}binary\u{0}");
    let binary = client.diagnostics(&binary_uri, 1);
    assert_eq!(binary.len(), 1, "{binary:#?}");
    assert!(binary[0]["message"].as_str().unwrap().contains("binary"), "{binary:#?}");
    // A Word document, as an editor would send it (its zip bytes, read as
    // text): one warning saying where it is checked and edited, no checks
    // of the bytes, no formatting.
    let word_uri = uri.replace("measure.txt", "%E9%80%9A%E7%9F%A5.docx");
    let zip = std::fs::read(fixture("docx/numbering-chinese.docx")).unwrap();
    client.open(&word_uri, &String::from_utf8_lossy(&zip));
    let word = client.diagnostics(&word_uri, 1);
    assert_eq!(word.len(), 1, "{word:#?}");
    let message = word[0]["message"].as_str().unwrap();
    assert!(message.contains("通知.docx is a Word document"), "{message}");
    assert!(message.contains("`policyc check 通知.docx`"), "{message}");
    assert!(message.contains("`policyc import 通知.docx -o 通知.txt`"), "{message}");
    let formatting = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": word_uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert!(formatting["error"]["message"].as_str().is_some_and(|m| m.contains("not formatted")), "{formatting}");
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": word_uri}}));
    assert_eq!(symbols["result"], json!([]));
    // A 50 MB document: one diagnostic saying to run `check`, soon.
    let big_uri = uri.replace("measure", "big");
    let big = text.repeat(50 * 1024 * 1024 / text.len() + 1);
    let started = Instant::now();
    client.open(&big_uri, &big);
    let diagnostics = client.diagnostics(&big_uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(diagnostics[0]["message"].as_str().unwrap().contains("policyc check"), "{diagnostics:#?}");
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": big_uri}}));
    assert_eq!(symbols["result"], json!([]));
    // Requests before initialize are refused, after shutdown too.
    let mut fresh = Client::start(dir.path());
    let early = fresh.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    assert_eq!(client.shutdown(), 0);
}

/// The loop answers while a check runs: a request sent right after a large
/// document is answered before that document's diagnostics arrive.
#[test]
fn the_loop_is_not_blocked_by_a_running_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::initialized(dir.path());
    let mut text = String::new();
    while text.len() < 1 << 20 {
        for slug in SEEDS {
            text.push_str(&std::fs::read_to_string(seed_path(slug)).unwrap());
        }
    }
    let uri = uri(&dir.path().join("large.txt"));
    client.open(&uri, &text);
    // Typed while the first check runs: supersedes it.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}
        ]}),
    );
    let shutdown = client.send_request("shutdown", Value::Null);
    let first = client.wait_for("shutdown or diagnostics", |m| {
        m["id"] == shutdown || m["method"] == "textDocument/publishDiagnostics"
    });
    assert_eq!(first["id"], shutdown, "the loop waited for the check: {first}");
    // The text typed meanwhile is the one checked: version 1 was debounced
    // or superseded, never published.
    let published = client.wait_for("diagnostics", |m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["version"], 2, "{}", published["params"]["uri"]);
    client.notify("exit", Value::Null);
    drop(client.stdin.take());
    let status = client.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// A saved web page is checked as `policyc check` reads it, its text taken
/// out of the markup: each diagnostic and each clause of the outline at its
/// place in the page; no fix or formatting is offered, since those edit the
/// extracted text and the buffer holds the markup.
#[test]
fn a_web_page_is_checked_and_outlined_at_its_places_in_the_markup() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("html/table.html")).unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(&path, &text).unwrap();
    let uri = uri(&path);
    let mut client = Client::initialized(dir.path());
    client.open(&uri, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    let check = policyc(dir.path(), &["check", "--format", "json", "page.html"]);
    let expected: Vec<Value> = check.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!expected.is_empty());
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:#?}\n{check}");
    let lines: Vec<&str> = text.lines().collect();
    for (got, want) in diagnostics.iter().zip(&expected) {
        assert_eq!(got["code"], want["code"]);
        let (line, column) = want["origin"].as_str().unwrap().split_once(':').unwrap();
        let start = &got["range"]["start"];
        assert_eq!(start["line"].as_u64().unwrap() + 1, line.parse::<u64>().unwrap(), "{got}");
        // The page's characters here are all in the BMP: UTF-16 units are characters.
        assert_eq!(start["character"].as_u64().unwrap() + 1, column.parse::<u64>().unwrap(), "{got}");
    }
    // The outline's clauses sit on the page's lines of their markers.
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let symbols = symbols["result"].as_array().unwrap();
    assert!(!symbols.is_empty());
    for symbol in symbols {
        let at = &symbol["selectionRange"]["start"];
        let line = lines[at["line"].as_u64().unwrap() as usize];
        let marker = symbol["name"].as_str().unwrap().split(' ').next().unwrap();
        let from: String = line.chars().skip(at["character"].as_u64().unwrap() as usize).collect();
        assert!(from.starts_with(marker), "{marker} at {at} of `{line}`");
    }
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[0]["range"], "context": {"diagnostics": []}}),
    );
    assert_eq!(actions["result"], json!([]), "{actions}");
    let formatted = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert!(formatted.get("error").is_some(), "a page's markup is not formatted: {formatted}");
    assert_eq!(client.shutdown(), 0);
}
