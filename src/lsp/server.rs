//! The server's loop and its worker.
//!
//! The main loop reads messages, keeps each open document's text (applying
//! incremental changes), and hands checks and tree requests to one worker
//! thread; it never parses or checks, so it answers `shutdown` or takes the
//! next keystroke while a 1 MB document is being checked. The worker
//! debounces (changes arriving within [`DEBOUNCE`] of the first make one
//! check), checks the newest text, and publishes only if the document did
//! not change meanwhile: a newer `didChange` supersedes a running check,
//! whose result is dropped. Requests are answered from a check of the text
//! they were asked about.

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentFormattingParams,
    DocumentSymbolParams, DocumentSymbolResponse, ExecuteCommandOptions, ExecuteCommandParams, FoldingRangeParams,
    FoldingRangeProviderCapability, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, Location, MarkupContent, MarkupKind, OneOf,
    PositionEncodingKind, ReferenceParams, ServerCapabilities, ServerInfo, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextEdit, Url, WorkspaceEdit,
    WorkspaceSymbolParams,
};
use serde_json::Value;

use super::actions;
use super::diagnostics::{self, Analysis};
use super::documents::{Buffer, Text};
use super::references;
use super::symbols;
use super::transport::{self, Out};

/// How long the worker waits after a change for more changes before it
/// checks: one check for a burst of keystrokes.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// The command behind "renumber from here", for clients that bind it to a
/// key: its one argument is a `TextDocumentPositionParams`.
pub const RENUMBER_COMMAND: &str = "policyc.renumberFromHere";

/// An open document as the editor last sent it.
struct Doc {
    version: i32,
    /// Bumped on every change: the identity of a text (a client may reuse
    /// version numbers after reopening a document).
    generation: u64,
    text: Arc<Text>,
}

/// What the loop and the worker share.
#[derive(Default)]
struct Shared {
    docs: Mutex<HashMap<Url, Doc>>,
    /// The newest check of each document, with the generation it checked.
    analyses: Mutex<HashMap<Url, (u64, Arc<Analysis>)>>,
    cancelled: Mutex<HashSet<RequestId>>,
}

/// A lock that a panicking holder did not poison for the others: the
/// data is replaced whole on every write, never left half-made.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

enum Job {
    Check(Url),
    Request(Request),
}

/// Serve one client on `input`/`output` until it says `exit` or goes
/// away; the process's exit code (0 after `shutdown` then `exit`, 1
/// otherwise, as the protocol says).
pub fn serve(input: impl std::io::BufRead + Send + 'static, output: impl std::io::Write + Send + 'static) -> u8 {
    let Ok((messages, out)) = transport::start(input, output) else { return 2 };
    let shared = Arc::new(Shared::default());
    let (jobs_tx, jobs_rx) = crossbeam_channel::unbounded();
    let worker = Worker { shared: shared.clone(), out: out.clone(), root: Arc::new(Mutex::new(None)), edits: 0 };
    let root = worker.root.clone();
    if std::thread::Builder::new().name("lsp-worker".to_owned()).spawn(move || worker.run(&jobs_rx)).is_err() {
        return 2;
    }
    let mut server = Server { out: out.clone(), shared, jobs: jobs_tx, root, initialized: false, shutdown: false };
    let code = server.run(&messages);
    out.flush(Duration::from_secs(2));
    code
}

struct Server {
    out: Out,
    shared: Arc<Shared>,
    jobs: Sender<Job>,
    root: Arc<Mutex<Option<PathBuf>>>,
    initialized: bool,
    shutdown: bool,
}

fn error(id: RequestId, code: ErrorCode, message: impl Into<String>) -> Message {
    Message::Response(Response::new_err(id, code as i32, message.into()))
}

