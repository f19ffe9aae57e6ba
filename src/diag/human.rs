//! The human format, in the style of rustc: `error[N001]: message`, the
//! `--> file:line:column` header, the source line with the span underlined
//! and a `help:` line. Rendering is codespan-reporting's, which measures
//! display width, so carets land under Chinese characters (two columns each)
//! where they belong.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, Styles, StylesWriter, termcolor};

use super::{Diagnostic, Severity};
use crate::source::SourceFile;

/// Render diagnostics of one file; `color` adds ANSI colour.
pub fn render(diagnostics: &[Diagnostic], source: &SourceFile, color: bool) -> String {
    let file = SimpleFile::new(source.display_path(), source.text.as_str());
    let config = Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = to_report(diagnostic, source.text.len());
        let rendered = if color {
            let mut buffer = termcolor::Buffer::ansi();
            let styles = Styles::default();
            let mut writer = StylesWriter::new(&mut buffer, &styles);
            term::emit_to_write_style(&mut writer, &config, &file, &report)
                .ok()
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&config, &file, &report).ok()
        };
        match rendered {
            Some(text) => out.push_str(&text),
            // A span outside the file would be a bug upstream; say the message
            // rather than lose it.
            None => out.push_str(&format!(
                "{}[{}]: {}\n  --> {}:{}:{}\n\n",
                diagnostic.severity.name(),
                diagnostic.code,
                diagnostic.message,
                source.display_path(),
                diagnostic.span.line,
                diagnostic.span.column
            )),
        }
    }
    out
}

fn to_report(diagnostic: &Diagnostic, len: usize) -> Report<()> {
    let level = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Note => Level::Note,
    };
    let clamp = |start: usize, end: usize| start.min(len)..end.min(len).max(start.min(len));
    let mut labels =
        vec![Label::primary((), clamp(diagnostic.span.start, diagnostic.span.end)).with_message(diagnostic.name)];
    for related in &diagnostic.related {
        labels.push(Label::secondary((), clamp(related.span.start, related.span.end)).with_message(&related.message));
    }
    let mut notes = Vec::new();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    Report::new(level)
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}
