//! The built-in `clauses.html` (with the `table.html` it includes),
//! `toc.html` and `units.html`, compiled by
//! hand: the one place HTML is written outside templates (but escaping,
//! `crate::escape`).
//!
//! The numbered body is nearly all of a page, and through the template
//! interpreter it cost a copy of the whole tree into template values plus
//! several lookups and a captured string per clause. When the built-in
//! templates are in use, [`write_clauses`] writes the very bytes the template
//! gives, straight into the page (which minijinja renders with these two
//! templates swapped whole for slots). `clauses.html` stays the source of truth:
//! the interpreter still renders it whenever templates are overridden, and a
//! test compares the two byte for byte on every fixture, the seeds and
//! generated trees.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::escape::html as escape;
use crate::tree::table::LaidCell;
use crate::tree::{Node, Owner, Piece, Table, interleave, push_marker_path};

/// Append the body `nodes` as the built-in `clauses.html` renders it.
/// `ids` gives each node's id in document order, as the id pass allocated
/// them; it is advanced past this body. `units` links owner labels to the
/// owners page (see [`super::Page::owner_units`]).
pub(super) fn write_clauses<'i>(
    out: &mut String,
    nodes: &[Node],
    ids: &mut impl Iterator<Item = &'i str>,
    units: &BTreeMap<String, String>,
) {
    let mut path = String::new();
    write_nodes(out, nodes, ids, units, &mut path, 0, 2);
}

fn write_nodes<'i>(
    out: &mut String,
    nodes: &[Node],
    ids: &mut impl Iterator<Item = &'i str>,
    units: &BTreeMap<String, String>,
    path: &mut String,
    depth: usize,
    level: usize,
) {
    for node in nodes {
        let id = ids.next().unwrap_or_default();
        let parent_len = path.len();
        push_marker_path(path, node);

        out.push_str("\n<section id=\"");
        escape(out, id);
        out.push_str("\" class=\"node ");
        out.push_str(node.kind.name());
        out.push_str(" depth-");
        push_number(out, depth);
        out.push_str("\">");
        // An empty title is false to the template's `if`.
        match node.title.as_deref().filter(|t| !t.is_empty()) {
            Some(title) => {
                let h = level.min(6);
                out.push_str("\n  <h");
                push_number(out, h);
                if super::runs_in(node) {
                    out.push_str(" class=\"run-in\"");
                }
                out.push_str("><span class=\"marker\">");
                escape(out, &node.marker);
                out.push_str("</span>");
                escape(out, title);
                permalink(out, id, path);
                out.push_str("</h");
                push_number(out, h);
                out.push('>');
                for piece in interleave(&node.text, &node.tables) {
                    match piece {
                        Piece::Paragraph(p) => paragraph(out, p),
                        Piece::Table(t) => write_table(out, t),
                    }
                }
            }
            None => {
                // The marker leads the first paragraph, or stands over a
                // first table.
                let mut first = true;
                for piece in interleave(&node.text, &node.tables) {
                    match piece {
                        Piece::Paragraph(p) if first => {
                            out.push_str("\n  <p><span class=\"marker\">");
                            escape(out, &node.marker);
                            out.push_str("</span>");
                            escape(out, p);
                            permalink(out, id, path);
                            out.push_str("</p>");
                        }
                        Piece::Paragraph(p) => paragraph(out, p),
                        Piece::Table(t) => {
                            if first {
                                marker_alone(out, &node.marker, id, path);
                            }
                            write_table(out, t);
                        }
                    }
                    first = false;
                }
                if first {
                    marker_alone(out, &node.marker, id, path);
                }
            }
        }
        if !node.owners.is_empty() {
            out.push_str("\n  <p class=\"owners\">");
            write_owners(out, &node.owners, units);
            out.push_str("</p>");
        }
        // A titled node's children are headings one level down, as the views
        // count levels (there `Some("")` counts as a title).
        let child_level = if node.title.is_some() { level + 1 } else { level };
        write_nodes(out, &node.children, ids, units, path, depth + 1, child_level);
        out.push_str("\n</section>");
        path.truncate(parent_len);
    }
}

/// An entry of the table of contents: a heading, or an article.
pub(super) struct TocItem<'a> {
    /// The node's number in document order, for its id.
    pub node: usize,
    pub marker: &'a str,
    pub title: Option<&'a str>,
    pub depth: usize,
}

/// Append the entries as the built-in `toc.html` lists them.
pub(super) fn write_toc<'i>(out: &mut String, toc: &[TocItem<'_>], id: impl Fn(usize) -> &'i str) {
    for entry in toc {
        out.push_str("\n  <li class=\"depth-");
        push_number(out, entry.depth);
        out.push_str("\"><a href=\"#");
        escape(out, id(entry.node));
        out.push_str("\">");
        escape(out, entry.marker);
        escape(out, entry.title.unwrap_or_default());
        out.push_str("</a></li>");
    }
}

/// The end of a unit of the owners view, after its documents.
pub(crate) const UNIT_END: &str = "\n</ul>\n</section>";

