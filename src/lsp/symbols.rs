//! The outline an editor shows: the clause tree as document symbols
//! (一、 → （一） → 1., 章 → 条), a folding range per clause, and the clauses
//! of every source in the open folder for `workspace/symbol`.
//!
//! Takes a parsed document and its [`Text`]; gives protocol values.

use std::path::{Path, PathBuf};

use lsp_types::{DocumentSymbol, FoldingRange, FoldingRangeKind, Location, SymbolInformation, SymbolKind, Url};

use super::documents::{Buffer, Text};
use crate::tree::{Document, Kind, Node};

/// How many characters of a heading a symbol's name keeps.
const NAME_CHARS: usize = 40;

/// The name an outline shows for a clause: its marker and heading (or its
/// first words when it has none).
pub fn name(node: &Node) -> String {
    let marker = if node.marker.is_empty() { format!("第{}款", node.number) } else { node.marker.clone() };
    let words = node.title.as_deref().or(node.text.first().map(String::as_str)).unwrap_or("").trim();
    let mut cut: String = words.chars().take(NAME_CHARS).collect();
    if cut.len() < words.len() {
        cut.push('…');
    }
    if cut.is_empty() { marker } else { format!("{marker} {cut}") }
}

pub fn kind(kind: Kind) -> SymbolKind {
    match kind.rank() {
        0..=2 => SymbolKind::NAMESPACE,
        3 => SymbolKind::MODULE,
        4 => SymbolKind::CLASS,
        5 => SymbolKind::FIELD,
        _ => SymbolKind::ENUM_MEMBER,
    }
}

#[allow(deprecated)] // `deprecated` is a field every DocumentSymbol must name.
fn symbol(text: &Buffer, node: &Node) -> DocumentSymbol {
    let range = text.range(node.span.start..node.span.end);
    let marker = node.spans.marker;
    let selection = if node.span.start <= marker.start && marker.end <= node.span.end {
        text.range(marker.start..marker.end)
    } else {
        range
    };
    let children: Vec<DocumentSymbol> = node.children.iter().map(|c| symbol(text, c)).collect();
    DocumentSymbol {
        name: name(node),
        detail: Some(node.kind.chinese().to_owned()),
        kind: kind(node.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

/// The clause tree of a document, attachments (附件2 …) as symbols of their
/// own holding their clauses.
#[allow(deprecated)]
pub fn document_symbols(text: &Buffer, document: &Document) -> Vec<DocumentSymbol> {
    let mut out: Vec<DocumentSymbol> = document.body.iter().map(|n| symbol(text, n)).collect();
    for attachment in &document.attachments {
        let children: Vec<DocumentSymbol> = attachment.body.iter().map(|n| symbol(text, n)).collect();
        let label = attachment.frame.attachment.as_ref();
        let title = attachment.meta.title.as_deref();
        let name = match (label, title) {
            (Some(l), Some(t)) => format!("{} {t}", l.text),
            (Some(l), None) => l.text.clone(),
            (None, Some(t)) => t.to_owned(),
            (None, None) => "附件".to_owned(),
        };
        let start = label.map(|l| l.span.start).or(attachment.body.first().map(|n| n.span.start));
        let end = attachment.body.last().map(|n| n.span.end).or(label.map(|l| l.span.end));
        let (Some(start), Some(end)) = (start, end) else { continue };
        let range = text.range(start..end.max(start));
        let selection = label.map_or(range, |l| text.range(l.span.start..l.span.end));
        out.push(DocumentSymbol {
            name,
            detail: Some("附件".to_owned()),
            kind: SymbolKind::FILE,
            tags: None,
            deprecated: None,
            range,
            selection_range: selection,
            children: (!children.is_empty()).then_some(children),
        });
    }
    out
}

/// A folding range per clause that spans more than one line.
pub fn folding_ranges(text: &Buffer, document: &Document) -> Vec<FoldingRange> {
    let mut out = Vec::new();
    let bodies = std::iter::once(document).chain(&document.attachments);
    for node in bodies.flat_map(|d| d.nodes()) {
        let start = text.position(node.span.start);
        let end = text.position(node.span.end);
        // A span that ends at a line's start (after its line break) ends on
        // the line before.
        let end_line = if end.character == 0 { end.line.saturating_sub(1) } else { end.line };
        if end_line > start.line {
            out.push(FoldingRange {
                start_line: start.line,
                start_character: None,
                end_line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            });
        }
    }
    out
}

/// How many files and symbols `workspace/symbol` reads and gives at most:
/// a folder of sources, not a disk.
const MAX_FILES: usize = 2000;
const MAX_SYMBOLS: usize = 5000;

/// The sources under `root` (depth 3, hidden folders, `target` and
/// `output` left out), sorted.
pub fn folder_sources(root: &Path) -> Vec<PathBuf> {
    fn visit(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if out.len() >= MAX_FILES {
                return;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if depth > 0 && !name.starts_with('.') && name != "target" && name != "output" {
                    visit(&path, depth - 1, out);
                }
            } else if crate::source::Format::from_path(&path).is_some() {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    visit(root, 3, &mut out);
    out
}

/// The clauses of the sources under `root` whose names hold `query` (case
/// folded; every clause for an empty query). `open` gives the text of a file
/// an editor holds, which is newer than the disk's.
#[allow(deprecated)]
pub fn workspace_symbols(root: &Path, query: &str, open: &dyn Fn(&Path) -> Option<String>) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    let mut out = Vec::new();
    for path in folder_sources(root) {
        let Ok(uri) = Url::from_file_path(&path) else { continue };
        let text = match open(&path) {
            Some(text) => text,
            None => {
                let Ok(bytes) = crate::source::read_bytes(&path) else { continue };
                let Ok(text) = crate::source::decode(&bytes, crate::source::Encoding::Utf8) else { continue };
                text
            }
        };
        let format = crate::source::Format::from_path(&path).unwrap_or(crate::source::Format::Text);
        let source = crate::source::SourceFile::from_text(&path, format, text);
        let document = crate::parse::parse(&source).document;
        let container = document.meta.title.clone().unwrap_or_else(|| crate::publish::slug(&path));
        let lines = Text::new(source.text);
        for node in std::iter::once(&document).chain(&document.attachments).flat_map(|d| d.nodes()) {
            let name = name(node);
            if !query.is_empty() && !name.to_lowercase().contains(&query) {
                continue;
            }
            out.push(SymbolInformation {
                name,
                kind: kind(node.kind),
                tags: None,
                deprecated: None,
                location: Location { uri: uri.clone(), range: lines.range(node.span.start..node.span.end) },
                container_name: Some(container.clone()),
            });
            if out.len() >= MAX_SYMBOLS {
                return out;
            }
        }
    }
    out
}
