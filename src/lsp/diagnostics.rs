//! Checking an open document: the text as the editor holds it, through the
//! same pipeline as `policyc check` (`validate::run`, the nearest
//! `policyc.toml`, the document's front matter), into an [`Analysis`] whose
//! diagnostics are the protocol's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Url};

use super::documents::{Buffer, Text};
use super::references::Cite;
use crate::diag::{Diagnostic, Severity};
use crate::source::{Encoding, Format, SourceFile};
use crate::validate::{self, Checked, Config};

/// The largest document checked as it is typed. Checking costs about
/// 0.2 s per megabyte on this project's machines; past this size a check
/// would lag far behind the typing, so the editor is told to run `policyc
/// check` instead.
pub const LIVE_LIMIT: usize = 16 << 20;

/// One version of an open document, checked.
#[derive(Debug)]
pub struct Analysis {
    pub version: i32,
    pub text: Arc<Text>,
    /// The source as the pipeline read it; `None` when the text was not
    /// checked (too large, binary).
    pub checked: Option<(SourceFile, Checked)>,
    /// What was published, in the order of `policyc check`.
    pub diagnostics: Vec<lsp_types::Diagnostic>,
    /// The diagnostics as the pipeline gave them, parallel to `diagnostics`
    /// (fixes are read from them).
    pub found: Vec<Diagnostic>,
    /// Every internal reference and what it names.
    pub cites: Vec<Cite>,
}

/// The file a document URI names; `None` for an unsaved buffer.
pub fn file_path(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file").then(|| uri.to_file_path().ok()).flatten()
}

/// What the pipeline treats the document as: Markdown by extension, plain
/// text otherwise (an unsaved buffer included).
fn format_of(uri: &Url) -> Format {
    let name = uri.path_segments().and_then(|mut s| s.next_back()).unwrap_or("");
    Format::from_path(Path::new(name)).unwrap_or(Format::Text)
}

/// Check one version of a document.
pub fn analyze(uri: &Url, version: i32, text: Arc<Text>) -> Analysis {
    let mut analysis =
        Analysis { version, text, checked: None, diagnostics: Vec::new(), found: Vec::new(), cites: Vec::new() };
    let text = &analysis.text;
    // An empty buffer is a document being started, not a mistake.
    if text.is_empty() {
        return analysis;
    }
    // What an editor holds of a Word file is its zip bytes, not the text
    // Word shows; checking them would report nonsense, and editing them
    // would break the file. Say where the file is checked and edited.
    if format_of(uri) == Format::Docx {
        let name = uri.path_segments().and_then(|mut s| s.next_back()).unwrap_or("FILE.docx");
        let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
        analysis.diagnostics.push(plain(
            text,
            0..0,
            DiagnosticSeverity::WARNING,
            format!("{name} is a Word document: policyc reads it from the file, as Word shows it, not as text in an editor"),
            &format!(
                "run `policyc check {name}` (diagnostics point at ¶paragraph:column), or `policyc import {name} -o {}.txt` and edit that text source here",
                name.strip_suffix(".docx").unwrap_or(&name)
            ),
        ));
        return analysis;
    }
    if text.len() > LIVE_LIMIT {
        let message = format!(
            "the document is {:.1} MB; policyc checks documents of up to {} MB as they are typed",
            text.len() as f64 / (1 << 20) as f64,
            LIVE_LIMIT >> 20
        );
        analysis.diagnostics.push(plain(
            text,
            0..0,
            DiagnosticSeverity::WARNING,
            message,
            "run `policyc check` on the file",
        ));
        return analysis;
    }
    // Binary content (NUL bytes, mostly control characters) is refused as
    // `policyc check` refuses the file.
    if let Err(e) = crate::source::decode(text.as_str().as_bytes(), Encoding::Utf8) {
        let (line, column) = e.position();
        let position = lsp_types::Position { line: line.saturating_sub(1), character: column.saturating_sub(1) };
        let at = text.offset(position);
        analysis.diagnostics.push(plain(text, at..at, DiagnosticSeverity::ERROR, e.to_string(), e.help()));
        return analysis;
    }
    let path = file_path(uri);
    let shown = path.clone().unwrap_or_else(|| PathBuf::from(uri.as_str()));
    let project = match &path {
        Some(p) => Config::discover(p),
        None => Ok(Config::default()),
    };
    let project = match project {
        Ok(config) => config,
        Err(e) => {
            let (message, help) = match &e {
                validate::config::ConfigError::Invalid { path, line, column, message, help } => {
                    (format!("{}:{line}:{column}: {message}", path.display()), help.clone())
                }
                other => (other.to_string(), "fix policyc.toml; the rules' defaults apply meanwhile".to_owned()),
            };
            analysis.diagnostics.push(plain(text, 0..0, DiagnosticSeverity::ERROR, message, &help));
            Config::default()
        }
    };
    // A web page is read as `policyc check` reads it: its text extracted
    // from the markup, every place mapped back into the page.
    let source = if format_of(uri) == Format::Html {
        match SourceFile::from_bytes(shown, Format::Html, text.as_str().as_bytes(), Encoding::Utf8) {
            Ok(source) => source,
            Err(e) => {
                analysis.diagnostics.push(plain(text, 0..0, DiagnosticSeverity::ERROR, e.to_string(), e.help()));
                return analysis;
            }
        }
    } else {
        SourceFile::from_text(shown, format_of(uri), text.as_str())
    };
    let checked = validate::run(&source, &project);
    let buffer = Buffer { text, source: Some(&source) };
    for d in &checked.diagnostics {
        analysis.diagnostics.push(convert(uri, &buffer, d));
    }
    analysis.found.clone_from(&checked.diagnostics);
    // The plain diagnostics (configuration) come first and have no finding.
    let plain = analysis.diagnostics.len() - analysis.found.len();
    analysis.diagnostics.rotate_left(plain);
    // References are read in the text the editor holds; a page's markup is
    // not that text, so a page gets diagnostics and its outline only.
    if source.origin.is_none() {
        analysis.cites = super::references::cites(&checked.document, text.as_str());
    }
    analysis.checked = Some((source, checked));
    analysis
}

