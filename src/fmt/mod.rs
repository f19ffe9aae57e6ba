//! `policyc fmt`: canonical formatting and automatic renumbering.
//!
//! Takes a [`SourceFile`] and gives its canonical text, as `rustfmt` does
//! for code: every level renumbered by the document's own scheme (see
//! [`renumber`]), internal references following the new numbers, markers in
//! their GB/T 9704 forms (一、 （一） 1. （1） ①, 第一条　), a run-in title
//! separated from its text by a space put on a line of its own, half-width
//! punctuation in Chinese text made full-width and stray spaces removed (see
//! [`text`]), a title broken over lines joined, one issuer per line, debris
//! removed, blank lines collapsed. Fails only when the source does not parse
//! cleanly (an error diagnostic) or is Markdown; it never writes: the caller
//! decides what to do with the text.
//!
//! The work is done line by line on the text the grammar reads (after source
//! repair has rejoined broken lines), with the parsed tree saying what each
//! line is, so that everything the tree does not model (blank lines, the
//! frame's layout) survives as written. The result parses into the same tree
//! as the input, except for the normalized numbers, markers and text, and
//! formatting it again changes nothing.

pub mod config;
pub mod renumber;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::registry::{
    DOC_NUMBER_BRACKETS, GRAMMAR_LIMIT, REFERENCE_AMBIGUOUS, REFERENCE_UNRESOLVED, UNTERMINATED_ANNOTATION,
};
use crate::diag::{Diagnostic, Severity};
use crate::parse::line::{Content, Line};
use crate::parse::lower::{kind_of, split_title};
use crate::parse::prepare::Prepared;
use crate::parse::{self, grammar, repair};
use crate::source::{Format, SourceFile};
use crate::text::is_space;
use crate::tree::{Document, Family, Kind};
use crate::validate::rules::references::Outline;

pub use renumber::Scheme;

/// How brackets of （一） and （1） are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// GB/T 9704-2012: full-width brackets, （一） 1. （1）.
    #[default]
    Standard,
    /// Half-width brackets, as some publishers keep them: (一) 1. (1).
    HalfWidth,
}

impl std::str::FromStr for Style {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "standard" | "gbt" => Ok(Style::Standard),
            "half-width" | "half" => Ok(Style::HalfWidth),
            other => Err(format!("unknown style `{other}` (expected standard or half-width)")),
        }
    }
}

/// What `fmt` may be told.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub style: Style,
    /// Keep debris lines and Word residue instead of removing them.
    pub keep_debris: bool,
    /// A numbering scheme per level, overriding the inferred one.
    pub numbering: BTreeMap<Kind, Scheme>,
}

/// The canonical text and what formatting had to say.
#[derive(Debug, Clone)]
pub struct Formatted {
    pub text: String,
    /// Errors `fmt` could not repair (the lines they are on are kept as
    /// written), and references left alone because they were ambiguous or
    /// point nowhere; by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a source is not formatted.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The grammar could not read the source at all (it exhausted pest's
    /// call limit): there is no structure to format by.
    #[error("the document could not be parsed; fix the errors before formatting")]
    Unparsable(Vec<Diagnostic>),
    /// Markdown sources keep their markup, which `fmt` does not model.
    #[error("`policyc fmt` formats plain-text sources (.txt); this one is Markdown")]
    Markdown,
    /// A web page is not rewritten: its text is the site's.
    #[error(
        "`policyc fmt` formats plain-text sources (.txt); this one is a web page (run `policyc import PAGE.html -o policies/SLUG.txt` and format the text)"
    )]
    Html,
}

/// Format a source file.
pub fn format(source: &SourceFile, options: &Options) -> Result<Formatted, Error> {
    if source.format == Format::Markdown {
        return Err(Error::Markdown);
    }
    if source.format == Format::Html {
        return Err(Error::Html);
    }
    let parsed = parse::parse(source);
    let errors: Vec<&Diagnostic> = parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    if errors.iter().any(|d| d.code == GRAMMAR_LIMIT.code) {
        return Err(Error::Unparsable(errors.into_iter().cloned().collect()));
    }
    let (text, left) = repair_errors(&source.text, &errors);
    if text == source.text {
        return format_parsed(source, &parsed.document, options, left);
    }
    let repaired = SourceFile::from_text(source.path.clone(), source.format, text);
    let reparsed = parse::parse(&repaired);
    // A repair changes no line count: lines name the same lines in both.
    let mut left = left;
    let known: BTreeSet<u32> = left.iter().map(|d| d.span.line).collect();
    left.extend(
        reparsed.diagnostics.into_iter().filter(|d| d.severity == Severity::Error && !known.contains(&d.span.line)),
    );
    format_parsed(&repaired, &reparsed.document, options, left)
}

