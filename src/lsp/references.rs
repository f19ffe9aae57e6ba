//! References inside a text (本条例第十二条, 本措施第（三）项, 前款): where
//! each one is and what it names, read by the same resolver `policyc check`
//! and `policyc fmt` use ([`find`] and [`Outline::resolve`]); and what the
//! editor asks of them: definition, references, hover.
//!
//! Takes a checked document and byte offsets; gives byte ranges (the server
//! converts them to positions in one place, `documents`).

use std::ops::Range;

use crate::tree::{Document, Node, marker_paths};
use crate::validate::rules::references::{Outline, Resolution, find};

/// One link of a reference, in bytes of the source.
#[derive(Debug, Clone)]
pub struct CiteLink {
    pub range: Range<usize>,
    /// The number as written.
    pub digits: Range<usize>,
    pub number: u32,
    /// The marker offset of the node the link names, when the reference
    /// resolves to exactly one node per link.
    pub target: Option<usize>,
}

/// A reference as written in the source.
#[derive(Debug, Clone)]
pub struct Cite {
    pub range: Range<usize>,
    pub links: Vec<CiteLink>,
}

impl Cite {
    /// The node the whole reference names (its last link's).
    pub fn target(&self) -> Option<usize> {
        self.links.last().and_then(|l| l.target)
    }
}

/// Every reference of the document's body titles and texts, its preamble
/// and closing, in source order: the places `check` reads references in.
pub fn cites(document: &Document, text: &str) -> Vec<Cite> {
    let outline = Outline::new(document);
    let mut out = Vec::new();
    let mut scan = |span: crate::tree::Span, context: Option<usize>| {
        let Some(written) = text.get(span.start..span.end) else { return };
        for reference in find(written) {
            let targets: Vec<Option<usize>> = match outline.resolve(&reference, context) {
                Resolution::Found(nodes) => nodes.iter().map(|n| Some(n.spans.marker.start)).collect(),
                _ => vec![None; reference.links.len()],
            };
            let at = |r: &Range<usize>| span.start + r.start..span.start + r.end;
            out.push(Cite {
                range: at(&reference.range),
                links: reference
                    .links
                    .iter()
                    .zip(targets)
                    .map(|(l, target)| CiteLink {
                        range: at(&l.range),
                        digits: at(&l.digits),
                        number: l.number,
                        target,
                    })
                    .collect(),
            });
        }
    };
    for i in 0..outline.len() {
        let spans = &outline.node(i).spans;
        for &span in spans.title.iter().chain(&spans.text) {
            scan(span, Some(i));
        }
    }
    for p in document.frame.preamble.iter().chain(&document.frame.closing) {
        scan(p.span, None);
    }
    out.sort_by_key(|c| (c.range.start, c.range.end));
    out
}

/// The reference at `offset` (its end included, where a cursor stops after
/// typing it), and the node it names there: the link under the cursor's,
/// else the whole reference's.
pub fn cite_at(cites: &[Cite], offset: usize) -> Option<(&Cite, Option<usize>)> {
    let after = cites.partition_point(|c| c.range.start <= offset);
    let cite = cites[..after].iter().rev().find(|c| offset <= c.range.end)?;
    let link = cite.links.iter().find(|l| l.range.start <= offset && offset < l.range.end);
    Some((cite, link.map_or_else(|| cite.target(), |l| l.target)))
}

/// The node whose marker is at `offset` (its end included).
pub fn marker_at(document: &Document, offset: usize) -> Option<&Node> {
    let mut found = None;
    let mut list = document.body.as_slice();
    // Down the tree through the node that holds the offset: a marker is
    // found in O(depth × siblings), not by walking every node.
    while let Some(node) = list.iter().find(|n| n.span.start <= offset && offset <= n.span.end) {
        let marker = node.spans.marker;
        if !node.marker.is_empty() && marker.start <= offset && offset <= marker.end {
            found = Some(node);
            break;
        }
        list = &node.children;
    }
    found
}

/// The innermost numbered node holding `offset`.
pub fn node_at(document: &Document, offset: usize) -> Option<&Node> {
    let mut found = None;
    let mut list = document.body.as_slice();
    while let Some(node) = list.iter().find(|n| n.span.start <= offset && offset < n.span.end.max(n.span.start + 1)) {
        found = Some(node);
        list = &node.children;
    }
    found
}

/// The node whose marker starts at `offset`.
pub fn by_marker(document: &Document, offset: usize) -> Option<&Node> {
    let mut list = document.body.as_slice();
    loop {
        // Siblings are in source order: the last one starting at or before
        // the offset holds it.
        let at = list.partition_point(|n| n.span.start <= offset);
        let node = list.get(at.checked_sub(1)?)?;
        if node.spans.marker.start == offset {
            return Some(node);
        }
        list = &node.children;
    }
}