/// The start of a unit of the owners view as the built-in `units.html`
/// writes it: its section and its heading, with how many clauses and
/// documents name it. Its documents follow ([`write_unit_document`]), then
/// [`UNIT_END`]. The owners page of a build is written this way from the
/// owners store (`publish::store`), a unit's documents in parallel.
pub(crate) fn write_unit_head(out: &mut String, unit: &str, clauses: u32, documents: usize) {
    out.push_str("\n<section class=\"unit\" id=\"unit-");
    escape(out, unit);
    out.push_str("\">\n<h2>");
    escape(out, unit);
    out.push_str("<span class=\"count\">");
    push_number(out, clauses as usize);
    out.push_str(" 条 · ");
    push_number(out, documents);
    out.push_str(" 件</span></h2>");
}

/// A clause of the owners view.
pub(crate) struct UnitClause<'a> {
    pub id: &'a str,
    pub path: &'a str,
    pub title: Option<&'a str>,
    pub role: Option<&'a str>,
}

/// One document's clauses under a unit, as the built-in `units.html` writes
/// them: the document's heading and its list. Each but the `first`
/// document of a unit closes the list before it.
pub(crate) fn write_unit_document<'a>(
    out: &mut String,
    slug: &str,
    document: &str,
    clauses: impl IntoIterator<Item = UnitClause<'a>>,
    first: bool,
) {
    if !first {
        out.push_str("\n</ul>");
    }
    let page = format!("{slug}.html");
    out.push_str("\n<h3><a href=\"");
    out.push_str(&crate::emit::href(&page, None));
    out.push_str("\">《");
    escape(out, document);
    out.push_str("》</a></h3>\n<ul>");
    for c in clauses {
        out.push_str("\n<li><a href=\"");
        out.push_str(&crate::emit::href(&page, Some(c.id)));
        out.push_str("\">");
        escape(out, c.path);
        out.push_str("</a>");
        // An empty title or role is false to the template's `if`.
        if let Some(title) = c.title.filter(|t| !t.is_empty()) {
            out.push(' ');
            escape(out, title);
        }
        if let Some(role) = c.role.filter(|r| !r.is_empty()) {
            out.push('（');
            escape(out, role);
            out.push('）');
        }
        out.push_str("</li>");
    }
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str("\n  <p>");
    escape(out, text);
    out.push_str("</p>");
}

/// A clause's marker on a line of its own, with its permalink.
fn marker_alone(out: &mut String, marker: &str, id: &str, path: &str) {
    out.push_str("\n  <p><span class=\"marker\">");
    escape(out, marker);
    out.push_str("</span>");
    permalink(out, id, path);
    out.push_str("</p>");
}

/// A table as the built-in `table.html` renders it inside `clauses.html`.
fn write_table(out: &mut String, table: &Table) {
    let layout = table.layout();
    out.push_str("\n  <div class=\"table\"><table>");
    let extent = |out: &mut String, cell: &LaidCell<'_>| {
        if cell.rows > 1 {
            let _ = write!(out, " rowspan=\"{}\"", cell.rows);
        }
        if cell.columns > 1 {
            let _ = write!(out, " colspan=\"{}\"", cell.columns);
        }
    };
    if !layout.head.is_empty() {
        out.push_str("\n<thead>");
        for row in &layout.head {
            out.push_str("<tr>");
            for cell in row {
                out.push_str(if cell.columns > 1 { "<th scope=\"colgroup\"" } else { "<th scope=\"col\"" });
                extent(out, cell);
                out.push('>');
                escape(out, cell.text);
                out.push_str("</th>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</thead>");
    }
    out.push_str("\n<tbody>");
    for row in &layout.body {
        out.push_str("\n<tr>");
        for cell in row {
            out.push_str("<td");
            extent(out, cell);
            out.push('>');
            escape(out, cell.text);
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("\n</tbody></table></div>");
}

fn permalink(out: &mut String, id: &str, path: &str) {
    out.push_str("<a class=\"permalink\" href=\"#");
    escape(out, id);
    out.push_str("\" title=\"复制本条链接（#");
    escape(out, id);
    out.push_str("）\" aria-label=\"本条链接：");
    escape(out, path);
    out.push_str("\">#</a>");
}

/// Owners grouped by role (no role is 负责), roles in order of first mention;
/// a unit the owners page lists is a link to its section there.
fn write_owners(out: &mut String, owners: &[Owner], units: &BTreeMap<String, String>) {
    fn role(owner: &Owner) -> &str {
        owner.role.as_deref().unwrap_or("负责")
    }
    for (i, owner) in owners.iter().enumerate() {
        let this = role(owner);
        if owners[..i].iter().any(|o| role(o) == this) {
            continue;
        }
        out.push_str("<span class=\"owner-role\">");
        escape(out, this);
        out.push_str("</span>");
        for unit in owners[i..].iter().filter(|o| role(o) == this) {
            match units.get(&unit.unit) {
                Some(listed) => {
                    out.push_str("<a class=\"owner\" href=\"");
                    out.push_str(&crate::emit::href("owners.html", Some(&format!("unit-{listed}"))));
                    out.push_str("\">");
                    escape(out, &unit.unit);
                    out.push_str("</a>");
                }
                None => {
                    out.push_str("<span class=\"owner\">");
                    escape(out, &unit.unit);
                    out.push_str("</span>");
                }
            }
        }
    }
}

fn push_number(out: &mut String, n: usize) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
    } else {
        let _ = write!(out, "{n}");
    }
}