/// The source with the errors `fmt` knows how to repair repaired, and the
/// errors it left. A repair writes what the error's help says, changes no
/// word and adds no line: the year of a 发文字号 in 〔〕 (江府发[2025]3号 →
/// 江府发〔2025〕3号), and an annotation left open at the end of its line
/// closed there.
fn repair_errors(text: &str, errors: &[&Diagnostic]) -> (String, Vec<Diagnostic>) {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut left = Vec::new();
    for &error in errors {
        let span = error.span.start..error.span.end.min(text.len());
        let edit = match error.code {
            // From the error's start to the end of its line: the year is
            // the first one in brackets there.
            c if c == DOC_NUMBER_BRACKETS.code => text.get(span.start..).and_then(|rest| {
                let written = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
                let year = YEAR_IN_BRACKETS.captures(written).filter(|y| y.get(0).is_some_and(|m| m.start() == 0))?;
                let whole = year.get(0)?;
                let fixed = format!("〔{}〕", &year[1]);
                Some((span.start + whole.start()..span.start + whole.end(), fixed))
            }),
            c if c == UNTERMINATED_ANNOTATION.code => text.get(span.start..).and_then(|rest| {
                let open = rest.chars().next()?;
                let close = closing(open)?;
                let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
                let line = &rest[..line_end];
                let end = line.trim_end_matches(is_space).len();
                // Only when nothing on the rest of the line closes it.
                (!line.contains(close)).then(|| (span.start + end..span.start + end, close.to_string()))
            }),
            _ => None,
        };
        match edit {
            Some(edit) => edits.push(edit),
            None => left.push(error.clone()),
        }
    }
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len() + edits.len() * 3);
    let mut copied = 0;
    for (range, replacement) in edits {
        if range.start < copied {
            continue;
        }
        out.push_str(&text[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    (out, left)
}

/// The year of a 发文字号 in brackets other than 〔〕.
static YEAR_IN_BRACKETS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    // The pattern is a constant; a failure is a bug caught by every test.
    regex::Regex::new(r"[\[［(（【〈<]\s*(\d{4})\s*[\]］)）】〉>]").unwrap_or_else(|e| panic!("year pattern: {e}"))
});

fn closing(open: char) -> Option<char> {
    Some(match open {
        '（' => '）',
        '(' => ')',
        '【' => '】',
        '[' => ']',
        '［' => '］',
        '〔' => '〕',
        '〈' => '〉',
        '《' => '》',
        _ => return None,
    })
}

/// Format a parsed source. `errors` are the errors left in it: the lines
/// they are on are kept as written (their markers renumbered), and they are
/// reported with what formatting found.
fn format_parsed(
    source: &SourceFile,
    document: &Document,
    options: &Options,
    errors: Vec<Diagnostic>,
) -> Result<Formatted, Error> {
    // The same lines the parser read; repair notes were already given by it.
    let mut prepared = Prepared::new(source);
    repair::repair(&mut prepared, &mut Vec::new());
    let mut lines = grammar::lines(&prepared.text).map_err(|_| Error::Unparsable(errors.clone()))?;
    crate::parse::table::mark(&mut lines, &prepared);
    let roles = Roles::new(document);
    // The policy and each attachment are numbered, and their references
    // read, each on its own: 本办法第五条 in 附件2 is 附件2's.
    let documents: Vec<&Document> = std::iter::once(document).chain(&document.attachments).collect();
    let plans: Vec<renumber::Plan> = documents.iter().map(|d| renumber::plan(d, options)).collect();
    let renumbered: Vec<Document> =
        documents.iter().zip(&plans).map(|(d, plan)| renumber::renumbered(d, &plan.numbers)).collect();
    let mut parts: Vec<Part> = Vec::with_capacity(documents.len());
    for ((i, d), (plan, after)) in documents.iter().enumerate().zip(plans.into_iter().zip(&renumbered)) {
        let outline = Outline::new(d);
        let moves = renumber::outline_changes(&outline, &plan.numbers);
        let start = if i == 0 { 0 } else { first_offset(d) };
        parts.push(Part { start, family: d.family(), plan, outline, after: Outline::new(after), moves });
    }
    let verbatim: BTreeSet<u32> = errors.iter().map(|d| d.span.line).collect();
    let mut writer = Writer {
        prepared: &prepared,
        options,
        parts: &parts,
        part: 0,
        roles: &roles,
        context: None,
        verbatim: &verbatim,
        out: Vec::new(),
        findings: errors,
    };
    for line in &lines {
        let at = prepared.to_source(line.start);
        let part = parts.iter().rposition(|p| p.start <= at).unwrap_or(0);
        if part != writer.part {
            (writer.part, writer.context) = (part, None);
        }
        writer.line(line, parts[part].family);
    }
    let text = join(&writer.out);
    let mut diagnostics = writer.findings;
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Ok(Formatted { text, diagnostics })
}

