//! What the editor can do to a document: each diagnostic's fix as a quick
//! fix, every safe fix at once, "renumber from here", and formatting with
//! `policyc fmt`.
//!
//! Takes an [`Analysis`]; gives edits as byte ranges and replacements (the
//! server turns them into protocol edits through `documents`). Nothing here
//! changes what the policy says that `check --fix` or `fmt` would not.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::diag::{Applicability, Diagnostic};
use crate::fmt::renumber::{self, Scheme};
use crate::fmt::{self, Style};
use crate::parse::{marker, numeral};
use crate::tree::{Document, Kind, Node};

use super::diagnostics::Analysis;

/// One replacement, in bytes of the analysed text.
pub type Edit = (Range<usize>, String);

/// A quick fix's title: what it does to the text.
pub fn fix_title(text: &str, d: &Diagnostic) -> Option<String> {
    let fix = d.fix.as_ref()?;
    let title = match fix.edits.as_slice() {
        [one] => {
            let old = text.get(one.span.start..one.span.end).unwrap_or("");
            match (old.is_empty(), one.replacement.is_empty()) {
                (true, _) => format!("Insert `{}`", one.replacement),
                (false, true) => format!("Delete `{old}`"),
                (false, false) => format!("Replace `{old}` with `{}`", one.replacement),
            }
        }
        edits => format!("Apply the {} edits of {}", edits.len(), d.code),
    };
    Some(match fix.applicability {
        Applicability::Safe => format!("{title} ({})", d.code),
        Applicability::Unsafe => format!("{title} ({}; read it before keeping it)", d.code),
    })
}

pub fn fix_edits(d: &Diagnostic) -> Vec<Edit> {
    d.fix.iter().flat_map(|f| &f.edits).map(|e| (e.span.start..e.span.end, e.replacement.to_string())).collect()
}

/// Every safe fix of the document that does not collide with another, as
/// `policyc check --fix` applies them in one pass.
pub fn fix_all(analysis: &Analysis) -> Vec<Edit> {
    let Some(fixed) = crate::diag::fix::apply(analysis.text.as_str(), &analysis.found) else { return Vec::new() };
    fixed.edits.into_iter().map(|e| (e.span.start..e.span.end, e.replacement.to_string())).collect()
}

/// The innermost numbered clause (not an unnumbered 款) at `offset`.
fn numbered_at(document: &Document, offset: usize) -> Option<&Node> {
    let mut found = None;
    let mut list = document.body.as_slice();
    while let Some(node) = list.iter().find(|n| n.span.start <= offset && offset < n.span.end.max(n.span.start + 1)) {
        if !node.marker.is_empty() && node.kind != Kind::Paragraph {
            found = Some(node);
        }
        list = &node.children;
    }
    found
}

/// "Renumber from here": the clause at `offset` and the clauses of its
/// level after it are numbered on from the one before it (1 when there is
/// none), as `policyc fmt` would number them: among siblings for a level
/// that restarts under each parent, through the document for a continuous
/// one. Every reference that named a renumbered clause names it again.
/// The title of the action and its edits; `None` when nothing would change.
pub fn renumber_from_here(analysis: &Analysis, offset: usize, options: &fmt::Options) -> Option<(String, Vec<Edit>)> {
    // Not in a web page's markup (see `format`).
    let (_, checked) = analysis.checked.as_ref().filter(|(source, _)| source.origin.is_none())?;
    let document = &checked.document;
    let here = numbered_at(document, offset)?;
    let plan = renumber::plan(document, options);
    let scheme = plan.schemes.get(&here.kind).copied().unwrap_or(Scheme::Restart);
    // The run of clauses to number: the level's nodes in document order
    // (continuous), or the siblings (restart), from `here` on.
    let level: Vec<&Node> = match scheme {
        Scheme::Continuous => document.nodes().filter(|n| n.kind == here.kind).collect(),
        Scheme::Restart => siblings(document, here).iter().filter(|n| n.kind == here.kind).collect(),
    };
    let at = level.iter().position(|n| std::ptr::eq(*n, here))?;
    let mut counter = if at == 0 { 0 } else { level[at - 1].number };
    let mut numbers: BTreeMap<usize, u32> = BTreeMap::new();
    let mut edits = Vec::new();
    for node in &level[at..] {
        // An inserted article (第十二条之一) keeps the number before it.
        if node.sub.is_none() || counter == 0 {
            counter += 1;
        }
        if counter == node.number {
            continue;
        }
        let Some(info) = marker::analyze(&node.marker) else { continue };
        let style = if info.open == Some('(') { Style::HalfWidth } else { Style::Standard };
        let Some(written) = renumber::marker_text(&info, counter, node.sub, style) else { continue };
        numbers.insert(node.spans.marker.start, counter);
        edits.push((node.spans.marker.start..node.spans.marker.end, written));
    }
    if edits.is_empty() {
        return None;
    }
    for cite in &analysis.cites {
        for link in &cite.links {
            let Some(&new) = link.target.and_then(|t| numbers.get(&t)) else { continue };
            if new != link.number {
                let like = analysis.text.as_str().get(link.digits.clone()).unwrap_or("");
                edits.push((link.digits.clone(), numeral::format_like(like, new)));
            }
        }
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let title = format!("Renumber from {} ({} {} on)", here.marker, here.kind.chinese(), here.marker);
    Some((title, edits))
}

/// The children `node` is one of.
fn siblings<'a>(document: &'a Document, node: &Node) -> &'a [Node] {
    fn search<'a>(list: &'a [Node], node: &Node) -> Option<&'a [Node]> {
        if list.iter().any(|n| std::ptr::eq(n, node)) {
            return Some(list);
        }
        list.iter()
            .find(|n| n.span.start <= node.span.start && node.span.end <= n.span.end)
            .and_then(|n| search(&n.children, node))
    }
    search(&document.body, node).unwrap_or(&[])
}

