//! The human format, in the style of rustc: `error[N001]: message`, the
//! `--> file:line:column` header, the source line with the span underlined
//! and a `help:` line. Rendering is codespan-reporting's, which measures
//! display width, so carets land under Chinese characters (two columns each)
//! where they belong.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config, Styles, StylesWriter, termcolor};
use unicode_width::UnicodeWidthChar;

use super::{Diagnostic, Severity};
use crate::source::SourceFile;

/// The widest stretch of a source line shown, in terminal columns: a
/// longer line is cut to a window around the span, `...` marking each cut,
/// as rustc does, so that a caret far into a paragraph does not wrap the
/// terminal and a 30 KB line is not printed once per diagnostic.
const WINDOW: usize = 100;
/// How much of the line before the span the window keeps, in columns.
const BEFORE: usize = 30;
const CUT: &str = "...";

/// Render diagnostics of one file; `color` adds ANSI colour.
pub fn render(diagnostics: &[Diagnostic], source: &SourceFile, color: bool) -> String {
    let config = Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let window = Window::new(source, diagnostic);
        let report = to_report(diagnostic, &window);
        let rendered = if color {
            let mut buffer = termcolor::Buffer::ansi();
            let styles = Styles::default();
            let mut writer = StylesWriter::new(&mut buffer, &styles);
            term::emit_to_write_style(&mut writer, &config, &window, &report)
                .ok()
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&config, &window, &report).ok()
        };
        match rendered {
            // A converted source (a .docx) is located in the original: the
            // snippet shows the extracted line, the header the paragraph.
            Some(text) if source.origin.is_some() => {
                let path = source.display_path();
                let shown = format!("{path}:{}:{}", diagnostic.span.line, diagnostic.span.column);
                let original = format!("{path}:{}", source.location(diagnostic.span.start));
                out.push_str(&text.replacen(&shown, &original, 1));
            }
            Some(text) => out.push_str(&text),
            // A span outside the file would be a bug upstream; say the message
            // rather than lose it.
            None => out.push_str(
                &format!(
                    "{}[{}]: {}\n  --> {}:{}:{}\n\n",
                    diagnostic.severity.name(),
                    diagnostic.code,
                    diagnostic.message,
                    source.display_path(),
                    diagnostic.span.line,
                    diagnostic.span.column
                )
                .replacen(
                    &format!(":{}:{}\n", diagnostic.span.line, diagnostic.span.column),
                    &format!(":{}\n", source.location(diagnostic.span.start)),
                    usize::from(source.origin.is_some()),
                ),
            ),
        }
    }
    out
}

/// One line of a [`Window`]: where its copy starts in the window's text,
/// and which bytes of the source it shows.
struct Shown {
    /// 0-based line index in the source.
    index: usize,
    /// Where the copy starts in [`Window::text`], and where it ends (line
    /// break included).
    copy: Range<usize>,
    /// Bytes of `...` in front of the shown stretch.
    cut_before: usize,
    /// The source bytes shown (the line break excluded).
    shown: Range<usize>,
    /// Whether the copy ends with the line's own break (the line is shown
    /// to its end).
    to_end: bool,
}

/// The lines one diagnostic shows, each cut to [`WINDOW`] columns around
/// its spans, as codespan-reporting's file: lines keep their numbers and
/// columns are the source's, so only the shown text is shortened.
struct Window<'s> {
    name: String,
    source: &'s SourceFile,
    text: String,
    lines: Vec<Shown>,
    /// Where the diagnostic's own span starts in the source.
    primary: usize,
}

impl<'s> Window<'s> {
    fn new(source: &'s SourceFile, diagnostic: &Diagnostic) -> Self {
        let len = source.text.len();
        let ranges: Vec<Range<usize>> = std::iter::once(diagnostic.span)
            .chain(diagnostic.related.iter().map(|r| r.span))
            .map(|s| clamp(s.start, s.end, len))
            .collect();
        let line_of = |at: usize| source.lines.position(&source.text, at).0 as usize - 1;
        // The lines the labels touch, and a line between two of them, which
        // codespan-reporting prints rather than a break.
        let mut wanted = std::collections::BTreeSet::new();
        for r in &ranges {
            let (first, last) = (line_of(r.start), line_of(r.end));
            wanted.extend(first..=last);
        }
        let gaps: Vec<usize> = wanted
            .iter()
            .filter(|&&l| !wanted.contains(&(l + 1)) && wanted.contains(&(l + 2)))
            .map(|l| l + 1)
            .collect();
        wanted.extend(gaps);
        let primary = ranges.first().map_or(0, |r| r.start);
        let mut window =
            Window { name: source.display_path(), source, text: String::new(), lines: Vec::new(), primary };
        for index in wanted {
            let line = source.lines.line_range(&source.text, saturate(index + 1));
            let content = line.start..line.start + source.text[line.clone()].trim_end_matches(['\n', '\r']).len();
            // Where the labels start on this line: the window is placed there.
            let focus = ranges
                .iter()
                .filter(|r| r.end >= content.start && r.start <= content.end)
                .map(|r| r.start.max(content.start))
                .min()
                .unwrap_or(content.start);
            let shown = cut(&source.text, content.clone(), focus);
            let start = window.text.len();
            let cut_before = if shown.start > content.start { CUT.len() } else { 0 };
            window.text.push_str(&CUT[..cut_before]);
            window.text.push_str(&source.text[shown.clone()]);
            let to_end = shown.end == content.end;
            if to_end {
                window.text.push_str(&source.text[content.end..line.end]);
            } else {
                window.text.push_str(CUT);
                window.text.push('\n');
            }
            window.lines.push(Shown { index, copy: start..window.text.len(), cut_before, shown, to_end });
        }
        window
    }