/// Format text held in memory as a plain-text document.
pub fn format_str(text: &str, options: &Options) -> Result<Formatted, Error> {
    format(&SourceFile::from_text("<input>", Format::Text, text), options)
}

/// What the frame says some lines are, by the source offset of their content.
struct Roles {
    /// The title's first line and where its last line ends, and its text.
    title: Option<(usize, usize, String)>,
    /// Signature lines: the units each holds.
    issuers: BTreeMap<usize, Vec<String>>,
    /// Lines the frame reads as a web page's furniture (a page title that
    /// the policy's title repeats): debris that only the whole document
    /// tells, unlike the debris of a line. Left in, the line would read
    /// otherwise once the lines around it are formatted (a page title
    /// becomes the first line of the policy's title on a second pass).
    furniture: BTreeSet<usize>,
}

impl Roles {
    fn new(document: &Document) -> Self {
        let frame = &document.frame;
        let title = frame.title.as_ref().map(|t| (t.span.start, t.span.end, t.text.clone()));
        let mut issuers: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let notice_issuers = frame.notice.iter().flat_map(|n| n.issuers.iter());
        for issuer in frame.issuers.iter().chain(notice_issuers) {
            issuers.entry(issuer.span.start).or_default().push(issuer.text.clone());
        }
        let mut furniture = BTreeSet::new();
        let mut frames = vec![document];
        while let Some(document) = frames.pop() {
            let page = document.frame.debris.iter().filter(|d| d.kind == crate::tree::DebrisKind::PageFurniture);
            furniture.extend(page.map(|d| d.span.start));
            frames.extend(&document.attachments);
        }
        Roles { title, issuers, furniture }
    }
}

/// The policy or one of its attachments: numbered, and its references
/// read, on its own.
struct Part<'a> {
    /// Where it starts in the source.
    start: usize,
    family: Family,
    plan: renumber::Plan,
    outline: Outline<'a>,
    /// The outline with the new numbers.
    after: Outline<'a>,
    /// Whether renumbering changes any number (references that name nothing
    /// are reported only then: `check` reports them otherwise).
    moves: bool,
}

/// Where an attachment starts in the source: its label, title or first
/// line of text, whichever comes first.
fn first_offset(document: &Document) -> usize {
    let frame = &document.frame;
    let heads = [&frame.attachment, &frame.title, &frame.status, &frame.addressees];
    heads
        .into_iter()
        .flatten()
        .chain(frame.preamble.first())
        .map(|p| p.span.start)
        .chain(document.body.first().map(|n| n.span.start))
        .min()
        .unwrap_or(usize::MAX)
}

struct Writer<'a> {
    prepared: &'a Prepared<'a>,
    options: &'a Options,
    parts: &'a [Part<'a>],
    /// The part the line is in.
    part: usize,
    roles: &'a Roles,
    /// The node whose heading was read last: where the line's references
    /// are read (本条, 前款).
    context: Option<usize>,
    /// Source lines (1-based) an error was left on: kept as written.
    verbatim: &'a BTreeSet<u32>,
    /// Output lines; `None` is a blank line.
    out: Vec<Option<String>>,
    findings: Vec<Diagnostic>,
}