/// The `policyc fmt` options for a document: `[fmt]` of the nearest
/// policyc.toml, the document's own numbering by its file stem.
pub fn fmt_options(path: Option<&Path>) -> Result<fmt::Options, String> {
    let Some(path) = path else { return Ok(fmt::Options::default()) };
    let Some(toml) = crate::validate::config::find_project_file(path) else { return Ok(fmt::Options::default()) };
    let text = std::fs::read_to_string(&toml).map_err(|e| format!("cannot read {}: {e}", toml.display()))?;
    let config = fmt::config::parse(&text).map_err(|e| format!("{}: {e}", toml.display()))?;
    Ok(config.options_for(&crate::publish::slug(path)))
}

/// `policyc fmt` of the analysed text, as the few line edits that turn the
/// text into the formatted one; `Ok(None)` when formatting changes
/// nothing (or would leave no text, which `fmt` refuses too).
pub fn format(analysis: &Analysis, options: &fmt::Options) -> Result<Option<Vec<Edit>>, String> {
    let Some((source, _)) = analysis.checked.as_ref() else {
        return Err("the document was not checked (see its diagnostic); it is not formatted".to_owned());
    };
    // fmt writes a text source; the page's markup is not one, and its
    // buffer would be replaced by the extracted text.
    if source.origin.is_some() {
        return Err(
            "a web page is not formatted: `policyc import PAGE.html -o FILE.txt` gives the text source to format"
                .to_owned(),
        );
    }
    let formatted = fmt::format(source, options).map_err(|e| e.to_string())?;
    let old = analysis.text.as_str();
    if formatted.text == old || (formatted.text.trim().is_empty() && !old.is_empty()) {
        return Ok(None);
    }
    Ok(Some(line_edits(old, &formatted.text)))
}

/// The edits that turn `old` into `new`, line by line: an editor keeps its
/// cursor and folds where lines did not change.
pub fn line_edits(old: &str, new: &str) -> Vec<Edit> {
    use similar::{DiffOp, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut starts = Vec::with_capacity(diff.old_len() + 1);
    let mut at = 0;
    for line in diff.iter_old_slices() {
        starts.push(at);
        at += line.len();
    }
    starts.push(at);
    let mut edits: Vec<Edit> = Vec::new();
    for op in diff.ops() {
        let (old_range, new_range) = match *op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete { old_index, old_len, new_index } => (old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert { old_index, new_index, new_len } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (old_index..old_index + old_len, new_index..new_index + new_len)
            }
        };
        let bytes = starts[old_range.start]..starts[old_range.end];
        let text: String = new_range.filter_map(|i| diff.new_slice(i)).collect();
        // Adjacent operations (a delete then an insert) become one edit.
        match edits.last_mut() {
            Some((last, replacement)) if last.end == bytes.start => {
                last.end = bytes.end;
                replacement.push_str(&text);
            }
            _ => edits.push((bytes, text)),
        }
    }
    edits
}

/// `old` with `edits` (sorted, not overlapping) applied.
pub fn apply(old: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(old.len());
    let mut copied = 0;
    for (range, text) in edits {
        out.push_str(&old[copied..range.start]);
        out.push_str(text);
        copied = range.end;
    }
    out.push_str(&old[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::lsp::documents::Text;

    fn analysis(text: &str) -> Analysis {
        let uri = lsp_types::Url::parse("untitled:doc.txt").unwrap();
        crate::lsp::diagnostics::analyze(&uri, 1, Arc::new(Text::new(text.to_owned())))
    }

    #[test]
    fn line_edits_give_the_new_text() {
        for (old, new) in [("a\nb\nc\n", "a\nB\nc\nd\n"), ("x\n", ""), ("", "y\n"), ("一\n二\n三", "一\n三")] {
            assert_eq!(apply(old, &line_edits(old, new)), new);
        }
    }

    #[test]
    fn renumbering_from_a_clause_follows_references() {
        let text = "第一条　总则。\n第三条　见本条例第四条。\n第四条　依照本条例第三条执行。\n";
        let a = analysis(text);
        let at = text.find("第三条").unwrap();
        let (_, edits) = renumber_from_here(&a, at, &fmt::Options::default()).unwrap();
        assert_eq!(apply(text, &edits), "第一条　总则。\n第二条　见本条例第三条。\n第三条　依照本条例第二条执行。\n");
        // Already in order from the first: nothing to do.
        assert!(renumber_from_here(&a, 0, &fmt::Options::default()).is_some());
        let fixed = apply(text, &edits);
        assert!(renumber_from_here(&analysis(&fixed), 0, &fmt::Options::default()).is_none());
    }
}
