//! Validation: the rules a careful proof-reader (校对) applies.
//!
//! Takes a parsed [`Document`], its [`SourceFile`] and a [`Config`]; gives
//! diagnostics, never fails. Each rule is a unit with a stable code, a
//! kebab-case name, a default level and the text `policyc explain` prints
//! (see [`registry`]); rules live in `rules/<family>.rs`. The rules share one
//! [`Context`] built in a single walk of the tree, and scan the source text
//! once per region, so checking costs about as much as parsing.

pub mod config;
/// The registry lives below `parse` (the parser reports by rule too); the
/// rules are checked here.
pub use crate::diag::registry;
pub mod rules;

use std::ops::Range;

pub use config::Config;

use crate::diag::{self, Diagnostic};
use crate::parse::marker::{self, MarkerInfo};
use crate::source::SourceFile;
use crate::tree::{Document, Node, Span};

/// A document, checked: what `policyc check` prints and `build` weighs.
#[derive(Debug, Clone)]
pub struct Checked {
    pub document: Document,
    /// Parse and rule diagnostics, configured levels applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and check one source with the project configuration `project`
/// (its front matter, if any, layered over it).
pub fn run(source: &SourceFile, project: &Config) -> Checked {
    let parsed = crate::parse::parse(source);
    let mut diagnostics = parsed.diagnostics;
    check_parsed(source, &parsed.document, project, &mut diagnostics);
    Checked { document: parsed.document, diagnostics }
}

/// Complete the parser's `diagnostics` of a document: the front matter's
/// configuration is applied to them, the rules' diagnostics are added, and
/// the result is sorted. This is the checker `policyc build` runs.
pub fn check_parsed(source: &SourceFile, document: &Document, project: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let (config, front) = project.for_document(source);
    diagnostics.extend(front);
    apply_levels(diagnostics, &config);
    diagnostics.extend(check(source, document, &config));
    diag::sort(diagnostics);
}

/// Run every enabled rule over a parsed document; the diagnostics come with
/// the configured levels, sorted.
pub fn check(source: &SourceFile, document: &Document, config: &Config) -> Vec<Diagnostic> {
    let cx = Context::new(source, document, config);
    let mut out = Vec::new();
    rules::numbering::check(&cx, &mut out);
    rules::regulation::check(&cx, &mut out);
    rules::text::check(&cx, &mut out);
    rules::doubled::check(&cx, &mut out);
    rules::tables::check(&cx, &mut out);
    rules::references::check(&cx, &mut out);
    rules::frame::check(&cx, &mut out);
    apply_levels(&mut out, config);
    diag::sort(&mut out);
    out
}

/// Give each diagnostic its configured severity; drop the allowed ones.
pub fn apply_levels(diagnostics: &mut Vec<Diagnostic>, config: &Config) {
    diagnostics.retain_mut(|d| match config.severity(d.code, d.severity) {
        Some(severity) => {
            d.severity = severity;
            true
        }
        None => false,
    });
}

/// A numbered node with what the rules need to know about it.
pub struct Entry<'a> {
    pub node: &'a Node,
    /// Index of the parent in [`Context::nodes`]; `None` at the top.
    pub parent: Option<usize>,
    /// The marker's spelling; `None` for an unnumbered 款.
    pub info: Option<MarkerInfo>,
}

/// What a stretch of text is, for the text rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    /// A document or notice title: spaces there separate phrases by custom.
    Title,
    /// A signature line: wide spaces separate units.
    Signature,
    /// Sentences: clause titles and text, preamble, notice text, closing.
    Prose,
}

/// A stretch of source text the text rules read.
#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub span: Span,
    pub kind: RegionKind,
}

/// Everything the rules share, built in one walk.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub document: &'a Document,
    pub config: &'a Config,
    /// Every numbered node in document order.
    pub nodes: Vec<Entry<'a>>,
    /// The text regions of the document (frame and body), by position;
    /// debris and markers are not in any of them.
    pub regions: Vec<Region>,
    /// The spaces that alone separate a clause heading from its text on the
    /// same line (`（一）促进协同联动 引导……`): a missing 。, not a stray space.
    pub title_gaps: Vec<Range<usize>>,
}

impl<'a> Context<'a> {
    pub fn new(source: &'a SourceFile, document: &'a Document, config: &'a Config) -> Self {
        // Sized up front rather than grown node by node: a build checks
        // thousands of small documents, each with its own context.
        fn count(list: &[Node]) -> usize {
            list.iter().map(|n| 1 + count(&n.children)).sum()
        }
        let mut nodes = Vec::with_capacity(count(&document.body));
        fn visit<'a>(list: &'a [Node], parent: Option<usize>, nodes: &mut Vec<Entry<'a>>) {
            for node in list {
                let info = if node.marker.is_empty() { None } else { marker::analyze(&node.marker) };
                nodes.push(Entry { node, parent, info });
                let me = nodes.len() - 1;
                visit(&node.children, Some(me), nodes);
            }
        }
        visit(&document.body, None, &mut nodes);

