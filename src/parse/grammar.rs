//! The pest parser generated from `grammar/policy.pest`, and the one place
//! that walks its `Pairs`: lines come out as plain [`Line`] values, so `Pair`
//! never leaves this module.

use pest::Parser;
use pest_derive::Parser;

use super::line::{Content, Line};
use super::marker;
use crate::tree::DebrisKind;

#[derive(Parser)]
#[grammar = "grammar/policy.pest"]
pub struct PolicyParser;

/// Every grammar rule's human name, for messages. Exhaustive on purpose: a
/// rule added to the grammar without a name here does not compile.
pub fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of input",
        Rule::document => "document",
        Rule::line => "line",
        Rule::invisible => "invisible character",
        Rule::residue => "Word residue",
        Rule::heading => "numbered line",
        Rule::gap => "space after a marker",
        Rule::rest => "text after a marker",
        Rule::book => "第X编",
        Rule::chapter => "第X章",
        Rule::division => "第X节",
        Rule::article => "第X条",
        Rule::sub_numeral => "之X",
        Rule::part => "一、",
        Rule::part_sep => "、 after a Chinese numeral",
        Rule::section => "（一）",
        Rule::item => "1.",
        Rule::item_sep => ". after a number",
        Rule::subitem => "（1）",
        Rule::point => "①",
        Rule::marker_punct => "punctuation after a marker",
        Rule::numeral => "Chinese numeral",
        Rule::digits => "digits",
        Rule::breadcrumb => "breadcrumb",
        Rule::page_meta => "page metadata",
        Rule::page_controls => "page controls",
        Rule::page_furniture => "page furniture",
        Rule::footer => "page footer",
        Rule::quote_residue => "quote residue",
        Rule::text => "text",
        Rule::indent => "indentation",
        Rule::space => "white space",
        Rule::tail => "end of line",
        Rule::marker => "numbering marker",
        Rule::reference_tail => "reference after 第X条",
        Rule::bracket_reference => "reference after （X）",
        Rule::boundary => "end of a 编章节 marker",
        Rule::open => "opening bracket",
        Rule::close => "closing bracket",
        Rule::cn_digit => "Chinese digit",
        Rule::ascii_digit => "digit",
        Rule::wide_digit => "full-width digit",
        Rule::debris => "debris line",
        Rule::rest_of_line => "rest of the line",
    }
}

/// Why the grammar gave up: only the call limit can make it (every input
/// matches otherwise), and the offset where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrammarError {
    pub offset: usize,
    pub message: String,
}

/// Split `text` into classified lines. Offsets are into `text`.
pub fn lines(text: &str) -> Result<Vec<Line>, GrammarError> {
    let document = PolicyParser::parse(Rule::document, text).map_err(|err| {
        let offset = match err.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
        GrammarError { offset, message: err.variant.message().into_owned() }
    })?;
    let mut out = Vec::with_capacity(text.len() / 60 + 1);
    for pair in document.flatten().filter(|p| p.as_rule() == Rule::line) {
        let span = pair.as_span();
        // The line pair excludes its line break but may include trailing
        // white space; keep its full extent.
        let mut line = Line {
            start: span.start(),
            end: span.end(),
            content: Content::Blank,
            residue: Vec::new(),
            invisible: Vec::new(),
        };
        for inner in pair.into_inner() {
            let s = inner.as_span();
            let range = s.start()..s.end();
            match inner.as_rule() {
                Rule::invisible => line.invisible.push(range),
                Rule::residue => line.residue.push(range),
                Rule::heading => line.content = heading(inner),
                Rule::breadcrumb => line.content = Content::Debris(DebrisKind::Breadcrumb, range),
                Rule::page_meta => line.content = Content::Debris(DebrisKind::PageMeta, range),
                Rule::page_controls => line.content = Content::Debris(DebrisKind::PageControls, range),
                Rule::page_furniture => line.content = Content::Debris(DebrisKind::PageFurniture, range),
                Rule::footer => line.content = Content::Debris(DebrisKind::Footer, range),
                Rule::quote_residue => line.content = Content::Debris(DebrisKind::QuoteResidue, range),
                Rule::text => line.content = Content::Text(range),
                _ => {}
            }
        }
        out.push(line);
    }
    Ok(out)
}

fn heading(pair: pest::iterators::Pair<'_, Rule>) -> Content {
    let whole = pair.as_span();
    let mut marker_range = whole.start()..whole.start();
    let mut rest = whole.end()..whole.end();
    let mut marker_text = "";
    for inner in pair.into_inner() {
        let s = inner.as_span();
        match inner.as_rule() {
            Rule::rest => rest = s.start()..s.end(),
            Rule::gap => {}
            _ => {
                marker_range = s.start()..s.end();
                marker_text = s.as_str();
            }
        }
    }
    match marker::analyze(marker_text) {
        Some(info) => Content::Heading { info, marker: marker_range, rest },
        // A malformed numeral (一二、): the whole line is text.
        None => Content::Text(whole.start()..whole.end()),
    }
}