impl Writer<'_> {
    fn line(&mut self, line: &Line, family: Family) {
        let text = &self.prepared.text;
        let residue: String = if self.options.keep_debris {
            line.residue.iter().map(|r| text[r.clone()].trim_matches(is_space)).collect()
        } else {
            String::new()
        };
        match &line.content {
            Content::Blank => self.out.push(None),
            // A table's cells are printed as written (fmt changes no word of
            // a policy, and a cell's punctuation is its own), in one layout.
            Content::Row(range) => self.out.push(Some(crate::parse::table::canonical(&text[range.clone()]))),
            Content::Debris(..) => {
                if self.options.keep_debris {
                    self.out.push(Some(text[line.start..line.end].trim_end_matches(is_space).to_owned()));
                }
            }
            Content::Text(range) if self.keeps(line) => {
                self.out.push(Some(text[range.clone()].trim_end_matches(is_space).to_owned()));
            }
            Content::Text(range) => {
                let raw = &text[range.clone()];
                let start = self.prepared.to_source(range.start + (raw.len() - raw.trim_start_matches(is_space).len()));
                if !self.options.keep_debris && self.roles.furniture.contains(&start) {
                    return;
                }
                if let Some((title_start, title_end, title)) = &self.roles.title {
                    if start == *title_start {
                        self.out.push(Some(residue + &text::normalize(title)));
                        return;
                    }
                    if (*title_start..*title_end).contains(&start) {
                        return;
                    }
                }
                if let Some(units) = self.roles.issuers.get(&start) {
                    let units: Vec<String> = units.iter().map(|u| text::normalize(u)).collect();
                    // One unit per line, unless a line would end where the
                    // parser's source repair joins the next one to it (a
                    // stray `(` opening the first unit): the line stays.
                    if units.iter().all(|u| stands_alone(u)) {
                        self.out.extend(units.into_iter().map(Some));
                    } else {
                        self.out.push(Some(raw.trim_matches(is_space).to_owned()));
                    }
                    return;
                }
                let normalized = text::normalize(raw);
                if !reads_as_text(&normalized) {
                    // 一　、知识产权 is text; without its space it would be a part.
                    self.out.push(Some(residue + raw.trim_matches(is_space)));
                    return;
                }
                // A paragraph of its own (a regulation's second 款) is the
                // place its references are read in (前款, 本条).
                if let Some(node) = self.parts[self.part].outline.at_text(start) {
                    self.context = Some(node);
                }
                let rewritten = self.references(&normalized, line);
                self.out.push(Some(residue + &rewritten));
            }
            Content::Heading { info, marker, rest } => {
                let marker_start = self.prepared.to_source(marker.start);
                let kind = kind_of(info.shape, family);
                let part = &self.parts[self.part];
                self.context = part.outline.at_marker(marker_start);
                let canonical = match part.plan.markers.get(&marker_start) {
                    Some(m) => m.clone(),
                    None => text[marker.clone()].to_owned(),
                };
                if self.keeps(line) {
                    let written = text[marker.end..rest.end].trim_end_matches(is_space);
                    self.out.push(Some(format!("{residue}{canonical}{written}")));
                    return;
                }
                let rest_text = &text[rest.clone()];
                let (head, tail) = match title_separator(kind, rest_text) {
                    Some(at) => (&rest_text[..at], Some(&rest_text[at..])),
                    None => (rest_text, None),
                };
                let mut head = self.references(&text::normalize(head), line);
                let tail = tail.map(|tail| self.references(&text::normalize(tail), line));
                let mut gap = if head.is_empty() || !is_regulation_unit(kind) { "" } else { "\u{3000}" };
                if gap.is_empty() && !head.is_empty() && !reads_as_marker(&canonical, &head) {
                    // 2. 4家企业 would read 2.4家企业, a number: the space stays.
                    gap = " ";
                }
                match tail {
                    Some(tail) if stands_alone(&head) && reads_as_text(&tail) => {
                        self.out.push(Some(format!("{residue}{canonical}{gap}{head}")));
                        self.out.push(Some(tail));
                    }
                    Some(tail) => {
                        // A title the parser would join to the next line
                        // again keeps its text on its line, after an
                        // ideographic space.
                        head.push('\u{3000}');
                        head.push_str(&tail);
                        self.out.push(Some(format!("{residue}{canonical}{gap}{head}")));
                    }
                    None => self.out.push(Some(format!("{residue}{canonical}{gap}{head}"))),
                }
            }
        }
    }

    /// Whether an error was left on the line: it is kept as written.
    fn keeps(&self, line: &Line) -> bool {
        if self.verbatim.is_empty() {
            return false;
        }
        let range = line.content_range();
        let source = self.prepared.source;
        let first = source.span(self.prepared.to_source(range.start), 0).line;
        let last = source.span(self.prepared.to_source(range.end), 0).line;
        self.verbatim.range(first..=last).next().is_some()
    }

    /// Rewrite references and report those left alone at the line they are on.
    fn references(&mut self, normalized: &str, line: &Line) -> String {
        let part = &self.parts[self.part];
        let (rewritten, findings) =
            renumber::rewrite(&part.outline, &part.after, &part.plan.numbers, normalized, self.context, part.moves);
        for finding in findings {
            let source = self.prepared.source;
            let line_start = self.prepared.to_source(line.content_range().start);
            let line_end = self.prepared.to_source(line.content_range().end).max(line_start);
            let raw = &source.text[line_start..line_end.min(source.text.len())];
            let half = finding.reference.replace('（', "(").replace('）', ")");
            let at = raw.find(&finding.reference).or_else(|| raw.find(&half));
            let span = match at {
                Some(i) => source.span(line_start + i, line_start + i + raw[i..].len().min(finding.reference.len())),
                None => source.span(line_start, line_start),
            };
            let (rule, message, help) = match finding.problem {
                renumber::Problem::Ambiguous => (
                    &REFERENCE_AMBIGUOUS,
                    format!("the reference `{}` could point at more than one place; left as it is", finding.reference),
                    "make the numbers it names unique (or say which one is meant), then run policyc fmt again",
                ),
                renumber::Problem::Unfollowable => (
                    &REFERENCE_AMBIGUOUS,
                    format!(
                        "after renumbering, the reference `{}` would not name the clause it names now (its new number is not unique); left as it is",
                        finding.reference
                    ),
                    "say which clause is meant (本措施第二部分第（三）项), or number the clauses continuously (--numbering section=continuous)",
                ),
                renumber::Problem::Unresolved => (
                    &REFERENCE_UNRESOLVED,
                    format!("the reference `{}` points at nothing in this document; left as it is", finding.reference),
                    "correct the reference by hand; renumbering could not follow it",
                ),
            };
            self.findings.push(Diagnostic::new(rule, span, message).with_help(help));
        }
        rewritten
    }
}