impl Server {
    fn run(&mut self, messages: &Receiver<Message>) -> u8 {
        for message in messages {
            match message {
                Message::Request(request) => self.request(request),
                Message::Notification(n) if n.method == "exit" => return if self.shutdown { 0 } else { 1 },
                Message::Notification(n) => self.notification(n),
                // Answers to our workspace/applyEdit: nothing to do with them.
                Message::Response(_) => {}
            }
        }
        // The input ended without `exit`.
        1
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if request.method == "initialize" {
            if self.initialized {
                return self.out.send(error(id, ErrorCode::InvalidRequest, "initialize was already received"));
            }
            return self.initialize(request);
        }
        if !self.initialized {
            return self.out.send(error(id, ErrorCode::ServerNotInitialized, "send initialize first"));
        }
        if self.shutdown {
            return self.out.send(error(id, ErrorCode::InvalidRequest, "the server is shutting down"));
        }
        match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                self.out.send(Message::Response(Response::new_ok(id, Value::Null)));
            }
            "workspace/symbol" => self.workspace_symbol(request),
            "textDocument/hover"
            | "textDocument/definition"
            | "textDocument/references"
            | "textDocument/documentSymbol"
            | "textDocument/foldingRange"
            | "textDocument/codeAction"
            | "textDocument/formatting"
            | "workspace/executeCommand" => {
                let _ = self.jobs.send(Job::Request(request));
            }
            other => {
                self.out.send(error(id, ErrorCode::MethodNotFound, format!("policyc lsp does not handle `{other}`")))
            }
        }
    }

    fn initialize(&mut self, request: Request) {
        let params: InitializeParams = match serde_json::from_value(request.params) {
            Ok(p) => p,
            Err(e) => return self.out.send(error(request.id, ErrorCode::InvalidParams, format!("initialize: {e}"))),
        };
        #[allow(deprecated)] // root_uri: older clients send only it.
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone())
            .and_then(|u| u.to_file_path().ok());
        *lock(&self.root) = root;
        let capabilities = ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::SOURCE_FIX_ALL,
                    CodeActionKind::REFACTOR_REWRITE,
                ]),
                ..Default::default()
            })),
            document_formatting_provider: Some(OneOf::Left(true)),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![RENUMBER_COMMAND.to_owned()],
                ..Default::default()
            }),
            ..Default::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "policyc".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        self.initialized = true;
        self.out.send(Message::Response(Response::new_ok(request.id, result)));
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else { return };
                let uri = p.text_document.uri;
                let mut docs = lock(&self.shared.docs);
                let generation = docs.get(&uri).map_or(0, |d| d.generation + 1);
                let text = Arc::new(Text::new(p.text_document.text));
                docs.insert(uri.clone(), Doc { version: p.text_document.version, generation, text });
                let _ = self.jobs.send(Job::Check(uri));
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else { return };
                let uri = p.text_document.uri;
                let mut docs = lock(&self.shared.docs);
                let Some(doc) = docs.get_mut(&uri) else { return };
                let mut text = (*doc.text).clone();
                for change in p.content_changes {
                    text = text.apply(change);
                }
                doc.text = Arc::new(text);
                doc.version = p.text_document.version;
                doc.generation += 1;
                drop(docs);
                let _ = self.jobs.send(Job::Check(uri));
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else { return };
                let uri = p.text_document.uri;
                // Under the documents' lock, so that a check finishing now
                // cannot publish after the clearing below.
                let mut docs = lock(&self.shared.docs);
                docs.remove(&uri);
                lock(&self.shared.analyses).remove(&uri);
                publish(&self.out, &uri, &[], None);
            }
            "$/cancelRequest" => {
                let id = match n.params.get("id") {
                    Some(Value::Number(k)) => k.as_i64().and_then(|k| i32::try_from(k).ok()).map(RequestId::from),
                    Some(Value::String(s)) => Some(RequestId::from(s.clone())),
                    _ => None,
                };
                if let Some(id) = id {
                    lock(&self.shared.cancelled).insert(id);
                }
            }
            // initialized, didSave, configuration changes, $/ notifications:
            // nothing to do (a notification is never answered).
            _ => {}
        }
    }

    /// `workspace/symbol` reads files, not the open documents' checks: on a
    /// thread of its own, so that neither the loop nor the checks wait.
    fn workspace_symbol(&self, request: Request) {
        let out = self.out.clone();
        let shared = self.shared.clone();
        let root = lock(&self.root).clone();
        let id = request.id.clone();
        let spawned = std::thread::Builder::new().name("lsp-workspace-symbol".to_owned()).spawn(move || {
            let id = request.id.clone();
            let params: WorkspaceSymbolParams = match serde_json::from_value(request.params) {
                Ok(p) => p,
                Err(e) => return out.send(error(id, ErrorCode::InvalidParams, e.to_string())),
            };
            let Some(root) = root else { return out.send(Message::Response(Response::new_ok(id, Vec::<()>::new()))) };
            let open = |path: &Path| {
                let uri = Url::from_file_path(path).ok()?;
                lock(&shared.docs).get(&uri).map(|d| d.text.as_str().to_owned())
            };
            let found = symbols::workspace_symbols(&root, &params.query, &open);
            out.send(Message::Response(Response::new_ok(id, found)));
        });
        if let Err(e) = spawned {
            self.out.send(error(id, ErrorCode::InternalError, format!("cannot start a thread: {e}")));
        }
    }
}