/// A diagnostic of the server itself (no rule, no fix).
fn plain(
    text: &Text,
    at: std::ops::Range<usize>,
    severity: DiagnosticSeverity,
    message: String,
    help: &str,
) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: text.range(at),
        severity: Some(severity),
        source: Some("policyc".to_owned()),
        message: format!("{message}\nhelp: {help}"),
        ..Default::default()
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// The protocol's form of a diagnostic: the same code, severity, message,
/// help and related places as `policyc check` prints.
pub fn convert(uri: &Url, text: &Buffer, d: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: text.range(r.span.start..r.span.end) },
            message: r.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: text.range(d.span.start..d.span.end),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_owned())),
        code_description: explanation_page(d.code).map(|href| lsp_types::CodeDescription { href }),
        source: Some("policyc".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        // The rule's name, so that a client can offer `policyc explain NAME`.
        data: Some(serde_json::Value::String(d.name.to_owned())),
    }
}

/// Where a rule's explanation is, for a diagnostic's `codeDescription`
/// (editors show the code as a link to it): the text `policyc explain CODE`
/// prints, written once per version of policyc into the user's cache
/// directory, since policyc has no web site to link to and works offline.
/// `None` when there is no cache directory or it cannot be written; the
/// hover still explains the rule then.
pub fn explanation_page(code: &str) -> Option<Url> {
    static DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    static WRITTEN: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let rule = crate::validate::registry::find(code)?;
    let dir = DIR.get_or_init(explanation_dir).as_ref()?;
    let path = dir.join(format!("{}.md", rule.code));
    let mut written = WRITTEN.lock().ok()?;
    if !written.contains(&rule.code) {
        // As `policyc explain CODE` prints it, the first line a heading.
        let text = format!("# {} ({}), default level: {}\n\n{}\n", rule.code, rule.name, rule.level.name(), rule.doc);
        // Another policyc of the same version wrote the same bytes; a
        // file that differs (edited, truncated) is put right.
        if std::fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            std::fs::create_dir_all(dir).ok()?;
            crate::write::write_atomic(&path, text.as_bytes()).ok()?;
        }
        written.push(rule.code);
    }
    Url::from_file_path(&path).ok()
}

/// `$XDG_CACHE_HOME/policyc/<version>/explain`, else under `~/.cache`.
fn explanation_dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| Path::new(d).is_absolute())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("policyc").join(env!("CARGO_PKG_VERSION")).join("explain"))
}

/// The explanation of a rule, as `policyc explain CODE` prints it, in
/// Markdown for a hover.
pub fn explanation(code: &str) -> Option<String> {
    let rule = crate::validate::registry::find(code)?;
    Some(format!("**{}** `{}` ({})\n\n{}", rule.code, rule.name, rule.level.name(), rule.doc))
}