        let frame = &document.frame;
        // A few single paragraphs (titles, addressees, …) besides these.
        let frame_paragraphs = 8
            + frame.preamble.len()
            + frame.closing.len()
            + frame.issuers.len()
            + frame.notice.as_ref().map_or(0, |n| n.text.len() + n.notes.len() + n.issuers.len());
        let body_paragraphs: usize = nodes.iter().map(|e| 1 + e.node.spans.text.len()).sum();
        let mut regions = Vec::with_capacity(frame_paragraphs + body_paragraphs);
        let mut add = |span: Span, kind| {
            if !span.is_empty() && span.end <= source.text.len() {
                regions.push(Region { span, kind });
            }
        };
        if let Some(notice) = &frame.notice {
            notice.title.iter().for_each(|p| add(p.span, RegionKind::Title));
            notice.addressees.iter().for_each(|p| add(p.span, RegionKind::Prose));
            notice.text.iter().chain(&notice.notes).for_each(|p| add(p.span, RegionKind::Prose));
            // Several units of one line share the line's span; one region.
            dedup_spans(notice.issuers.iter().map(|p| p.span)).for_each(|s| add(s, RegionKind::Signature));
        }
        frame.title.iter().for_each(|p| add(p.span, RegionKind::Title));
        frame.status.iter().chain(&frame.addressees).for_each(|p| add(p.span, RegionKind::Prose));
        frame.preamble.iter().chain(&frame.closing).for_each(|p| add(p.span, RegionKind::Prose));
        dedup_spans(frame.issuers.iter().map(|p| p.span)).for_each(|s| add(s, RegionKind::Signature));
        let mut title_gaps = Vec::new();
        for entry in &nodes {
            let spans = &entry.node.spans;
            let mut text = spans.text.as_slice();
            if let (Some(title), Some(first)) = (spans.title, text.first()) {
                let gap = source.text.get(title.end..first.start).unwrap_or("");
                if title.line == first.line && gap.chars().all(crate::text::is_space) {
                    // A heading that runs on into its text on one line is
                    // one stretch of text: a quotation or a space may sit
                    // across the place the parser split it.
                    // It starts where the title does: the title's line and
                    // column are its own, and need not be counted again.
                    add(Span { end: first.end, ..title }, RegionKind::Prose);
                    text = &text[1..];
                    let heading = source.text.get(title.start..title.end).unwrap_or("");
                    if !gap.is_empty() && !crate::text::ends_sentence(heading) && crate::text::balanced(heading) {
                        title_gaps.push(title.end..first.start);
                    }
                } else {
                    add(title, RegionKind::Prose);
                }
            } else {
                spans.title.iter().for_each(|&s| add(s, RegionKind::Prose));
            }
            text.iter().for_each(|&s| add(s, RegionKind::Prose));
        }
        regions.sort_by_key(|r| (r.span.start, r.span.end));
        regions.dedup_by_key(|r| (r.span.start, r.span.end));
        Context { source, document, config, nodes, regions, title_gaps }
    }

    /// The source text of a span.
    pub fn text(&self, span: Span) -> &'a str {
        self.source.text.get(span.start..span.end).unwrap_or("")
    }

    /// A span of the source from byte offsets.
    pub fn span(&self, range: Range<usize>) -> Span {
        self.source.span(range.start, range.end)
    }

    /// Whether the rule is on.
    /// Whether the document is a 修正案: it numbers its articles on from
    /// the amendment before, and the 编, 章, 节 and 条 it adds are quoted
    /// with the amended law's numbers, not numbered in its own order.
    pub fn amendment(&self) -> bool {
        self.document.meta.title.as_deref().is_some_and(|t| t.contains("修正案"))
    }

    pub fn enabled(&self, rule: &registry::Rule) -> bool {
        self.config.rule_enabled(rule)
    }

    /// A diagnostic of `rule` at its default severity (levels are applied
    /// afterwards, in one place).
    pub fn diagnostic(&self, rule: &'static registry::Rule, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, span, message)
    }
}

/// Spans for offsets met in increasing order: the column is counted on from
/// the last one instead of from the start of the line, so a rule that
/// reports many places on long lines stays linear in the text.
pub struct Cursor<'a> {
    source: &'a SourceFile,
    last: Span,
}

impl<'a> Cursor<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        Cursor { source, last: source.span(0, 0) }
    }

    pub fn span(&mut self, range: Range<usize>) -> Span {
        let (text, lines) = (&self.source.text, &self.source.lines);
        let count = |s: &str| u32::try_from(char_count(s)).unwrap_or(u32::MAX);
        let span = match text.get(self.last.start..range.start) {
            Some(between) => {
                // The line is found by stepping on from the last one, so no
                // text is searched for line breaks.
                let mut line = self.last.line;
                while (line as usize) < lines.line_count() && lines.line_start(line + 1) <= range.start {
                    line += 1;
                }
                let column = if line == self.last.line {
                    self.last.column.saturating_add(count(between))
                } else {
                    text.get(lines.line_start(line)..range.start).map_or(0, count).saturating_add(1)
                };
                Span { start: range.start, end: range.end, line, column }
            }
            None => self.source.span(range.start, range.end),
        };
        self.last = span;
        span
    }
}

fn char_count(s: &str) -> usize {
    crate::scan::char_count(s.as_bytes())
}

fn dedup_spans(spans: impl Iterator<Item = Span>) -> impl Iterator<Item = Span> {
    let mut last = None;
    spans.filter(move |s| {
        let new = last != Some(*s);
        last = Some(*s);
        new
    })
}

/// At most `n` characters of `text`, with … when cut.
pub fn excerpt(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Format;

    #[test]
    fn cursor_agrees_with_the_line_index() {
        let text = "第一行，\r\n（一）推进 建设,\n\n\u{3000}“引号”abc\n末行。";
        let source = SourceFile::from_text("t.txt", Format::Text, text);
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        // Every increasing pair of places, and every place after itself.
        for (k, &a) in starts.iter().enumerate() {
            for &b in &starts[k..] {
                let mut cursor = Cursor::new(&source);
                assert_eq!(cursor.span(a..a), source.span(a, a), "{a}");
                assert_eq!(cursor.span(b..b + 1), source.span(b, b + 1), "{a} then {b}");
            }
        }
    }
}