/// `PublishDiagnosticsParams`, borrowed.
#[derive(serde::Serialize)]
struct Publish<'a> {
    uri: &'a Url,
    diagnostics: &'a [lsp_types::Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
}

fn publish(out: &Out, uri: &Url, diagnostics: &[lsp_types::Diagnostic], version: Option<i32>) {
    out.notify("textDocument/publishDiagnostics", &Publish { uri, diagnostics, version });
}

struct Worker {
    shared: Arc<Shared>,
    out: Out,
    root: Arc<Mutex<Option<PathBuf>>>,
    /// Counter of the workspace/applyEdit requests sent.
    edits: u64,
}

/// A request's answer: a result, or an error code and message.
type Answer = Result<Value, (ErrorCode, String)>;

fn invalid(e: impl std::fmt::Display) -> (ErrorCode, String) {
    (ErrorCode::InvalidParams, e.to_string())
}

fn to_value(v: impl serde::Serialize) -> Answer {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

impl Worker {
    fn run(mut self, jobs: &Receiver<Job>) {
        while let Ok(first) = jobs.recv() {
            let mut checks: Vec<Url> = Vec::new();
            let mut requests: Vec<Request> = Vec::new();
            let mut take = |job: Job, checks: &mut Vec<Url>| match job {
                Job::Check(uri) => {
                    if !checks.contains(&uri) {
                        checks.push(uri);
                    }
                }
                Job::Request(r) => requests.push(r),
            };
            take(first, &mut checks);
            if !checks.is_empty() {
                let deadline = Instant::now() + DEBOUNCE;
                while let Ok(job) = jobs.recv_deadline(deadline) {
                    take(job, &mut checks);
                }
            }
            while let Ok(job) = jobs.try_recv() {
                take(job, &mut checks);
            }
            // A bug that panics in a check must not take the worker down
            // with it: every later request would go unanswered. The panic
            // is reported (on stderr by the hook, to the editor here) and
            // the worker goes on with the next job.
            for uri in &checks {
                if std::panic::catch_unwind(AssertUnwindSafe(|| self.analysis(uri))).is_err() {
                    self.out.notify(
                        "window/showMessage",
                        &serde_json::json!({"type": 1, "message": format!("policyc lsp: checking {uri} failed (a bug: please report it)")}),
                    );
                }
            }
            for request in requests {
                let id = request.id.clone();
                if lock(&self.shared.cancelled).remove(&id) {
                    self.out.send(error(id, ErrorCode::RequestCanceled, "cancelled"));
                    continue;
                }
                let method = request.method.clone();
                let answer = std::panic::catch_unwind(AssertUnwindSafe(|| self.answer(request))).unwrap_or_else(|_| {
                    Err((ErrorCode::InternalError, format!("{method} failed (a bug: please report it)")))
                });
                let message = match answer {
                    Ok(value) => Message::Response(Response::new_ok(id, value)),
                    Err((code, message)) => error(id, code, message),
                };
                self.out.send(message);
            }
        }
    }

    /// The check of the document's current text: the stored one, or a new
    /// one, published unless the document changed while it ran.
    fn analysis(&self, uri: &Url) -> Option<Arc<Analysis>> {
        let (generation, version, text) = {
            let docs = lock(&self.shared.docs);
            let doc = docs.get(uri)?;
            (doc.generation, doc.version, doc.text.clone())
        };
        if let Some((g, a)) = lock(&self.shared.analyses).get(uri)
            && *g == generation
        {
            return Some(a.clone());
        }
        let analysis = Arc::new(diagnostics::analyze(uri, version, text));
        let docs = lock(&self.shared.docs);
        if docs.get(uri).is_some_and(|d| d.generation == generation) {
            lock(&self.shared.analyses).insert(uri.clone(), (generation, analysis.clone()));
            publish(&self.out, uri, &analysis.diagnostics, Some(version));
        }
        // Superseded: the newer text has its own check queued; a request
        // asked about this text is still answered from it.
        Some(analysis)
    }

    fn answer(&mut self, request: Request) -> Answer {
        let params = request.params;
        match request.method.as_str() {
            "textDocument/hover" => {
                let p: HoverParams = serde_json::from_value(params).map_err(invalid)?;
                self.hover(&p.text_document_position_params)
            }
            "textDocument/definition" => {
                let p: GotoDefinitionParams = serde_json::from_value(params).map_err(invalid)?;
                let at = &p.text_document_position_params;
                let Some(a) = self.analysis(&at.text_document.uri) else { return Ok(Value::Null) };
                let Some((_, checked)) = &a.checked else { return Ok(Value::Null) };
                let offset = a.text.offset(at.position);
                match references::definition(&checked.document, &a.cites, offset) {
                    Some(range) => to_value(GotoDefinitionResponse::Scalar(Location {
                        uri: at.text_document.uri.clone(),
                        range: a.text.range(range),
                    })),
                    None => Ok(Value::Null),
                }
            }
            "textDocument/references" => {
                let p: ReferenceParams = serde_json::from_value(params).map_err(invalid)?;
                let at = &p.text_document_position;
                let Some(a) = self.analysis(&at.text_document.uri) else { return Ok(Value::Null) };
                let Some((_, checked)) = &a.checked else { return Ok(Value::Null) };
                let document = &checked.document;
                let offset = a.text.offset(at.position);
                let Some(target) = references::subject(document, &a.cites, offset) else { return Ok(Value::Null) };
                let mut ranges = Vec::new();
                if p.context.include_declaration
                    && let Some(node) = references::by_marker(document, target)
                {
                    ranges.push(node.spans.marker.start..node.spans.marker.end);
                }
                ranges.extend(references::citing(&a.cites, target));
                let uri = &at.text_document.uri;
                let locations: Vec<Location> =
                    ranges.into_iter().map(|r| Location { uri: uri.clone(), range: a.text.range(r) }).collect();
                to_value(locations)
            }
            "textDocument/documentSymbol" => {
                let p: DocumentSymbolParams = serde_json::from_value(params).map_err(invalid)?;
                let Some(a) = self.analysis(&p.text_document.uri) else { return Ok(Value::Null) };
                let symbols = match &a.checked {
                    Some((source, checked)) => {
                        symbols::document_symbols(&Buffer { text: &a.text, source: Some(source) }, &checked.document)
                    }
                    None => Vec::new(),
                };
                to_value(DocumentSymbolResponse::Nested(symbols))
            }
            "textDocument/foldingRange" => {
                let p: FoldingRangeParams = serde_json::from_value(params).map_err(invalid)?;
                let Some(a) = self.analysis(&p.text_document.uri) else { return Ok(Value::Null) };
                let ranges = match &a.checked {
                    Some((source, checked)) => {
                        symbols::folding_ranges(&Buffer { text: &a.text, source: Some(source) }, &checked.document)
                    }
                    None => Vec::new(),
                };
                to_value(ranges)
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = serde_json::from_value(params).map_err(invalid)?;
                self.code_actions(&p)
            }
            "textDocument/formatting" => {
                let p: DocumentFormattingParams = serde_json::from_value(params).map_err(invalid)?;
                let uri = &p.text_document.uri;
                let Some(a) = self.analysis(uri) else { return Ok(Value::Null) };
                let options = actions::fmt_options(diagnostics::file_path(uri).as_deref())
                    .map_err(|e| (ErrorCode::RequestFailed, e))?;
                match actions::format(&a, &options).map_err(|e| (ErrorCode::RequestFailed, e))? {
                    Some(edits) => to_value(text_edits(&a.text, edits)),
                    None => to_value(Vec::<TextEdit>::new()),
                }
            }
            "workspace/executeCommand" => {
                let p: ExecuteCommandParams = serde_json::from_value(params).map_err(invalid)?;
                if p.command != RENUMBER_COMMAND {
                    return Err(invalid(format!("unknown command `{}`", p.command)));
                }
                let at: TextDocumentPositionParams =
                    serde_json::from_value(p.arguments.into_iter().next().unwrap_or(Value::Null)).map_err(invalid)?;
                let uri = at.text_document.uri;
                let Some(a) = self.analysis(&uri) else { return Ok(Value::Null) };
                let options = actions::fmt_options(diagnostics::file_path(&uri).as_deref())
                    .map_err(|e| (ErrorCode::RequestFailed, e))?;
                if let Some((label, edits)) = actions::renumber_from_here(&a, a.text.offset(at.position), &options) {
                    self.edits += 1;
                    let edit = workspace_edit(&uri, &a.text, edits);
                    let params = lsp_types::ApplyWorkspaceEditParams { label: Some(label), edit };
                    let id = RequestId::from(format!("policyc/applyEdit/{}", self.edits));
                    self.out.send(Message::Request(Request::new(id, "workspace/applyEdit".to_owned(), params)));
                }
                Ok(Value::Null)
            }
            other => Err((ErrorCode::MethodNotFound, format!("policyc lsp does not handle `{other}`"))),
        }
    }

    fn hover(&self, at: &TextDocumentPositionParams) -> Answer {
        let Some(a) = self.analysis(&at.text_document.uri) else { return Ok(Value::Null) };
        let offset = a.text.offset(at.position);
        let mut parts = Vec::new();
        let mut range = None;
        if let Some((_, checked)) = &a.checked
            && let Some((text, bytes)) = references::hover(&checked.document, &a.cites, offset)
        {
            parts.push(text);
            range = Some(a.text.range(bytes));
        }
        // The rules behind the diagnostics under the cursor, as `policyc
        // explain` tells them.
        let mut explained = HashSet::new();
        for d in &a.found {
            if d.span.start <= offset && offset <= d.span.end && explained.insert(d.code) {
                parts.extend(diagnostics::explanation(d.code));
            }
        }
        if parts.is_empty() {
            return Ok(Value::Null);
        }
        to_value(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range,
        })
    }

    fn code_actions(&self, p: &CodeActionParams) -> Answer {
        let uri = &p.text_document.uri;
        let Some(a) = self.analysis(uri) else { return Ok(Value::Null) };
        // A page's fixes are edits of its extracted text, not of its markup:
        // none is offered (import the page to edit its text).
        if a.checked.as_ref().is_some_and(|(source, _)| source.origin.is_some()) {
            return to_value(Vec::<CodeActionOrCommand>::new());
        }
        let wanted = |kind: &CodeActionKind| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str())))
            })
        };
        let range = a.text.byte_range(p.range);
        let mut out: Vec<CodeActionOrCommand> = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX) {
            for (d, published) in a.found.iter().zip(&a.diagnostics) {
                let touches = d.span.start <= range.end && range.start <= d.span.end;
                let Some(title) = actions::fix_title(a.text.as_str(), d).filter(|_| touches) else { continue };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![published.clone()]),
                    edit: Some(workspace_edit(uri, &a.text, actions::fix_edits(d))),
                    is_preferred: Some(
                        d.fix.as_ref().is_some_and(|f| f.applicability == crate::diag::Applicability::Safe),
                    ),
                    ..Default::default()
                }));
            }
        }
        if wanted(&CodeActionKind::SOURCE_FIX_ALL) {
            let edits = actions::fix_all(&a);
            if !edits.is_empty() {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Apply every safe fix (policyc check --fix)".to_owned(),
                    kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                    edit: Some(workspace_edit(uri, &a.text, edits)),
                    ..Default::default()
                }));
            }
        }
        if wanted(&CodeActionKind::REFACTOR_REWRITE)
            && let Ok(options) = actions::fmt_options(diagnostics::file_path(uri).as_deref())
            && let Some((title, edits)) = actions::renumber_from_here(&a, range.start, &options)
        {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::REFACTOR_REWRITE),
                edit: Some(workspace_edit(uri, &a.text, edits)),
                ..Default::default()
            }));
        }
        to_value(out)
    }
}

fn text_edits(text: &Text, edits: Vec<actions::Edit>) -> Vec<TextEdit> {
    edits.into_iter().map(|(range, new_text)| TextEdit { range: text.range(range), new_text }).collect()
}

fn workspace_edit(uri: &Url, text: &Text, edits: Vec<actions::Edit>) -> WorkspaceEdit {
    #[allow(clippy::mutable_key_type)] // Url's interior is not mutated through the map.
    let changes = HashMap::from([(uri.clone(), text_edits(text, edits))]);
    WorkspaceEdit { changes: Some(changes), ..Default::default() }
}