    fn line(&self, index: usize) -> Option<&Shown> {
        self.lines.binary_search_by_key(&index, |l| l.index).ok().map(|k| &self.lines[k])
    }

    /// Where a source byte is in the window's text: on its line's copy,
    /// moved to the nearest end of the shown stretch when it was cut away.
    fn to_window(&self, at: usize) -> usize {
        let index = self.source.lines.position(&self.source.text, at).0 as usize - 1;
        let Some(line) = self.line(index) else { return 0 };
        let base = line.copy.start + line.cut_before;
        if at < line.shown.start {
            base
        } else if at <= line.shown.end || line.to_end {
            (base + at - line.shown.start).min(line.copy.end)
        } else {
            base + line.shown.len()
        }
    }

    /// The source byte a byte of the window's text shows.
    fn to_source(&self, line: &Shown, at: usize) -> usize {
        let into = at.saturating_sub(line.copy.start + line.cut_before);
        line.shown.start + into
    }

    fn labels(&self, diagnostic: &Diagnostic) -> Vec<Label<()>> {
        let len = self.source.text.len();
        let range = |start: usize, end: usize| {
            let r = clamp(start, end, len);
            self.to_window(r.start)..self.to_window(r.end)
        };
        let mut labels =
            vec![Label::primary((), range(diagnostic.span.start, diagnostic.span.end)).with_message(diagnostic.name)];
        for related in &diagnostic.related {
            labels
                .push(Label::secondary((), range(related.span.start, related.span.end)).with_message(&related.message));
        }
        labels
    }
}

fn clamp(start: usize, end: usize, len: usize) -> Range<usize> {
    start.min(len)..end.min(len).max(start.min(len))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The stretch of `content` shown: all of it when it fits in [`WINDOW`]
/// columns, else [`WINDOW`] columns starting [`BEFORE`] columns before
/// `focus`.
fn cut(text: &str, content: Range<usize>, focus: usize) -> Range<usize> {
    let width = |c: char| c.width().unwrap_or(0);
    let line = &text[content.clone()];
    // Long lines only are measured whole, and only up to the window.
    let mut total = 0;
    if line.chars().all(|c| {
        total += width(c);
        total <= WINDOW
    }) {
        return content;
    }
    let mut focus = focus.clamp(content.start, content.end);
    while !text.is_char_boundary(focus) {
        focus -= 1;
    }
    let mut start = focus;
    let mut before = 0;
    for (i, c) in text[content.start..focus].char_indices().rev() {
        before += width(c);
        if before > BEFORE {
            break;
        }
        start = content.start + i;
    }
    let mut end = start;
    let mut used = 0;
    for (i, c) in text[start..content.end].char_indices() {
        used += width(c);
        if used > WINDOW {
            break;
        }
        end = start + i + c.len_utf8();
    }
    // The span's first character is always shown.
    if end <= focus {
        end = text[focus..content.end].chars().next().map_or(focus, |c| focus + c.len_utf8());
    }
    start..end
}

impl<'a> Files<'a> for Window<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        let k = self.lines.partition_point(|l| l.copy.start <= byte_index).max(1);
        Ok(self.lines.get(k - 1).map_or(0, |l| l.index))
    }

    fn column_number(&'a self, (): (), line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let line = self.line(line_index).ok_or(FilesError::LineTooLarge { given: line_index, max: line_index })?;
        let at = self.to_source(line, byte_index);
        Ok(self.source.original_position(at).1 as usize)
    }

    /// A converted source (a web page) numbers lines as the original file
    /// does: the line where the shown line's text, or the diagnostic's
    /// span on it, was copied from.
    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        let Some(origin) = &self.source.origin else { return Ok(line_index + 1) };
        let Some(line) = self.line(line_index) else { return Ok(line_index + 1) };
        let at =
            if (line.shown.start..=line.shown.end).contains(&self.primary) { self.primary } else { line.shown.start };
        Ok(origin.locate(&self.source.text, at).0 as usize)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let max = self.lines.last().map_or(0, |l| l.index);
        self.line(line_index).map(|l| l.copy.clone()).ok_or(FilesError::LineTooLarge { given: line_index, max })
    }
}

fn to_report(diagnostic: &Diagnostic, window: &Window) -> Report<()> {
    let level = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Note => Level::Note,
    };
    let mut notes = Vec::new();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    Report::new(level)
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message)
        .with_labels(window.labels(diagnostic))
        .with_notes(notes)
}