/// Where the reference at `offset` leads: the marker of the node it names.
pub fn definition(document: &Document, cites: &[Cite], offset: usize) -> Option<Range<usize>> {
    let (_, target) = cite_at(cites, offset)?;
    let node = by_marker(document, target?)?;
    Some(node.spans.marker.start..node.spans.marker.end)
}

/// The node an editor means at `offset` when it asks for references: the
/// one whose marker is there, the one a reference there names, or the one
/// the cursor is in.
pub fn subject(document: &Document, cites: &[Cite], offset: usize) -> Option<usize> {
    if let Some(node) = marker_at(document, offset) {
        return Some(node.spans.marker.start);
    }
    if let Some((_, target)) = cite_at(cites, offset) {
        return target;
    }
    node_at(document, offset).map(|n| n.spans.marker.start)
}

/// Every reference that names the node whose marker starts at `target`
/// through any of its links (本条例第十二条第二款 cites 第十二条 too).
pub fn citing(cites: &[Cite], target: usize) -> Vec<Range<usize>> {
    cites.iter().filter(|c| c.links.iter().any(|l| l.target == Some(target))).map(|c| c.range.clone()).collect()
}

/// How much of a clause's text a hover shows.
const HOVER_CHARS: usize = 400;

fn path_of(document: &Document, node: &Node) -> String {
    marker_paths(&document.body)
        .into_iter()
        .find(|(_, n)| std::ptr::eq(*n, node))
        .map(|(path, _)| path)
        .unwrap_or_else(|| node.marker.clone())
}

fn quoted(text: &str) -> String {
    let mut cut: String = text.chars().take(HOVER_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut.lines().map(|l| format!("> {l}\n")).collect::<Vec<_>>().join(">\n")
}

/// What a hover at `offset` shows about references and markers, in
/// Markdown, with the byte range it is about.
pub fn hover(document: &Document, cites: &[Cite], offset: usize) -> Option<(String, Range<usize>)> {
    if let Some(node) = marker_at(document, offset) {
        let mut out = format!("**{}** · {} · 第{}号", path_of(document, node), node.kind.chinese(), node.number);
        if let Some(sub) = node.sub {
            out.push_str(&format!("之{sub}"));
        }
        out.push('\n');
        if !node.owners.is_empty() {
            out.push_str("\n**责任单位**\n\n");
            for owner in &node.owners {
                match &owner.role {
                    Some(role) => out.push_str(&format!("- {}（{role}）\n", owner.unit)),
                    None => out.push_str(&format!("- {}\n", owner.unit)),
                }
            }
        }
        if !node.targets.is_empty() {
            out.push_str("\n**目标**\n\n");
            for target in &node.targets {
                out.push_str(&format!("- {}\n", target.phrase));
            }
        }
        let cited = citing(cites, node.spans.marker.start).len();
        if cited > 0 {
            out.push_str(&format!("\ncited {cited} time{} in this document\n", if cited == 1 { "" } else { "s" }));
        }
        return Some((out, node.spans.marker.start..node.spans.marker.end));
    }
    let (cite, target) = cite_at(cites, offset)?;
    let out = match target.and_then(|t| by_marker(document, t)) {
        Some(node) => {
            format!("**{}** · {}\n\n{}", path_of(document, node), node.kind.chinese(), quoted(&node.full_text()))
        }
        None => "this reference names no single clause (see the diagnostic, if any)".to_owned(),
    };
    Some((out, cite.range.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "第一条　总则。\n第二条　依照本条例第一条执行。\n第三条　违反本条例第二条、第九条的，处罚。\n";

    #[test]
    fn references_resolve_to_markers_and_back() {
        let parsed = crate::parse::parse_str(TEXT);
        let doc = &parsed.document;
        let cites = cites(doc, TEXT);
        assert_eq!(cites.len(), 3, "{cites:?}");
        let first = TEXT.find("本条例第一条").unwrap() + "本条例第".len();
        let def = definition(doc, &cites, first).unwrap();
        assert_eq!(&TEXT[def], "第一条");
        // 第九条 does not exist: no definition.
        assert!(definition(doc, &cites, TEXT.find("第九条").unwrap()).is_none());
        let second = TEXT.find("第二条").unwrap();
        let refs = citing(&cites, subject(doc, &cites, second).unwrap());
        assert_eq!(refs.len(), 1);
        assert_eq!(&TEXT[refs[0].clone()], "本条例第二条");
        let (hover, _) = hover(doc, &cites, first).unwrap();
        assert!(hover.contains("总则"), "{hover}");
    }
}
