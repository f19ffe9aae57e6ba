//! Source text → typed [`Document`], never failing.
//!
//! Takes a decoded [`SourceFile`] and gives a [`Parsed`]: the document and
//! the diagnostics found on the way (debris, repairs, a frame that is half
//! there). Like typst's parser it does not stop at the first problem; what
//! is wrong becomes a diagnostic and the rest is still parsed. The stages:
//! `prepare` (Markdown masking, source repair) → `grammar` (pest, one
//! classified [`line::Line`] per line) → `lower` (nesting) → `frame`
//! (everything around the body) → `annotate` (owners and targets).

pub mod annotate;
pub mod frame;
pub mod grammar;
pub mod line;
pub mod lower;
pub mod marker;
pub use crate::numeral;
pub mod prepare;
pub mod repair;
pub mod table;

use std::sync::Once;

use crate::diag::Diagnostic;
use crate::diag::registry::GRAMMAR_LIMIT;
use crate::source::SourceFile;
use crate::tree::Document;

/// A document and what parsing it had to say.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
}

/// pest's call limit is process-global, so it is set once. The grammar is
/// linear (no rule backtracks over more than a line), so the limit is only a
/// guard: no input may hang the parser.
fn set_call_limit() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT)));
}

/// Calls per byte of input are bounded by the longest alternative chain in
/// the grammar; this allows a generous multiple of the biggest realistic
/// document while stopping pathological input within a second.
const CALL_LIMIT: usize = 2_000_000_000;

/// Parse a source file.
pub fn parse(source: &SourceFile) -> Parsed {
    set_call_limit();
    let mut diagnostics = Vec::new();
    let mut prepared = prepare::Prepared::new(source);
    repair::repair(&mut prepared, &mut diagnostics);
    let mut lines = match grammar::lines(&prepared.text) {
        Ok(lines) => lines,
        Err(err) => {
            let at = prepared.to_source(err.offset);
            diagnostics.push(
                Diagnostic::new(
                    &GRAMMAR_LIMIT,
                    source.span(at, at),
                    format!("the document is too complex to parse here: {}", err.message),
                )
                .with_help("split the file, or report it: no policy document should reach this limit"),
            );
            return Parsed { document: Document::default(), diagnostics };
        }
    };
    table::mark(&mut lines, &prepared);
    // 附件2, 附件3 … on a line of their own start further attachments, each a
    // document with its own frame and body.
    let starts = frame::attachment_starts(&lines, &prepared);
    let mut bounds = vec![0];
    bounds.extend(&starts);
    bounds.push(lines.len());
    let mut documents: Vec<Document> =
        bounds.windows(2).map(|w| segment(&lines[w[0]..w[1]], &prepared, &mut diagnostics)).collect();
    let mut document = documents.remove(0);
    document.attachments = documents;
    page_evidence(&mut document, source);
    crate::diag::sort(&mut diagnostics);
    Parsed { document, diagnostics }
}

/// What a converted source states outside its text goes into the frame as
/// evidence; of it, only the page's publication date fills a field the
/// text left empty (it is a fact about the page, not the document).
fn page_evidence(document: &mut Document, source: &SourceFile) {
    if source.evidence.is_empty() {
        return;
    }
    document.frame.evidence = source.evidence.clone();
    if document.meta.page_date.is_none() {
        document.meta.page_date = source
            .evidence
            .iter()
            .filter(|e| e.field == "page_date")
            .find_map(|e| crate::source::html::iso_date(&e.value));
    }
}

/// One document (the main one or an attachment) from its lines.
fn segment(lines: &[line::Line], prepared: &prepare::Prepared, diagnostics: &mut Vec<Diagnostic>) -> Document {
    let family = lower::family(lines);
    let (first, end) = frame::body_bounds(lines, prepared);
    let tables = table::find(lines, prepared);
    let body = lower::body(lines, first, end, family, &tables, prepared);
    let mut document = Document { body, ..Document::default() };
    frame::build(&mut document, lines, first, end, &tables, prepared, diagnostics);
    annotate::annotate(&mut document, prepared, diagnostics);
    document
}

/// Parse text held in memory as a plain-text document (the library's
/// simplest entry point).
pub fn parse_str(text: &str) -> Parsed {
    let source = SourceFile::from_text("<input>", crate::source::Format::Text, text);
    parse(&source)
}