/// Whether a line of `marker` followed by `head` reads as a heading with
/// that marker, as the parser reads lines. The beginning of the line is
/// enough to tell; reading only that keeps long lines linear.
fn reads_as_marker(marker: &str, head: &str) -> bool {
    let start: String = head.chars().take(16).collect();
    let line = format!("{marker}{start}");
    grammar::lines(&line).ok().and_then(|lines| lines.into_iter().next()).is_some_and(|l| match l.content {
        Content::Heading { marker: m, .. } => line.get(m) == Some(marker),
        _ => false,
    })
}

/// Whether a line reads as text (not as a heading or debris), as the
/// parser reads lines; a long line by its beginning, which decides.
fn reads_as_text(line: &str) -> bool {
    let start: String = line.chars().take(200).collect();
    grammar::lines(&start)
        .ok()
        .and_then(|lines| lines.into_iter().next())
        .is_some_and(|l| matches!(l.content, Content::Text(_)))
}

/// Headings of a regulation are followed by an ideographic space: 第一条　为了…
fn is_regulation_unit(kind: Kind) -> bool {
    matches!(kind, Kind::Book | Kind::Chapter | Kind::Division | Kind::Article)
}

/// Where the space that separates a run-in title from its text is (000
/// writes `(一)标题 正文…`). Removing it would merge title and text, so the
/// title goes on the heading line and the text on the next (the parser reads
/// a short line without a full stop as a heading), or, where that line would
/// be rejoined, the space stays as one ideographic space. `None` when the
/// title ends with 。 or ：, which separate it by themselves.
fn title_separator(kind: Kind, rest: &str) -> Option<usize> {
    if !matches!(kind, Kind::Part | Kind::Section | Kind::Item | Kind::Subitem | Kind::Point) {
        return None;
    }
    let (Some(title), remainder) = split_title(rest) else { return None };
    if remainder.is_empty() || remainder.start <= title.end {
        return None;
    }
    let gap = &rest[title.end..remainder.start];
    let ends_itself = rest[title.clone()].trim_end_matches(is_space).ends_with(['。', '：', ':']);
    (!gap.is_empty() && gap.chars().all(is_space) && !ends_itself).then_some(title.end)
}

/// Whether a title can end its line without the parser's source repair
/// joining the next line to it: it does not end the way an unfinished
/// sentence does, and its brackets and quotes are closed.
fn stands_alone(title: &str) -> bool {
    const PAIRS: [(char, char); 6] = [('〔', '〕'), ('《', '》'), ('“', '”'), ('【', '】'), ('（', '）'), ('(', ')')];
    let unfinished = title.ends_with(['，', '、', '“', '《', '〔', '（', '(', '—', ',']);
    let unclosed = PAIRS.iter().any(|&(open, close)| title.matches(open).count() != title.matches(close).count());
    !unfinished && !unclosed
}

/// Lines joined with `\n`: runs of blank lines become one, none at the ends.
fn join(lines: &[Option<String>]) -> String {
    let mut text = String::new();
    let mut blank = false;
    for line in lines {
        match line.as_deref() {
            None | Some("") => blank = !text.is_empty(),
            Some(line) => {
                if blank {
                    text.push('\n');
                }
                text.push_str(line);
                text.push('\n');
                blank = false;
            }
        }
    }
    text
}
