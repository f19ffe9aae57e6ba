//! The `parse` fuzz target's property, shared by the libFuzzer target
//! (`fuzz_targets/parse.rs`) and the stable driver that CI runs
//! (`tests/suite/robustness.rs`, `fuzz_parse_on_stable`): arbitrary bytes
//! are decoded as a `.txt` source (or a `.md` one when they start with `#`)
//! and parsed. Decoding may refuse them, with an error; parsing must never
//! panic or hang, and every span it gives must lie inside the input on
//! character boundaries with the line and column of its start.

use policyc::source::{Encoding, Format, SourceFile};
use policyc::tree::{Node, Span};

/// Panics when the property fails for `data`.
pub fn parse_and_check(data: &[u8]) {
    let format = if data.first() == Some(&b'#') { Format::Markdown } else { Format::Text };
    let Ok(source) = SourceFile::from_bytes("fuzz", format, data, Encoding::Utf8) else { return };
    let parsed = policyc::parse::parse(&source);
    let check = |span: &Span| {
        let text = &source.text;
        assert!(span.start <= span.end && span.end <= text.len(), "span {span:?} outside {} bytes", text.len());
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span:?} splits a character"
        );
        assert_eq!((span.line, span.column), source.lines.position(text, span.start), "position of {span:?}");
    };
    for node in parsed.document.nodes() {
        check_node(node, &check);
    }
    let frame = &parsed.document.frame;
    let paragraphs = frame
        .title
        .iter()
        .chain(&frame.attachment)
        .chain(&frame.status)
        .chain(&frame.addressees)
        .chain(&frame.date)
        .chain(&frame.preamble)
        .chain(&frame.closing)
        .chain(&frame.issuers)
        .chain(&frame.imprint);
    for paragraph in paragraphs {
        check(&paragraph.span);
    }
    if let Some(notice) = &frame.notice {
        let paragraphs = notice
            .title
            .iter()
            .chain(&notice.doc_number)
            .chain(&notice.addressees)
            .chain(&notice.date)
            .chain(&notice.text)
            .chain(&notice.issuers)
            .chain(&notice.notes);
        for paragraph in paragraphs {
            check(&paragraph.span);
        }
    }
    for debris in &frame.debris {
        check(&debris.span);
    }
    for diagnostic in &parsed.diagnostics {
        check(&diagnostic.span);
        diagnostic.related.iter().for_each(|r| check(&r.span));
        diagnostic.fix.iter().flat_map(|f| &f.edits).for_each(|e| check(&e.span));
    }
}

fn check_node(node: &Node, check: &impl Fn(&Span)) {
    check(&node.span);
    check(&node.spans.marker);
    node.spans.title.iter().chain(&node.spans.text).for_each(check);
    node.owners.iter().for_each(|o| check(&o.span));
    node.targets.iter().for_each(|t| check(&t.span));
}
