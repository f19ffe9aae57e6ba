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
                    if !gap.is_empty() && !rules::text::ends_sentence(heading) && rules::text::balanced(heading) {
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
    crate::source::char_count(s.as_bytes())
}

fn dedup_spans(spans: impl Iterator<Item = Span>) -> impl Iterator<Item = Span> {
    let mut last = None;
    spans.filter(move |s| {
        let new = last != Some(*s);
        last = Some(*s);
        new
    })
}

/// The first byte at or after `from` that `mask` marks. `mask` gives, for
/// eight bytes read as a little-endian word, the high bit of each byte
/// wanted (see [`bytes_in`]). What the text rules look for is rare in
/// Chinese text and known by its bytes, so testing a word at a time skips
/// most of the text without decoding a character.
#[inline(always)]
pub fn next_byte_where(bytes: &[u8], from: usize, mask: impl Fn(u64) -> u64) -> Option<usize> {
    let first = |m: u64| (m.trailing_zeros() / 8) as usize;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let m = mask(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        if m != 0 {
            return Some(i + first(m));
        }
        i += 8;
    }
    // Fewer than eight bytes are left: pad them, and ignore the padding.
    let rest = bytes.get(i..).unwrap_or_default();
    let mut word = [0; 8];
    word[..rest.len()].copy_from_slice(rest);
    let m = mask(u64::from_le_bytes(word)) & (1u64 << (8 * rest.len())).wrapping_sub(1);
    (m != 0).then(|| i + first(m))
}

/// How many places [`skip_to_hit`] tests at once: one SSE2 register.
const BLOCK: usize = 16;

/// The first place at or after `from` where `hit` holds, or the place
/// where too few bytes are left for a whole block of sixteen; a byte
/// search such as [`next_byte_where`] goes on from there, so every place
/// `hit` takes must be one the search's mask marks too.
///
/// `hit` gets the byte at a place and the two after it: a whole character
/// of up to three bytes, so 《 is told from 、 and 。 (all three start with
/// 0xE3) and the text between two hits is passed over without a stop. See
/// [`block_hits`] for how `hit` must be written.
#[inline(always)]
pub fn skip_to_hit(bytes: &[u8], from: usize, hit: impl Fn(u8, u8, u8) -> bool) -> usize {
    let mut i = from;
    while let Some(window) = bytes.get(i..i + BLOCK + 2).and_then(|w| <&[u8; BLOCK + 2]>::try_from(w).ok()) {
        let found = block_hits(window, &hit);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += BLOCK;
    }
    i
}

/// Every place of `bytes` where `hit` holds, in order, for what is found
/// often (clause separators): each block of sixteen places is tested once
/// however many hits it holds, where [`skip_to_hit`] tests again from each.
/// The last places are tested padded with zeros, which the places `hit`
/// takes never read if `bytes` holds whole characters.
#[inline(always)]
pub fn all_hits(bytes: &[u8], hit: impl Fn(u8, u8, u8) -> bool) -> impl Iterator<Item = usize> {
    let (mut block, mut next, mut found) = (0, 0, 0u128);
    std::iter::from_fn(move || {
        loop {
            if found != 0 {
                let k = found.trailing_zeros() / 8;
                found &= !(0xFF << (8 * k));
                return Some(block + k as usize);
            }
            let rest = bytes.get(next..).filter(|rest| !rest.is_empty())?;
            block = next;
            found = match rest.get(..BLOCK + 2).and_then(|w| <&[u8; BLOCK + 2]>::try_from(w).ok()) {
                Some(window) => block_hits(window, &hit),
                None => {
                    let mut window = [0; BLOCK + 2];
                    window[..rest.len()].copy_from_slice(rest);
                    block_hits(&window, &hit) & (u128::MAX >> (8 * BLOCK.saturating_sub(rest.len())))
                }
            };
            next = block + BLOCK;
        }
    })
}

/// The places among the first sixteen of `window` that `hit` takes, as
/// 0xFF bytes of a little-endian u128. `hit` must use only `&`, `|` and
/// `==`, not `&&`, `||` or `matches!`: without branches the sixteen tests
/// compile to SSE2 instructions (`unsafe` intrinsics being forbidden here,
/// this is how the checker gets them). Look at the code a new test compiles
/// to: a test that was nothing but three comparisons joined by `&` came out
/// as shuffles and byte-by-byte loads.
#[inline(always)]
pub fn block_hits(window: &[u8; BLOCK + 2], hit: impl Fn(u8, u8, u8) -> bool) -> u128 {
    // Three loads of sixteen bytes, one, two and three bytes in: read from
    // the window place by place, LLVM shuffled one load instead.
    let [first, second, third] = [0, 1, 2].map(|at| {
        let mut bytes = [0u8; BLOCK];
        bytes.copy_from_slice(&window[at..at + BLOCK]);
        bytes
    });
    let mut marks = [0u8; BLOCK];
    for (k, mark) in marks.iter_mut().enumerate() {
        *mark = if hit(first[k], second[k], third[k]) { 0xFF } else { 0 };
    }
    u128::from_le_bytes(marks)
}

/// The high bit of each byte of `word` that lies in `lo..=hi` (both below
/// 0x80 or both above). Exact for every byte: no carry crosses a byte.
#[inline(always)]
pub fn bytes_in(word: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let low = word & !HIGH;
    let at_least = (low + ONES * u64::from(0x80 - (lo & 0x7f))) & HIGH;
    let above = (low + ONES * u64::from(0x7f - (hi & 0x7f))) & HIGH;
    let side = if lo >= 0x80 { word & HIGH } else { !word & HIGH };
    at_least & !above & side
}

/// At most `n` characters of `text`, with … when cut.
pub fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().nth(n).is_some() {
        out.push('…');
    }
    out
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
